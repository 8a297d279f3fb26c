"""Drill-downs paged by walking the office's clients in name order (``Drill.by_client``): the same rows in the same
order as the row source of the figure (the CTE), and a total counted only up to the cap."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import RequestFactory

from reporting import drilldown
from tests.cases.factories import ClientFactory
from tests.reporting.conftest import D, add_case

pytestmark = pytest.mark.django_db

KEYS = ("case_id", "client_id", "case_manager_id", "target_group", "youth", "last_name", "first_name", "case_link")


def _rows(page: drilldown.DrillPage) -> list[tuple[object, ...]]:
    return [tuple(row[key] for key in KEYS) for row in page.rows]


@pytest.mark.parametrize("query", ["", "slice=hlu", "slice=kombi", "slice=youth", "manager=none", "manager=MANAGER",
                                   "to=2003-03", "to=2003-02&slice=all", "to=2002-12"])
def test_caseload_by_client_lists_the_rows_of_the_figure(world, query):  # type: ignore[no-untyped-def]
    for index in range(3):  # namesakes: the order by name, then case
        twin = ClientFactory(contact_point=world.office, last_name="Hilfe", first_name="Hanna",
                             birth_date=D(1990, 1, 1 + index))
        add_case(twin, D(2002, 5, 1), None, "", world.manager if index else None)
    drill = drilldown.DRILLS["caseload"]
    assert drill.by_client is not None
    request = RequestFactory().get("/?" + query.replace("MANAGER", str(world.manager.pk)))
    q = drilldown.parse_query(drill, request, D(2003, 4, 10))
    paged = drilldown.fetch(drill, world.office.pk, q)
    whole = drilldown.fetch(dataclasses.replace(drill, by_client=None), world.office.pk, q)
    assert _rows(paged) == _rows(whole)
    assert (paged.total, paged.capped) == (whole.total, False)


def test_the_total_stops_at_the_cap(world, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(drilldown, "COUNT_CAP", 1)
    monkeypatch.setattr(drilldown, "PAGE_SIZE", 1)
    drill = drilldown.DRILLS["caseload"]
    q = drilldown.parse_query(drill, RequestFactory().get("/?to=2003-02"), D(2003, 4, 10))  # K, D and H open
    first = drilldown.fetch(drill, world.office.pk, q)
    assert (first.total, first.capped, first.has_next, len(first.rows)) == (1, True, True, 1)
    assert drilldown.count_text(drill, first.total, first.capped) == "mehr als 1 offener Fall"
    second = drilldown._fetch(drill, world.office.pk, q, limit=1, page=2)  # counts as far as its page and one more
    assert (second.total, second.capped, second.has_next) == (2, True, True)
    third = drilldown._fetch(drill, world.office.pk, q, limit=1, page=3)
    assert (third.total, third.capped, third.has_next) == (3, False, False)


# --- drills counted by a statement of their own (``Drill.count``) -----------------------------------------------
COHORT_QUERIES = ["", "slice=hlu", "slice=total&step=6", "slice=kombi&flag=observed", "flag=integrated",
                  "slice=alhi&step=12&flag=integrated", "slice=youth_total&step=3&flag=observed", "step=24",
                  "flag=observed&step=18"]


def _cohort_world(world) -> None:  # type: ignore[no-untyped-def]
    """Cases opened at month ends (whose step days are clamped: 31 August + 6 months = 28 February) and integrated
    at a step's edge."""
    for index, opened in enumerate((D(2002, 8, 29), D(2002, 8, 30), D(2002, 8, 31), D(2002, 2, 28))):
        twin = ClientFactory(contact_point=world.office, last_name="Kohorte", first_name=f"K{index}",
                             birth_date=D(1980, 1, 1))
        add_case(twin, opened, D(2003, 2, 28), "employment")


@pytest.mark.parametrize("today", [D(2003, 2, 27), D(2003, 2, 28), D(2003, 3, 31), D(2004, 1, 1)])
@pytest.mark.parametrize("query", COHORT_QUERIES)
def test_cohorts_counted_from_the_intake_index_are_the_rows_of_the_figure(world, query, today):  # type: ignore[no-untyped-def]
    _cohort_world(world)
    drill = drilldown.DRILLS["cohorts"]
    assert drill.count is not None
    q = drilldown.parse_query(drill, RequestFactory().get("/?" + query), today)
    walked = drilldown.fetch(drill, world.office.pk, q)
    whole = drilldown.fetch(dataclasses.replace(drill, count=None), world.office.pk, q)
    keys = ("case_id", "client_id", "months", "observed", "integrated", "target_group", "youth", "day", "case_link")
    assert [tuple(r[k] for k in keys) for r in walked.rows] == [tuple(r[k] for k in keys) for r in whole.rows]
    assert walked.total == whole.total


@pytest.mark.parametrize("today", [D(2003, 2, 28), D(2004, 1, 1)])
def test_every_cohort_cell_is_its_drill_down_total(world, today):  # type: ignore[no-untyped-def]
    from reporting import store
    from reporting.metrics import outcomes
    from reporting.periods import Month

    _cohort_world(world)
    drill = drilldown.DRILLS["cohorts"]
    month = Month.of(today)
    store.refresh(world.office.pk)
    for cell in outcomes.cohorts(world.office.pk, month, today):
        for flag, figure in (("observed", cell.observed), ("integrated", cell.integrated)):
            request = RequestFactory().get("/", {"to": month.key, "slice": cell.slice.key, "step": str(cell.months),
                                                 "flag": flag})
            page = drilldown.fetch(drill, world.office.pk, drilldown.parse_query(drill, request, today))
            assert page.total == figure, (cell.slice.key, cell.months, flag)


