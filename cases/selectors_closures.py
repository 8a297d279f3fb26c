"""Reads of closure approval (``cases.services.closures``): the Teamleitung's work list of closings awaiting
confirmation, and what the case page and the client page show about a requested or refused closing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cases.models import Case, ClosureRequest, ClosureStatus
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def pending_closures(user: AbstractBaseUser, roles: frozenset[str],
                     office: ContactPoint | None) -> QuerySet[ClosureRequest]:
    """Closings awaiting the Teamleitung's confirmation in the active office, oldest first (others: none)."""
    if office is None or Role.TEAMLEITUNG not in roles:
        return ClosureRequest.objects.none()
    return (ClosureRequest.objects.for_user(user)
            .filter(case__contact_point=office, status=ClosureStatus.PENDING)
            .select_related("case__client", "case__case_manager", "requested_by")
            .order_by("requested_at", "id"))


@dataclass(frozen=True)
class ClosureState:
    """The open case's closing as the pages show it: awaiting confirmation, or refused last time (with reason)."""

    pending: ClosureRequest | None
    refused: ClosureRequest | None


def closure_state(case: Case) -> ClosureState:
    """One query: the case's latest request, if it is pending or refused (an open case only)."""
    if not case.is_open:
        return ClosureState(None, None)
    latest = (ClosureRequest.objects.filter(case=case).select_related("requested_by", "decided_by")
              .order_by("-requested_at", "-id").first())
    if latest is None:
        return ClosureState(None, None)
    return ClosureState(latest if latest.status == ClosureStatus.PENDING else None,
                        latest if latest.status == ClosureStatus.REFUSED else None)
