"""The one client search (issue 14, point 1): names in any order and the way the app writes them ("Müller, Käthe"),
a birth date in German or ISO form and a Kundennummer / Aktenzeichen typed with spaces find the client in all four
search boxes (reception, case list, client list, vacancy candidates); "neu erfassen" after a search puts each part
into its field; the conditions stay on indexed columns."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.forms.intake import initial_from_search
from cases.models import Case, Client
from cases.search import parse_search, search_clients
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory
from tests.partners.factories import EmployerFactory, VacancyFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = date(1971, 4, 23)

# Each of these finds Käthe Müller and no one else (the decoys share her last name, first name or numbers' digits).
TERMS = [
    "Müller, Käthe", "Müller,Käthe", "Käthe Müller", "Müller Käthe", "mueller kaethe", "MÜLLER, KÄTHE",
    "Muller Kathe", "Müller, Käthe 23.04.1971", "23.04.1971", "23.4.71", "1971-04-23", "23 04 1971",
    "073A 654321", "073a-654321", "073 A 654 321", "50 123456/03", "50123456/03", "50-123456 / 03",
    "Müller 073A654321",
]


@pytest.fixture
def kaethe(office, fallmanager) -> Case:  # type: ignore[no-untyped-def]
    """Käthe Müller with an open case, among clients who share her last name, first name or a number's digits."""
    client = ClientFactory(contact_point=office, last_name="Müller", first_name="Käthe", birth_date=BIRTH_DATE,
                           customer_number="073A654321", file_number="50-123456/03")
    decoys = [
        ClientFactory(contact_point=office, last_name="Müller", first_name="Hans", birth_date=date(1971, 4, 24),
                      customer_number="073A654322"),
        ClientFactory(contact_point=office, last_name="Käthe", first_name="Anna", birth_date=date(1980, 1, 2),
                      file_number="50-123456/04"),
        ClientFactory(contact_point=office, last_name="Schmidt", first_name="Käthe", birth_date=date(1970, 4, 23)),
    ]
    for decoy in decoys:
        CaseFactory(client=decoy, case_manager=fallmanager)
    return CaseFactory(client=client, case_manager=fallmanager)


def _logged_in(client: HttpClient, user) -> HttpClient:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def _triage(client: HttpClient, term: str) -> list[int]:
    response = client.get(reverse("cases:triage"), {"q": term})
    assert response.status_code == 200
    return [found.pk for found in response.context["results"]]


def _client_list(client: HttpClient, term: str) -> list[int]:
    response = client.get(reverse("cases:client_list"), {"q": term})
    assert response.status_code == 200
    return [found.pk for found in response.context["page"].object_list]


def _case_list(client: HttpClient, term: str) -> list[int]:
    response = client.get(reverse("cases:case_list"), {"q": term})
    assert response.status_code == 200
    return [case.client_id for case in response.context["page"].object_list]


@pytest.mark.parametrize("term", TERMS)
def test_the_reception_search_finds_the_client_however_the_term_is_written(client, empfang, kaethe, term):
    assert _triage(_logged_in(client, empfang), term) == [kaethe.client_id]


@pytest.mark.parametrize("term", TERMS)
def test_the_client_list_finds_the_client_however_the_term_is_written(client, fallmanager, kaethe, term):
    assert _client_list(_logged_in(client, fallmanager), term) == [kaethe.client_id]


@pytest.mark.parametrize("term", TERMS)
def test_the_case_list_finds_the_client_however_the_term_is_written(client, fallmanager, kaethe, term):
    assert _case_list(_logged_in(client, fallmanager), term) == [kaethe.client_id]


@pytest.mark.parametrize("term", TERMS)
def test_the_vacancy_candidate_search_finds_the_client_however_the_term_is_written(client, make_staff, office,
                                                                                    kaethe, term):
    vermittler = make_staff(Role.ARBEITSVERMITTLER, office, "vermittler")
    vacancy = VacancyFactory(employer=EmployerFactory(contact_point=office), positions=2)
    response = _logged_in(client, vermittler).get(reverse("partners:vacancy_detail", args=[vacancy.pk]), {"q": term})
    assert response.status_code == 200
    assert [case.pk for case in response.context["candidates"]] == [kaethe.pk]


def test_every_part_of_the_term_must_match(client, fallmanager, kaethe):
    fm = _logged_in(client, fallmanager)
    assert _client_list(fm, "Müller 23.04.1970") == []  # the decoys: Hans Müller 24.04.1971, Käthe Schmidt 1970
    assert _client_list(fm, "Käthe 24.04.1971") == []
    assert _client_list(fm, "Müller, Käthe 073A654322") == []  # Hans's number


def test_an_impossible_date_or_a_term_without_content_finds_no_one(client, fallmanager, kaethe):
    fm = _logged_in(client, fallmanager)
    assert _client_list(fm, "31.02.1971") == []
    assert _client_list(fm, ", , ,") == []
    assert _client_list(fm, "mü") == []  # too short, as before


def test_the_search_stays_inside_the_own_office(client, fallmanager_other_office, kaethe):
    assert _client_list(_logged_in(client, fallmanager_other_office), "Müller, Käthe") == []


