"""Integrations and the Integrationsquote (docs/domain.md §8), computed in the database.

Two statements feed everything here: the integrations per month, target group and youth flag
(``integration_counts``) and the client-days in a target group with an open case per month
(``client_day_totals``). Quotes, rolling 12-month figures and the Träger rows are sums of these few aggregate
rows; no row of a client ever reaches Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reporting.metrics import slices
from reporting.metrics.sql import CLIENT_DAYS_PER_MONTH_SQL, INTEGRATIONS_CTE, base_params, run
from reporting.periods import Month, months_back

ROLLING_MONTHS = 12

_COUNTS_SQL = f"""
WITH {INTEGRATIONS_CTE}
SELECT month, target_group, youth, count(*) AS integrations
FROM integrations_grouped
GROUP BY month, target_group, youth
"""  # noqa: S608 - constants only; values are parameters

_CLIENT_DAYS_SQL = CLIENT_DAYS_PER_MONTH_SQL  # noqa: S608 - constants only; values are parameters

Key = tuple[date, str, bool]  # (month, target group, youth)


def integration_counts(office_id: int, first: Month, last: Month, until: date) -> dict[Key, int]:
    """Integrations per (month, target group, youth) from ``first`` to ``last`` (inclusive), up to ``until``."""
    rows = run(_COUNTS_SQL, base_params(office=office_id, w_start=first.start, w_end=min(last.end, until)))
    return {(row["month"], row["target_group"], row["youth"]): int(row["integrations"]) for row in rows}


def client_day_totals(office_id: int, months: list[Month], until: date) -> dict[Key, int]:
    """Client-days per (month, target group, youth): for each day of the month up to ``until``, the clients
    with an open case in that group, summed over the days."""
    rows = run(_CLIENT_DAYS_SQL, base_params(
        office=office_id, w_start=months[0].start, months=[m.start for m in months], until=min(months[-1].end, until),
    ))
    return {(row["month"], row["target_group"], row["youth"]): int(row["days"]) for row in rows}


def quote(integrations: int, client_days: int, days: int) -> Decimal | None:
    """Integrations ÷ average clients (client-days ÷ days), in per cent with one decimal; ``None`` without
    clients. Computed from the unrounded average."""
    if client_days <= 0:
        return None
    return (Decimal(integrations) * 100 * days / Decimal(client_days)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def average(client_days: int, days: int) -> Decimal:
    return (Decimal(client_days) / Decimal(days)).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else Decimal(0)


@dataclass(frozen=True)
class QuoteFigures:
    """One row of the quote table: a slice in a month and in the 12 months ending with it."""

    slice: slices.Slice
    month: Month
    integrations: int
    average_clients: Decimal
    quote: Decimal | None
    integrations_12: int
    average_clients_12: Decimal
    quote_12: Decimal | None
    client_days: int = 0  # behind ``average_clients`` (the drill-down of the average reads them from a snapshot)
    client_days_12: int = 0


@dataclass(frozen=True)
class QuoteSeries:
    """Quote figures for every month of ``months`` and every slice (12-month values included)."""

    months: list[Month]
    figures: dict[tuple[str, Month], QuoteFigures]

    def row(self, slice_key: str, month: Month) -> QuoteFigures:
        return self.figures[(slice_key, month)]

    def for_month(self, month: Month, keys: tuple[slices.Slice, ...] = slices.QUOTE_SLICES) -> list[QuoteFigures]:
        return [self.figures[(s.key, month)] for s in keys]


def _sum(values: dict[Key, int], month: Month, slice_: slices.Slice) -> int:
    return sum(count for (m, group, youth), count in values.items()
               if m == month.start and slice_.matches(group, youth))


def days_until(month: Month, until: date) -> int:
    """Days of ``month`` up to ``until`` (the whole month once it is over)."""
    return max(0, (min(month.end, until) - month.start).days + 1)


def quote_series(office_id: int, last: Month, until: date, count: int = 1) -> QuoteSeries:
    """The quote figures for the ``count`` months ending with ``last`` (counted up to ``until`` for a month
    still running): two statements over the ``count + 11`` months needed for the rolling values."""
    window = months_back(last, count + ROLLING_MONTHS - 1)
    integrations = integration_counts(office_id, window[0], window[-1], until)
    days = client_day_totals(office_id, window, until)
    per_month: dict[tuple[str, Month], tuple[int, int]] = {}
    for month in window:
        for slice_ in (*slices.QUOTE_SLICES, slices.NONE):
            per_month[(slice_.key, month)] = (_sum(integrations, month, slice_), _sum(days, month, slice_))
    figures: dict[tuple[str, Month], QuoteFigures] = {}
    shown = window[-count:]
    for index, month in enumerate(shown):
        rolling = window[index : index + ROLLING_MONTHS]
        rolling_days = sum(days_until(m, until) for m in rolling)
        for slice_ in (*slices.QUOTE_SLICES, slices.NONE):
            n, client_days = per_month[(slice_.key, month)]
            n_12 = sum(per_month[(slice_.key, m)][0] for m in rolling)
            days_12 = sum(per_month[(slice_.key, m)][1] for m in rolling)
            month_days = days_until(month, until)
            avg, avg_12 = average(client_days, month_days), average(days_12, rolling_days)
            figures[(slice_.key, month)] = QuoteFigures(
                slice=slice_, month=month, integrations=n, average_clients=avg,
                quote=quote(n, client_days, month_days) if slice_ is not slices.NONE else None,
                integrations_12=n_12, average_clients_12=avg_12,
                quote_12=quote(n_12, days_12, rolling_days) if slice_ is not slices.NONE else None,
                client_days=client_days, client_days_12=days_12,
            )
    return QuoteSeries(months=shown, figures=figures)
