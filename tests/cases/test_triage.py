"""Reception triage: search → pick or register → record the concern and route to a case manager."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Channel, ContactNote, Segment
from cases.services.triage import TriageError, route_client
from jobcenter.roles import Role
from jobcenter.staff import ACTIVE_OFFICE_SESSION_KEY
from tests.cases.factories import ClientFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db

TRIAGE_URL = reverse("cases:triage")


@pytest.fixture
def empfang_client(client, empfang):  # type: ignore[no-untyped-def]
    client.force_login(empfang)
    return client


@pytest.fixture
def kunde(office):  # type: ignore[no-untyped-def]
    return ClientFactory(contact_point=office, last_name="Müller", first_name="Anna", birth_date=date(1980, 4, 12))


def _route(client, kunde, manager, **overrides):  # type: ignore[no-untyped-def]
    data = {"concern": "Fragt nach Kinderbetreuung", "segment": Segment.BERATUNG, "case_manager": manager.pk,
            "lead_agency": "", **overrides}
    return client.post(reverse("cases:triage_route", args=[kunde.pk]), data)


def test_search_finds_mueller_for_mueller_and_shows_the_open_case(empfang_client, kunde, office, fallmanager):
    Case.objects.create(client=kunde, contact_point=office, opened_on=date(2003, 5, 1),
                        status=CaseStatus.PROFILING, case_manager=fallmanager)
    page = empfang_client.get(TRIAGE_URL, {"q": "Mueller"}).content.decode()
    assert "Müller, Anna" in page
    assert "Profiling" in page
    assert fallmanager.get_full_name() in page
    assert reverse("cases:triage_route", args=[kunde.pk]) in page


def test_search_stays_inside_the_active_office(client, make_staff, office, other_office):
    own = ClientFactory(contact_point=office, last_name="Nordmann")
    ClientFactory(contact_point=other_office, last_name="Nordmann", first_name="Süd")
    both = make_staff(Role.EMPFANG, office)
    both.staff_profile.contact_points.add(other_office)
    client.force_login(both)
    session = client.session
    session[ACTIVE_OFFICE_SESSION_KEY] = office.pk
    session.save()
    page = client.get(TRIAGE_URL, {"q": "nordmann"}).content.decode()
    assert reverse("cases:triage_route", args=[own.pk]) in page
    assert "Nordmann, Süd" not in page


def test_a_short_term_asks_for_three_characters_and_offers_no_registration(empfang_client, kunde):
    page = empfang_client.get(TRIAGE_URL, {"q": "Mü"}).content.decode()
    assert "Bitte mindestens 3 Zeichen eingeben." in page
    assert "Müller, Anna" not in page
    assert 'data-testid="triage-register"' not in page


def test_no_match_offers_registration_with_the_typed_name(empfang_client):
    page = empfang_client.get(TRIAGE_URL, {"q": "Anna Krüger"}).content.decode()
    assert "Kein Kunde / keine Kundin zu „Anna Krüger“ gefunden." in page
    assert f"{reverse('cases:client_create')}?q=Anna%20Kr%C3%BCger&amp;then=triage" in page


def test_htmx_search_answers_with_the_results_only(empfang_client, kunde):
    response = empfang_client.get(TRIAGE_URL, {"q": "muller"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="triage-results"')
    assert "Müller, Anna" in page and "<html" not in page


def test_routing_opens_a_case_and_records_the_concern(empfang_client, empfang, kunde, office, fallmanager):
    response = _route(empfang_client, kunde, fallmanager)
    assert response["Location"] == reverse("cases:client_detail", args=[kunde.pk])
    case = Case.objects.get()
    assert (case.client, case.contact_point, case.status) == (kunde, office, CaseStatus.INTAKE)
    assert (case.segment, case.case_manager, case.opened_on) == (Segment.BERATUNG, fallmanager, timezone.localdate())
    assert case.last_contact_on == timezone.localdate()
    note = ContactNote.objects.get()
    assert (note.case, note.author, note.channel) == (case, empfang, Channel.IN_PERSON)
    assert (note.text, note.occurred_on, note.sensitive) == ("Fragt nach Kinderbetreuung", timezone.localdate(), False)
    page = empfang_client.get(response["Location"]).content.decode()
    assert "Das Anliegen wurde erfasst und Anna Müller an" in page


def test_routing_an_open_case_updates_it_instead_of_opening_another(empfang_client, kunde, office, fallmanager):
    case = Case.objects.create(client=kunde, contact_point=office, opened_on=date(2003, 1, 1),
                               status=CaseStatus.PLANNING, case_manager=fallmanager, segment=Segment.INFORMATION)
    _route(empfang_client, kunde, fallmanager, segment=Segment.FALLMANAGEMENT, lead_agency=office.welfare_agency_id)
    case.refresh_from_db()
    assert Case.objects.count() == 1
    assert (case.status, case.segment, case.lead_agency) == (
        CaseStatus.PLANNING, Segment.FALLMANAGEMENT, office.welfare_agency)
    assert case.notes.count() == 1


def test_reception_cannot_reassign_a_case_that_has_a_case_manager(empfang_client, kunde, office, fallmanager,
                                                                   make_staff):
    other_manager = make_staff(Role.FALLMANAGER, office)
    case = Case.objects.create(client=kunde, contact_point=office, opened_on=date(2003, 1, 1),
                               case_manager=fallmanager)
    response = _route(empfang_client, kunde, other_manager)  # the disabled field keeps the current manager
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.case_manager == fallmanager
    with pytest.raises(TriageError, match="Nur die Teamleitung"):
        route_client(client=kunde, office=office, receptionist=fallmanager, concern="x",
                     segment=Segment.BERATUNG, case_manager=other_manager)


def test_team_lead_may_reassign_while_routing(client, teamleitung, kunde, office, fallmanager, make_staff):
    other_manager = make_staff(Role.FALLMANAGER, office)
    case = Case.objects.create(client=kunde, contact_point=office, opened_on=date(2003, 1, 1),
                               case_manager=fallmanager)
    client.force_login(teamleitung)
    _route(client, kunde, other_manager)
    case.refresh_from_db()
    assert case.case_manager == other_manager


def test_only_case_managers_of_the_office_can_be_chosen(empfang_client, kunde, fallmanager_other_office, empfang):
    response = _route(empfang_client, kunde, fallmanager_other_office)
    assert "keine gültige Auswahl" in response.content.decode()
    response = _route(empfang_client, kunde, empfang)
    assert "keine gültige Auswahl" in response.content.decode()
    assert Case.objects.count() == 0 and ContactNote.objects.count() == 0


def test_routing_without_a_concern_is_refused_in_german(empfang_client, kunde, fallmanager):
    response = _route(empfang_client, kunde, fallmanager, concern="  ", segment="")
    page = response.content.decode()
    assert page.count("Dieses Feld ist zwingend erforderlich.") == 2
    assert Case.objects.count() == 0 and ContactNote.objects.count() == 0


def test_the_route_page_of_another_office_answers_404(empfang_client, kunde, other_office):
    foreign = ClientFactory(contact_point=other_office)
    assert_other_office_refused(empfang_client, reverse("cases:triage_route", args=[foreign.pk]),
                                own_url=reverse("cases:triage_route", args=[kunde.pk]))


def test_reception_is_in_the_navigation_of_its_roles_only(client, empfang, make_staff, office):
    client.force_login(empfang)
    assert f'href="{TRIAGE_URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(make_staff(Role.ARBEITSVERMITTLER, office))
    assert f'href="{TRIAGE_URL}"' not in client.get(reverse("home")).content.decode()
    assert client.get(TRIAGE_URL).status_code == 403


def test_search_pick_route_in_a_few_requests(empfang_client, office, fallmanager):
    """Journey: nothing found → register with the typed name → continue straight to routing."""
    page = empfang_client.get(TRIAGE_URL, {"q": "Olga Iwanow"}).content.decode()
    assert "Neu erfassen" in page
    created = empfang_client.post(reverse("cases:client_create"), {
        "last_name": "Iwanow", "first_name": "Olga", "birth_date": "1979-09-09", "postal_code": "04177",
        "household_size": "1", "children_under_15": "0", "then": "triage",
    })
    route_url = created["Location"]
    assert "Olga Iwanow" in empfang_client.get(route_url).content.decode()
    routed = empfang_client.post(route_url, {"concern": "Antrag HLU", "segment": Segment.INFORMATION,
                                             "case_manager": fallmanager.pk})
    assert routed.status_code == 302
    assert Case.objects.get().client.last_name == "Iwanow"
