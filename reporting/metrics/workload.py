"""Caseload per case manager, referrals by partner category and the costs per Träger (docs/domain.md §7, §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from jobcenter.models import Agency
from partners.models import GROUP_OF_KIND, Offer, PartnerGroup, PartnerKind, Referral, ReferralStatus
from reporting.metrics import plans, slices
from reporting.metrics.integrations import ROLLING_MONTHS
from reporting.metrics.sql import CASE, CLIENT, REASSIGNMENT, SPAN, base_params, group_on_day, run
from reporting.periods import Month

USER = get_user_model()._meta.db_table
REFERRAL = Referral._meta.db_table
OFFER = Offer._meta.db_table
AGENCY = Agency._meta.db_table
# Referrals the partner took up: they occupy a place and commit money.
COMMITTED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED,
                      ReferralStatus.ABORTED)

# The target group on %(day)s of every client of the office with an open case that day (reporting store).
GROUPS_ON_DAY_CTE = f"""
groups_on_day AS (
    SELECT gs.client_id, gs.target_group
    FROM {SPAN} gs
    WHERE gs.office_id = %(office)s AND gs.open_case AND gs.span @> %(day)s::date
)
"""  # noqa: S608 - constants only; values are parameters

# Cases open at the end of %(day)s with the case manager assigned at the end of that day, the client's group and
# youth flag on that day. The assignment then is the current one, except for a case reassigned since: the audit
# trail keeps every reassignment with the case manager before it (``cases.CaseReassignment``), so the first
# reassignment after the day names whom the case had that day. Costs one index range over the reassignments
# since the day; for today the pseudo-constant ``day_end <= now()`` skips even that.
OPEN_CASES_CTE = f"""
{GROUPS_ON_DAY_CTE},
assigned_then AS (
    SELECT DISTINCT ON (r.pgh_obj_id) r.pgh_obj_id AS case_id, r.case_manager_id
    FROM {REASSIGNMENT} r
    WHERE r.contact_point_id = %(office)s
      AND r.pgh_created_at >= ((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
      AND ((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s) <= now()
    ORDER BY r.pgh_obj_id, r.pgh_id
),
open_on_day AS (
    SELECT c.id AS case_id, c.client_id,
           CASE WHEN a.case_id IS NULL THEN c.case_manager_id ELSE a.case_manager_id END AS case_manager_id,
           coalesce(g.target_group, 'none') AS target_group,
           %(day)s < (oc.birth_date + make_interval(years => %(youth_years)s))::date AS youth
    FROM {CASE} c
    JOIN {CLIENT} oc ON oc.id = c.client_id
    LEFT JOIN groups_on_day g ON g.client_id = c.client_id
    LEFT JOIN assigned_then a ON a.case_id = c.id
    WHERE c.contact_point_id = %(office)s AND c.opened_on <= %(day)s
      AND (c.closed_on IS NULL OR c.closed_on > %(day)s)
)
"""  # noqa: S608 - constants only; values are parameters

_CASELOAD_SQL = f"""
WITH {OPEN_CASES_CTE}
SELECT o.case_manager_id, u.first_name, u.last_name, u.username, o.target_group, o.youth, count(*) AS cases
FROM open_on_day o LEFT JOIN {USER} u ON u.id = o.case_manager_id
GROUP BY o.case_manager_id, u.first_name, u.last_name, u.username, o.target_group, o.youth
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class Caseload:
    case_manager_id: int | None  # None: not assigned
    name: str
    total: int
    by_slice: dict[str, int]  # COUNT_SLICES keys


def caseload(office_id: int, day: date) -> list[Caseload]:
    """Open cases per case manager at the end of ``day`` (most cases first; unassigned last)."""
    rows = run(_CASELOAD_SQL, base_params(office=office_id, day=day))
    managers: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        managers.setdefault(row["case_manager_id"], []).append(row)
    result = []
    for manager_id, mine in managers.items():
        first = mine[0]
        name = (f"{first['first_name']} {first['last_name']}".strip() or str(first["username"])) if manager_id else ""
        result.append(Caseload(
            case_manager_id=manager_id, name=name, total=sum(int(r["cases"]) for r in mine),
            by_slice={s.key: sum(int(r["cases"]) for r in mine
                                 if s.matches(str(r["target_group"]), bool(r["youth"])))
                      for s in slices.COUNT_SLICES},
        ))
    result.sort(key=lambda c: (c.case_manager_id is None, -c.total, c.name))
    return result


# --- referrals ------------------------------------------------------------------------------------------------
REFERRALS_CTE = f"""
referral_rows AS (
    SELECT r.id AS referral_id, c.id AS case_id, c.client_id, r.referred_on AS day, r.status, o.category,
           a.kind AS agency_kind, r.monthly_cost * r.planned_months AS amount, g.target_group,
           r.referred_on < (rc.birth_date + make_interval(years => %(youth_years)s))::date AS youth,
           r.status = ANY(%(committed)s) AS committed
    FROM {REFERRAL} r
    JOIN {CASE} c ON c.id = r.case_id
    JOIN {CLIENT} rc ON rc.id = c.client_id
    JOIN {OFFER} o ON o.id = r.offer_id
    JOIN {AGENCY} a ON a.id = r.paying_agency_id
    CROSS JOIN LATERAL ({group_on_day("c.client_id", "r.referred_on")}) g
    -- r.office_id: the case's office kept on the referral (ADR 0008), so the office's referrals of the period are
    -- read from referral_office_date_idx, not every office's of a city
    WHERE r.office_id = %(office)s AND c.contact_point_id = %(office)s
      AND r.referred_on BETWEEN %(w_start)s AND %(w_end)s
)
"""  # noqa: S608 - constants only; values are parameters

_REFERRALS_SQL = f"""
WITH {REFERRALS_CTE}
SELECT date_trunc('month', day)::date AS month, category, target_group, youth, count(*) AS referrals,
       count(*) FILTER (WHERE committed) AS committed
FROM referral_rows
GROUP BY 1, category, target_group, youth
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class ReferralFigures:
    category: str  # an offer category (partner kind); "" for the total row
    label: str
    group_label: str
    referrals: int
    committed: int
    referrals_12: int
    committed_12: int
    by_slice: dict[str, int]  # referrals of the month per COUNT_SLICES key


def period_params(office_id: int, month: Month, until: date) -> dict[str, object]:
    """The 12 months ending with ``month`` (up to ``until``), with the statuses that commit a place."""
    first = month.shift(1 - ROLLING_MONTHS)
    return base_params(office=office_id, w_start=first.start, w_end=min(month.end, until),
                       committed=[str(s) for s in COMMITTED_STATUSES])


def _total(rows: list[dict[str, Any]], column: str) -> int:
    return sum(int(r[column]) for r in rows)


def referrals_by_category(office_id: int, month: Month, until: date) -> list[ReferralFigures]:
    """New referrals per offer category in ``month`` and in the 12 months ending with it (categories with a
    referral in the 12 months), then the total row."""
    rows = run(_REFERRALS_SQL, period_params(office_id, month, until))

    def figures(category: str, label: str, group_label: str, year: list[dict[str, Any]]) -> ReferralFigures:
        current = [r for r in year if r["month"] == month.start]
        return ReferralFigures(
            category=category, label=label, group_label=group_label,
            referrals=_total(current, "referrals"), committed=_total(current, "committed"),
            referrals_12=_total(year, "referrals"), committed_12=_total(year, "committed"),
            by_slice={s.key: _total([r for r in current if s.matches(r["target_group"], r["youth"])], "referrals")
                      for s in slices.COUNT_SLICES},
        )

    result = []
    for kind in PartnerKind:
        mine = [r for r in rows if r["category"] == kind.value]
        if mine:
            result.append(figures(kind.value, str(kind.label), str(PartnerGroup(GROUP_OF_KIND[kind]).label), mine))
    result.append(figures("", "", "", rows))
    return result


# --- costs ----------------------------------------------------------------------------------------------------
def cost_lines_cte() -> str:
    """Every cost line of the period: committed referrals and (when the plans app provides them) the services of
    plans signed in the period. Columns: source, line_id, case_id, client_id, day, agency_kind, amount, label,
    target_group, youth."""
    plan_lines = plans.service_cost_lines_sql()
    union = f"UNION ALL {plan_lines}" if plan_lines else ""
    return f"""
{REFERRALS_CTE},
cost_lines AS (
    SELECT 'referral' AS source, referral_id AS line_id, case_id, client_id, day, agency_kind, amount,
           category AS label, target_group, youth
    FROM referral_rows WHERE committed
    {union}
)
"""  # noqa: S608 - constants only; values are parameters


@dataclass(frozen=True)
class CostFigures:
    agency_kind: str  # "" for the grand total
    source: str  # "referral", "plan_service" or "" for every line of the Träger
    lines: int
    amount: Decimal
    lines_12: int
    amount_12: Decimal


COST_SOURCES = ("referral", "plan_service")


def costs_sql() -> str:
    return f"""
    WITH {cost_lines_cte()}
    SELECT date_trunc('month', day)::date AS month, agency_kind, source, count(*) AS lines,
           coalesce(sum(amount), 0) AS amount
    FROM cost_lines GROUP BY 1, agency_kind, source
    """  # noqa: S608 - constants only; values are parameters


def costs_per_agency(office_id: int, month: Month, until: date) -> list[CostFigures]:
    """Per Träger each line type and the Träger's total, then the grand total; for ``month`` and the 12 months
    ending with it. Every total is the sum of its lines (see the drill-down)."""
    rows = run(costs_sql(), plans.cost_params(period_params(office_id, month, until)))

    def figures(kind: str, source: str, year: list[dict[str, Any]]) -> CostFigures:
        current = [r for r in year if r["month"] == month.start]
        return CostFigures(kind, source, _total(current, "lines"), sum((r["amount"] for r in current), Decimal(0)),
                           _total(year, "lines"), sum((r["amount"] for r in year), Decimal(0)))

    result: list[CostFigures] = []
    for kind in (Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE):
        mine = [r for r in rows if r["agency_kind"] == kind]
        result.extend(figures(kind, source, [r for r in mine if r["source"] == source]) for source in COST_SOURCES)
        result.append(figures(kind, "", mine))
    result.append(figures("", "", rows))
    return result
