"""Einstellung von Transferleistungen (docs/domain.md §8): benefits ended because the client was integrated, per Träger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jobcenter.models import Agency
from reporting.metrics import slices
from reporting.metrics.integrations import ROLLING_MONTHS
from reporting.metrics.sql import BENEFIT, CLIENT, base_params, group_on_day, run
from reporting.periods import Month

# Rows behind the figures: one per ended benefit, with its paying Träger and the client's group on the last day.
ENDED_TRANSFERS_CTE = f"""
ended_transfers AS (
    SELECT be.id AS benefit_id, be.client_id, be.kind, be.monthly_amount, be."end" AS day, be.end_reason,
           CASE WHEN be.kind = %(hlu)s THEN 'sozialhilfe' ELSE 'arbeitsamt' END AS agency_kind,
           g.target_group,
           be."end" < (tc.birth_date + make_interval(years => %(youth_years)s))::date AS youth
    FROM {BENEFIT} be
    JOIN {CLIENT} tc ON tc.id = be.client_id
    CROSS JOIN LATERAL ({group_on_day("be.client_id", 'be."end"')}) g
    WHERE tc.contact_point_id = %(office)s AND be.end_reason = ANY(%(integration_reasons)s)
      AND be."end" BETWEEN %(w_start)s AND %(w_end)s
)
"""  # noqa: S608 - constants only; values are parameters

_SQL = f"""
WITH {ENDED_TRANSFERS_CTE}
SELECT date_trunc('month', day)::date AS month, agency_kind, target_group, youth, count(*) AS benefits,
       sum(monthly_amount) AS amount
FROM ended_transfers
GROUP BY 1, agency_kind, target_group, youth
"""  # noqa: S608 - constants only; values are parameters

AGENCY_KINDS = (Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE)


@dataclass(frozen=True)
class EndedTransfers:
    agency_kind: str
    slice: slices.Slice
    benefits: int
    amount: Decimal
    benefits_12: int
    amount_12: Decimal


def ended_transfers(office_id: int, month: Month, until: date) -> list[EndedTransfers]:
    """Per Träger (each target group, the total, the young): count and summed monthly amount in ``month`` and in the 12
    months ending with it. One statement."""
    first = month.shift(1 - ROLLING_MONTHS)
    rows = run(_SQL, base_params(office=office_id, w_start=first.start, w_end=min(month.end, until)))
    result = []
    for kind in AGENCY_KINDS:
        for slice_ in slices.COUNT_SLICES:
            year = [r for r in rows if r["agency_kind"] == kind and slice_.matches(r["target_group"], r["youth"])]
            current = [r for r in year if r["month"] == month.start]
            result.append(EndedTransfers(
                kind, slice_, sum(int(r["benefits"]) for r in current), sum((r["amount"] for r in current), Decimal(0)),
                sum(int(r["benefits"]) for r in year), sum((r["amount"] for r in year), Decimal(0)),
            ))
    return result
