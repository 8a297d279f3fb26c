"""What letters adds to other apps' pages: the client page section, the start-page card, and the print buttons on
appointments, hearings and referrals (``jobcenter.object_actions``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from cases.models import Client
from cases.need_to_know import can_see_sensitive
from jobcenter.http import AuthenticatedHttpRequest
from letters import rules, selectors
from letters.services.batches import appointments_of_day


def client_letters_context(request: AuthenticatedHttpRequest, client: Client) -> dict[str, Any]:
    rows = list(selectors.client_letters(request.user, client)[:selectors.CLIENT_PAGE_LETTERS + 1])
    roles = request.staff.roles
    letters = [{"letter": letter,
                "readable": not letter.sensitive or can_see_sensitive(request.user, letter.case, roles=roles)}
               for letter in rows[:selectors.CLIENT_PAGE_LETTERS]]
    return {"letters": letters, "more": len(rows) > selectors.CLIENT_PAGE_LETTERS}


def home_invitations_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    office = request.staff.office
    if office is None:
        return {"day": None, "count": 0}
    day = rules.next_working_day(timezone.localdate())
    return {"day": day, "count": appointments_of_day(request.user, request.staff.roles, office, day).count()}


def _latest(request: HttpRequest, **source: Any) -> dict[str, Any]:
    latest = selectors.letters_of(request.user, **source).select_related("case").first()
    readable = latest is not None and (not latest.sensitive or can_see_sensitive(request.user, latest.case))
    return {"latest": latest, "readable": readable}


def hearing_letters_context(request: HttpRequest, hearing: Any) -> dict[str, Any]:
    """The newest hearing letter of the hearing, shown beside the print button."""
    return _latest(request, hearing=hearing)


def referral_letters_context(request: HttpRequest, referral: Any) -> dict[str, Any]:
    """The newest commission letter of the referral, shown beside the print button."""
    return _latest(request, referral=referral)
