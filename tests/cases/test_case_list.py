"""The case list: filters, search, sort, paging, htmx, query counts and the trigram index."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import BenefitEntitlement, BenefitKind, Case, CaseStatus, Client, Outcome, Segment
from cases.search import search_clients
from cases.selectors import capped_count, case_list
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:case_list")
ALL = {"manager": "all"}  # the whole office (a case manager's list opens on "My cases")


def names(response) -> list[str]:
    """Client names in the rows of the result table, in order."""
    html = response.content.decode()
    return re.findall(r'<tr data-testid="case-row">\s*<td><a href="[^"]+">([^<]+)</a>', html)


def case_of(office, last_name: str, first_name: str = "Anna", **kwargs) -> Case:
    return CaseFactory(client=ClientFactory(contact_point=office, last_name=last_name, first_name=first_name),
                       **kwargs)


# --- filters ------------------------------------------------------------------------------------------------
def test_the_list_shows_open_cases_of_the_own_office_by_default(fm_client, office, other_office):
    case_of(office, "Offen")
    case_of(office, "Erledigt", status=CaseStatus.CLOSED, outcome=Outcome.MOVED)
    case_of(other_office, "Fremd")
    assert names(fm_client.get(URL, ALL)) == ["Offen, Anna"]
    assert names(fm_client.get(URL, {**ALL, "status": "all"})) == ["Erledigt, Anna", "Offen, Anna"]
    assert names(fm_client.get(URL, {**ALL, "status": "closed"})) == ["Erledigt, Anna"]


def test_filter_by_status_and_segment(fm_client, office):
    case_of(office, "Planung", status=CaseStatus.PLANNING, segment=Segment.FALLMANAGEMENT)
    case_of(office, "Aufnahme", segment=Segment.BERATUNG)
    assert names(fm_client.get(URL, {**ALL, "status": "planning"})) == ["Planung, Anna"]
    assert names(fm_client.get(URL, {**ALL, "segment": "beratung"})) == ["Aufnahme, Anna"]


def test_filter_by_target_group_as_of_today(fm_client, office):
    today = timezone.localdate()
    hlu = case_of(office, "Hlu")
    kombi = case_of(office, "Kombi")
    ended = case_of(office, "Beendet")
    for case, kind, start, end in [
        (hlu, BenefitKind.HLU, date(2002, 1, 1), None),
        (kombi, BenefitKind.HLU, date(2002, 1, 1), None),
        (kombi, BenefitKind.ALHI, date(2002, 6, 1), None),
        (ended, BenefitKind.ALHI, date(2002, 1, 1), today - timedelta(days=1)),
    ]:
        BenefitEntitlement.objects.create(client=case.client, kind=kind, monthly_amount=300, start=start, end=end)
    assert names(fm_client.get(URL, {**ALL, "target_group": "hlu"})) == ["Hlu, Anna"]
    assert names(fm_client.get(URL, {**ALL, "target_group": "kombi"})) == ["Kombi, Anna"]
    assert names(fm_client.get(URL, {**ALL, "target_group": "none"})) == ["Beendet, Anna"]
    assert "Kombibezieher" in fm_client.get(URL, ALL).content.decode()


def test_filter_by_case_manager_mine_unassigned_or_a_colleague(fm_client, office, fallmanager, make_staff):
    colleague = make_staff(Role.FALLMANAGER, office)
    case_of(office, "Meiner", case_manager=fallmanager)
    case_of(office, "Kollege", case_manager=colleague)
    case_of(office, "Niemand")
    assert names(fm_client.get(URL, {"manager": "mine"})) == ["Meiner, Anna"]
    assert names(fm_client.get(URL, {"manager": "none"})) == ["Niemand, Anna"]
    assert names(fm_client.get(URL, {"manager": str(colleague.pk)})) == ["Kollege, Anna"]


def test_unknown_filter_values_fall_back_to_the_defaults(fm_client, office, fallmanager, make_staff):
    case_of(office, "Offen", case_manager=fallmanager)
    case_of(office, "Kollege", case_manager=make_staff(Role.FALLMANAGER, office))
    response = fm_client.get(URL, {"status": "bogus", "sort": "password", "page": "x", "manager": "99999"})
    assert response.status_code == 200
    assert names(response) == ["Offen, Anna"]  # the case manager's default: their own cases


# --- search -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("term", ["Müller", "Mueller", "muller", "MÜLLER", "muel", "Müller Hans"])
def test_name_search_ignores_case_and_umlaut_spelling(fm_client, office, term):
    case_of(office, "Müller", "Hans")
    case_of(office, "Meyer", "Hans")
    assert names(fm_client.get(URL, {**ALL, "q": term})) == ["Müller, Hans"]


def test_a_search_of_fewer_than_three_characters_shows_a_hint_and_no_results(fm_client, office):
    case_of(office, "Müller")
    response = fm_client.get(URL, {**ALL, "q": "mü"})
    assert names(response) == []
    assert "Bitte geben Sie mindestens 3 Zeichen ein" in response.content.decode()


def test_search_by_customer_number_and_file_number(fm_client, office):
    CaseFactory(client=ClientFactory(contact_point=office, last_name="Nummer", customer_number="073A123456"))
    CaseFactory(client=ClientFactory(contact_point=office, last_name="Akte", file_number="50-123456/03"))
    assert [n.split(",")[0] for n in names(fm_client.get(URL, {**ALL, "q": "073a123456"}))] == ["Nummer"]
    assert [n.split(",")[0] for n in names(fm_client.get(URL, {**ALL, "q": "50-123456/03"}))] == ["Akte"]


# --- sorting and paging -------------------------------------------------------------------------------------
def test_sort_by_name_opened_last_contact_and_status(fm_client, office):
    today = timezone.localdate()
    case_of(office, "Özdemir", opened_on=today - timedelta(days=5), status=CaseStatus.PLANNING,
            last_contact_on=today - timedelta(days=1))
    case_of(office, "Zander", opened_on=today - timedelta(days=9), status=CaseStatus.INTAKE)
    case_of(office, "Albrecht", opened_on=today - timedelta(days=1), status=CaseStatus.FOLLOW_UP,
            last_contact_on=today - timedelta(days=20))
    assert names(fm_client.get(URL, ALL)) == ["Albrecht, Anna", "Özdemir, Anna", "Zander, Anna"]  # Ö sorts as O
    assert names(fm_client.get(URL, {**ALL, "sort": "-name"})) == ["Zander, Anna", "Özdemir, Anna", "Albrecht, Anna"]
    assert names(fm_client.get(URL, {**ALL, "sort": "opened"})) == ["Zander, Anna", "Özdemir, Anna", "Albrecht, Anna"]
    assert names(fm_client.get(URL, {**ALL, "sort": "contact"})) == ["Zander, Anna", "Albrecht, Anna", "Özdemir, Anna"]
    assert names(fm_client.get(URL, {**ALL, "sort": "-contact"}))[0] == "Özdemir, Anna"
    assert names(fm_client.get(URL, {**ALL, "sort": "status"})) == ["Zander, Anna", "Özdemir, Anna", "Albrecht, Anna"]


def test_the_list_pages_by_25_without_counting_everything(fm_client, office):
    for n in range(26):
        case_of(office, f"Kunde{n:02d}")
    first = fm_client.get(URL, ALL)
    assert len(names(first)) == 25
    assert 'data-testid="next-page"' in first.content.decode()
    second = fm_client.get(URL, {**ALL, "page": 2})
    assert names(second) == ["Kunde25, Anna"]
    assert 'data-testid="next-page"' not in second.content.decode()


def test_counts_are_capped(office, fallmanager):
    for n in range(4):
        case_of(office, f"Kunde{n}")
    cases = case_list(user=fallmanager, office=office, day=timezone.localdate())
    assert capped_count(cases, cap=3) == (3, True)
    assert capped_count(cases, cap=10) == (4, False)


def test_an_htmx_request_gets_only_the_results(fm_client, office):
    case_of(office, "Müller")
    response = fm_client.get(URL, {**ALL, "q": "muell"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="case-results"' in body and 'hx-swap-oob="true"' in body
    assert names(response) == ["Müller, Anna"]
    assert "HX-Request" in response["Vary"]
    full = fm_client.get(URL, ALL)
    assert "<html" in full.content.decode() and 'id="case-filter"' in full.content.decode()


def test_the_list_is_in_the_menu_for_every_role_but_the_administrator(client, office, make_staff):
    client.force_login(make_staff(Role.EMPFANG, office))
    home = client.get(reverse("home")).content.decode()
    assert 'href="/faelle/"' in home and "Fälle" in home
    assert client.get(URL).status_code == 200
    client.force_login(make_staff(Role.ADMINISTRATOR, office))
    assert client.get(URL).status_code == 403


# --- performance --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [3, 30])
def test_queries_per_page_do_not_grow_with_the_rows(fm_client, office, fallmanager, rows,
                                                    django_assert_max_num_queries):
    for n in range(rows):
        case = case_of(office, f"Kunde{n:02d}", case_manager=fallmanager, segment=Segment.BERATUNG,
                       lead_agency=office.employment_agency)
        BenefitEntitlement.objects.create(client=case.client, kind=BenefitKind.HLU, monthly_amount=300,
                                          start=date(2002, 1, 1))
    fm_client.get(URL)  # warm the session
    with django_assert_max_num_queries(14):  # 12 reads, the unread-notifications badge, the list's access record
        response = fm_client.get(URL)
    assert response.status_code == 200
    assert len(names(response)) == min(rows, 25)


def _many_clients_with_cases(office, count: int) -> None:
    """Enough rows for the planner to choose as it would at a real office (a handful of rows it just loops)."""
    clients = Client.objects.bulk_create(
        Client(contact_point=office, first_name=f"Vorname{n}", last_name=f"Nachname{n:05d}",
               birth_date=date(1970, 1, 1) + timedelta(days=n))
        for n in range(count)
    )
    Case.objects.bulk_create(Case(client=c, contact_point=office, opened_on=date(2003, 1, 1)) for c in clients)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_client; ANALYZE cases_case")


def _plan(queryset) -> str:
    """EXPLAIN with sequential and plain index scans off (SET LOCAL: until the test's transaction ends).
    On a test-sized table the planner would rather loop over every row, through a full scan of the primary
    key if sequential scans are off; what is left is a bitmap scan, which only an index serving the condition
    offers. (At ~20,000 clients the planner picks the trigram index with the defaults.)"""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def test_the_case_list_name_search_is_served_by_an_index_of_the_office(office, fallmanager):
    """The case list's search reads the clients through an index that serves its conditions: the name (the
    trigram index, as ``test_the_client_search_is_served_by_the_trigram_index`` shows for the same condition) or the
    client's office, which the list names too. In a one-office test database the planner rightly reads the office's
    index; at city size it intersects both (README "Benchmark der Arbeitsseiten": 68 -> 19 ms for "Müller")."""
    _many_clients_with_cases(office, 500)
    case_of(office, "Müller")
    cases = case_list(user=fallmanager, office=office, day=timezone.localdate(), query="Mueller")
    plan = _plan(cases)
    assert re.search(r"Bitmap Index Scan on (client_name_trgm_idx|cases_client_contact_point_id\w*|client_office\w*)",
                     plan), plan
    assert "Seq Scan" not in plan, plan
    assert [case.client.last_name for case in cases] == ["Müller"]


def test_icontains_would_miss_the_trigram_index(office):
    """The control: UPPER(name_search) LIKE UPPER(...) cannot use the index, so the plan test above can fail."""
    _many_clients_with_cases(office, 500)
    plan = _plan(Client.objects.filter(name_search__icontains="muller"))
    assert "client_name_trgm_idx" not in plan, plan


def test_the_client_search_is_served_by_the_trigram_index(office):
    ClientFactory(contact_point=office, last_name="Müller")
    found = search_clients(Client.objects.all(), "Mueller")
    plan = _plan(found)
    assert "client_name_trgm_idx" in plan, plan
    assert [client.last_name for client in found] == ["Müller"]
