"""Drill-down: the rows behind every number of the dashboard, from the same SQL as the number itself.

Each ``Drill`` names the metric's row source (a CTE of ``reporting.metrics``), the filters it accepts and the
columns shown. The list is the source filtered exactly as the number was aggregated, so its length (or, for the
average clients, its summed client-days) is the number; one statement per page (``count(*) OVER ()`` gives the
total).

At 100,000 clients per office three drills do not compute every row for a page of 50: ``caseload`` and (with a
snapshot of the dashboard to take its client-days from) ``clients`` walk the office's clients in name order and
count only up to ``COUNT_CAP`` (``Drill.by_client``: "more than 1,000"); ``cohorts`` reads the store's intake rows
in page order and counts its exact total from their index in one pass (``Drill.count``).

The CSV export (``fetch_all``) is the same statement without the page: one statement for every row, up to
``EXPORT_CAP`` rows. The cap bounds the memory of one request (the rows are held as dicts and written out as one
file); the drill-down lists of an office stay far below it (one row per client, case, referral or cost line of
the period). Beyond it the file holds the first ``EXPORT_CAP`` rows and says so in its heading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import BenefitKind, EndReason
from cases.rules import TargetGroup
from jobcenter import params
from jobcenter.listing import COUNT_CAP
from jobcenter.models import Agency
from partners.models import PartnerKind, ReferralStatus
from reporting import metrics, snapshots, store
from reporting.metrics import slices
from reporting.metrics.integrations import ROLLING_MONTHS, days_until
from reporting.metrics.outcomes import (
    COHORT_CTE,
    COHORT_STEPS,
    SUSTAINABILITY_CTE,
    SUSTAINABILITY_MONTHS,
    cohort_params,
    sustainability_params,
)
from reporting.metrics.plans import PLANS_SIGNED_CTE, cost_params
from reporting.metrics.sql import (
    CASE,
    CLIENT,
    CLIENT_DAYS_CTE,
    INTAKE,
    INTEGRATIONS_CTE,
    REASSIGNMENT,
    SPAN,
    base_params,
    run,
)
from reporting.metrics.transfers import ENDED_TRANSFERS_CTE
from reporting.metrics.workload import OPEN_CASES_CTE, REFERRALS_CTE, cost_lines_cte, period_params
from reporting.periods import Month, months_back

PAGE_SIZE = 50
EXPORT_CAP = 10_000  # rows of one CSV export (see the module docstring)


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = "text"  # text | date | count | amount | yesno | choice
    choices: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    """What the user asked for: the period and the filters (all validated against whitelists)."""

    first: Month
    last: Month
    until: date  # today: a running month counts up to here
    slice: slices.Slice | None = None
    agency: str = ""
    manager: str = ""  # a user id, "none" (unassigned) or "" (all)
    category: str = ""
    source: str = ""
    step: int | None = None
    flag: str = ""

    @property
    def ref_day(self) -> date:
        return min(self.last.end, self.until)

    def as_params(self) -> dict[str, str]:
        """The query string that produces this query again (for paging and links)."""
        params = {"from": self.first.key, "to": self.last.key, "slice": self.slice.key if self.slice else "",
                  "agency": self.agency, "manager": self.manager, "category": self.category, "source": self.source,
                  "step": str(self.step) if self.step else "", "flag": self.flag}
        return {key: value for key, value in params.items() if value}


@dataclass(frozen=True)
class Drill:
    key: str
    metric: metrics.Metric
    title: str | Promise
    cte: Callable[[], str]
    source: str  # SQL selecting the rows (from the CTE)
    params: Callable[[int, Query], dict[str, Any]]
    columns: tuple[Column, ...]
    filters: frozenset[str]
    flags: dict[str, str] = field(default_factory=dict)  # flag → SQL condition on the source row
    order: str = "d.day, cl.last_name, cl.first_name, d.client_id"
    single_month: bool = False  # the figure belongs to one month (and its reference day)
    # Rows per client, read by walking the office's clients in name order (see ``by_client``): None for the drills
    # still paged from the whole row source.
    by_client: str | None = None
    # The exact total by a statement of its own (``_fetch_walked``): the page is then read in page order from an
    # index and stopped after the page, instead of computing and sorting every row to count them. Given the query,
    # the parameters (it may add its own) and the slice condition, it returns SQL selecting ``total`` and ``days``.
    count: Callable[[Query, dict[str, Any], str], str] | None = None
    # For a ``by_client`` drill with one row per client: the condition on ``cl`` that it has one, so that the count
    # walks the clients without computing their rows.
    client_has_row: str | None = None


def _window(office_id: int, q: Query) -> dict[str, Any]:
    return base_params(office=office_id, w_start=q.first.start, w_end=min(q.last.end, q.until))


def _client_days_params(office_id: int, q: Query) -> dict[str, Any]:
    return base_params(office=office_id, w_start=q.first.start, until=min(q.last.end, q.until))


def _referral_params(office_id: int, q: Query) -> dict[str, Any]:
    return {**period_params(office_id, q.last, q.until), "w_start": q.first.start}


def _cost_params(office_id: int, q: Query) -> dict[str, Any]:
    return cost_params(_referral_params(office_id, q))


# The open cases of one client ``cl`` on %(day)s, as ``OPEN_CASES_CTE`` computes them for the whole office (the
# case manager then from the reassignment trail, the group from the store): the caseload drill-down walks the
# office's clients in name order and looks their cases up, so a page costs about PAGE_SIZE index lookups however
# large the office (the CTE sorted every open case of the office: 1 s at 100,000 clients).
OPEN_CASES_OF_CLIENT = f"""
    SELECT c.id AS case_id, c.client_id,
           CASE WHEN a.case_id IS NULL THEN c.case_manager_id ELSE a.case_manager_id END AS case_manager_id,
           coalesce(g.target_group, 'none') AS target_group,
           %(day)s < (cl.birth_date + make_interval(years => %(youth_years)s))::date AS youth,
           NULL::date AS day
    FROM {CASE} c
    LEFT JOIN LATERAL (
        SELECT r.pgh_obj_id AS case_id, r.case_manager_id FROM {REASSIGNMENT} r
        WHERE r.pgh_obj_id = c.id AND r.contact_point_id = %(office)s
          AND r.pgh_created_at >= ((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
          AND ((%(day)s::date + 1)::timestamp AT TIME ZONE %(tz)s) <= now()
        ORDER BY r.pgh_id LIMIT 1
    ) a ON true
    LEFT JOIN LATERAL (
        SELECT gs.target_group FROM {SPAN} gs
        WHERE gs.office_id = %(office)s AND gs.open_case AND gs.client_id = cl.id AND gs.span @> %(day)s::date
    ) g ON true
    WHERE c.client_id = cl.id AND c.contact_point_id = %(office)s AND c.opened_on <= %(day)s
      AND (c.closed_on IS NULL OR c.closed_on > %(day)s)
"""  # noqa: S608 - constants only; values are parameters

def _plus_months(day: date, months: int) -> date:
    """``day + make_interval(months => months)`` as PostgreSQL computes it (clamped to the end of the month)."""
    month = Month.of(day).shift(months)
    return date(month.year, month.month, min(day.day, month.end.day))


def _last_opening_day(ref_day: date, months: int) -> date:
    """The last opening day whose step ``months`` has elapsed by ``ref_day`` (``opened_on + months <= ref_day``).
    The step day grows with the opening day, so these are exactly the days up to this one."""
    day = _plus_months(ref_day, -months)
    while _plus_months(day + timedelta(days=1), months) <= ref_day:
        day += timedelta(days=1)
    return day


def _cohort_count(q: Query, params: dict[str, Any], slice_condition: str) -> str:
    """The rows of ``cohort_checked`` (a case per step) that the query keeps, counted from the intake index in one
    pass: per step a filtered count, "observed" as a range of opening days instead of a date computed per row."""
    terms, last = [], []
    steps = [q.step] if q.step is not None else list(COHORT_STEPS)
    for months in steps:
        params[f"last_opening_{months}"] = _last_opening_day(q.ref_day, months)
        observed = f"opened_on <= %(last_opening_{months})s"
        integrated = f"{observed} AND integrated_on <= (opened_on + make_interval(months => {months}))::date"
        terms.append(f"count(*) FILTER (WHERE {integrated if q.flag == 'integrated' else observed})")
        last.append(f"%(last_opening_{months})s::date")
    if not q.flag:  # every step of every case
        terms = [f"count(*) * {len(steps)}"]
    upto = f"AND opened_on <= greatest({', '.join(last)})" if q.flag else ""
    return f"""
    SELECT {" + ".join(terms)} AS total, NULL::bigint AS days FROM {INTAKE}
    WHERE office_id = %(office)s AND opened_on BETWEEN %(w_start)s AND %(w_end)s {upto} AND {slice_condition}
    """  # noqa: S608 - constants only; values are parameters


# The open-case spans of one client ``cl`` in the period (``CLIENT_DAYS_CTE``, cut the same way), summed: the
# clients drill-down walks the office's clients in name order when its client-days come from the dashboard's
# snapshot (``_stored_client_days``); one row, or none for a client without such a span.
_SPANS_OF_CLIENT = f"""
        FROM {SPAN}
        WHERE office_id = %(office)s AND open_case AND client_id = cl.id
          AND span && daterange(%(w_start)s::date, %(until)s::date, '[]') AND {{slice}}
"""  # noqa: S608 - constants only; values are parameters
CLIENT_DAYS_OF_CLIENT = f"""
    SELECT cl.id AS client_id, NULL::bigint AS case_id, NULL::date AS day, sum(hi - lo) AS days,
           string_agg(DISTINCT target_group, ',') AS target_group, bool_or(youth) AS youth
    FROM (
        SELECT target_group, youth, greatest(lower(span), %(w_start)s::date) AS lo,
               least(coalesce(upper(span), 'infinity'), %(until)s::date + 1) AS hi
        {_SPANS_OF_CLIENT}
    ) s
    HAVING count(*) > 0
"""  # noqa: S608 - constants only; values are parameters
CLIENT_HAS_DAYS = f"EXISTS (SELECT 1 {_SPANS_OF_CLIENT})"  # noqa: S608 - the count's walk: no sums needed


def _stored_client_days(office_id: int, q: Query) -> int | None:
    """The client-days behind the average the dashboard shows for this query, from its snapshot (when it would
    serve one: ``snapshots.served_figure``), or None. The dashboard links the month and the 12 months ending with
    it; without a slice the list holds every group, the target groups and "no group"."""
    months = (q.last.year - q.first.year) * 12 + q.last.month - q.first.month + 1
    keys = [q.slice.key] if q.slice is not None else [slices.ALL.key, slices.NONE.key]
    if months not in (1, ROLLING_MONTHS) or not all(key in STORED_SLICES for key in keys):
        return None
    series = snapshots.served_figure(office_id, q.last, q.until, "quotes")
    if series is None or q.last not in series.months:
        return None
    rows = [series.row(key, q.last) for key in keys]
    return sum(row.client_days if months == 1 else row.client_days_12 for row in rows)


def _stored_open_cases(office_id: int, q: Query) -> int | None:
    """The open cases the dashboard shows for this query (a case manager or all, a count slice or all), from its
    snapshot of the month (``snapshots.served_figure``), or None."""
    key = q.slice.key if q.slice is not None else slices.TOTAL.key
    if key not in COUNT_SLICE_KEYS:
        return None
    caseload = snapshots.served_figure(office_id, q.last, q.until, "caseload")
    if caseload is None:
        return None
    manager = None if q.manager == "none" else int(q.manager) if q.manager else 0
    return sum(load.by_slice[key] for load in caseload if not q.manager or load.case_manager_id == manager)


GROUP = Column("target_group", _("Target group"), "choice", dict(TargetGroup.choices))
AGENCY_KIND = Column("agency_kind", _("Paid by"), "choice", dict(Agency.Kind.choices))
SOURCE_LABELS = {"case": _("Integration recorded on the case"), "benefit": _("Benefit ended")}

DRILLS: dict[str, Drill] = {d.key: d for d in (
    Drill(
        "integrations", metrics.INTEGRATIONS, _("Integrations"), lambda: INTEGRATIONS_CTE,
        "SELECT *, CASE WHEN case_id IS NULL THEN 'benefit' ELSE 'case' END AS source FROM integrations_grouped",
        _window,
        (Column("day", _("Date"), "date"), Column("source", _("Event"), "choice", SOURCE_LABELS), GROUP),
        frozenset({"slice"}),
    ),
    Drill(
        "clients", metrics.AVERAGE_CLIENTS, _("Clients with an open case in the target groups"),
        lambda: CLIENT_DAYS_CTE,
        "SELECT client_id, NULL::bigint AS case_id, NULL::date AS day, sum(hi - lo) AS days, "
        "string_agg(DISTINCT target_group, ',') AS target_group, bool_or(youth) AS youth "
        "FROM open_spans WHERE {slice} GROUP BY client_id",
        _client_days_params,
        (Column("days", _("Client-days in the period"), "count"), GROUP),
        frozenset({"slice"}), order="cl.last_name, cl.first_name, d.client_id", by_client=CLIENT_DAYS_OF_CLIENT,
        client_has_row=CLIENT_HAS_DAYS,
    ),
    Drill(
        "transfers", metrics.ENDED_TRANSFERS, _("Ended transfer payments"), lambda: ENDED_TRANSFERS_CTE,
        "SELECT *, NULL::bigint AS case_id FROM ended_transfers", _window,
        (Column("day", _("Last day"), "date"), Column("kind", _("Benefit"), "choice", dict(BenefitKind.choices)),
         Column("monthly_amount", _("Monthly amount"), "amount"),
         Column("end_reason", _("End reason"), "choice", dict(EndReason.choices)), AGENCY_KIND, GROUP),
        frozenset({"slice", "agency"}),
    ),
    Drill(
        "caseload", metrics.CASELOAD, _("Open cases"), lambda: OPEN_CASES_CTE,
        "SELECT *, NULL::date AS day FROM open_on_day",
        lambda office_id, q: base_params(office=office_id, day=q.ref_day),
        (GROUP,), frozenset({"slice", "manager"}), order="cl.last_name, cl.first_name, d.case_id",
        single_month=True, by_client=OPEN_CASES_OF_CLIENT,
    ),
    Drill(
        "referrals", metrics.REFERRALS, _("Referrals"), lambda: REFERRALS_CTE,
        "SELECT * FROM referral_rows", _referral_params,
        (Column("day", _("Referral date"), "date"),
         Column("category", _("Category"), "choice", dict(PartnerKind.choices)),
         Column("status", _("Status"), "choice", dict(ReferralStatus.choices)), AGENCY_KIND, GROUP),
        frozenset({"slice", "category", "flag"}), flags={"committed": "committed"},
    ),
    Drill(
        "costs", metrics.COSTS, _("Cost lines"), cost_lines_cte, "SELECT * FROM cost_lines", _cost_params,
        (Column("day", _("Date"), "date"),
         Column("source", _("Line"), "choice", {"referral": _("Referral"), "plan_service": _("Plan service")}),
         Column("label", _("Category"), "text"), Column("amount", _("Amount"), "amount"), AGENCY_KIND, GROUP),
        frozenset({"agency", "source"}),
    ),
    Drill(
        "plans", metrics.PLANS_SIGNED, _("Integration agreements signed"), lambda: PLANS_SIGNED_CTE,
        "SELECT * FROM plans_signed", _window,
        (Column("day", _("Signed on"), "date"), Column("version", _("Version"), "count"), GROUP),
        frozenset({"slice", "flag"}), flags={"update": "version > 1"},
    ),
    Drill(
        "sustainability", metrics.SUSTAINABILITY, _("Integrations checked for sustainability"),
        lambda: SUSTAINABILITY_CTE, "SELECT * FROM checked",
        lambda office_id, q: sustainability_params(office_id, q.last, q.ref_day),
        (Column("day", _("Integrated on"), "date"), Column("check_day", _("Check day"), "date"),
         Column("sustained", _("Without benefits on the check day"), "yesno"), GROUP),
        frozenset({"slice", "step", "flag"}), flags={"due": "due", "sustained": "sustained"}, single_month=True,
    ),
    Drill(
        "cohorts", metrics.COHORTS, _("Cases by months since intake"), lambda: COHORT_CTE,
        "SELECT *, opened_on AS day FROM cohort_checked",
        lambda office_id, q: cohort_params(office_id, q.last, q.ref_day),
        (Column("day", _("Opened on"), "date"), Column("integrated_on", _("First integration"), "date"),
         Column("integrated", _("Integrated within the period"), "yesno"), GROUP),
        frozenset({"slice", "step", "flag"}), flags={"observed": "observed", "integrated": "integrated"},
        order="d.day, cl.last_name, cl.first_name, d.client_id, d.case_id, d.months", single_month=True,
        count=_cohort_count,
    ),
)}
COUNT_SLICE_KEYS = {s.key for s in slices.COUNT_SLICES}  # the slices the caseload keeps per case manager
STORED_SLICES = {s.key for s in (*slices.QUOTE_SLICES, slices.NONE)}  # the quote rows a snapshot keeps
STEPS = {"sustainability": SUSTAINABILITY_MONTHS, "cohorts": COHORT_STEPS}


def count_text(drill: Drill, count: int, capped: bool = False) -> str:
    """"12 integrations", "3 cases" … for the heading of the list ("more than 1,000 open cases": ``capped``)."""
    texts: dict[str, Callable[[int], str]] = {
        "integrations": lambda n: ngettext("%(count)s integration", "%(count)s integrations", n),
        "clients": lambda n: ngettext("%(count)s client", "%(count)s clients", n),
        "transfers": lambda n: ngettext("%(count)s benefit", "%(count)s benefits", n),
        "caseload": lambda n: ngettext("%(count)s open case", "%(count)s open cases", n),
        "referrals": lambda n: ngettext("%(count)s referral", "%(count)s referrals", n),
        "costs": lambda n: ngettext("%(count)s cost line", "%(count)s cost lines", n),
        "plans": lambda n: ngettext("%(count)s signed plan", "%(count)s signed plans", n),
        "sustainability": lambda n: ngettext("%(count)s integration", "%(count)s integrations", n),
        "cohorts": lambda n: ngettext("%(count)s case", "%(count)s cases", n),
    }
    text = texts[drill.key](count) % {"count": number_format(count, 0, force_grouping=True)}
    return _("more than %(count)s") % {"count": text} if capped else text


def _manager(request: HttpRequest) -> str:
    """A user id (a positive bigint, as text), "none" (unassigned) or "" (all)."""
    if params.get_choice(request, "manager", ("none",), "") == "none":
        return "none"
    pk = params.get_pk(request, "manager")
    return str(pk) if pk is not None else ""


def parse_query(drill: Drill, request: HttpRequest, today: date) -> Query:
    """Read the GET parameters (``jobcenter.params``) against the drill's whitelists; unknown values are dropped."""
    current = Month.of(today)
    last = min(Month.parse(params.get_str(request, "to", max_length=7), current), current)
    first = min(Month.parse(params.get_str(request, "from", max_length=7), last), last)
    if drill.single_month:
        first = last
    filters = drill.filters
    step = params.get_int(request, "step", minimum=0, maximum=1200) if "step" in filters else None
    return Query(
        first=first, last=last, until=today,
        slice=slices.get(params.get_str(request, "slice", max_length=50)) if "slice" in filters else None,
        agency=params.get_choice(request, "agency", Agency.Kind.values, "") if "agency" in filters else "",
        manager=_manager(request) if "manager" in filters else "",
        category=params.get_choice(request, "category", PartnerKind.values, "") if "category" in filters else "",
        source=params.get_choice(request, "source", ("referral", "plan_service"), "") if "source" in filters else "",
        step=step if step in STEPS.get(drill.key, ()) else None,
        flag=params.get_choice(request, "flag", drill.flags, "") if "flag" in filters else "",
    )


def _conditions(drill: Drill, q: Query, params: dict[str, Any]) -> tuple[str, str]:
    """(WHERE of the row source, slice condition for sources that aggregate before filtering)."""
    where = ["true"]
    slice_condition = "true"
    if q.slice is not None:
        params["slice_groups"] = sorted(q.slice.groups)
        params["slice_youth_only"] = q.slice.youth_only
        slice_condition = "target_group = ANY(%(slice_groups)s) AND (youth OR NOT %(slice_youth_only)s)"
    if drill.key != "clients":
        where.append(slice_condition)
    if q.agency:
        params["f_agency"] = q.agency
        where.append("agency_kind = %(f_agency)s")
    if q.manager == "none":
        where.append("case_manager_id IS NULL")
    elif q.manager:
        params["f_manager"] = int(q.manager)
        where.append("case_manager_id = %(f_manager)s")
    if q.category:
        params["f_category"] = q.category
        where.append("category = %(f_category)s")
    if q.source:
        params["f_source"] = q.source
        where.append("source = %(f_source)s")
    if q.step is not None:
        params["f_step"] = q.step
        where.append("months = %(f_step)s")
    if q.flag:
        where.append(f"({drill.flags[q.flag]})")
    return " AND ".join(where), slice_condition


@dataclass(frozen=True)
class DrillPage:
    rows: list[dict[str, Any]]
    total: int
    number: int
    client_days: int | None  # the "clients" drill: summed client-days of every row (not only this page)
    period_days: int
    capped: bool = False  # the total stopped counting: there are more rows than ``total``

    # what ``partials/pagination.html`` reads of a page
    @property
    def has_next(self) -> bool:
        return self.capped or self.number * PAGE_SIZE < self.total

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def truncated(self) -> bool:
        """More rows than were fetched (beyond this page, or beyond ``EXPORT_CAP`` for an export)."""
        return self.capped or self.total > len(self.rows)

    @property
    def average(self) -> float | None:
        if self.client_days is None or not self.period_days:
            return None
        return round(self.client_days / self.period_days, 1)


def fetch(drill: Drill, office_id: int, q: Query, page: int = 1) -> DrillPage:
    """One page of the rows behind the figure, with the total (and, for clients, the summed client-days)."""
    return _fetch(drill, office_id, q, limit=PAGE_SIZE, page=page)


def fetch_all(drill: Drill, office_id: int, q: Query) -> DrillPage:
    """Every row behind the figure (up to ``EXPORT_CAP``) in one statement, in the order of the pages."""
    return _fetch(drill, office_id, q, limit=EXPORT_CAP, page=1)


def _fetch(drill: Drill, office_id: int, q: Query, *, limit: int, page: int) -> DrillPage:
    store.refresh(office_id)
    params = drill.params(office_id, q)
    where, slice_condition = _conditions(drill, q, params)
    if drill.key == "clients":  # walked only when the snapshot gives the client-days of every row
        stored_days = _stored_client_days(office_id, q)
        if stored_days is not None and drill.by_client is not None:
            return dataclasses.replace(_fetch_by_client(
                drill, drill.by_client.replace("{slice}", slice_condition), office_id, q, params, where, limit=limit,
                page=page, has_row=(drill.client_has_row or "").replace("{slice}", slice_condition)),
                client_days=stored_days)
    elif drill.by_client is not None:
        stored = _stored_open_cases(office_id, q) if drill.key == "caseload" else None
        return _fetch_by_client(drill, drill.by_client, office_id, q, params, where, limit=limit, page=page,
                                total=stored)
    if drill.count is not None:
        return _fetch_walked(drill, drill.count, office_id, q, params, where, slice_condition, limit=limit, page=page)
    source = drill.source.replace("{slice}", slice_condition)
    params.update(limit=limit, offset=(page - 1) * limit, drill_office=office_id)
    days_total = "sum(days) OVER ()" if drill.key == "clients" else "NULL::bigint"
    # Lists in day order: only the rows up to the day of the page's last row can be on the page, so only they are
    # joined with the clients for the names (the rest of the order); the day is found among the rows alone.
    up_to_page = ""
    if drill.order.startswith("d.day,"):
        up_to_page = """WHERE d.day <= coalesce((SELECT p.day FROM drill_rows p ORDER BY p.day
                                                  OFFSET %(offset)s + %(limit)s - 1 LIMIT 1), 'infinity')"""
    sql = f"""
    WITH {drill.cte()},
    drill_rows AS MATERIALIZED (SELECT r.*, count(*) OVER () AS drill_total, {days_total} AS drill_days
                                FROM ({source}) r WHERE {where})
    SELECT d.*, cl.first_name, cl.last_name, cl.birth_date,
           coalesce(d.case_id, (SELECT x.id FROM {CASE} x WHERE x.client_id = d.client_id
                                  AND x.contact_point_id = %(drill_office)s
                                ORDER BY x.opened_on DESC, x.id DESC LIMIT 1)) AS case_link
    FROM drill_rows d JOIN {CLIENT} cl ON cl.id = d.client_id
    {up_to_page}
    ORDER BY {drill.order}
    LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - constants only; values are parameters
    rows = run(sql, params)
    total = int(rows[0]["drill_total"]) if rows else 0
    client_days = (int(rows[0]["drill_days"]) if rows else 0) if drill.key == "clients" else None
    return DrillPage(rows=rows, total=total, number=page, client_days=client_days, period_days=_period_days(q))


def _period_days(q: Query) -> int:
    return sum(days_until(m, q.until) for m in months_back(
        q.last, (q.last.year - q.first.year) * 12 + q.last.month - q.first.month + 1))


def _fetch_walked(drill: Drill, count: Callable[[Query, dict[str, Any], str], str], office_id: int, q: Query,
                  params: dict[str, Any], where: str, slice_condition: str, *, limit: int, page: int) -> DrillPage:
    """The page in page order, which the planner reads along the row source's index and stops after the page (no
    count over every row, no sort of every row by name), with the exact total from ``drill.count`` (computed once,
    beside the page: an empty page reads as no rows, like ``_fetch``)."""
    source = drill.source.replace("{slice}", slice_condition)
    count_sql = count(q, params, slice_condition)
    params.update(limit=limit, offset=(page - 1) * limit, drill_office=office_id)
    sql = f"""
    WITH {drill.cte()},
    counted AS MATERIALIZED ({count_sql})
    SELECT d.*, cl.first_name, cl.last_name, cl.birth_date,
           coalesce(d.case_id, (SELECT x.id FROM {CASE} x WHERE x.client_id = d.client_id
                                  AND x.contact_point_id = %(drill_office)s
                                ORDER BY x.opened_on DESC, x.id DESC LIMIT 1)) AS case_link,
           (SELECT total FROM counted) AS drill_total, (SELECT days FROM counted) AS drill_days
    FROM ({source}) d JOIN {CLIENT} cl ON cl.id = d.client_id
    WHERE {where}
    ORDER BY {drill.order}
    LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - constants only; values are parameters
    rows = run(sql, params)
    total = int(rows[0]["drill_total"]) if rows else 0
    days = rows[0]["drill_days"] if rows else 0
    return DrillPage(rows=rows, total=total, number=page,
                     client_days=int(days or 0) if drill.key == "clients" else None, period_days=_period_days(q))

def _fetch_by_client(drill: Drill, rows_of_client: str, office_id: int, q: Query, params: dict[str, Any],
                     where: str, *, limit: int, page: int, total: int | None = None, has_row: str = "") -> DrillPage:
    """A drill whose rows belong to clients and are listed in name order: the office's clients are walked in that
    order (``client_office_name_idx``) and each one's rows looked up (``rows_of_client``, filtered by ``where``),
    until the page is full. The total is ``total`` when given (the dashboard's number, from its snapshot), else
    counted only as far as ``listing.COUNT_CAP`` (or the rows up to the end of this page and one more): "more than
    1,000" instead of counting every open case of a large office. ``has_row``: the count walks the clients with
    this condition instead of their rows (one row per client, no other filter)."""
    cap = max(COUNT_CAP, page * limit) + 1
    params.update(limit=limit, offset=(page - 1) * limit, cap=cap, drill_office=office_id)
    lateral = f"{CLIENT} cl CROSS JOIN LATERAL (SELECT r.* FROM ({rows_of_client}) r WHERE {where}) d"  # noqa: S608
    walked = f"{CLIENT} cl WHERE {has_row} AND" if has_row and where == "true" else f"{lateral} WHERE"
    counted = f"""
    WITH counted AS (  -- in the order of the pages: the same index walk, stopped at the cap
        SELECT count(*) AS total FROM (
            SELECT 1 FROM {walked} cl.contact_point_id = %(drill_office)s
            ORDER BY cl.last_name, cl.first_name LIMIT %(cap)s
        ) rows_up_to_cap
    )"""  # noqa: S608 - constants only; values are parameters
    sql = f"""
    {counted if total is None else ""}
    SELECT d.*, cl.first_name, cl.last_name, cl.birth_date,
           coalesce(d.case_id, (SELECT x.id FROM {CASE} x WHERE x.client_id = d.client_id
                                  AND x.contact_point_id = %(drill_office)s
                                ORDER BY x.opened_on DESC, x.id DESC LIMIT 1)) AS case_link,
           {"(SELECT total FROM counted)" if total is None else "NULL::bigint"} AS drill_total
    FROM {lateral}
    WHERE cl.contact_point_id = %(drill_office)s
    ORDER BY {drill.order}
    LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - constants only; values are parameters
    rows = run(sql, params)
    if total is not None:
        return DrillPage(rows=rows, total=total, number=page, client_days=None, period_days=_period_days(q))
    counted_rows = int(rows[0]["drill_total"]) if rows else 0
    return DrillPage(rows=rows, total=min(counted_rows, cap - 1), number=page, client_days=None,
                     period_days=_period_days(q), capped=counted_rows >= cap)
