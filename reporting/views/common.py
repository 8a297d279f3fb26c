"""Shared pieces of the reporting views: the month asked for.

Success measurement is the team lead's view of the office (docs/domain.md §8): figures, reports and programme are
for ``jobcenter.authz.REPORTING``, each computed for the active office alone (``jobcenter.shortcuts.active_office``).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest

from jobcenter import params
from reporting.periods import Month


def requested_month(request: HttpRequest, today: date) -> Month:
    """The month in ``?month=YYYY-MM``: the current month by default, never a month in the future."""
    current = Month.of(today)
    return min(Month.parse(params.get_str(request, "month", max_length=7), current), current)
