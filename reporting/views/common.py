"""Shared pieces of the reporting views: who may see the figures, the active office, the month asked for."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest

from jobcenter import params
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from reporting.periods import Month

# Success measurement is the team lead's view of the office (docs/domain.md §8): figures, reports, programme.
REPORT_ROLES = (Role.TEAMLEITUNG,)


def active_office(request: HttpRequest) -> ContactPoint:
    """The user's active contact point; 404 for users without one. Every figure is computed for it alone."""
    office = request.staff.office  # type: ignore[attr-defined]
    if office is None:
        raise Http404
    return office  # type: ignore[no-any-return]


def requested_month(request: HttpRequest, today: date) -> Month:
    """The month in ``?month=YYYY-MM``: the current month by default, never a month in the future."""
    current = Month.of(today)
    return min(Month.parse(params.get_str(request, "month", max_length=7), current), current)
