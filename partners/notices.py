"""Notifications about referrals (``notifications``): "Rückmeldung eingegangen" to the case manager.

Called inside ``record_feedback``'s transaction. The subject is the client's name and the referral's number —
not the partner, whose name can tell what the help is about (a debt or addiction counselling service), and never
what the partner reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind
from notifications.rules import subject_for
from notifications.services import Notice, notify, reference
from partners.models import Referral

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def feedback_received(referral: Referral, *, by: AbstractBaseUser) -> None:
    """To the case manager of the referral's case (else whoever referred), unless they recorded it."""
    case = referral.case
    recipient = case.case_manager_id or referral.referred_by_id
    if recipient is None:
        return
    notify(Notice(
        recipient_id=recipient, office_id=case.contact_point_id, kind=Kind.FEEDBACK_RECEIVED,
        subject=subject_for(str(case.client), reference(_("referral %(number)s"), number=referral.pk)),
        url=reverse("partners:referral_detail", args=[referral.pk]), subject_key=f"referral:{referral.pk}",
        client_id=case.client_id,
    ), by=by)