# --- "neu erfassen": the search term prefills the intake form --------------------------------------------------
@pytest.mark.parametrize(
    ("term", "last_name", "first_name"),
    [
        ("Müller, Käthe", "Müller", "Käthe"),
        ("Müller Käthe", "Müller", "Käthe"),  # the app's order: Nachname first
        ("Müller-Lüdenscheidt, Anna Maria", "Müller-Lüdenscheidt", "Anna Maria"),
        ("Müller Anna Maria", "Müller", "Anna Maria"),
    ],
)
def test_register_after_a_search_puts_the_names_into_the_right_fields(client, empfang, term, last_name, first_name):
    response = _logged_in(client, empfang).get(reverse("cases:client_create"), {"q": term, "then": "triage"})
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["last_name"].value(), form["first_name"].value()) == (last_name, first_name)


def test_register_after_a_search_puts_a_date_and_numbers_into_their_fields(client, empfang):
    response = _logged_in(client, empfang).get(
        reverse("cases:client_create"), {"q": "Müller, Käthe 23.04.1971 073A 654321"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["birth_date"].value() == BIRTH_DATE
    assert form["customer_number"].value() == "073A654321"
    assert (form["last_name"].value(), form["first_name"].value()) == ("Müller", "Käthe")
    assert 'value="1971-04-23"' in response.content.decode()  # the date picker shows it


def test_an_ambiguous_number_prefills_nothing():
    """Eight digits are a birth date (ddmmyyyy) or an Aktenzeichen: the search tries both, the form neither."""
    parsed = parse_search("23041971")
    assert [(key.birth_date, key.file_number) for key in parsed.keys] == [(BIRTH_DATE, "23-041971")]
    assert initial_from_search("23041971") == {}


# --- index use --------------------------------------------------------------------------------------------------
def _many_clients(office, count: int) -> None:  # type: ignore[no-untyped-def]
    Client.objects.bulk_create(
        Client(contact_point=office, last_name=f"Name{n:05d}", first_name="Vorname", birth_date=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
               customer_number=f"{n % 1000:03d}B{n:06d}", file_number=f"60-{n:06d}")
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_client")


def _plan(queryset) -> str:  # type: ignore[no-untyped-def]
    """EXPLAIN with sequential and plain index scans off (as ``test_case_list._plan``): what remains is a bitmap
    scan, which only an index serving the condition offers."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return str(queryset.explain())


@pytest.mark.parametrize(
    ("term", "index"),
    [
        ("Müller, Käthe", "client_name_trgm_idx"),
        ("23.04.1971", "client_office_birth_idx"),
        ("073A 654321", "client_unique_customer_number_per_office"),
        ("50 123456/03", "client_unique_file_number_per_office"),
    ],
)
def test_each_kind_of_term_is_served_by_an_index(office, kaethe, term, index):
    """Unscoped, as ``test_case_list``: in one office of a few thousand clients the planner rather reads the
    office's rows (about 1 ms for 4,000); what is pinned here is that each condition can use its index."""
    _many_clients(office, 3000)
    found = search_clients(Client.objects.all(), term)
    plan = _plan(found)
    assert index in plan, plan
    assert [client.pk for client in found] == [kaethe.client_id]


# --- property: any stored client is found by every way of writing them -----------------------------------------
_CAPITALS = "ABCDEFGHIJKLMNOPRSTUVWZÄÖÜ"
_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
_word = st.builds(lambda first, rest: first + rest, st.sampled_from(_CAPITALS), st.text(_LETTERS, min_size=1, max_size=9))
_last_names = st.lists(_word, min_size=1, max_size=2).map("-".join)  # Müller or Müller-Lüdenscheidt
_first_names = st.lists(_word, min_size=1, max_size=2).map(" ".join)  # Käthe or Anna Maria
_customer_numbers = st.from_regex(r"\A\d{3}[A-Z]\d{6}\Z")
_file_numbers = st.from_regex(r"\A\d{2}-\d{4,8}(/\d{2})?\Z")


def _with_spaces(number: str, cuts: list[int], separator: str) -> str:
    """``number`` without its hyphen and with ``separator`` at the given positions (before an Aktenzeichen's
    "/YY"): "073A 654321", "50 123456/03"."""
    compact, slash, year = number.replace("-", "").partition("/")
    for cut in sorted({c % len(compact) for c in cuts}, reverse=True):
        compact = compact[:cut] + separator + compact[cut:]
    return compact + slash + year


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    last_name=_last_names, first_name=_first_names,
    birth_date=st.dates(min_value=date(1925, 1, 1), max_value=date(2010, 12, 31)),
    customer_number=_customer_numbers, file_number=_file_numbers,
    cuts=st.lists(st.integers(min_value=1, max_value=20), max_size=3), separator=st.sampled_from([" ", "-", " - "]),
)
def test_any_stored_client_is_found_by_every_way_of_writing_them(
    office, fallmanager, last_name, first_name, birth_date, customer_number, file_number, cuts, separator
):
    with transaction.atomic():
        stored = Client.objects.create(
            contact_point=office, last_name=last_name, first_name=first_name, birth_date=birth_date,
            customer_number=customer_number, file_number=file_number,
        )
        clients = Client.objects.for_user(fallmanager)
        terms = [
            f"{last_name}, {first_name}", f"{first_name} {last_name}", f"{last_name} {first_name}".lower(),
            birth_date.strftime("%d.%m.%Y"), birth_date.isoformat(),
            _with_spaces(customer_number, cuts, separator), _with_spaces(file_number, cuts, separator),
        ]
        for term in terms:
            assert stored.pk in set(search_clients(clients, term).values_list("pk", flat=True)), term
        transaction.set_rollback(True)


def test_the_number_helper_of_the_property_test_writes_numbers_as_a_clerk_would():
    assert _with_spaces("073A654321", [4], " ") == "073A 654321"
    assert re.fullmatch(r"50 123456/03", _with_spaces("50-123456/03", [2], " "))
