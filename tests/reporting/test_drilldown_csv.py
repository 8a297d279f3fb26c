"""The drill-down list as CSV (``?format=csv`` on the list's URL): every row of the filtered list, with the
columns and values of the page, in the dashboard's CSV conventions, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import BenefitKind
from reporting import drilldown
from tests.cases.factories import ClientFactory
from tests.reporting.conftest import D, add_benefit, add_case

pytestmark = pytest.mark.django_db
MARCH = "2003-03"


def url(key: str) -> str:
    return reverse("reporting:drilldown", args=[key])


class DrillParser(HTMLParser):
    """The drill-down table of a page: its column headers and the cell texts of its rows."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = False
        self._in_head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-testid") == "drill-table":
            self._in_table = True
        elif self._in_table and tag == "thead":
            self._in_head = True
        elif self._in_table and tag == "tr" and (self._in_head or a.get("data-testid") == "drill-row"):
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self.head = self._row
            else:
                self.rows.append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def screen(client: Any, key: str, params: dict[str, str]) -> DrillParser:
    response = client.get(url(key), params)
    assert response.status_code == 200
    parser = DrillParser()
    parser.feed(response.content.decode())
    return parser


def exported(client: Any, key: str, params: dict[str, str]) -> tuple[list[str], list[str], list[list[str]]]:
    """(heading, column headers, data rows) of the CSV: heading, blank line, title, headers, rows, blank line."""
    response = client.get(url(key), {**params, "format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == []
    return rows[0], rows[3], rows[4:rows.index([], 4)]


def as_in_csv(text: str, numeric: bool) -> str:
    """A screen value as the CSV writes it: "–" → ""; numbers "1.234,50 €" → "1234,50" (the unit in the header)."""
    if text == "–":
        return ""
    return text.replace("€", "").strip().replace(".", "") if numeric else text


def expected_rows(key: str, rows: list[list[str]]) -> list[list[str]]:
    """The screen rows without the last column (the link to the case), numbers as in the CSV."""
    numeric = [False, False] + [c.kind in ("count", "amount") for c in drilldown.DRILLS[key].columns]
    return [[as_in_csv(text, num) for text, num in zip(row[:-1], numeric, strict=True)] for row in rows]


def add_open_cases(office: Any, manager: Any, count: int) -> None:
    for n in range(count):
        c = ClientFactory(contact_point=office, last_name=f"Offen{n:03d}", birth_date=D(1960 + n % 30, 1, 1))
        add_benefit(c, BenefitKind.HLU, D(2002, 1, 1))
        add_case(c, D(2002, 6, 1), None, "", manager)


@pytest.mark.parametrize(("key", "params"), [
    ("integrations", {"from": MARCH, "to": MARCH, "slice": "all"}),
    ("integrations", {"from": "2003-01", "to": MARCH}),
    ("transfers", {"from": MARCH, "to": MARCH}),
    ("transfers", {"from": MARCH, "to": MARCH, "agency": "arbeitsamt"}),
    ("clients", {"from": MARCH, "to": MARCH, "slice": "hlu"}),
    ("caseload", {"to": "2003-02"}),
])
def test_the_csv_has_the_rows_columns_and_values_of_the_filtered_list_on_screen(world, tl_client, key, params):
    page = screen(tl_client, key, params)
    heading, head, rows = exported(tl_client, key, params)
    assert page.rows, "the world should put rows behind this drill-down"
    assert rows == expected_rows(key, page.rows)
    assert [h.removesuffix(" (EUR)") for h in head] == page.head[:-1]  # the unit of amounts in the header
    assert heading[0] == world.office.name


def test_a_filter_narrows_the_csv_as_it_narrows_the_list(world, tl_client):
    _, _, everything = exported(tl_client, "transfers", {"from": MARCH, "to": MARCH})
    heading, _, employment_office = exported(tl_client, "transfers",
                                             {"from": MARCH, "to": MARCH, "agency": "arbeitsamt"})
    assert [row[0] for row in everything] == ["Doppel, Dana", "Kombi, Karl"]
    assert [row[0] for row in employment_office] == ["Doppel, Dana"]
    assert heading[:3] == [world.office.name, "März 2003", "Arbeitsamt (SGB III)"]
    assert heading[-1] == "1 Leistung"


def test_amounts_and_dates_are_written_for_spreadsheets(world, tl_client):
    _, head, rows = exported(tl_client, "transfers", {"from": MARCH, "to": MARCH})
    assert head[:5] == ["Kunde/Kundin", "Geburtsdatum", "Letzter Tag", "Leistung", "Monatsbetrag (EUR)"]
    assert rows[0][:5] == ["Doppel, Dana", "01.06.1980", "05.03.2003", "Arbeitslosenhilfe (Alhi)", "500,00"]


def test_the_csv_holds_every_row_not_only_the_first_page(world, tl_client):
    add_open_cases(world.office, world.manager, drilldown.PAGE_SIZE + 5)
    params = {"to": MARCH}
    first, second = screen(tl_client, "caseload", params), screen(tl_client, "caseload", {**params, "page": "2"})
    heading, _, rows = exported(tl_client, "caseload", params)
    assert len(first.rows) == drilldown.PAGE_SIZE
    assert len(rows) == drilldown.PAGE_SIZE + 6  # the 55 new cases and Hanna Hilfe's
    assert rows == expected_rows("caseload", first.rows + second.rows)
    assert "56 offene Fälle" in heading


def test_a_list_longer_than_a_page_links_to_the_next_page_with_its_filters(world, tl_client):
    add_open_cases(world.office, world.manager, drilldown.PAGE_SIZE + 5)
    first = tl_client.get(url("caseload"), {"to": MARCH}).content.decode()
    second = tl_client.get(url("caseload"), {"to": MARCH, "page": "2"}).content.decode()
    assert 'href="?from=2003-03&amp;to=2003-03&amp;page=2"' in first and "page=1" not in first
    assert 'href="?from=2003-03&amp;to=2003-03&amp;page=1"' in second and "page=3" not in second


def test_the_csv_needs_the_same_number_of_queries_however_many_rows(world, tl_client,
                                                                    django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = tl_client.get(url("caseload"), {"to": MARCH, "format": "csv"})
            assert response.status_code == 200
        return len(queries.captured_queries)

    count()  # builds the reporting store
    few = count()
    add_open_cases(world.office, world.manager, drilldown.PAGE_SIZE + 20)
    count()  # brings the store up to date with the new clients
    # session, user, roles and office (5), the store's up-to-date check (11), the list in one statement with its
    # savepoint and "SET LOCAL jit = off" (6 with the audit context), the session's save (3), the access record (1)
    with django_assert_max_num_queries(26):
        many = count()
    assert many == few


def test_the_csv_is_an_attachment_that_browsers_do_not_sniff(world, tl_client):
    response = tl_client.get(url("integrations"), {"from": MARCH, "to": MARCH, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="erfolgsmessung-faelle-integrations-2003-03.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_page_offers_the_csv_of_its_own_filtered_list(world, tl_client):
    html = tl_client.get(url("integrations"), {"from": MARCH, "to": MARCH, "slice": "all"}).content.decode()
    assert 'href="?from=2003-03&amp;to=2003-03&amp;slice=all&amp;format=csv"' in html
    assert "CSV exportieren" in html


def test_only_the_team_lead_downloads_the_csv(world, client, fallmanager):
    client.force_login(fallmanager)
    assert client.get(url("integrations"), {"from": MARCH, "to": MARCH, "format": "csv"}).status_code == 403


def test_another_offices_team_lead_gets_only_the_rows_of_their_own_office(world, client,
                                                                          teamleitung_other_office):
    """The list has no object of an office in its URL: it is always the active office's (no 404 to give)."""
    client.force_login(teamleitung_other_office)
    params = {"from": MARCH, "to": MARCH}
    heading, _, rows = exported(client, "integrations", params)
    assert heading[0] == world.other_office.name
    assert [row[0] for row in rows] == ["Kombi, Karl"]  # the other office's copy of K, not Dana Doppel
    _, _, managed = exported(client, "caseload", {"to": "2003-02", "manager": str(world.manager.pk)})
    assert managed == []  # a case manager of the first office has no cases here


def test_a_list_beyond_the_cap_exports_the_first_rows_and_says_so(world, tl_client, monkeypatch):
    monkeypatch.setattr(drilldown, "EXPORT_CAP", 1)
    heading, _, rows = exported(tl_client, "integrations", {"from": MARCH, "to": MARCH})
    assert [row[0] for row in rows] == ["Doppel, Dana"]  # the first row in the order of the page
    assert "Nur die ersten 1 Zeilen; für die übrigen den Filter enger fassen." in heading


def test_values_that_look_like_formulas_are_defused(world, tl_client):
    world.d.last_name = "=HYPERLINK(1)"
    world.d.save()
    _, _, rows = exported(tl_client, "integrations", {"from": MARCH, "to": MARCH})
    assert "'=HYPERLINK(1), Dana" in [row[0] for row in rows]


def test_large_counts_in_the_heading_are_grouped_as_in_german():
    from django.utils import translation

    from reporting import drilldown

    with translation.override("de"):
        assert drilldown.count_text(drilldown.DRILLS["clients"], 12345) == "12.345 Kunden"


def test_the_csv_and_the_list_are_each_logged_once_with_their_number_of_rows(world, tl_client):
    from jobcenter.models import AccessRecord

    add_open_cases(world.office, world.manager, 3)
    csv = tl_client.get(url("caseload"), {"to": MARCH, "format": "csv"})
    assert csv.status_code == 200
    rows = csv.content.decode("utf-8-sig").count("\n")
    export = AccessRecord.objects.get()
    assert (export.kind, export.client_id, export.contact_point_id) == (
        AccessRecord.Kind.EXPORT, None, world.office.pk)
    assert 3 <= export.clients < rows  # every row of the file, not the heading lines
    assert export.what == "Erfolgsmessung: Fälle caseload (CSV)"

    page = tl_client.get(url("caseload"), {"to": MARCH})
    assert page.status_code == 200
    listing = AccessRecord.objects.exclude(pk=export.pk).get()
    assert (listing.kind, listing.client_id, listing.clients) == (AccessRecord.Kind.VIEW, None, export.clients)
