"""Helpers shared by the services: the locked case and the status moves of docs/domain.md §6.

Status moves (always through ``cases.services.cases.change_status``, never by editing the case):
  * recording a profiling or a Sozialanamnese, or commissioning an assessment, while the case is still in
    "intake" moves it to "profiling" (the Stärken-Schwächen-Analyse has begun);
  * setting the category of the latest profiling while the case is in "profiling" moves it to "planning"
    (the analysis is complete; the Hilfeplan is next).
A case in any later status keeps its status when it is profiled again (re-profiling during planning or
implementation is part of the work, not a step back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from cases.need_to_know import can_see_sensitive
from cases.services.cases import CaseError, change_status
from profiling.errors import ProfilingError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def locked_case(case: Case) -> Case:
    """The current case row, locked until the transaction ends; a closed case refuses any profiling work."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("client", "contact_point").get(pk=case.pk)
    if not locked.is_open:
        raise ProfilingError(_("This case is closed. Open a new case to continue working with the client."))
    return locked


def move_case(case: Case, *, from_status: str, to_status: str, by: User) -> Case:
    if case.status != from_status:
        return case
    try:
        return change_status(case=case, status=to_status, by=by)
    except CaseError as error:  # pragma: no cover - the transitions used here are always allowed
        raise ProfilingError(error.message) from error


def start_profiling(case: Case, *, by: User) -> Case:
    return move_case(case, from_status=CaseStatus.INTAKE, to_status=CaseStatus.PROFILING, by=by)


def may_read_sensitive(user: User, case: Case) -> bool:
    """``cases.need_to_know.can_see_sensitive`` asked of the database (services do not trust a cached role set)."""
    return can_see_sensitive(user, case)


def require_sensitive_access(user: User, case: Case) -> None:
    if not may_read_sensitive(user, case):
        raise ProfilingError(
            _("Only the assigned case manager and the team lead may work with this sensitive information.")
        )
