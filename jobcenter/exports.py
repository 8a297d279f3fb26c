"""Downloads of tables as CSV or Excel (``.xlsx``): one description of the table, two formats.

A view builds its rows once as an ``Export`` (optional heading lines, one or more ``Block``s of typed cells) and
answers with ``response(export, fmt)``; ``fmt`` comes from ``requested_format(request)`` (``?format=xlsx``,
parsed by ``jobcenter.params``), so the Excel file goes through the same URL, the same permission check and the
same access-log entry as the CSV. Both files carry the same values:

* **CSV**: ``;`` as separator, UTF-8 with BOM, decimal comma, no grouping, no unit in the cells (the unit is in
  the column header), dates as ``31.12.2003``; text that starts like a formula gets an apostrophe.
* **xlsx** (openpyxl): numbers as numbers with a number format (``#,##0`` / ``#,##0.00`` / ``#,##0.0``) that
  Excel shows with the reader's separators (``1.234,50`` in a German Excel), dates as real date cells shown
  ``DD.MM.YYYY``; per block one worksheet with its title and the heading in the first rows, a bold header row
  frozen together with the label column, column widths from the content. Text cells are stored as text, never
  as formulas.

Cell kinds: ``text``, ``count`` (whole number), ``amount`` (euros, 2 places), ``decimal`` and ``percent`` (1
place; a percentage is the number shown on screen, 12.5 for 12,5 %), ``date``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jobcenter import params

Kind = Literal["text", "count", "amount", "decimal", "percent", "date"]
Value = int | Decimal | float | str | date | None
FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

NUMBER_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "amount": "#,##0.00",
    "decimal": "#,##0.0",
    "percent": "#,##0.0",
    "date": "DD.MM.YYYY",
}
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Cell:
    value: Value
    kind: Kind = "text"

    @property
    def csv(self) -> str:
        """For spreadsheets reading CSV: the number with decimal comma, no grouping and no unit."""
        value = self.value
        if value is None or value == "":
            return ""
        if self.kind == "count":
            return str(value)
        if self.kind == "amount":
            return f"{Decimal(str(value)):.2f}".replace(".", ",")
        if self.kind in ("decimal", "percent"):
            return f"{Decimal(str(value)):.1f}".replace(".", ",")
        if self.kind == "date" and isinstance(value, date):
            return value.strftime("%d.%m.%Y")
        return safe_text(str(value))

    @property
    def xlsx(self) -> int | float | Decimal | str | date | None:
        """The value as an Excel cell holds it (numbers rounded as on screen and in the CSV)."""
        value = self.value
        if value is None or value == "":
            return None
        if self.kind == "count":
            return int(value) if not isinstance(value, date) else None
        if self.kind == "amount":
            return round(Decimal(str(value)), 2)
        if self.kind in ("decimal", "percent"):
            return round(Decimal(str(value)), 1)
        if self.kind == "date" and isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters cannot be stored in xlsx


def text(value: object) -> Cell:
    return Cell(None if value is None else str(value), "text")


@dataclass(frozen=True)
class Block:
    """One table: ``header`` (column labels, units included) above ``rows``; ``groups`` (label, span) form a
    row above the header. A block with a ``title`` is followed by a blank row in the CSV (several tables in
    one file); an untitled block is the whole file (an import/export format: header row first)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    title: str = ""
    groups: Sequence[tuple[str, int]] = ()
    sheet: str = ""  # worksheet name; default: the title
    label_column: bool = True  # the first column names the row: it stays visible when scrolling right


@dataclass(frozen=True)
class Export:
    filename: str  # without extension
    blocks: Sequence[Block]
    heading: Sequence[str] = field(default_factory=tuple)  # office, period, filters, as-of date …


