"""Notifications about cases (``notifications``): "Fall zugewiesen" to the case manager a case was given to.

Called inside the assigning service's transaction (``open_case`` routing a client, ``assign_case_manager``, the
bulk reassignment), so the notification commits or rolls back with the assignment. The subject is the client's
name and the case number; the link is the client's page, where opening it also ends "Neu zugewiesen".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from notifications.models import Kind
from notifications.rules import subject_for
from notifications.services import Notice, notify_many, reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _assigned(case: Case) -> Notice:
    assert case.case_manager_id is not None
    return Notice(
        recipient_id=case.case_manager_id, office_id=case.contact_point_id, kind=Kind.CASE_ASSIGNED,
        subject=subject_for(str(case.client), reference(_("case %(number)s"), number=case.pk)),
        url=reverse("cases:client_detail", args=[case.client_id]), subject_key=f"case:{case.pk}",
        client_id=case.client_id,
    )


def cases_assigned(cases: Iterable[Case], *, by: AbstractBaseUser) -> int:
    """One notification per case to its (new) case manager; none to the acting user. ``case.client`` loaded."""
    return notify_many([_assigned(case) for case in cases if case.case_manager_id is not None], by=by)
