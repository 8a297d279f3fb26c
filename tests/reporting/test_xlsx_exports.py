"""Excel downloads beside every CSV download: the same rows and numbers as the CSV and the page (both come from
one ``jobcenter.exports.Export``), German number and date formats, a bold frozen header row, column widths, and
the CSV's permission and access-log entry (the same URL with ``?format=xlsx``)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jobcenter import documents, exports
from jobcenter.models import AccessRecord
from reporting import services
from reporting.models import MonthlyReport
from reporting.periods import Month
from reporting.tables import TABLES
from tests.reporting.test_dashboard import parse, screen_number
from tests.reporting.test_drilldown_csv import add_open_cases

pytestmark = pytest.mark.django_db
MARCH = "2003-03"
DASHBOARD = reverse("reporting:dashboard")
XLSX = exports.XLSX_CONTENT_TYPE


def workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def header_row(sheet: Worksheet) -> int:
    """The row above the frozen pane: the column headers."""
    assert sheet.freeze_panes, "the header row is frozen"
    return int("".join(ch for ch in sheet.freeze_panes if ch.isdigit())) - 1


def xlsx_rows(sheet: Worksheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header_row(sheet) + 1)]


def csv_tables(content: bytes) -> list[list[list[str]]]:
    """The data rows of each table of a CSV download (after its title, group and header rows)."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    body = rows[rows.index([]) + 1:] if rows and rows[1] == [] else rows
    tables, current = [], []
    for row in body:
        if row:
            current.append(row)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return [table[3 if table[1][0] == "" else 2:] for table in tables]


def number(text: str) -> Decimal | None:
    """A CSV or screen number ("1234,5") as a Decimal; "" → None."""
    return Decimal(text.replace(",", ".")) if text else None


