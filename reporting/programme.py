"""The joint programme (docs/domain.md §9) against the actual figures, month by month.

Three statements for a year, whatever the number of clients: the client-days per month and group (as for the
integration rate), the referrals taken up per month, category and paying agency, and the open cases and case
managers at every month's end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jobcenter.models import Agency, ContactPoint
from partners.models import PartnerKind
from reporting import metrics, store
from reporting.metrics import slices
from reporting.metrics.integrations import average, client_day_totals, days_until
from reporting.metrics.sql import CASE, base_params, run
from reporting.metrics.workload import COMMITTED_STATUSES, REFERRALS_CTE
from reporting.models import ProgrammePlan
from reporting.periods import Month
from reporting.tables import Cell, Row, Table, drill_url

_REFERRALS_SQL = f"""
WITH {REFERRALS_CTE}
SELECT date_trunc('month', day)::date AS month, category, agency_kind, count(*) AS committed,
       coalesce(sum(amount), 0) AS amount
FROM referral_rows WHERE committed GROUP BY 1, category, agency_kind
"""  # noqa: S608 - constants only; values are parameters

_STAFF_SQL = f"""
SELECT m.day, count(c.id) AS cases, count(DISTINCT c.case_manager_id) AS managers
FROM unnest(%(days)s::date[]) AS m(day)
LEFT JOIN {CASE} c ON c.contact_point_id = %(office)s AND c.opened_on <= m.day
     AND (c.closed_on IS NULL OR c.closed_on > m.day)
GROUP BY m.day
"""  # noqa: S608 - constants only; values are parameters

PLAN_SLICES = (slices.HLU, slices.KOMBI, slices.ALHI, slices.ALL, slices.YOUTH)


def year_months(year: int, today: date) -> list[Month]:
    """The months of ``year`` that have begun by ``today``."""
    return [Month(year, m) for m in range(1, 13) if Month(year, m).start <= today]


@dataclass(frozen=True)
class ProgrammeView:
    plan: ProgrammePlan | None
    months: list[Month]
    monthly: Table
    offers: Table


def _expected(plan: ProgrammePlan | None, slice_: slices.Slice) -> int | None:
    if plan is None:
        return None
    return {"hlu": plan.expected_hlu, "kombi": plan.expected_kombi, "alhi": plan.expected_alhi,
            "all": plan.expected_total, "youth": plan.expected_youth}[slice_.key]


def programme_view(office: ContactPoint, year: int, today: date, plan: ProgrammePlan | None) -> ProgrammeView:
    months = year_months(year, today)
    if not months:
        empty = Table("programme", _("Programme and actual figures"), metrics.PROGRAMME, _("Month"), [], [])
        return ProgrammeView(plan, [], empty, Table("programme_offers", _("Planned offers"), metrics.PROGRAMME,
                                                    _("Offer category"), [], []))
    store.refresh(office.pk)
    days = client_day_totals(office.pk, months, today)
    first, last = months[0], months[-1]
    referral_rows = run(_REFERRALS_SQL, base_params(
        office=office.pk, w_start=first.start, w_end=min(last.end, today),
        committed=[str(s) for s in COMMITTED_STATUSES]))
    ends = [min(m.end, today) for m in months]
    staff = {row["day"]: row for row in run(_STAFF_SQL, {"office": office.pk, "days": ends})}
    return ProgrammeView(plan, months, _monthly_table(plan, months, days, staff, referral_rows, today),
                         _offers_table(plan, months, referral_rows))


def _monthly_table(plan: ProgrammePlan | None, months: list[Month], days: dict[Any, int],
                   staff: dict[date, dict[str, Any]], referral_rows: list[dict[str, Any]], today: date) -> Table:
    rows = []
    if plan is not None:
        rows.append(Row(_("Plan"), [
            *(Cell(_expected(plan, s)) for s in PLAN_SLICES),
            Cell(plan.caseload_ratio), Cell(plan.case_managers_needed), Cell(plan.planned_case_managers, "decimal"),
            Cell(sum(o.places for o in plan.offers.all())),
        ], total=True))
    cumulative = 0
    for month in months:
        one = {"from": month.key, "to": month.key}
        month_days = days_until(month, today)
        cells = []
        for slice_ in PLAN_SLICES:
            client_days = sum(v for (m, group, youth), v in days.items()
                              if m == month.start and slice_.matches(group, youth))
            cells.append(Cell(average(client_days, month_days), "decimal",
                              drill_url("clients", **one, slice=slice_.key)))
        row = staff.get(min(month.end, today), {"cases": 0, "managers": 0})
        cases, managers = int(row["cases"]), int(row["managers"])
        cumulative += sum(int(r["committed"]) for r in referral_rows if r["month"] == month.start)
        needed = math.ceil(cases / plan.caseload_ratio) if plan and plan.caseload_ratio else None
        cells += [
            Cell(Decimal(cases) / managers if managers else None, "decimal", drill_url("caseload", **one)),
            Cell(needed, "count", drill_url("caseload", **one)), Cell(managers, "count", drill_url("caseload", **one)),
            Cell(cumulative, "count", drill_url("referrals", **{"from": months[0].key, "to": month.key},
                                                 flag="committed")),
        ]
        rows.append(Row(month.label, cells))
    columns = [*(str(s.short_label) for s in PLAN_SLICES), _("Cases per case manager"), _("Case managers needed"),
               _("Case managers"), _("Places taken up (cumulative)")]
    return Table("programme", _("Programme and actual figures"), metrics.PROGRAMME, _("Month"), columns, rows,
                 groups=[(_("Ø clients with an open case (plan: expected)"), len(PLAN_SLICES)),
                         (_("Staffing"), 3), (_("Offers"), 1)])


def _offers_table(plan: ProgrammePlan | None, months: list[Month], referral_rows: list[dict[str, Any]]) -> Table:
    planned = {(o.category, o.agency_kind): o for o in (plan.offers.all() if plan else [])}
    actual_keys = {(r["category"], r["agency_kind"]) for r in referral_rows}
    rows = []
    year = {"from": months[0].key, "to": months[-1].key}
    order = {kind.value: index for index, kind in enumerate(PartnerKind)}
    for category, agency_kind in sorted(set(planned) | actual_keys, key=lambda k: (order.get(k[0], 99), k[1])):
        line = planned.get((category, agency_kind))
        mine = [r for r in referral_rows if r["category"] == category and r["agency_kind"] == agency_kind]
        taken = sum(int(r["committed"]) for r in mine)
        amount = sum((r["amount"] for r in mine), Decimal(0))
        url = drill_url("referrals", **year, category=category, flag="committed")
        label = f"{PartnerKind(category).label} – {Agency.Kind(agency_kind).label}"
        rows.append(Row(label if line else _("%(label)s (not in the programme)") % {"label": label}, [
            Cell(line.places if line else None), Cell(taken, url=url),
            Cell(Decimal(taken * 100) / line.places if line and line.places else None, "percent", url),
            Cell(line.budget if line else None, "amount"), Cell(amount, "amount", url),
        ]))
    columns = [_("Planned places"), _("Taken up"), _("Places used"), _("Planned budget"), _("Committed")]
    return Table("programme_offers", _("Planned offers and places"), metrics.PROGRAMME, _("Offer category"),
                 columns, rows)
