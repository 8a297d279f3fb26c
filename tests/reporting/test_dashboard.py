"""The team lead's dashboard: who sees it, office scoping, constant queries, CSV = screen, drill-down = number."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import BenefitKind, EndReason, Outcome
from reporting import drilldown
from reporting.periods import Month
from reporting.tables import TABLES
from tests.cases.factories import ClientFactory
from tests.reporting.conftest import D, add_benefit, add_case

pytestmark = pytest.mark.django_db
MARCH = "2003-03"
URL = reverse("reporting:dashboard")


class TableParser(HTMLParser):
    """Rows of every ``<table data-testid="table-…">``: [label, cell texts…] and the links of the cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and (a.get("data-testid") or "").startswith("table-"):
            self._table = str(a["data-testid"]).removeprefix("table-")
            self.tables[self._table], self.links[self._table] = [], []
        elif self._table and tag == "tbody":
            self._in_body = True
        elif self._table and self._in_body and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "a":
            self._href = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append(text)
            if self._href and self._table:
                self.links[self._table].append((text, self._href))
            self._cell, self._href = None, None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> TableParser:
    parser = TableParser()
    parser.feed(html)
    return parser


def screen_number(text: str) -> str:
    """"1.234,50 €" → "1234,50"; "12,5 %" → "12,5"; "–" → ""."""
    text = text.replace("€", "").replace("%", "").strip()
    return "" if text == "–" else text.replace(".", "")


def test_only_the_team_lead_sees_the_dashboard(client, fallmanager, teamleitung):
    client.force_login(fallmanager)
    assert client.get(URL).status_code == 403
    assert b"Erfolgsmessung" not in client.get(reverse("home")).content
    client.force_login(teamleitung)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'href="/erfolgsmessung/"' in response.content  # the navigation item


def test_the_figures_are_those_of_the_active_office_only(world, tl_client, client, teamleitung_other_office):
    own = parse(tl_client.get(URL, {"month": MARCH}).content.decode()).tables["quote"]
    client.force_login(teamleitung_other_office)
    other = parse(client.get(URL, {"month": MARCH}).content.decode()).tables["quote"]
    all_groups = 3  # rows: HLU, Kombi, Alhi, all target groups, …
    assert own[all_groups][:2] == ["Alle Zielgruppen", "2"]
    assert other[all_groups][:2] == ["Alle Zielgruppen", "1"]


def test_the_dashboard_needs_the_same_number_of_queries_however_many_clients(world, tl_client,
                                                                           django_assert_max_num_queries):
    """Steady state (store up to date) and after changes (the changed clients are recomputed in a fixed number
    of statements, however many): the same counts with 3 clients and with 18."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert tl_client.get(URL, {"month": MARCH}).status_code == 200
        return len(queries.captured_queries)

    count()  # builds the store
    steady_small = count()
    for n in range(15):
        c = ClientFactory(contact_point=world.office, birth_date=D(1970 + n, 1, 1))
        add_benefit(c, BenefitKind.HLU if n % 2 else BenefitKind.ALHI, D(2002, 1, 1), D(2003, 3, 1 + n),
                    EndReason.EMPLOYMENT)
        add_case(c, D(2002, 1, 1), D(2003, 3, 1 + n), Outcome.EMPLOYMENT, world.manager)
    changed_large = count()
    add_benefit(world.h, BenefitKind.ALHI, D(2003, 6, 1))
    changed_small = count()
    # session, user and office (5), the store's up-to-date check (4: lock, audit positions, changes, state),
    # 10 figures × 3 (savepoint, "SET LOCAL jit = off", the statement; outside tests: the statement and the SET),
    # 4 work lists × 2, savepoint releases
    with django_assert_max_num_queries(65):
        steady_large = count()
    assert steady_large == steady_small
    assert changed_large == changed_small


@pytest.mark.parametrize("key", sorted(TABLES))
def test_every_table_as_csv_has_the_numbers_shown(world, tl_client, key):
    screen = parse(tl_client.get(URL, {"month": MARCH}).content.decode()).tables[key]
    response = tl_client.get(reverse("reporting:export_table", args=[key]), {"month": MARCH})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    body = rows[rows.index([]) + 1:]  # after the heading
    title_and_heads = 3 if body[1][0] == "" else 2  # title, (column groups), column headers
    data = [row for row in body[title_and_heads:] if row]
    assert len(data) == len(screen)
    for shown, exported in zip(screen, data, strict=True):
        assert exported[0] == shown[0]
        assert exported[1:] == [screen_number(cell) for cell in shown[1:]]


def test_worklists_export_as_csv(world, tl_client):
    response = tl_client.get(reverse("reporting:export_table", args=["worklist-hearings"]))
    assert response.status_code == 200
    assert tl_client.get(reverse("reporting:export_table", args=["unknown"])).status_code == 404


def test_every_number_links_to_the_cases_behind_it(world, tl_client):
    """Follow each drill-down link of the quote and transfer tables: the list has as many rows as the number."""
    parser = parse(tl_client.get(URL, {"month": MARCH}).content.decode())
    checked = 0
    for table in ("quote", "transfers", "caseload", "sustainability"):
        for text, href in parser.links[table]:
            if "%" in text or "€" in text or "," in text:
                continue  # rates, amounts and averages link to the rows behind their count
            page = tl_client.get(href)
            assert page.status_code == 200, href
            total = re.search(r'data-testid="drill-total">\s*(\d+)', page.content.decode())
            assert total is not None and int(total.group(1)) == int(text.replace(".", "")), (table, href)
            checked += 1
    assert checked > 30


def test_the_average_clients_drill_down_adds_up_to_the_average(world):
    drill = drilldown.DRILLS["clients"]
    march = Month(2003, 3)
    page = drilldown.fetch(drill, world.office.pk, drilldown.Query(march, march, D(2004, 1, 1),
                                                                   slice=drilldown.slices.HLU))
    assert (page.total, page.client_days, page.period_days, page.average) == (2, 36, 31, 1.2)


def test_the_integration_drill_down_lists_the_clients_with_their_case(world, tl_client):
    response = tl_client.get(reverse("reporting:drilldown", args=["integrations"]),
                             {"from": MARCH, "to": MARCH, "slice": "all"})
    html = response.content.decode()
    assert "Doppel, Dana" in html and "Kombi, Karl" in html and "Hilfe, Hanna" not in html
    assert reverse("cases:case_detail", args=[world.case_d.pk]) in html


def test_drill_down_filters_are_whitelisted_and_scoped(world, client, teamleitung_other_office):
    client.force_login(teamleitung_other_office)
    url = reverse("reporting:drilldown", args=["caseload"])
    response = client.get(url, {"to": MARCH, "manager": str(world.manager.pk), "slice": "bogus"})
    assert response.status_code == 200
    assert "Hilfe, Hanna" not in response.content.decode()  # a case of the other office
    assert client.get(reverse("reporting:drilldown", args=["nonsense"])).status_code == 404


def test_a_month_in_the_future_shows_the_current_month(world, tl_client):
    from django.utils import timezone

    response = tl_client.get(URL, {"month": "2999-01"})
    assert response.status_code == 200
    assert Month.of(timezone.localdate()).label in response.content.decode()
