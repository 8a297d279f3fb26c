"""The guard of issue 13: every work page stays served by indexes as the data grows.

A medium office (20,000 clients with their benefits, cases, notes, plans and referrals, from
``seed_reporting_bench``) and a second, small office are seeded into the test database and ANALYZEd. Then every work
page is requested as each role that uses it (status 200 first), its queries are captured, and each SELECT runs
under ``EXPLAIN (ANALYZE, FORMAT JSON)``. The test fails on

* a sequential scan of a table holding more than ``SEQ_SCAN_LIMIT`` rows (a small table is read whole by choice:
  the planner prefers that, rightly);
* a sort that spilled to disk (``"Sort Space Type": "Disk"``);
* a page whose number of queries changes with the page shown (page 1 and page 2 of a list: the same count).

The failure names the page, the role and the query. Problems listed in ``KNOWN_OPEN`` (pages not fixed yet) are
printed, not failed on. Everything runs in one test (one transaction, rolled back at the
end, so the other tests of the worker never see the data); seeding takes well under a minute.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from jobcenter.models import ContactPoint, StaffProfile
from jobcenter.roles import Role
from reporting.management.commands.seed_reporting_bench import OFFICE_NAME
from tests.helpers import plan_nodes

pytestmark = [pytest.mark.django_db, pytest.mark.performance]

SEQ_SCAN_LIMIT = 10_000

# Problems known and still open (issue 13 goes on): (page name prefix, table) pairs the guard reports in its output
# but does not fail on. Remove a line when its page is fixed; anything not listed here fails the test.
KNOWN_OPEN: set[tuple[str, str]] = {
    # A surname that ~1 % of the office carries: at this size (20,500 clients) the planner may read the clients
    # sequentially instead of the trigram index, depending on the sampled statistics (it did in one CI run in
    # three). At 100,000 clients it takes the index: 1,083 buffers, 5 ms (EXPLAIN ANALYZE, 2026-12-05).
    ("case list ?q=Schmidt", "cases_client"),
    ("client search, common name", "cases_client"),
}
WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# django-pghistory puts its context in front of every statement that does not begin with SELECT (a WITH query, a
# UNION in parentheses) inside a request: "SELECT set_config('pghistory.context_id', …), set_config(…); WITH …".
# EXPLAIN would explain only that first statement, so the guard takes it off and explains the query itself.
PGHISTORY_CONTEXT = re.compile(
    r"^\s*SELECT set_config\('pghistory\.context_id', '[^']*', true\), "
    r"set_config\('pghistory\.context_metadata', '(?:[^']|'')*', true\);\s*", re.DOTALL)
CLIENTS = 20_000


@dataclass(frozen=True)
class WorkPage:
    name: str
    role: str
    url: str
    paged: bool = False  # a list with ?page=: page 1 and page 2 must need the same number of queries


def _work_pages(case: Case, manager_id: int) -> list[WorkPage]:
    client = case.client_id
    pages = [WorkPage("start page", role, "/") for role in (
        Role.TEAMLEITUNG, Role.FALLMANAGER, Role.EMPFANG, Role.ARBEITSVERMITTLER, Role.LEISTUNG)]
    for role in (Role.TEAMLEITUNG, Role.FALLMANAGER, Role.EMPFANG):
        pages.append(WorkPage("case list", role, "/faelle/", paged=True))
    for query in ("sort=name", "sort=-name", "sort=opened", "sort=-opened", "sort=contact", "sort=-contact",
                  "sort=status", "sort=-status", "status=all", "status=intake", "status=closed", "segment=beratung",
                  "target_group=hlu", "target_group=kombi", "target_group=none", "manager=none",
                  f"manager={manager_id}", "q=M%C3%BCller+4711", "q=Schmidt", "q=073A123456", "q=01.03.1970"):
        pages.append(WorkPage(f"case list ?{query}", Role.TEAMLEITUNG, f"/faelle/?{query}&manager=all",
                              paged=query.startswith(("sort", "status"))))
    pages += [
        WorkPage("client list", Role.TEAMLEITUNG, "/kunden/", paged=True),
        WorkPage("client list", Role.EMPFANG, "/kunden/", paged=True),
        WorkPage("client search by name", Role.EMPFANG, "/kunden/?q=M%C3%BCller+4711"),
        WorkPage("client search, common name", Role.EMPFANG, "/kunden/?q=Schmidt", paged=True),
        WorkPage("client search by number", Role.EMPFANG, "/kunden/?q=073A123456"),
        WorkPage("client page", Role.FALLMANAGER, f"/kunden/{client}/"),
        WorkPage("client page", Role.TEAMLEITUNG, f"/kunden/{client}/"),
        WorkPage("case page", Role.FALLMANAGER, f"/faelle/{case.pk}/"),
        WorkPage("timeline", Role.FALLMANAGER, f"/kunden/{client}/verlauf/"),
        WorkPage("plans list", Role.TEAMLEITUNG, "/hilfeplaene/", paged=True),
        WorkPage("plans list", Role.FALLMANAGER, "/hilfeplaene/", paged=True),
        WorkPage("plans list", Role.LEISTUNG, "/hilfeplaene/", paged=True),
        WorkPage("referrals", Role.TEAMLEITUNG, "/beauftragungen/", paged=True),
        WorkPage("referrals", Role.FALLMANAGER, "/beauftragungen/", paged=True),
        WorkPage("applications", Role.EMPFANG, "/antraege/", paged=True),
        WorkPage("vacancies", Role.ARBEITSVERMITTLER, "/stellen/", paged=True),
        WorkPage("partners", Role.TEAMLEITUNG, "/partner/", paged=True),
        WorkPage("free places", Role.FALLMANAGER, "/angebote/"),
        WorkPage("dashboard", Role.TEAMLEITUNG, "/erfolgsmessung/"),
    ]
    for slug in ("ueberpruefungen", "ablaufend", "nachweise", "anhoerungen"):
        for role in (Role.TEAMLEITUNG, Role.FALLMANAGER):
            pages.append(WorkPage(f"plan worklist {slug}", role, f"/hilfeplaene/arbeitsliste/{slug}/", paged=True))
    for slug in ("profiling", "sozialanamnese"):
        pages.append(WorkPage(f"profiling worklist {slug}", Role.TEAMLEITUNG, f"/profiling/offen/{slug}/",
                              paged=True))
    for slug in ("termine", "ohne-kontakt", "fernbleiben", "nachbetreuung"):
        for role in (Role.TEAMLEITUNG, Role.FALLMANAGER):
            pages.append(WorkPage(f"Mein Tag {slug}", role, f"/mein-tag/{slug}/", paged=True))
    # after the dashboard, as a Teamleitung opens them: the clients drill-down takes its client-days from the
    # dashboard's snapshot and walks the clients by name (without a snapshot it sums the office's spans whole)
    for key in ("integrations", "clients", "transfers", "caseload", "referrals", "costs", "plans", "sustainability",
                "cohorts"):
        pages.append(WorkPage(f"drill-down {key}", Role.TEAMLEITUNG, f"/erfolgsmessung/faelle/{key}/"))
    return pages


def _table_rows() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                       "AND relnamespace = 'public'::regnamespace")
        return dict(cursor.fetchall())


def _problems(sql: str, table_rows: dict[str, float]) -> list[tuple[str, str]]:
    """What is wrong with the plan of one query, as (table, problem) (empty: nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        explained = cursor.fetchone()[0]
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    found = []
    for node in plan_nodes(plan):
        relation = node.get("Relation Name", "")
        if node["Node Type"] == "Seq Scan" and table_rows.get(relation, 0) > SEQ_SCAN_LIMIT:
            found.append((relation, f"Seq Scan on {relation} ({table_rows[relation]:,.0f} rows)"))
        if node.get("Sort Space Type") == "Disk":
            found.append(("", f"sort on disk ({node.get('Sort Space Used')} kB, key {node.get('Sort Key')})"))
    return found


def _user(username: str, role: str, office: ContactPoint) -> Any:
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.groups.set([Group.objects.get(name=role)])
    StaffProfile.objects.get_or_create(user=user)[0].contact_points.set([office])
    return user


def test_every_work_page_is_served_by_indexes() -> None:
    call_command("seed_reporting_bench", clients=CLIENTS, notes=CLIENTS * 5, plans=CLIENTS * 2, small_clients=500,
                 force=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")  # the seed switched triggers off
        cursor.execute("ANALYZE")
    office = ContactPoint.objects.get(name=OFFICE_NAME)
    users = {
        Role.TEAMLEITUNG: get_user_model().objects.get(username="bench-teamleitung"),
        Role.FALLMANAGER: _user("guard-fm", Role.FALLMANAGER, office),
        Role.EMPFANG: _user("guard-empfang", Role.EMPFANG, office),
        Role.ARBEITSVERMITTLER: _user("guard-vermittler", Role.ARBEITSVERMITTLER, office),
        Role.LEISTUNG: _user("guard-leistung", Role.LEISTUNG, office),
    }
    # The case manager takes over the cases of one of the seeded ones (a realistic caseload of the office).
    seeded = get_user_model().objects.get(username="bench-fm01")
    Case.objects.filter(contact_point=office, case_manager=seeded).update(case_manager=users[Role.FALLMANAGER])
    case = (Case.objects.filter(contact_point=office, case_manager=users[Role.FALLMANAGER])
            .exclude(status="closed").order_by("pk")[10])
    table_rows = _table_rows()
    browsers: dict[str, Browser] = {}
    failures: list[str] = []
    known_open: list[str] = []
    for page in _work_pages(case, seeded.pk):
        browser = browsers.get(page.role)
        if browser is None:
            browser = browsers[page.role] = Browser()
            browser.force_login(users[page.role])
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(page.url)
        assert response.status_code == 200, f"{page.name} as {page.role}: status {response.status_code}"
        for query in captured.captured_queries:
            sql = PGHISTORY_CONTEXT.sub("", query["sql"], count=1)
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(")) or WRITES.search(sql):
                continue  # EXPLAIN ANALYZE runs the statement: reads only
            for table, problem in _problems(sql, table_rows):
                message = f"{page.name} as {page.role} ({page.url}): {problem}\n    {sql[:600]}"
                known = any(page.name.startswith(name) and table == known_table for name, known_table in KNOWN_OPEN)
                (known_open if known else failures).append(message)
        if page.paged:
            second = page.url + ("&" if "?" in page.url else "?") + "page=2"
            with CaptureQueriesContext(connection) as captured_second:
                response = browser.get(second)
            assert response.status_code == 200, f"{page.name} as {page.role}, page 2: status {response.status_code}"
            if len(captured_second.captured_queries) != len(captured.captured_queries):
                failures.append(f"{page.name} as {page.role}: {len(captured.captured_queries)} queries on page 1, "
                                f"{len(captured_second.captured_queries)} on page 2 ({second})")
    if known_open:
        print(f"{len(known_open)} known open problems (KNOWN_OPEN):\n" + "\n".join(known_open))
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_the_guard_explains_the_query_behind_the_history_context() -> None:
    """Inside a request django-pghistory prefixes a WITH query with its context; the guard must see the query."""
    import pghistory

    query = "WITH numbers AS (SELECT 1 AS n) SELECT n FROM numbers"
    with pghistory.context(url="/erfolgsmessung/?a=1;b='2'"), CaptureQueriesContext(connection) as captured:
        with connection.cursor() as cursor:
            cursor.execute(query)
    (sent,) = [entry["sql"] for entry in captured.captured_queries if "numbers" in entry["sql"]]
    assert sent.startswith("SELECT set_config(")  # what EXPLAIN would have explained instead
    assert PGHISTORY_CONTEXT.sub("", sent, count=1) == query
