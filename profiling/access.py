"""Who may do what in the profiling app (everything is further limited to the user's own contact points).

    read profilings, their category and proposals ......... Fallmanager, Arbeitsvermittler, Teamleitung
        (the placement officer needs strengths and obstacles to propose vacancies; reception and benefits
        officers do not see profilings)
    record profilings, set the category ..................... Fallmanager, Teamleitung
    see that a Sozialanamnese / an assessment exists ........ every case role (the client-page section says so)
    read and write the Sozialanamnese, commission an
    assessment, read its content and report ................. the case's assigned case manager and the
                                                              Teamleitung (``can_see_sensitive``)
    notes on health, debts and addiction in a profiling ..... as the Sozialanamnese; others see the rating only

Every reading of sensitive content is recorded (``profiling.services.access.record_read``, into the project access log).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from jobcenter.roles import Role
from jobcenter.scoping import contact_point_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from cases.models import Case

READ_ROLES = (Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG)
WRITE_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)
CASE_ROLES = tuple(sorted(set(Role.values) - {Role.ADMINISTRATOR}))


def _roles(user: AbstractBaseUser) -> frozenset[str]:
    cached = getattr(user, "_profiling_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        user._profiling_roles = cached  # type: ignore[attr-defined]
    return cached


def can_see_sensitive(user: AbstractBaseUser, case: Case, *, roles: Collection[str] | None = None) -> bool:
    """The same rule as for sensitive contact notes: the case's assigned case manager, or a Teamleitung of the
    case's contact point. ``roles`` (``request.staff.roles``) saves the query for the user's groups."""
    if not getattr(user, "is_authenticated", False) or case.contact_point_id not in contact_point_ids(user):
        return False
    if case.case_manager_id is not None and case.case_manager_id == user.pk:
        return True
    return Role.TEAMLEITUNG in (roles if roles is not None else _roles(user))
