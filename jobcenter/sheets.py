"""Reading an uploaded table (CSV or Excel ``.xlsx``) into rows of text, for the imports (clients, partners).

``read_rows(raw)`` recognises the format by its first bytes (an xlsx file is a ZIP archive), never by the file
name, and returns the header row and the data rows as text with their row number in the file:

* **CSV**: UTF-8 with or without BOM, else Windows-1252 (what older German Excel writes); the separator is the
  one of ``;``, ``,`` and tab that the header line holds most often. A cell the ``csv`` module cannot read (an
  open quote, a cell longer than its limit) is a ``SheetError`` naming the row.
* **xlsx** (openpyxl, read-only, values not formulas): the first worksheet; date cells become ``31.12.2003``,
  numbers become German text (``1234,5``; whole numbers without decimals), so the parsers read one format.

Bad content never raises anything but ``SheetError`` (with a German message), so a view can show it.

``MemoryUploadHandler`` keeps an upload in memory up to ``max_bytes`` instead of writing large files to a
temporary directory: an import file holds personal data and is stored only in the document store.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from jobcenter.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"


class SheetError(DomainError):
    """The file cannot be read as a table; ``row`` is its row number where known."""

    def __init__(self, message: str, *, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class Rows:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number in the file, cells), blank rows left out
    kind: str  # "csv" | "xlsx"


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def is_xlsx(raw: bytes) -> bool:
    return raw.startswith(XLSX_MAGIC)


def read_rows(raw: bytes) -> Rows:
    if not raw.strip():
        raise SheetError(_("The file is empty."))
    if is_xlsx(raw):
        return _xlsx_rows(raw)
    return _csv_rows(raw)


# --- CSV ----------------------------------------------------------------------------------------------------
def _csv_rows(raw: bytes) -> Rows:
    text = decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    # newline="": the reader itself recognises \n, \r\n and a lone \r (also inside quoted cells)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error:
        raise SheetError(_("The header row cannot be read as CSV; check the quotation marks."), row=1) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:  # e.g. a cell longer than the csv module's field size limit
                raise SheetError(_("The row cannot be read as CSV; check the quotation marks and line breaks."),
                                 row=reader.line_num) from None
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells

    return Rows(header=[cell.strip() for cell in header], rows=rows(), kind="csv")


# --- xlsx ---------------------------------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """An Excel cell value as the text a German CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time(0) else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f").replace(".", ",")
    return str(value)


def _xlsx_rows(raw: bytes) -> Rows:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_values = next(values, ())
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, EOFError):
        raise SheetError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    header = [cell_text(value).strip() for value in header_values]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for row in values:
                number += 1
                cells = [cell_text(value) for value in row]
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError):
            raise SheetError(_("The file cannot be read as an Excel workbook (.xlsx)."), row=number) from None
        finally:
            workbook.close()

    return Rows(header=header, rows=rows(), kind="xlsx")


# --- uploads held in memory ---------------------------------------------------------------------------------
class MemoryUploadHandler(FileUploadHandler):
    """Keeps every uploaded file of the request in memory, up to ``max_bytes`` each (a larger one stops the
    upload; the form then reports the file as missing). Install before the request's POST is read:
    ``request.upload_handlers = [MemoryUploadHandler(request, max_bytes=…)]``."""

    def __init__(self, request: Any = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file, field_name=self.field_name, name=self.file_name, content_type=self.content_type,
            size=file_size, charset=self.charset, content_type_extra=self.content_type_extra,
        )