def safe_text(value: str) -> str:
    """Text starting like a formula is prefixed with an apostrophe (spreadsheet injection, CSV only; the xlsx
    stores text as text)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


# --- CSV ----------------------------------------------------------------------------------------------------
def to_csv(export: Export) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if export.heading:
        writer.writerow([str(line) for line in export.heading])
        writer.writerow([])
    for block in export.blocks:
        if block.title:
            writer.writerow([str(block.title)])
        if block.groups:
            group_row = [""]
            for label, span in block.groups:
                group_row += [str(label)] + [""] * (span - 1)
            writer.writerow(group_row)
        writer.writerow([str(label) for label in block.header])
        for row in block.rows:
            writer.writerow([cell.csv for cell in row])
        if block.title:
            writer.writerow([])
    return "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheet programs read UTF-8


# --- xlsx ---------------------------------------------------------------------------------------------------
def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_UNSAFE.sub(" ", name).strip(" '")[:31] or "Tabelle"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _width(value: object, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind in ("count", "amount", "decimal", "percent"):
        return len(f"{value:,.2f}") if isinstance(value, int | float | Decimal) else len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_block(ws: Worksheet, block: Block, heading: Sequence[str]) -> None:
    bold = Font(bold=True)
    columns = max(len(block.header), 1)
    widths = [len(str(label)) for label in block.header] + [0] * (columns - len(block.header))
    row_number = 0
    if block.title:
        ws.append([str(block.title)])
        row_number += 1
        ws.cell(row=row_number, column=1).font = Font(bold=True, size=12)
    if heading:
        ws.append([" · ".join(str(line) for line in heading if str(line))])
        row_number += 1
        ws.cell(row=row_number, column=1).font = Font(italic=True)
    if block.groups:
        group_row: list[str | None] = [None]
        for label, span in block.groups:
            group_row += [str(label)] + [None] * (span - 1)
        ws.append(group_row)
        row_number += 1
        column = 2
        for _label, span in block.groups:
            if span > 1:
                ws.merge_cells(start_row=row_number, start_column=column, end_row=row_number,
                               end_column=column + span - 1)
            cell = ws.cell(row=row_number, column=column)
            cell.font, cell.alignment = bold, Alignment(horizontal="center")
            column += span
    ws.append([str(label) for label in block.header])
    row_number += 1
    header_row = row_number
    for index in range(1, len(block.header) + 1):
        cell = ws.cell(row=header_row, column=index)
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="top")
    for row in block.rows:
        ws.append([item.xlsx for item in row])
        row_number += 1
        for index, item in enumerate(row):
            cell = ws.cell(row=row_number, column=index + 1)
            if item.kind == "text" and isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text even when it starts with "=": no formula in our files
            elif item.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[item.kind]
            if index < len(widths):
                widths[index] = max(widths[index], _width(cell.value, item.kind))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    ws.freeze_panes = f"{'B' if block.label_column else 'A'}{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"


def to_xlsx(export: Export) -> bytes:
    workbook = Workbook()
    used: set[str] = set()
    first = True
    for block in export.blocks or [Block(header=[], rows=[])]:
        ws = workbook.active if first else workbook.create_sheet()
        assert ws is not None
        ws.title = _sheet_name(block.sheet or block.title or export.filename, used)
        _write_block(ws, block, export.heading)
        first = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the response -------------------------------------------------------------------------------------------
def requested_format(request: HttpRequest, default: str = "csv", *, allowed: Sequence[str] = FORMATS) -> str:
    """``?format=csv|xlsx`` (anything else: ``default``)."""
    return params.get_choice(request, "format", tuple(allowed), default)


def render(export: Export, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of ``export`` in ``fmt``."""
    if fmt == "xlsx":
        return to_xlsx(export), XLSX_CONTENT_TYPE, f"{export.filename}.xlsx"
    return to_csv(export).encode("utf-8"), CSV_CONTENT_TYPE, f"{export.filename}.csv"


def response(export: Export, fmt: str) -> HttpResponse:
    """The export as a download: an attachment, never cached, never sniffed."""
    content, content_type, filename = render(export, fmt)
    answer = HttpResponse(content, content_type=content_type)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