@pytest.mark.parametrize("query", ["", "slice=hlu", "slice=kombi", "slice=alhi", "slice=all", "slice=youth",
                                   "slice=none", "slice=sozialhilfe", "from=2002-04&to=2003-03&slice=all",
                                   "from=2002-04&to=2003-03", "slice=youth_total"])
def test_the_clients_walked_by_name_take_the_client_days_of_the_dashboard(world, query):  # type: ignore[no-untyped-def]
    """With a snapshot the dashboard would serve, the clients are walked in name order and the client-days (the
    average's numerator) are the snapshot's; they are the ones the whole list sums up to."""
    from reporting import snapshots
    from reporting.periods import Month

    today = D(2003, 3, 31)
    drill = drilldown.DRILLS["clients"]
    q = drilldown.parse_query(drill, RequestFactory().get("/?" + query), today)
    whole = drilldown.fetch(dataclasses.replace(drill, by_client=None), world.office.pk, q)
    assert drilldown._stored_client_days(world.office.pk, q) is None  # no snapshot yet: summed whole
    snapshots.compute(world.office, Month(2003, 3), today)
    walked = drilldown.fetch(drill, world.office.pk, q)
    keys = ("client_id", "days", "target_group", "youth", "last_name", "case_link")
    assert [tuple(r[k] for k in keys) for r in walked.rows] == [tuple(r[k] for k in keys) for r in whole.rows]
    assert (walked.total, walked.capped, walked.client_days) == (whole.total, False, whole.client_days)
    assert walked.average == whole.average
    expect_stored = "youth_total" not in query
    assert (drilldown._stored_client_days(world.office.pk, q) is not None) == expect_stored


@pytest.mark.parametrize("key", [key for key, drill in drilldown.DRILLS.items() if drill.order.startswith("d.day,")])
@pytest.mark.parametrize("size", [1, 2])
def test_pages_in_day_order_join_only_the_rows_up_to_the_page_and_miss_none(world, key, size):  # type: ignore[no-untyped-def]
    """Lists in day order join only the rows up to the day of the page's last row with the clients; page by page
    they are the whole list, in its order (rows of one day split across pages included)."""
    for index in range(3):  # three integrations on one day, named against the order of their ids
        twin = ClientFactory(contact_point=world.office, last_name=f"Zwilling{3 - index}", birth_date=D(1980, 1, 1))
        add_case(twin, D(2002, 5, 1), D(2003, 3, 12), "employment")
    drill = drilldown.DRILLS[key]
    q = drilldown.parse_query(drill, RequestFactory().get("/?from=2002-01&to=2003-03"), D(2003, 4, 10))
    whole = drilldown.fetch_all(drill, world.office.pk, q)
    paged: list[dict[str, object]] = []
    for number in range(1, len(whole.rows) // size + 2):
        paged += drilldown._fetch(drill, world.office.pk, q, limit=size, page=number).rows
    assert paged == whole.rows
    assert not whole.rows or drilldown._fetch(drill, world.office.pk, q, limit=size, page=1).total == whole.total


@pytest.mark.parametrize("query", ["", "slice=hlu", "slice=none", "slice=youth_total", "manager=none",
                                   "manager=MANAGER&slice=total", "to=2003-02", "slice=all"])
def test_the_caseload_takes_its_total_from_the_dashboard(world, query):  # type: ignore[no-untyped-def]
    """With a snapshot the dashboard would serve, the caseload's total is the dashboard's number (exact, not capped
    and not counted again); the rows are the same."""
    from reporting import snapshots
    from reporting.periods import Month

    today = D(2003, 4, 10)
    drill = drilldown.DRILLS["caseload"]
    q = drilldown.parse_query(drill, RequestFactory().get("/?" + query.replace("MANAGER", str(world.manager.pk))),
                              today)
    counted = drilldown.fetch(drill, world.office.pk, q)
    snapshots.compute(world.office, Month(2003, 2) if "to=2003-02" in query else Month(2003, 4), today)
    stored = drilldown._stored_open_cases(world.office.pk, q)
    assert (stored is None) == ("slice=all" in query)  # a quote slice: the caseload keeps count slices only
    served = drilldown.fetch(drill, world.office.pk, q)
    assert _rows(served) == _rows(counted)
    assert (served.total, served.capped) == (counted.total, False)


def test_the_clients_count_walks_the_clients_that_have_days_up_to_the_cap(world, monkeypatch):  # type: ignore[no-untyped-def]
    from reporting import snapshots
    from reporting.periods import Month

    today = D(2003, 3, 31)
    snapshots.compute(world.office, Month(2003, 3), today)
    drill = drilldown.DRILLS["clients"]
    q = drilldown.parse_query(drill, RequestFactory().get("/?slice=hlu"), today)  # K and H
    assert (drilldown.fetch(drill, world.office.pk, q).total, drilldown.fetch(drill, world.office.pk, q).capped) == (
        2, False)
    monkeypatch.setattr(drilldown, "COUNT_CAP", 1)
    monkeypatch.setattr(drilldown, "PAGE_SIZE", 1)
    first = drilldown.fetch(drill, world.office.pk, q)
    assert (first.total, first.capped, first.client_days, len(first.rows)) == (1, True, 36, 1)