def xlsx_number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_dashboard_table_in_excel_has_the_numbers_of_the_csv_and_the_page(world, tl_client, key):
    screen = parse(tl_client.get(DASHBOARD, {"month": MARCH}).content.decode()).tables[key]
    url = reverse("reporting:export_table", args=[key])
    csv_rows = csv_tables(tl_client.get(url, {"month": MARCH}).content)[0]
    response = tl_client.get(url, {"month": MARCH, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="erfolgsmessung-{key}-{MARCH}.xlsx"'
    sheet = workbook(response.content).active
    rows = xlsx_rows(sheet)
    assert len(rows) == len(csv_rows) == len(screen)
    for shown, from_csv, from_xlsx in zip(screen, csv_rows, rows, strict=True):
        assert from_xlsx[0] == from_csv[0] == shown[0]
        for shown_cell, csv_cell, xlsx_cell in zip(shown[1:], from_csv[1:], from_xlsx[1:], strict=True):
            assert xlsx_number(xlsx_cell) == number(csv_cell) == number(screen_number(shown_cell)), (
                key, shown[0], shown_cell, csv_cell, xlsx_cell)


def test_the_excel_file_has_german_formats_a_bold_frozen_header_and_widths(world, tl_client):
    url = reverse("reporting:export_table", args=["transfers"])
    response = tl_client.get(url, {"month": MARCH, "format": "xlsx"})
    csv_lines = list(csv.reader(io.StringIO(tl_client.get(url, {"month": MARCH}).content.decode("utf-8-sig")),
                                delimiter=";"))
    sheet = workbook(response.content).active
    top = header_row(sheet)
    assert sheet.freeze_panes == f"B{top + 1}"  # header rows and the label column stay in view
    assert sheet["A1"].value == csv_lines[2][0] == "Eingestellte Transferleistungen" and sheet["A1"].font.b
    assert sheet["A2"].value == " · ".join(csv_lines[0])  # office · month · as of
    assert "März 2003" in sheet["A2"].value
    assert [cell.value for cell in sheet[top]] == csv_lines[4]
    assert all(cell.font.b for cell in sheet[top] if cell.value)
    counts, amounts = sheet.cell(top + 1, 2), sheet.cell(top + 1, 3)
    assert isinstance(counts.value, int) and counts.number_format == "#,##0"
    assert isinstance(amounts.value, float | int) and amounts.number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width > 20 and sheet.column_dimensions["C"].width >= 8
    percent = workbook(tl_client.get(reverse("reporting:export_table", args=["quote"]),
                                     {"month": MARCH, "format": "xlsx"}).content).active
    rate = percent.cell(header_row(percent) + 1, 4)
    assert percent.cell(header_row(percent), 4).value == "Quote (%)" and rate.number_format == "#,##0.0"


def test_a_drill_down_in_excel_has_date_cells_and_is_logged_like_the_csv(world, tl_client):
    add_open_cases(world.office, world.manager, 3)
    url = reverse("reporting:drilldown", args=["caseload"])
    csv_response = tl_client.get(url, {"to": MARCH, "format": "csv"})
    AccessRecord.objects.all().delete()
    response = tl_client.get(url, {"to": MARCH, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    record = AccessRecord.objects.get()
    assert (record.kind, record.what) == (AccessRecord.Kind.EXPORT, "Erfolgsmessung: Fälle caseload (Excel)")
    sheet = workbook(response.content).active
    rows = xlsx_rows(sheet)
    csv_rows = csv_tables(csv_response.content)[0]
    assert record.clients == len(rows) == len(csv_rows) >= 3
    birth = sheet.cell(header_row(sheet) + 1, 2)
    assert isinstance(birth.value, datetime.datetime) and birth.number_format == "DD.MM.YYYY"
    for from_csv, from_xlsx in zip(csv_rows, rows, strict=True):
        assert from_xlsx[0] == from_csv[0] and from_xlsx[1].strftime("%d.%m.%Y") == from_csv[1]


def test_a_work_list_in_excel_has_real_dates(world, tl_client):
    response = tl_client.get(reverse("reporting:export_table", args=["worklist-hearings"]), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = workbook(response.content).active
    assert sheet.freeze_panes == f"B{header_row(sheet) + 1}"


def test_the_programme_in_excel_has_both_tables(world, tl_client):
    url = reverse("reporting:programme")
    response = tl_client.get(url, {"year": 2003, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('programm-2003.xlsx"')
    book = workbook(response.content)
    csv_rows = csv_tables(tl_client.get(url, {"year": 2003, "format": "csv"}).content)
    assert len(book.worksheets) == 2 == len(csv_rows)
    for sheet, rows in zip(book.worksheets, csv_rows, strict=True):
        for from_csv, from_xlsx in zip(rows, xlsx_rows(sheet), strict=True):
            assert from_xlsx[0] == from_csv[0]
            assert [xlsx_number(v) if not isinstance(v, str) else v for v in from_xlsx[1:]] == [
                number(v) if v and v[0].isdigit() else (v or None) for v in from_csv[1:]]


def test_the_excel_download_needs_the_csv_permission(world, client, fallmanager):
    client.force_login(fallmanager)
    for url in (reverse("reporting:export_table", args=["quote"]), reverse("reporting:programme"),
                reverse("reporting:drilldown", args=["clients"])):
        assert client.get(url, {"format": "xlsx"}).status_code == 403


def test_the_monthly_report_has_an_excel_file_with_the_csv_numbers(world, tl_client, teamleitung,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(office=world.office, month=Month(2003, 3), by=teamleitung)
    report = MonthlyReport.objects.select_related("csv", "xlsx").get(pk=report.pk)
    assert report.xlsx is not None and report.xlsx.filename.endswith(".xlsx")
    response = tl_client.get(reverse("reporting:report_download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = workbook(b"".join(response.streaming_content))
    tables = csv_tables(documents.read(report.csv))
    assert len(book.worksheets) == len(tables) == 10
    for sheet, rows in zip(book.worksheets, tables, strict=True):
        xlsx = xlsx_rows(sheet)
        assert len(xlsx) == len(rows)
        for from_csv, from_xlsx in zip(rows, xlsx, strict=True):
            assert [from_xlsx[0]] + [xlsx_number(v) for v in from_xlsx[1:]] == [from_csv[0]] + [
                number(v) for v in from_csv[1:]]
    listing = tl_client.get(reverse("reporting:report_list")).content.decode()
    assert 'data-testid="download-xlsx"' in listing


def test_text_that_looks_like_a_formula_stays_text():
    content = exports.to_xlsx(exports.Export(filename="x", blocks=[exports.Block(
        header=["Name"], rows=[[exports.text("=HYPERLINK(1)")], [exports.text("a\x01b")]], label_column=False)]))
    sheet = workbook(content).active
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "ab" and sheet.freeze_panes == "A2"


def test_the_data_flow_report_in_excel_has_the_csv_rows(world, tl_client):
    url = reverse("reporting:carrier_flows")
    csv_lines = list(csv.reader(io.StringIO(tl_client.get(url, {"format": "csv"}).content.decode("utf-8-sig")),
                                delimiter=";"))
    response = tl_client.get(url, {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = workbook(response.content).active
    assert [cell.value for cell in sheet[header_row(sheet)]] == csv_lines[2]
    assert len(xlsx_rows(sheet)) == len(csv_lines) - 3
