"""Figures from the integration plans (Eingliederungsvereinbarungen): plans signed and the cost lines of their
services. Reporting reads the plans app; the plans app never reads reporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from integration_plans.models import IntegrationPlan, PlanKind, PlanService
from reporting.metrics import slices
from reporting.metrics.sql import CASE, CLIENT, base_params, group_on_day, run
from reporting.periods import Month

PLAN = IntegrationPlan._meta.db_table
SERVICE = PlanService._meta.db_table

# Plans signed in the window, with the client's group and youth flag on the day of signing.
PLANS_SIGNED_CTE = f"""
plans_signed AS (
    SELECT p.id AS plan_id, c.id AS case_id, c.client_id, p.signed_on AS day, p.version, g.target_group,
           p.signed_on < (pc.birth_date + make_interval(years => %(youth_years)s))::date AS youth
    FROM {PLAN} p
    JOIN {CASE} c ON c.id = p.case_id
    JOIN {CLIENT} pc ON pc.id = c.client_id
    CROSS JOIN LATERAL ({group_on_day("c.client_id", "p.signed_on")}) g
    -- the plan's office is its case's (kept by the database): said on the plan, its signing index finds the window
    WHERE c.contact_point_id = %(office)s AND p.office_id = %(office)s
      AND p.signed_on BETWEEN %(w_start)s AND %(w_end)s
)
"""  # noqa: S608 - constants only; values are parameters

# The day a plan came into force: signed agreements on the day of signing, one-sided decisions on the day they
# were finalised.
IN_FORCE_DAY = (
    "coalesce(p.signed_on, CASE WHEN p.kind = %(decision)s "
    "THEN (p.finalised_at AT TIME ZONE %(tz)s)::date END)"
)


def service_cost_lines_sql() -> str:
    """Cost lines of plan services (same columns as the referral lines in ``workload.cost_lines_cte``): every
    service with an estimated cost, not pointing at a referral, of a plan that came into force in the window;
    a service carried over into a Fortschreibung (same key as in the previous version) is not counted again."""
    return f"""
    SELECT 'plan_service', s.id, c.id, c.client_id, {IN_FORCE_DAY}, a.kind, s.estimated_cost, s.kind,
           g.target_group,
           {IN_FORCE_DAY} < (sc.birth_date + make_interval(years => %(youth_years)s))::date
    FROM {SERVICE} s
    JOIN {PLAN} p ON p.id = s.plan_id
    JOIN {CASE} c ON c.id = p.case_id
    JOIN {CLIENT} sc ON sc.id = c.client_id
    JOIN jobcenter_agency a ON a.id = s.paying_agency_id
    CROSS JOIN LATERAL ({group_on_day("c.client_id", IN_FORCE_DAY)}) g
    WHERE c.contact_point_id = %(office)s AND p.office_id = %(office)s
      AND s.estimated_cost IS NOT NULL AND s.referral_id IS NULL
      -- the day the plan came into force in the window, said so that the plan's indexes find it: signed in the window
      -- (plan_office_signed_idx), or a decision never signed, finalised in the window (reporting_plan_decided_idx)
      AND (p.signed_on BETWEEN %(w_start)s AND %(w_end)s
           OR (p.signed_on IS NULL AND p.kind = %(decision)s
               AND p.finalised_at >= (%(w_start)s::date::timestamp AT TIME ZONE %(tz)s)
               AND p.finalised_at < ((%(w_end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)))
      AND NOT EXISTS (SELECT 1 FROM {SERVICE} ps WHERE ps.plan_id = p.previous_id AND ps.key = s.key)
    """  # noqa: S608 - constants only; values are parameters


def cost_params(params: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings

    return {**params, "decision": str(PlanKind.DECISION), "tz": settings.TIME_ZONE}


_PLANS_SQL = f"""
WITH {PLANS_SIGNED_CTE}
SELECT date_trunc('month', day)::date AS month, target_group, youth, count(*) AS plans,
       count(*) FILTER (WHERE version > 1) AS updates
FROM plans_signed GROUP BY 1, target_group, youth
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class PlansSigned:
    slice: slices.Slice
    plans: int
    updates: int  # of which Fortschreibungen (version > 1)
    plans_12: int
    updates_12: int


def plans_signed(office_id: int, month: Month, until: date) -> list[PlansSigned]:
    """Integration agreements signed in ``month`` and in the 12 months ending with it, per target group."""
    first = month.shift(-11)
    rows = run(_PLANS_SQL, base_params(office=office_id, w_start=first.start, w_end=min(month.end, until)))
    result = []
    for slice_ in slices.COUNT_SLICES:
        year = [r for r in rows if slice_.matches(r["target_group"], r["youth"])]
        current = [r for r in year if r["month"] == month.start]
        result.append(PlansSigned(
            slice_, sum(int(r["plans"]) for r in current), sum(int(r["updates"]) for r in current),
            sum(int(r["plans"]) for r in year), sum(int(r["updates"]) for r in year),
        ))
    return result
