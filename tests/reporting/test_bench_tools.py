"""The work-page benchmark tools of issue 13 on a tiny city: ``seed_city_bench`` (set-based seed, idempotent,
refuses a database not named *bench*), ``bench_pages`` (every work page answers 200 for every role that uses it
and lands in the table) and ``bench_load`` (gunicorn on loopback driven by real sessions, stopped afterwards).

The figures themselves are not asserted: they depend on the machine. The data is committed (``transaction=True``)
because gunicorn reads it from another process."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Appointment, Case, Client, ContactNote
from integration_plans.models import IntegrationPlan
from jobcenter.models import ContactPoint
from reporting.management.commands.seed_city_bench import OFFICE_PREFIX

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TINY = {"scale": 0.0005, "force": True, "no_store": True}  # 50 clients per office


def _seed(offices: int) -> str:
    out = StringIO()
    call_command("seed_city_bench", offices=offices, stdout=out, **TINY)
    return out.getvalue()


def test_seed_refuses_a_database_not_named_bench() -> None:
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_city_bench", scale=0.0005, stdout=StringIO())


def test_seed_and_every_work_page_answers_200() -> None:
    _seed(2)
    offices = ContactPoint.objects.filter(name__startswith=OFFICE_PREFIX)
    assert offices.count() == 2
    first = offices.order_by("pk").first()
    assert Client.objects.filter(contact_point=first).count() == 50
    assert ContactNote.objects.filter(case__contact_point=first).count() > 200
    assert IntegrationPlan.objects.filter(case__contact_point=first).exists()
    assert Appointment.objects.filter(case__contact_point=first).exists()
    statuses = set(Case.objects.filter(contact_point=first).values_list("status", flat=True))
    assert {"closed", "implementation"} <= statuses

    again = _seed(2)  # idempotent: nothing added
    assert again.count("already seeded") == 2
    assert Client.objects.filter(contact_point=first).count() == 50

    out = StringIO()
    call_command("bench_pages", repeat=1, warmup=0, stdout=out, stderr=StringIO())  # raises on any non-200 page
    text = out.getvalue()
    assert "| page | role | page p50 ms | SQL p50 ms | queries | ratio to admin changelist |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| page |")]
    assert "ERROR" not in text
    labels = {row.split("|")[1].strip() for row in rows}
    for page in ("start page", "case list", "case list · sort=-name", "case list · search number", "client list",
                 "client page", "case page", "timeline", "plans list", "referrals", "applications", "vacancies",
                 "partners", "free places", "Mein Tag · termine", "dashboard", "drill-down · clients",
                 "admin client changelist (this office)", "trivial: legal notices"):
        assert page in labels, page
    roles_on_start_page = {row.split("|")[2].strip() for row in rows if row.split("|")[1].strip() == "start page"}
    assert roles_on_start_page == {"Empfang", "Fallmanager", "Vermittler", "Leistung", "Teamleitung", "Admin"}
    assert re.search(r"\*\*\d+ of \d+ page rows meet the targets", text)


def test_load_drives_gunicorn_with_real_sessions() -> None:
    _seed(1)
    out = StringIO()
    call_command("bench_load", sessions=2, duration=3, workers=2, stdout=out)
    text = out.getvalue()
    mix = re.search(r"^\| work mix \| (\d+) \| ([\d.]+) \| \d+ \| \d+ \| (\d+) \|$", text, re.MULTILINE)
    trivial = re.search(r"^\| trivial page \([^)]*\) \| (\d+) \| ([\d.]+) \| \d+ \| \d+ \| (\d+) \|$", text,
                        re.MULTILINE)
    assert mix and trivial, text
    assert int(mix.group(1)) > 0 and int(trivial.group(1)) > 0
    assert mix.group(3) == "0" and trivial.group(3) == "0", text  # no errors: every request answered 200
    assert "work mix ÷ trivial page throughput" in text
