"""Sustainability of integrations and the intake cohorts: what became of the integrations and of the cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reporting.metrics import slices
from reporting.metrics.sql import BENEFIT, INTAKE, INTEGRATIONS_CTE, base_params, run
from reporting.periods import Month

SUSTAINABILITY_MONTHS = (6, 12)
COHORT_STEPS = (3, 6, 9, 12, 18, 24)
COHORT_MONTHS = 24


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- sustainability -------------------------------------------------------------------------------------------
# For every integration: the check days (integration day + 6 and + 12 months), whether they have passed by
# %(ref_day)s, and whether the client drew no benefit at all on them.
SUSTAINABILITY_CTE = f"""
{INTEGRATIONS_CTE},
checks AS (
    SELECT ig.*, s.months, (ig.day + make_interval(months => s.months))::date AS check_day
    FROM integrations_grouped ig CROSS JOIN unnest(%(steps)s::int[]) AS s(months)
),
checked AS (
    SELECT ch.*, ch.check_day <= %(ref_day)s AS due,
           ch.check_day <= %(ref_day)s AND NOT EXISTS (
               SELECT 1 FROM {BENEFIT} sb WHERE sb.client_id = ch.client_id AND sb.start <= ch.check_day
                 AND (sb."end" IS NULL OR sb."end" >= ch.check_day)) AS sustained
    FROM checks ch
    WHERE ch.month = (%(month)s::date - make_interval(months => ch.months))::date
)
"""  # noqa: S608 - constants only; values are parameters

_SUSTAINABILITY_SQL = f"""
WITH {SUSTAINABILITY_CTE}
SELECT months, target_group, youth, count(*) AS integrations, count(*) FILTER (WHERE due) AS due,
       count(*) FILTER (WHERE sustained) AS sustained
FROM checked GROUP BY months, target_group, youth
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class Sustainability:
    slice: slices.Slice
    months: int  # 6 or 12
    integration_month: Month
    integrations: int
    due: int
    sustained: int

    @property
    def share(self) -> Decimal | None:
        return share(self.sustained, self.due)


def sustainability_params(office_id: int, month: Month, ref_day: date) -> dict[str, object]:
    first = month.shift(-max(SUSTAINABILITY_MONTHS))
    last = month.shift(-min(SUSTAINABILITY_MONTHS))
    return base_params(office=office_id, w_start=first.start, w_end=last.end, steps=list(SUSTAINABILITY_MONTHS),
                       ref_day=ref_day, month=month.start)


def sustainability(office_id: int, month: Month, ref_day: date) -> list[Sustainability]:
    """The integrations of the month 6 and 12 months before ``month``: how many were checked by ``ref_day`` and
    how many of those were still without benefits on the check day."""
    rows = run(_SUSTAINABILITY_SQL, sustainability_params(office_id, month, ref_day))
    result = []
    for months in SUSTAINABILITY_MONTHS:
        mine = [r for r in rows if r["months"] == months]
        for slice_ in slices.COUNT_SLICES:
            matching = [r for r in mine if slice_.matches(r["target_group"], r["youth"])]
            result.append(Sustainability(
                slice=slice_, months=months, integration_month=month.shift(-months),
                integrations=sum(int(r["integrations"]) for r in matching),
                due=sum(int(r["due"]) for r in matching), sustained=sum(int(r["sustained"]) for r in matching),
            ))
    return result


# --- cohorts --------------------------------------------------------------------------------------------------
# Cases opened from %(w_start)s to %(w_end)s with the client's group on the opening day and the first integration
# of the client on or after it (derived per case in the reporting store: ``CaseIntake``).
COHORT_CTE = f"""
cohort AS (
    SELECT ci.case_id, ci.client_id, ci.opened_on, ci.target_group, ci.youth, ci.integrated_on
    FROM {INTAKE} ci
    WHERE ci.office_id = %(office)s AND ci.opened_on BETWEEN %(w_start)s AND %(w_end)s
),
cohort_steps AS (
    SELECT co.*, s.months, (co.opened_on + make_interval(months => s.months))::date AS step_day
    FROM cohort co CROSS JOIN unnest(%(steps)s::int[]) AS s(months)
),
cohort_checked AS (
    SELECT cs.*, cs.step_day <= %(ref_day)s AS observed,
           cs.step_day <= %(ref_day)s AND cs.integrated_on <= cs.step_day AS integrated
    FROM cohort_steps cs
)
"""  # noqa: S608 - constants only; values are parameters

_COHORT_SQL = f"""
WITH {COHORT_CTE}
SELECT months, target_group, youth, count(*) FILTER (WHERE observed) AS observed,
       count(*) FILTER (WHERE integrated) AS integrated
FROM cohort_checked GROUP BY months, target_group, youth
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class CohortCell:
    slice: slices.Slice
    months: int
    observed: int
    integrated: int

    @property
    def share(self) -> Decimal | None:
        return share(self.integrated, self.observed)


def cohort_params(office_id: int, month: Month, ref_day: date) -> dict[str, object]:
    first = month.shift(1 - COHORT_MONTHS)
    return base_params(office=office_id, w_start=first.start, w_end=month.end, steps=list(COHORT_STEPS),
                       ref_day=ref_day)


def cohorts(office_id: int, month: Month, ref_day: date) -> list[CohortCell]:
    """Share of the cases opened in the 24 months up to ``month`` integrated within 3 … 24 months of intake, per
    group at intake; a case counts for a step once the step has elapsed by ``ref_day``."""
    rows = run(_COHORT_SQL, cohort_params(office_id, month, ref_day))
    result = []
    for slice_ in slices.COUNT_SLICES:
        for months in COHORT_STEPS:
            matching = [r for r in rows if r["months"] == months and slice_.matches(r["target_group"], r["youth"])]
            result.append(CohortCell(slice_, months, sum(int(r["observed"]) for r in matching),
                                     sum(int(r["integrated"]) for r in matching)))
    return result
