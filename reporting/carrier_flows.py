"""Data flows between the Träger per month (docs/domain.md §9): how often staff of one Träger opened client data
that the other Träger recorded, by month, kind of data and direction, for one contact point. Read from the
``DataFlow`` rows the access log writes (``jobcenter.access_log``); counts only, no client is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter import exports
from jobcenter.access_log import DATA_KINDS
from jobcenter.models import Agency, ContactPoint, DataFlow
from reporting.periods import Month

CARRIERS = dict(Agency.Kind.choices)


@dataclass(frozen=True)
class FlowRow:
    month: Month
    data: str
    reader: str  # Agency.Kind
    owner: str
    accesses: int  # pages opened or exported that showed such rows
    clients: int  # different clients
    rows: int  # rows shown in all

    @property
    def data_label(self) -> str:
        return str(DATA_KINDS.get(self.data, self.data))

    @property
    def reader_label(self) -> str:
        return str(CARRIERS.get(self.reader, self.reader))

    @property
    def owner_label(self) -> str:
        return str(CARRIERS.get(self.owner, self.owner))


@dataclass(frozen=True)
class Total:
    label: str
    reader_label: str
    owner_label: str
    accesses: int


def _start(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(Month(year, 1).start, time.min))


def flows_of_year(office: ContactPoint, year: int) -> list[FlowRow]:
    """The year's flows at ``office``, one row per month, kind of data and direction (newest month first)."""
    rows = (DataFlow.objects.filter(record__contact_point=office, record__at__gte=_start(year),
                                    record__at__lt=_start(year + 1))
            .annotate(month=TruncMonth("record__at"))
            .values("month", "data", "reader_carrier", "owner_carrier")
            .annotate(accesses=Count("id"), clients=Count("record__client_id", distinct=True), shown=Sum("rows"))
            .order_by("-month", "data", "reader_carrier"))
    return [FlowRow(Month.of(timezone.localtime(row["month"]).date()), row["data"], row["reader_carrier"],
                    row["owner_carrier"], row["accesses"], row["clients"], row["shown"] or 0) for row in rows]


def totals(rows: list[FlowRow]) -> list[Total]:
    """The year's accesses per kind of data and direction."""
    sums: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row.data_label, row.reader_label, row.owner_label)
        sums[key] = sums.get(key, 0) + row.accesses
    return [Total(label, reader, owner, count) for (label, reader, owner), count in sorted(sums.items())]


def as_export(office: ContactPoint, year: int, rows: list[FlowRow]) -> exports.Export:
    """One line per month, kind of data and direction: the rows of the CSV (``;``, UTF-8 with BOM, as the other
    reports) and of the Excel file (``jobcenter.exports``)."""
    header = [_("Month"), _("kind of data"), _("read by staff of"), _("recorded by"), _("Accesses"), _("Clients"),
              _("Rows shown")]
    cells = [[exports.text(row.month.key), exports.text(row.data_label), exports.text(row.reader_label),
              exports.text(row.owner_label), exports.Cell(row.accesses, "count"), exports.Cell(row.clients, "count"),
              exports.Cell(row.rows, "count")] for row in rows]
    return exports.Export(filename=f"datenfluesse-{year}", heading=[_("Data flows between the Träger"), office.name,
                                                                     str(year)],
                          blocks=[exports.Block(header=header, rows=cells, sheet=str(year), label_column=False)])


def render_csv(office: ContactPoint, year: int, rows: list[FlowRow]) -> str:
    return exports.to_csv(as_export(office, year, rows))
