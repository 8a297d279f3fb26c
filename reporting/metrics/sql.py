"""SQL building blocks shared by the metrics: running a statement, the target-group rule and the integration
events, each written once.

Every statement is parameterised (``%(name)s``) and scoped by ``%(office)s``; table names come from the models,
so a renamed table fails loudly here instead of silently elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from cases.models import (
    INTEGRATED_OUTCOMES,
    BenefitEntitlement,
    BenefitKind,
    Case,
    CaseStatus,
    Client,
    EndReason,
)
from cases.rules import YOUTH_AGE_LIMIT, TargetGroup
from reporting.models import CaseIntake, GroupSpan, IntegrationRecord

CLIENT = Client._meta.db_table
CASE = Case._meta.db_table
BENEFIT = BenefitEntitlement._meta.db_table
SPAN = GroupSpan._meta.db_table
INTEGRATION = IntegrationRecord._meta.db_table
INTAKE = CaseIntake._meta.db_table
REASSIGNMENT = apps.get_model("cases", "CaseReassignment")._meta.db_table  # audit trail: case manager changes

INTEGRATION_OUTCOMES = tuple(sorted(str(outcome) for outcome in INTEGRATED_OUTCOMES))
INTEGRATION_END_REASONS = (str(EndReason.EMPLOYMENT), str(EndReason.SELF_EMPLOYMENT), str(EndReason.TRAINING))
CLOSED = str(CaseStatus.CLOSED)
HLU, ALG, ALHI = str(BenefitKind.HLU), str(BenefitKind.ALG), str(BenefitKind.ALHI)
# How far back the group of an integration is looked up when every benefit had ended before the integration day.
GROUP_LOOKBACK_DAYS = 92
TARGET_GROUPS = (str(TargetGroup.HLU), str(TargetGroup.KOMBI), str(TargetGroup.ALHI))


def run(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """One statement, rows as dicts. PostgreSQL's JIT compiler is switched off for it: the planner's cost
    estimates for these aggregates are high enough to trigger JIT, whose compile time (0.5–1 s per statement,
    measured) exceeds the whole execution time."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def base_params(**params: Any) -> dict[str, Any]:
    return {
        "integration_outcomes": list(INTEGRATION_OUTCOMES),
        "integration_reasons": list(INTEGRATION_END_REASONS),
        "closed": CLOSED,
        "hlu": HLU,
        "alg_alhi": [ALG, ALHI],
        "alhi": ALHI,
        "youth_years": YOUTH_AGE_LIMIT,
        "lookback": GROUP_LOOKBACK_DAYS,
        "tz": settings.TIME_ZONE,
        **params,
    }


def group_case(hlu: str, alg_alhi: str, alhi: str) -> str:
    """The target-group rule of ``cases.rules.target_group_on`` over three boolean SQL expressions."""
    return (
        f"CASE WHEN {hlu} AND {alg_alhi} THEN 'kombi' WHEN {hlu} THEN 'hlu' "
        f"WHEN {alhi} THEN 'alhi' ELSE 'none' END"
    )


# The target group of a client on a day given by the SQL expression ``day`` (from the reporting store, see
# reporting/store.py): one row, 'none' when the client drew no benefit that makes a target group.
GROUP_ON_DAY = """
    SELECT coalesce((SELECT gs.target_group FROM {span} gs
                     WHERE gs.office_id = %(office)s AND NOT gs.open_case AND gs.client_id = {client}
                       AND gs.span @> ({day})::date), 'none') AS target_group
"""


def group_on_day(client: str, day: str) -> str:
    return GROUP_ON_DAY.format(span=SPAN, client=client, day=day)


# The integrations of the office between %(w_start)s and %(w_end)s (at most one per client and month, with the
# group and youth flag on the integration day; derived in reporting/store.py).
INTEGRATIONS_CTE = f"""
integrations_grouped AS (
    SELECT client_id, day, case_id, benefit_id, month, target_group, youth
    FROM {INTEGRATION}
    WHERE office_id = %(office)s AND day BETWEEN %(w_start)s AND %(w_end)s
)
"""  # noqa: S608 - constants only; values are parameters  # noqa: S608 - constants only; values are parameters

# The days each client of the office spent in a target group with an open case (from the reporting store), cut
# to [%(w_start)s, %(until)s]: from ``lo`` (included) to ``hi`` (excluded).
CLIENT_DAYS_CTE = f"""
open_spans AS (
    SELECT client_id, target_group, youth,
           greatest(lower(span), %(w_start)s::date) AS lo,
           least(coalesce(upper(span), 'infinity'), %(until)s::date + 1) AS hi
    FROM {SPAN}
    WHERE office_id = %(office)s AND open_case AND span && daterange(%(w_start)s::date, %(until)s::date, '[]')
)
"""  # noqa: S608 - constants only; values are parameters

# Client-days per month of %(months)s (contiguous first days), group and youth, without multiplying spans by
# months: with F(b) = the client-days before day b = Σ over span starts before b of (b − start) − Σ over span
# ends before b of (b − end), a month has F(next month) − F(month) client-days; the sums are taken per month
# bucket and accumulated over the few month boundaries.
CLIENT_DAYS_PER_MONTH_SQL = f"""
WITH {CLIENT_DAYS_CTE},
span_events AS (  -- two events per span in one pass (no second scan of the materialised spans)
    SELECT s.target_group, s.youth, e.day, e.sign
    FROM open_spans s CROSS JOIN LATERAL (VALUES (s.lo, 1), (s.hi, -1)) AS e(day, sign)
),
buckets AS (
    SELECT target_group, youth, date_trunc('month', day)::date AS bucket, sum(sign) AS n,
           sum(sign * (day - %(w_start)s::date)) AS s
    FROM span_events GROUP BY 1, 2, 3
),
boundaries AS (
    SELECT m AS boundary FROM unnest(%(months)s::date[]) AS m
    UNION
    SELECT (max(m) + interval '1 month')::date FROM unnest(%(months)s::date[]) AS m
),
cumulative AS (
    SELECT g.target_group, g.youth, b.boundary,
           (b.boundary - %(w_start)s::date) * coalesce(sum(k.n), 0) - coalesce(sum(k.s), 0) AS f
    FROM boundaries b
    CROSS JOIN (SELECT DISTINCT target_group, youth FROM buckets) g
    LEFT JOIN buckets k ON k.target_group = g.target_group AND k.youth = g.youth AND k.bucket < b.boundary
    GROUP BY g.target_group, g.youth, b.boundary
),
per_month AS (
    SELECT boundary AS month, target_group, youth,
           lead(f) OVER (PARTITION BY target_group, youth ORDER BY boundary) - f AS days
    FROM cumulative
)
SELECT month, target_group, youth, days FROM per_month WHERE days IS NOT NULL
"""  # noqa: S608 - constants only; values are parameters  # noqa: S608 - constants only; values are parameters
