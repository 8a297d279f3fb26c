"""The team lead's dashboard (Erfolgsmessung), its CSV and Excel exports and the drill-down lists behind the
numbers. A download is the same URL with ``?format=xlsx`` (``jobcenter.exports``): same permission, same access-log
entry, same rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jobcenter import access_log, exports, params
from jobcenter.authz import REPORTING
from jobcenter.db_router import replica_reads
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import active_office
from reporting import charts, drilldown, selectors, snapshots
from reporting.figures import Figures
from reporting.metrics import METRICS
from reporting.periods import Month, months_back
from reporting.tables import TABLES, Cell, Row, Table, as_export
from reporting.views.common import requested_month

# The sections of the page in order: table, its charts, and where they go ("below" the table or at its "side").
SECTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("quote", ("trend", "quote"), "below"), ("trend", (), ""), ("transfers", (), ""), ("mix", ("mix",), "side"),
    ("caseload", ("caseload",), "side"), ("plans", (), ""), ("referrals", (), ""), ("costs", (), ""),
    ("sustainability", (), ""), ("cohorts", ("cohorts",), "below"),
)


DASHBOARD_WORKLIST_ROWS = 5


@role_required(*REPORTING)
@replica_reads
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    today = timezone.localdate()
    month = requested_month(request, today)
    served = snapshots.dashboard_figures(office, month, today)
    figures = served.figures
    tables = {key: build(figures) for key, build in TABLES.items()}
    chart_map = charts.dashboard_charts(figures)
    sections = [{"table": tables[key], "charts": [chart_map[c] for c in chart_keys], "layout": layout}
                for key, chart_keys, layout in SECTIONS]
    context: dict[str, Any] = {
        "office": office, "month": month, "figures": figures, "computed_at": served.computed_at, "sections": sections, "kpis": _kpis(figures, tables),
        "worklist_metric": METRICS["worklists"],
        "quote": figures.quotes.row("all", month), "worklists": selectors.worklists(request.user, office, today, limit=DASHBOARD_WORKLIST_ROWS),
        "months": [(m.key, m.label) for m in reversed(months_back(Month.of(today), 36))],
        "previous": month.shift(-1), "twelve_from": month.shift(-11), "next": month.shift(1) if month < Month.of(today) else None,
    }
    access_log.shown_many(request, office_id=office.pk, rows=sum(len(w.rows) for w in context["worklists"]))
    return render(request, "reporting/dashboard.html", context)


def _kpis(figures: Figures, tables: dict[str, Table]) -> list[dict[str, Any]]:
    """Key figures beside the rate: cells of the tables below (same numbers, same drill-down links)."""
    transfer_totals = [row for row in tables["transfers"].rows if row.total]
    caseload_total = next((row for row in tables["caseload"].rows if row.total), None)
    plans_total = next(row for row in tables["plans"].rows if row.total)
    kpis = [{"label": _("Ended transfer payments"), "cell": row.cells[0],
             "note": f"{row.label.split(' (')[0]} · {row.cells[1].display}"} for row in transfer_totals]
    kpis.append({"label": _("Open cases"), "cell": caseload_total.cells[0] if caseload_total else Cell(0),
                 "note": _("on %(day)s") % {"day": figures.ref_day.strftime("%d.%m.%Y")}})
    kpis.append({"label": _("Agreements signed"), "cell": plans_total.cells[0], "note": figures.month.label})
    return kpis


FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel"}


def _worklist_table(worklist: selectors.Worklist) -> Table:
    rows = [Row(item.client, [Cell(item.day, "date"), Cell(item.detail, "text"),
                              Cell(item.manager, "text")]) for item in worklist.rows]
    return Table(f"worklist-{worklist.key}", worklist.title, METRICS["worklists"], _("Client"),
                 [str(worklist.day_label), str(worklist.detail_label), _("Case manager")], rows)


@role_required(*REPORTING)
@replica_reads
def export_table(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """One dashboard table as CSV (or ``?format=xlsx``), built by the same function as on screen; work lists in
    full (up to 1000)."""
    office = active_office(request)
    fmt = exports.requested_format(request)
    today = timezone.localdate()
    month = requested_month(request, today)
    if key.startswith("worklist-"):
        lists = {w.key: w for w in selectors.worklists(request.user, office, today, limit=selectors.WORKLIST_CAP)}
        worklist = lists.get(key.removeprefix("worklist-"))
        if worklist is None:
            raise Http404
        table = _worklist_table(worklist)
        access_log.shown_many(request, office_id=office.pk, rows=worklist.rows, table=key,
                              format=FORMAT_LABELS[fmt])
    elif key in TABLES:
        table = TABLES[key](snapshots.dashboard_figures(office, month, today).figures)  # the numbers on screen
    else:
        raise Http404
    heading = [office.name, month.label, _("as of %(day)s") % {"day": today.strftime("%d.%m.%Y")}]
    return exports.response(as_export([table], heading, f"erfolgsmessung-{key}-{month.key}"), fmt)


def _display(column: drilldown.Column, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if column.kind == "date":
        return value.strftime("%d.%m.%Y")
    if column.kind == "count":
        return number_format(value, 0, force_grouping=True)
    if column.kind == "amount":
        return f"{number_format(value, 2, force_grouping=True)} €"
    if column.kind == "yesno":
        return _("yes") if value else _("no")
    if column.kind == "choice":
        return ", ".join(str(column.choices.get(part, part)) for part in str(value).split(","))
    return str(value)


def _client_name(row: dict[str, Any]) -> str:
    return f"{row['last_name']}, {row['first_name']}"


@role_required(*REPORTING)
@replica_reads
def drilldown_list(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The cases behind a number: the metric's rows filtered as the number was counted, paged in the database;
    with ``?format=csv`` or ``?format=xlsx`` every row of the list as a file (same URL, so the same permission)."""
    drill = drilldown.DRILLS.get(key)
    if drill is None:
        raise Http404
    office = active_office(request)
    today = timezone.localdate()
    query = drilldown.parse_query(drill, request, today)
    period = query.first.label if query.first == query.last else f"{query.first.label} – {query.last.label}"
    fmt = exports.requested_format(request, "")
    if fmt:
        return _drilldown_export(request, drill, query, office, period, today, fmt)
    page = drilldown.fetch(drill, office.pk, query, params.get_page(request))
    access_log.shown_many(request, office_id=office.pk, rows=page.rows, list=drill.key)
    rows = [{"client": _client_name(row), "birth_date": row["birth_date"],
             "case_id": row["case_link"], "client_id": row["client_id"],
             "cells": [{"text": _display(column, row.get(column.key)), "num": column.kind in ("count", "amount")}
                       for column in drill.columns]} for row in page.rows]
    context = {
        "drill": drill, "query": query, "page": page, "rows": rows, "period": period, "office": office,
        "count_text": drilldown.count_text(drill, page.total, page.capped),
        "filters": _describe(drill, query, office), "querystring": urlencode(query.as_params()),
        "csv_querystring": urlencode({**query.as_params(), "format": "csv"}),
        "xlsx_querystring": urlencode({**query.as_params(), "format": "xlsx"}),
        "back": f"?month={query.last.key}",
    }
    return render(request, "reporting/drilldown.html", context)


