"""The dashboard tables: one builder per table turns the figures into rows of cells, each cell with its value
and the drill-down link to the cases behind it. The page, the CSV export and the monthly report render these
same objects (``as_export``: CSV and Excel through ``jobcenter.exports``), so both files always have the numbers
shown on screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobcenter import exports
from reporting import metrics
from reporting.figures import Figures
from reporting.metrics import slices
from reporting.metrics.outcomes import COHORT_STEPS, SUSTAINABILITY_MONTHS, share
from reporting.periods import Month

Value = int | Decimal | str | date | None


@dataclass(frozen=True)
class Cell:
    value: Value
    kind: exports.Kind = "count"  # count | amount | percent | decimal | date | text
    url: str = ""
    title: str = ""

    @property
    def display(self) -> str:
        """As on screen: German grouping and decimal comma, with the unit."""
        value = self.value
        if value is None:
            return "–"
        if isinstance(value, date):
            return value.strftime("%d.%m.%Y")
        if self.kind == "count":
            return number_format(value, 0, force_grouping=True)
        if self.kind == "amount":
            return f"{number_format(value, 2, force_grouping=True)} €"
        if self.kind == "percent":
            return f"{number_format(value, 1)} %"
        if self.kind == "decimal":
            return number_format(value, 1, force_grouping=True)
        return str(value)

    @property
    def exported(self) -> exports.Cell:
        """The cell in a download (CSV: decimal comma, no grouping and no unit; xlsx: a number cell)."""
        return exports.Cell(self.value, self.kind)

    @property
    def csv(self) -> str:
        return self.exported.csv


    def html(self, link: bool) -> str:
        """The cell as a table cell of ``_table.html`` (built here: a dashboard has about a thousand cells, and the
        template language took a tenth of a second for them)."""
        css = "text" if self.kind == "text" else "num"
        title = format_html(' title="{}"', self.title) if self.title else ""
        if link and self.url and self.value is not None:
            return format_html('<td class="{}"{}><a href="{}" data-testid="cell-link">{}</a></td>',
                               css, title, self.url, self.display)
        return format_html('<td class="{}"{}>{}</td>', css, title, self.display)


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    total: bool = False
    indent: bool = False

    @property
    def linked_cells(self) -> str:
        """The cells with their drill-down links (the dashboard)."""
        return mark_safe("".join(cell.html(True) for cell in self.cells))  # noqa: S308 - each built by format_html

    @property
    def plain_cells(self) -> str:
        """The cells without links (the PDF)."""
        return mark_safe("".join(cell.html(False) for cell in self.cells))  # noqa: S308 - each built by format_html


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    metric: metrics.Metric
    head: str | Promise  # header of the label column
    columns: list[str]
    rows: list[Row]
    groups: list[tuple[str, int]] = field(default_factory=list)  # column group headers (label, span)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows


@lru_cache(maxsize=64)
def _drill_path(prefix: str, drill: str) -> str:
    return reverse("reporting:drilldown", args=[drill])


def drill_url(drill: str, **params: object) -> str:
    """The drill-down list behind a cell (several hundred per dashboard: the path is resolved once per drill and
    script prefix)."""
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return f"{_drill_path(get_script_prefix(), drill)}?{query}"


def _month_range(month: Month, months: int = 12) -> dict[str, str]:
    return {"from": month.shift(1 - months).key, "to": month.key}


def _one(month: Month) -> dict[str, str]:
    return {"from": month.key, "to": month.key}


def agency_label(f: Figures, kind: str) -> str:
    return f"{f.agency_name(kind)} ({slices.LAW_OF_AGENCY[kind]})"


def twelve_label(month: Month) -> str:
    return _("12 months to %(month)s") % {"month": month.label}


# --- integrations and rate ------------------------------------------------------------------------------------
def quote_table(f: Figures) -> Table:
    month = f.month
    rows = []
    for slice_ in (*slices.QUOTE_SLICES, slices.NONE):
        q = f.quotes.row(slice_.key, month)
        one, year = {**_one(month), "slice": slice_.key}, {**_month_range(month), "slice": slice_.key}
        integrations_url, integrations_12_url = drill_url("integrations", **one), drill_url("integrations", **year)
        rows.append(Row(str(slice_.label), [
            Cell(q.integrations, url=integrations_url),
            Cell(q.average_clients, "decimal", drill_url("clients", **one)),
            Cell(q.quote, "percent", integrations_url),
            Cell(q.integrations_12, url=integrations_12_url),
            Cell(q.average_clients_12, "decimal", drill_url("clients", **year)),
            Cell(q.quote_12, "percent", integrations_12_url),
        ], total=slice_.total, indent=slice_ in (slices.YOUTH,)))
    columns = [_("Integrations"), _("Ø clients"), _("Rate"), _("Integrations"), _("Ø clients"), _("Rate")]
    return Table("quote", _("Integrations and integration rate"), metrics.QUOTE, _("Target group"), columns, rows,
                 groups=[(month.label + (" " + _("(to date)") if f.is_running else ""), 3), (twelve_label(month), 3)])


def trend_table(f: Figures, months: int | None = None) -> Table:
    """One row per month, newest first: all months of the trend, or the last ``months``."""
    rows = []
    shown = f.quotes.months[-months:] if months else f.quotes.months
    for month in reversed(shown):
        one = _one(month)
        cells = [Cell(f.quotes.row(s.key, month).integrations, url=drill_url("integrations", **one, slice=s.key))
                 for s in (*slices.GROUP_SLICES, slices.NONE)]
        total = sum(c.value for c in cells if isinstance(c.value, int))
        all_ = f.quotes.row(slices.ALL.key, month)
        cells += [
            Cell(total, url=drill_url("integrations", **one)),
            Cell(all_.average_clients, "decimal", drill_url("clients", **one, slice=slices.ALL.key)),
            Cell(all_.quote, "percent", drill_url("integrations", **one, slice=slices.ALL.key)),
            Cell(all_.quote_12, "percent", drill_url("integrations", **_month_range(month), slice=slices.ALL.key)),
        ]
        rows.append(Row(month.label, cells))
    columns = [str(s.short_label) for s in (*slices.GROUP_SLICES, slices.NONE)] + [
        _("Integrations total"), _("Ø clients in the target groups"), _("Rate (month)"), _("Rate (12 months)")]
    return Table("trend", _("Integrations per month"), metrics.INTEGRATIONS, _("Month"), columns, rows)


# --- transfers ------------------------------------------------------------------------------------------------
def transfers_table(f: Figures) -> Table:
    rows = []
    for item in f.transfers:
        one = {**_one(f.month), "agency": item.agency_kind, "slice": item.slice.key}
        year = {**_month_range(f.month), "agency": item.agency_kind, "slice": item.slice.key}
        is_total = item.slice is slices.TOTAL
        label = agency_label(f, item.agency_kind) if is_total else str(item.slice.label)
        rows.append(Row(label, [
            Cell(item.benefits, url=drill_url("transfers", **one)),
            Cell(item.amount, "amount", drill_url("transfers", **one)),
            Cell(item.benefits_12, url=drill_url("transfers", **year)),
            Cell(item.amount_12, "amount", drill_url("transfers", **year)),
        ], total=is_total, indent=not is_total))
    # Träger total first, then its groups
    ordered: list[Row] = []
    per_agency = len(slices.COUNT_SLICES)
    for start in range(0, len(rows), per_agency):
        block = rows[start : start + per_agency]
        ordered += [r for r in block if r.total] + [r for r in block if not r.total]
    columns = [_("Benefits ended"), _("Monthly amount"), _("Benefits ended"), _("Monthly amount")]
    return Table("transfers", _("Ended transfer payments"), metrics.ENDED_TRANSFERS, _("Paying agency"), columns,
                 ordered, groups=[(f.month.label, 2), (twelve_label(f.month), 2)])


# --- caseload and mix -----------------------------------------------------------------------------------------
CASELOAD_SLICES = (slices.HLU, slices.KOMBI, slices.ALHI, slices.NONE, slices.YOUTH_TOTAL)


def caseload_table(f: Figures) -> Table:
    one = _one(f.month)
    rows = []
    for load in f.caseload:
        manager = str(load.case_manager_id) if load.case_manager_id else "none"
        rows.append(Row(load.name or _("Not assigned"), [
            Cell(load.total, url=drill_url("caseload", **one, manager=manager)),
            *(Cell(load.by_slice[s.key], url=drill_url("caseload", **one, manager=manager, slice=s.key))
              for s in CASELOAD_SLICES),
        ]))
    if rows:
        rows.append(Row(_("Total"), [
            Cell(sum(c.total for c in f.caseload), url=drill_url("caseload", **one)),
            *(Cell(sum(c.by_slice[s.key] for c in f.caseload), url=drill_url("caseload", **one, slice=s.key))
              for s in CASELOAD_SLICES),
        ], total=True))
    columns = [_("Open cases")] + [str(s.short_label) for s in CASELOAD_SLICES]
    return Table("caseload", _("Caseload per case manager"), metrics.CASELOAD, _("Case manager"), columns, rows,
                 note=_("Reference day: %(day)s") % {"day": f.ref_day.strftime("%d.%m.%Y")})


MIX_SLICES = (slices.HLU, slices.KOMBI, slices.ALHI, slices.NONE, slices.TOTAL)


def mix_counts(f: Figures) -> dict[str, int]:
    return {s.key: sum(c.by_slice[s.key] for c in f.caseload) for s in (*MIX_SLICES, slices.YOUTH_TOTAL)}


def mix_table(f: Figures) -> Table:
    one = _one(f.month)
    counts = mix_counts(f)
    total = counts[slices.TOTAL.key]
    rows = []
    for slice_ in MIX_SLICES:
        if slice_ is slices.TOTAL:
            average = f.quotes.row(slices.ALL.key, f.month).average_clients + f.quotes.row(
                slices.NONE.key, f.month).average_clients
        else:
            average = f.quotes.row(slice_.key, f.month).average_clients
        rows.append(Row(str(slice_.label), [
            Cell(counts[slice_.key], url=drill_url("caseload", **one, slice=slice_.key)),
            Cell(share(counts[slice_.key], total), "percent", drill_url("caseload", **one, slice=slice_.key)),
            Cell(average, "decimal", drill_url("clients", **one, slice=slice_.key)),
        ], total=slice_.total))
    columns = [_("Open cases on the reference day"), _("Share"), _("Ø clients with an open case in the month")]
    return Table("mix", _("Target-group mix"), metrics.TARGET_GROUP_MIX, _("Target group"), columns, rows)


# --- outcomes -------------------------------------------------------------------------------------------------
def cohort_table(f: Figures) -> Table:
    rows = []
    for slice_ in slices.COUNT_SLICES:
        cells = []
        for step in COHORT_STEPS:
            cell = next(c for c in f.cohorts if c.slice is slice_ and c.months == step)
            cells.append(Cell(
                cell.share, "percent",
                drill_url("cohorts", **_one(f.month), slice=slice_.key, step=step, flag="observed"),
                title=_("%(integrated)s of %(observed)s cases") % {"integrated": cell.integrated,
                                                                  "observed": cell.observed},
            ))
        rows.append(Row(str(slice_.label), cells, total=slice_.total, indent=slice_ is slices.YOUTH_TOTAL))
    columns = [_("%(months)s months") % {"months": step} for step in COHORT_STEPS]
    return Table("cohorts", _("Integrated by months since intake"), metrics.COHORTS, _("Target group at intake"),
                 columns, rows, groups=[(_("Share integrated within"), len(COHORT_STEPS))])


def sustainability_table(f: Figures) -> Table:
    rows = []
    for slice_ in slices.COUNT_SLICES:
        cells = []
        for months in SUSTAINABILITY_MONTHS:
            item = next(s for s in f.sustainability if s.slice is slice_ and s.months == months)
            base = {**_one(f.month), "slice": slice_.key, "step": months}
            cells += [
                Cell(item.integrations, url=drill_url("sustainability", **base)),
                Cell(item.due, url=drill_url("sustainability", **base, flag="due")),
                Cell(item.sustained, url=drill_url("sustainability", **base, flag="sustained")),
                Cell(item.share, "percent", drill_url("sustainability", **base, flag="due")),
            ]
        rows.append(Row(str(slice_.label), cells, total=slice_.total, indent=slice_ is slices.YOUTH_TOTAL))
    columns = [_("Integrations"), _("Checked"), _("Without benefits"), _("Share")] * len(SUSTAINABILITY_MONTHS)
    groups = [(_("After %(months)s months (integrated in %(month)s)") % {
        "months": months, "month": f.month.shift(-months).label}, 4) for months in SUSTAINABILITY_MONTHS]
    return Table("sustainability", _("Sustainability of integrations"), metrics.SUSTAINABILITY, _("Target group"),
                 columns, rows, groups=groups)


# --- plans, referrals, costs ----------------------------------------------------------------------------------
def plans_table(f: Figures) -> Table:
    rows = []
    for item in f.plans:
        one, year = {**_one(f.month), "slice": item.slice.key}, {**_month_range(f.month), "slice": item.slice.key}
        rows.append(Row(str(item.slice.label), [
            Cell(item.plans, url=drill_url("plans", **one)),
            Cell(item.updates, url=drill_url("plans", **one, flag="update")),
            Cell(item.plans_12, url=drill_url("plans", **year)),
            Cell(item.updates_12, url=drill_url("plans", **year, flag="update")),
        ], total=item.slice.total, indent=item.slice is slices.YOUTH_TOTAL))
    columns = [_("Signed"), _("of which updates"), _("Signed"), _("of which updates")]
    return Table("plans", _("Integration agreements signed"), metrics.PLANS_SIGNED, _("Target group"), columns,
                 rows, groups=[(f.month.label, 2), (twelve_label(f.month), 2)])


REFERRAL_SLICES = (slices.HLU, slices.KOMBI, slices.ALHI, slices.NONE)


def referrals_table(f: Figures) -> Table:
    rows = []
    for item in f.referrals:
        one, year = {**_one(f.month), "category": item.category}, {**_month_range(f.month), "category": item.category}
        label = f"{item.label} ({item.group_label})" if item.category else _("Total")
        rows.append(Row(label, [
            Cell(item.referrals, url=drill_url("referrals", **one)),
            Cell(item.committed, url=drill_url("referrals", **one, flag="committed")),
            Cell(item.referrals_12, url=drill_url("referrals", **year)),
            Cell(item.committed_12, url=drill_url("referrals", **year, flag="committed")),
            *(Cell(item.by_slice[s.key], url=drill_url("referrals", **one, slice=s.key)) for s in REFERRAL_SLICES),
        ], total=not item.category))
    columns = [_("New"), _("Taken up"), _("New"), _("Taken up"), *(str(s.short_label) for s in REFERRAL_SLICES)]
    return Table("referrals", _("Referrals by partner category"), metrics.REFERRALS, _("Offer category"), columns,
                 rows, groups=[(f.month.label, 2), (twelve_label(f.month), 2),
                               (_("New in %(month)s by target group") % {"month": f.month.label}, 4)])


SOURCE_LABELS = {"referral": gettext_lazy("Referrals"), "plan_service": gettext_lazy("Plan services")}


def costs_table(f: Figures) -> Table:
    rows = []
    for item in f.costs:
        params = {"agency": item.agency_kind, "source": item.source}
        one, year = {**_one(f.month), **params}, {**_month_range(f.month), **params}
        if not item.agency_kind:
            label, total, indent = _("Both agencies"), True, False
        elif not item.source:
            label, total, indent = agency_label(f, item.agency_kind), True, False
        else:
            label, total, indent = str(SOURCE_LABELS[item.source]), False, True
        rows.append(Row(label, [
            Cell(item.lines, url=drill_url("costs", **one)),
            Cell(item.amount, "amount", drill_url("costs", **one)),
            Cell(item.lines_12, url=drill_url("costs", **year)),
            Cell(item.amount_12, "amount", drill_url("costs", **year)),
        ], total=total, indent=indent))
    ordered: list[Row] = []
    block: list[Row] = []
    for row in rows:  # the Träger's total above its lines
        if row.total:
            ordered += [row, *block]
            block = []
        else:
            block.append(row)
    rows = ordered
    columns = [_("Lines"), _("Committed"), _("Lines"), _("Committed")]
    return Table("costs", _("Costs per agency"), metrics.COSTS, _("Paying agency"), columns, rows,
                 groups=[(f.month.label, 2), (twelve_label(f.month), 2)])


TABLES: dict[str, Callable[[Figures], Table]] = {
    "quote": quote_table,
    "trend": trend_table,
    "transfers": transfers_table,
    "mix": mix_table,
    "caseload": caseload_table,
    "cohorts": cohort_table,
    "sustainability": sustainability_table,
    "plans": plans_table,
    "referrals": referrals_table,
    "costs": costs_table,
}


def as_block(table: Table) -> exports.Block:
    """One table for a download: title, group row, header (units added), the label column and the cells."""
    header = [str(table.head), *(_with_unit(str(c), table, index) for index, c in enumerate(table.columns))]
    rows = [[exports.text(row.label), *(cell.exported for cell in row.cells)] for row in table.rows]
    return exports.Block(header=header, rows=rows, title=str(table.title), groups=table.groups)


def as_export(tables: Sequence[Table], heading: Sequence[str] | None = None, filename: str = "export"
              ) -> exports.Export:
    """Tables as one download: per table its title, the header rows and the rows (one worksheet each in xlsx)."""
    return exports.Export(filename=filename, blocks=[as_block(table) for table in tables], heading=heading or ())


def render_csv(tables: list[Table], heading: list[str] | None = None) -> str:
    """Tables as one CSV (``;``, UTF-8 with BOM, decimal comma): per table its title, the header rows and the
    rows, then a blank line."""
    return exports.to_csv(as_export(tables, heading))


UNITS = {"percent": "%", "amount": "EUR"}


def _with_unit(header: str, table: Table, index: int) -> str:
    """The unit of a column in its header ("Quote (%)"), as the cells carry none."""
    kinds = {row.cells[index].kind for row in table.rows if index < len(row.cells) and row.cells[index].value is not None}
    unit = UNITS.get(kinds.pop()) if len(kinds) == 1 else None
    return f"{header} ({unit})" if unit and unit not in header else header
