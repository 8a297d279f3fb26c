import datetime

import pytest
from django.urls import reverse

from cases.models import BenefitEntitlement, BenefitKind
from tests.cases.factories import (
    AppointmentFactory,
    CaseFactory,
    ClientFactory,
    ContactNoteFactory,
)

pytestmark = pytest.mark.django_db


def _client_with_history(office, fallmanager, rows: int):
    client = ClientFactory(contact_point=office)
    case = CaseFactory(client=client, contact_point=office, case_manager=fallmanager)
    for i in range(rows):
        ContactNoteFactory(case=case, author=fallmanager, sensitive=i % 2 == 0)
        AppointmentFactory(case=case, with_user=fallmanager)
    BenefitEntitlement.objects.create(
        client=client, kind=BenefitKind.HLU, monthly_amount=400, start=datetime.date(2024, 1, 1)
    )
    return client


def test_client_page_queries_do_not_grow_with_the_history(fm_client, office, fallmanager, django_assert_max_num_queries):
    small = _client_with_history(office, fallmanager, 1)
    large = _client_with_history(office, fallmanager, 20)
    # a fixed cost per section (letters, hand-overs, closure requests, the unread-notifications badge), none per entry
    with django_assert_max_num_queries(30) as few:
        assert fm_client.get(reverse("cases:client_detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = fm_client.get(reverse("cases:client_detail", args=[large.pk]))
    assert page.status_code == 200


def test_the_client_page_reads_the_clients_cases_once_for_all_sections(fm_client, office, fallmanager):
    """Every section takes the client's cases from ``cases.client_page.cases_of``: one query of case rows per page
    (the access rule's own check reads two columns, and marking a new assignment seen is an UPDATE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client_with_history(office, fallmanager, 3)
    with CaptureQueriesContext(connection) as queries:
        assert fm_client.get(reverse("cases:client_detail", args=[client.pk])).status_code == 200
    case_rows = [q["sql"] for q in queries.captured_queries
                 if 'SELECT "cases_case"."id", "cases_case"."client_id"' in q["sql"].split(" FROM ")[0]]
    assert len(case_rows) == 1, case_rows


def test_client_page_shows_every_registered_section(fm_client, office, fallmanager):
    client = _client_with_history(office, fallmanager, 2)
    html = fm_client.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    for key in ("case", "benefits", "timeline", "applications"):
        assert f'data-testid="section-{key}"' in html
    assert reverse("cases:client_edit", args=[client.pk]) in html


def test_client_list_finds_mueller_for_mueller_spelling_and_stays_in_the_office(fm_client, office, other_office):
    ClientFactory(contact_point=office, last_name="Müller", first_name="Anna")
    ClientFactory(contact_point=other_office, last_name="Müller", first_name="Berta")
    html = fm_client.get(reverse("cases:client_list"), {"q": "Mueller"}).content.decode()
    assert "Müller, Anna" in html
    assert "Müller, Berta" not in html


def test_client_list_and_search_list_by_name_then_birth_date(fm_client, office):
    """The order of the office's name index (``client_office_sort_idx``), as the case list; a search the same."""
    younger = ClientFactory(contact_point=office, last_name="Weber", first_name="Jan", birth_date=datetime.date(1990, 1, 1))
    older = ClientFactory(contact_point=office, last_name="Weber", first_name="Jan", birth_date=datetime.date(1960, 1, 1))
    first = ClientFactory(contact_point=office, last_name="Albers", first_name="Jan", birth_date=datetime.date(1999, 1, 1))
    for query in ({}, {"q": "Jan"}):
        html = fm_client.get(reverse("cases:client_list"), query).content.decode()
        links = [html.index(reverse("cases:client_detail", args=[client.pk]) + '"') for client in (first, older, younger)]
        assert links == sorted(links), query


def test_client_list_asks_for_three_characters(fm_client, office):
    ott = ClientFactory(contact_point=office, last_name="Ott")
    html = fm_client.get(reverse("cases:client_list"), {"q": "Ot"}).content.decode()
    assert "Bitte mindestens 3 Zeichen eingeben." in html
    # not listed (the page may say "Ott" elsewhere: a member of staff named Otto at random, in the header)
    assert reverse("cases:client_detail", args=[ott.pk]) not in html


def test_client_list_queries_are_constant_in_the_number_of_rows(fm_client, office, django_assert_max_num_queries):
    ClientFactory.create_batch(2, contact_point=office)
    with django_assert_max_num_queries(20) as few:
        assert fm_client.get(reverse("cases:client_list")).status_code == 200
    ClientFactory.create_batch(20, contact_point=office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fm_client.get(reverse("cases:client_list")).status_code == 200


def test_every_view_of_a_client_page_is_in_the_access_log(fm_client, office, fallmanager):
    from jobcenter.models import AccessRecord

    client = ClientFactory(contact_point=office)
    fm_client.get(reverse("cases:client_detail", args=[client.pk]))
    fm_client.get(reverse("cases:client_detail", args=[client.pk]))
    records = AccessRecord.objects.filter(client_id=client.pk)
    assert records.count() == 2
    assert {r.user for r in records} == {fallmanager}
    assert records.first().kind == AccessRecord.Kind.VIEW


def test_a_refused_view_of_another_offices_client_is_not_logged_as_access(fm_client, other_office):
    from jobcenter.models import AccessRecord

    foreign = ClientFactory(contact_point=other_office)
    assert fm_client.get(reverse("cases:client_detail", args=[foreign.pk])).status_code == 404
    assert not AccessRecord.objects.filter(client_id=foreign.pk).exists()


def test_case_page_and_full_timeline_views_are_in_the_access_log(fm_client, office, fallmanager):
    from jobcenter.models import AccessRecord

    case = CaseFactory(client=ClientFactory(contact_point=office), contact_point=office, case_manager=fallmanager)
    fm_client.get(reverse("cases:case_detail", args=[case.pk]))
    fm_client.get(reverse("cases:client_timeline", args=[case.client_id]))
    assert sorted(AccessRecord.objects.filter(client_id=case.client_id).values_list("what", flat=True)) == [
        f"Fall {case.pk}", "Kontakte und Termine",
    ]
