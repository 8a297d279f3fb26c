"""The benchmark seeds keep the planner's statistics true while they load (``insert_select``).

A table that held rows once and was analyzed empty has a density of 0 rows per page in ``pg_class``; the planner then
takes the rows loaded in the same transaction for one row and joins them in nested loops. In the EXPLAIN guard of the
suite that turned ``refresh_target_groups`` after the seed into an UPDATE of over ten minutes (reproduced by setting
``reltuples = 0, relpages = 10`` on every table: over ten minutes before the fix, 46 s for the whole guard after)."""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Client
from jobcenter.models import ContactPoint
from reporting.management.commands.seed_reporting_bench import insert_select
from tests.cases.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _stats(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return float(cursor.fetchone()[0])


def _claim(table: str, rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = %s, relpages = 10 WHERE oid = %s::regclass", [rows, table])


def _load(office: ContactPoint, count: int) -> int:
    return insert_select(Client, {
        "contact_point_id": "%(office)s", "first_name": "'Anna'", "last_name": "'Bench ' || s.i",
        "birth_date": "date '1970-01-01'", "postal_code": "'04109'", "city": "'Benchstadt'",
        "created_at": "now()", "updated_at": "now()",
    }, "SELECT generate_series(1, %(count)s) AS i", {"office": office.pk, "count": count})


def test_a_table_analyzed_empty_is_analyzed_again_once_the_seed_loaded_it() -> None:
    office = ClientFactory().contact_point
    _claim("cases_client", 0)
    assert _load(office, 300) == 300
    assert _stats("cases_client") >= 300


def test_a_table_whose_statistics_already_hold_the_rows_is_not_analyzed_again() -> None:
    office = ClientFactory().contact_point
    _claim("cases_client", 5_000)
    _load(office, 300)
    assert _stats("cases_client") == 5_000
