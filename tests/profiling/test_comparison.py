"""The comparison over time on the client page, the profiling page and the list of a case's profilings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.profiling.factories import make_profiling

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_profilings(case, fallmanager):  # type: ignore[no-untyped-def]
    first = make_profiling(case, fallmanager, day=datetime.date(2003, 1, 10), confirmed=True, debts="obstacle",
                           housing="need", german="need")
    second = make_profiling(case, fallmanager, day=datetime.date(2003, 2, 12), debts="need", german="need",
                            health="obstacle", motivation="strength")
    return first, second


def test_client_page_shows_the_latest_profiling_and_what_changed(fm_client, case, two_profilings):
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    section = page[page.index('data-testid="section-profiling"'):]
    assert "Letztes Profiling vom 12.02.2003" in section
    assert "Seit dem 10.01.2003" in section
    resolved = section[section.index('data-testid="comparison-resolved"'):][:300]
    assert "Behoben:</strong> Wohnen" in resolved
    assert "Verbessert:</strong> Schulden" in section
    assert "Neu:</strong> Gesundheit" in section
    assert 'data-testid="change-german"' not in section  # unchanged areas are left out of the table
    assert "Alle Profilings (2)" in section


def test_first_profiling_has_nothing_to_compare(fm_client, case, fallmanager):
    make_profiling(case, fallmanager, german="need")
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Dies ist das erste Profiling; das nächste wird damit verglichen." in page


def test_profiling_page_compares_with_the_one_before(fm_client, two_profilings):
    first, second = two_profilings
    page = fm_client.get(reverse("profiling:profiling_detail", args=[second.pk])).content.decode()
    assert "Behoben:</strong> Wohnen" in page
    page = fm_client.get(reverse("profiling:profiling_detail", args=[first.pk])).content.decode()
    assert "Dies ist das erste Profiling des Falls." in page
    assert 'data-testid="confirm-form"' not in page  # confirmed and not the latest


def test_list_of_a_cases_profilings(fm_client, case, two_profilings):
    page = fm_client.get(reverse("profiling:case_profilings", args=[case.pk])).content.decode()
    assert page.count('data-testid="profiling-row"') == 2
    assert page.index("12.02.2003") < page.index("10.01.2003")  # newest first
    assert "1 behoben" in page and "1 neu" in page and "erstes Profiling" in page


def test_client_without_profiling_offers_to_start_one(fm_client, case):
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Noch kein Profiling." in page
    assert reverse("profiling:profiling_create", args=[case.pk]) in page