def _export_cell(column: drilldown.Column, value: Any) -> Cell:
    """A drill-down value as a table cell: numbers as numbers (CSV: decimal comma, unit in the header), dates as
    dates, everything else as the text shown on screen."""
    if value is None or value == "":
        return Cell(None, "text")
    if column.kind == "count":
        return Cell(value, "count")
    if column.kind == "amount":
        return Cell(value, "amount")
    if column.kind == "date":
        return Cell(value, "date")
    return Cell(_display(column, value), "text")  # the CSV defuses text that looks like a formula


def _drilldown_export(request: AuthenticatedHttpRequest, drill: drilldown.Drill, query: drilldown.Query, office: Any,
                      period: str, today: date, fmt: str) -> HttpResponse:
    """Every row of the list (one statement, up to ``EXPORT_CAP``) with the columns and values of the page, as
    CSV or xlsx through the dashboard's ``as_export``."""
    page = drilldown.fetch_all(drill, office.pk, query)
    access_log.shown_many(request, office_id=office.pk, rows=page.rows, kind=access_log.Kind.EXPORT,
                          list=f"{drill.key} ({FORMAT_LABELS[fmt]})")
    rows = [Row(_client_name(row), [
        Cell(row["birth_date"], "date") if row["birth_date"] else Cell(None, "text"),
        *(_export_cell(column, row.get(column.key)) for column in drill.columns),
    ]) for row in page.rows]
    table = Table(f"drilldown-{drill.key}", drill.title, drill.metric, _("Client"),
                  [_("Date of birth"), *(str(column.label) for column in drill.columns)], rows)
    heading = [office.name, period, *_describe(drill, query, office),
               _("as of %(day)s") % {"day": today.strftime("%d.%m.%Y")}, drilldown.count_text(drill, page.total, page.capped)]
    if page.truncated:
        heading.append(_("Only the first %(count)s rows; narrow the filter for the others.")
                       % {"count": number_format(len(page.rows), 0, force_grouping=True)})
    months = query.last.key if query.first == query.last else f"{query.first.key}_{query.last.key}"
    return exports.response(as_export([table], heading, f"erfolgsmessung-faelle-{drill.key}-{months}"), fmt)


def _describe(drill: drilldown.Drill, q: drilldown.Query, office: Any) -> list[str]:
    """The filters in words, for the heading of the list."""
    from jobcenter.models import Agency
    from partners.models import PartnerKind

    parts = []
    if q.slice:
        parts.append(str(q.slice.label))
    if q.agency:
        parts.append(str(Agency.Kind(q.agency).label))
    if q.manager == "none":
        parts.append(_("not assigned"))
    elif q.manager:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=int(q.manager), staff_profile__contact_points=office).first()
        parts.append(user.get_full_name() or user.get_username() if user else q.manager)
    if q.category:
        parts.append(str(PartnerKind(q.category).label))
    if q.source:
        parts.append(_("Referrals") if q.source == "referral" else _("Plan services"))
    if q.step:
        parts.append(_("%(months)s months") % {"months": q.step})
    flags = {"committed": _("taken up"), "update": _("updates only"), "due": _("checked"),
             "sustained": _("without benefits on the check day"), "observed": _("period elapsed"),
             "integrated": _("integrated")}
    if q.flag:
        parts.append(str(flags[q.flag]))
    return parts
