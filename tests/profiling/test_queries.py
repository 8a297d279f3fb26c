"""Pages cost a constant number of queries, however many profilings and assessments a client has."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import ReferralStatus
from tests.profiling.factories import AssessmentFactory, SocialHistoryFactory, make_profiling

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(case, fallmanager, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        make_profiling(case, fallmanager, day=datetime.date(2003, 1, 1) + datetime.timedelta(days=30 * i),
                       confirmed=True, german="need" if i % 2 else "neutral", debts="obstacle" if i % 3 else "need")
        AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED)


@pytest.mark.parametrize("url_name", ["client", "case_profilings", "latest_detail"])
def test_constant_queries(fm_client, case, fallmanager, url_name):
    def url() -> str:
        if url_name == "client":
            return reverse("cases:client_detail", args=[case.client_id])
        if url_name == "case_profilings":
            return reverse("profiling:case_profilings", args=[case.pk])
        return reverse("profiling:profiling_detail", args=[case.profilings.order_by("-profiled_on").first().pk])

    SocialHistoryFactory(case=case, recorded_by=fallmanager)
    _grow(case, fallmanager, 2)
    few = _queries(fm_client, url())
    _grow(case, fallmanager, 8)
    many = _queries(fm_client, url())
    assert many == few, f"{url_name}: {few} queries with 2 profilings, {many} with 10"


def test_client_page_section_budget(fm_client, case, fallmanager, django_assert_max_num_queries):
    _grow(case, fallmanager, 5)
    url = reverse("cases:client_detail", args=[case.client_id])
    assert fm_client.get(url).status_code == 200
    with django_assert_max_num_queries(45):
        assert fm_client.get(url).status_code == 200


def test_start_page_worklists(fm_client, case, fallmanager, django_assert_max_num_queries):
    url = reverse("home")
    response = fm_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="home-profiling_open"' in page and "Meyer, Anna" in page and "Noch kein Profiling" in page
    with CaptureQueriesContext(connection) as few:
        assert fm_client.get(url).status_code == 200
    from tests.cases.factories import CaseFactory, ClientFactory

    for i in range(10):  # 10 more in intake, 4 of them with the category set: 7 to do, 5 shown
        other = CaseFactory(client=ClientFactory(contact_point=case.contact_point), case_manager=fallmanager)
        make_profiling(other, fallmanager, confirmed=i % 3 == 0, debts="obstacle")
    with CaptureQueriesContext(connection) as many:
        response = fm_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert 'data-testid="home-profiling_open-total">7<' in page  # the total in the same query as the rows
    assert 'data-testid="home-social_history_open"' in page


def test_start_page_card_counts_up_to_its_cap(fm_client, case, fallmanager, monkeypatch):
    """The card's total stops at ``CARD_COUNT_CAP`` (in the same query as its rows): "more than …" beyond it."""
    from jobcenter import listing
    from profiling.views import sections
    from tests.cases.factories import CaseFactory, ClientFactory

    monkeypatch.setattr(sections, "CARD_COUNT_CAP", 6)  # what the card says
    monkeypatch.setattr(listing, "CARD_COUNT_CAP", 6)  # what card_rows counts to
    for _ in range(7):  # with the fixture's case: 8 to do
        other = CaseFactory(client=ClientFactory(contact_point=case.contact_point), case_manager=fallmanager)
        make_profiling(other, fallmanager, confirmed=False, debts="obstacle")
    response = fm_client.get(reverse("home"))
    section = next(s for s in response.context["sections"] if s["key"] == "profiling_open")
    assert (len(section["items"]), section["total"], section["capped"]) == (5, 6, True)
    assert 'data-testid="home-profiling_open-total">Mehr als 6 Einträge<' in response.content.decode()
    assert section["items"][0].title == str(case.client)  # the oldest case first, as without the cap


def test_worklists_in_full(login, case, fallmanager, vermittler, office, other_case):
    from jobcenter.roles import Module
    from tests.cases.factories import CaseFactory, ClientFactory

    for _ in range(6):
        make_profiling(CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager),
                       fallmanager, debts="obstacle")
    client = login(fallmanager)
    home = client.get(reverse("home")).content.decode()
    assert reverse("profiling:worklist", args=["profiling"]) in home
    page = client.get(reverse("profiling:worklist", args=["profiling"])).content.decode()
    assert page.count("<li class=\"list-group-item") == 7 and "Fremd" not in page
    history = client.get(reverse("profiling:worklist", args=["sozialanamnese"])).content.decode()
    assert history.count("<li class=\"list-group-item") == 6  # proposed Betreuungskunden without a Sozialanamnese
    assert client.get(reverse("profiling:worklist", args=["unknown"])).status_code == 404
    assert login(vermittler).get(reverse("profiling:worklist", args=["profiling"])).status_code == 403
    office.enabled_modules = [m for m in office.enabled_modules if m != Module.SOZIALANAMNESE]
    office.save()
    assert login(fallmanager).get(reverse("profiling:worklist", args=["sozialanamnese"])).status_code == 404
