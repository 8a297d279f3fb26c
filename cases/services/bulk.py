"""Bulk reassignment: the Teamleitung hands many cases to another case manager at once (e.g. everything of a case
manager who leaves), after a preview.

All or nothing, in one transaction: the selected cases are locked, and if any of them is gone from the office,
closed, or was reassigned by someone else since the preview, nothing changes and the error names them. Otherwise
one UPDATE moves the cases that change (the audit trail's triggers record one reassignment event per case, with
the acting user), and the new case manager gets one notification "Fall zugewiesen" per case, in the same
transaction. Cases that already belong to the new case manager are left alone and reported as unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from cases.notices import cases_assigned
from cases.services.cases import CaseError, _check_case_manager, is_staff_of
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

MAX_BULK = 1000  # cases in one reassignment (a whole caseload is 75–150)
NAMES_SHOWN = 5  # cases named in an error message; "and N more" for the rest


@dataclass(frozen=True)
class Reassigned:
    changed: list[Case]  # now with the new case manager
    unchanged: list[Case]  # they had the new case manager already


def _names(cases: list[Case]) -> str:
    names = ", ".join(str(case.client) for case in cases[:NAMES_SHOWN])
    rest = len(cases) - NAMES_SHOWN
    return names if rest <= 0 else _("%(names)s and %(count)s more") % {"names": names, "count": rest}


@transaction.atomic
def reassign_cases(
    *, office: ContactPoint, case_ids: Collection[int], case_manager: User, by: AbstractBaseUser,
    expected: Mapping[int, int | None] | None = None,
) -> Reassigned:
    """Give the cases ``case_ids`` of ``office`` to ``case_manager``. ``expected`` maps each case to the case
    manager the preview showed (None: unassigned); a case whose case manager differs now refuses the whole run."""
    if not is_staff_of(by, office, Role.TEAMLEITUNG):
        raise CaseError(_("Only the team lead of this contact point may assign case managers."))
    ids = sorted(set(case_ids))
    if not ids:
        raise CaseError(_("Select at least one case."), field="cases")
    if len(ids) > MAX_BULK:
        raise CaseError(_("At most %(max)s cases can be reassigned at once.") % {"max": MAX_BULK}, field="cases")
    _check_case_manager(case_manager, office)
    cases = list(
        Case.objects.select_for_update(of=("self",)).select_related("client")
        .filter(pk__in=ids, contact_point=office).order_by("pk")
    )
    missing = len(ids) - len(cases)
    if missing:
        raise CaseError(ngettext("%(count)s of the selected cases is not a case of this contact point.",
                                 "%(count)s of the selected cases are not cases of this contact point.",
                                 missing) % {"count": missing})
    closed = [case for case in cases if not case.is_open]
    if closed:
        raise CaseError(_("Closed cases cannot be reassigned: %(names)s. Nothing was changed.")
                        % {"names": _names(closed)})
    if expected is not None:
        moved = [case for case in cases if case.case_manager_id != expected.get(case.pk)]
        if moved:
            raise CaseError(_("Reassigned by someone else since the preview: %(names)s. Nothing was changed; "
                              "check the preview again.") % {"names": _names(moved)})
    changed = [case for case in cases if case.case_manager_id != case_manager.pk]
    unchanged = [case for case in cases if case.case_manager_id == case_manager.pk]
    if changed:
        with pghistory.context(user=by.pk):
            Case.objects.filter(pk__in=[case.pk for case in changed]).update(
                case_manager=case_manager, updated_at=timezone.now())
        for case in changed:
            case.case_manager = case_manager
        cases_assigned(changed, by=by)
    return Reassigned(changed=changed, unchanged=unchanged)
