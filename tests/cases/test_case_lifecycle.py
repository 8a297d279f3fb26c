"""Opening, closing, reopening, assignment, steering and the history of a case; the case page and its scoping."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Outcome, Segment
from cases.selectors import case_history
from cases.services.cases import (
    CaseError,
    assign_case_manager,
    change_status,
    close_case,
    open_case,
    reopen_case,
    set_lead_agency,
    set_segment,
)
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory
from tests.factories import AgencyFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db


# --- opening and reopening ----------------------------------------------------------------------------------
def test_a_client_has_at_most_one_open_case_per_office(office, fallmanager):
    client = ClientFactory(contact_point=office)
    open_case(client=client, by=fallmanager)
    with pytest.raises(CaseError, match="bereits einen offenen Fall|already has an open case"):
        open_case(client=client, by=fallmanager)
    assert Case.objects.filter(client=client).count() == 1


def test_a_case_manager_who_opens_a_case_takes_it_on_reception_leaves_it_unassigned(office, fallmanager, empfang):
    own = open_case(client=ClientFactory(contact_point=office), by=fallmanager)
    routed = open_case(client=ClientFactory(contact_point=office), by=empfang)
    assert own.case_manager == fallmanager
    assert routed.case_manager is None
    assert (own.status, own.opened_on, own.contact_point) == (CaseStatus.INTAKE, timezone.localdate(), office)


def test_reception_can_route_to_a_case_manager_of_the_same_office_only(office, empfang, fallmanager,
                                                                       fallmanager_other_office):
    routed = open_case(client=ClientFactory(contact_point=office), by=empfang, case_manager=fallmanager,
                       segment=Segment.BERATUNG)
    assert (routed.case_manager, routed.segment) == (fallmanager, Segment.BERATUNG)
    with pytest.raises(CaseError):
        open_case(client=ClientFactory(contact_point=office), by=empfang, case_manager=fallmanager_other_office)


def test_reopening_a_closed_case_creates_a_new_case(office, fallmanager):
    client = ClientFactory(contact_point=office)
    first = open_case(client=client, by=fallmanager, segment=Segment.FALLMANAGEMENT,
                      lead_agency=office.welfare_agency)
    close_case(case=first, outcome=Outcome.MOVED, by=fallmanager)
    second = reopen_case(case=first, by=fallmanager)
    first.refresh_from_db()
    assert second.pk != first.pk
    assert (first.status, first.outcome) == (CaseStatus.CLOSED, Outcome.MOVED)
    assert (second.status, second.segment, second.lead_agency, second.case_manager) == (
        CaseStatus.INTAKE, Segment.FALLMANAGEMENT, office.welfare_agency, fallmanager
    )
    with pytest.raises(CaseError):
        reopen_case(case=second, by=fallmanager)  # still open


def test_a_closed_case_cannot_be_changed(office, fallmanager, teamleitung):
    case = CaseFactory(client__contact_point=office)
    close_case(case=case, outcome=Outcome.TRAINING, by=fallmanager)
    for write in (
        lambda: change_status(case=case, status=CaseStatus.PROFILING, by=fallmanager),
        lambda: close_case(case=case, outcome=Outcome.EMPLOYMENT, by=fallmanager),
        lambda: set_segment(case=case, segment=Segment.BERATUNG, by=fallmanager),
        lambda: assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung),
    ):
        with pytest.raises(CaseError):
            write()


# --- closing ------------------------------------------------------------------------------------------------
def test_closing_a_case_requires_an_outcome(office, fallmanager):
    case = CaseFactory(client__contact_point=office)
    with pytest.raises(CaseError, match="Ergebnis|outcome"):
        close_case(case=case, outcome="", by=fallmanager)
    assert Case.objects.get(pk=case.pk).is_open


def test_closing_without_outcome_on_the_page_shows_a_german_message_and_saves_nothing(fm_client, office):
    case = CaseFactory(client__contact_point=office)
    response = fm_client.post(reverse("cases:case_close", args=[case.pk]), {"outcome": "", "note": ""})
    assert response.status_code == 400
    assert "Für den Abschluss eines Falls ist ein Ergebnis erforderlich." in response.content.decode()
    assert Case.objects.get(pk=case.pk).is_open


def test_closing_on_the_page_records_outcome_note_and_date(fm_client, office):
    case = CaseFactory(client__contact_point=office, opened_on=date(2003, 3, 1))
    response = fm_client.post(
        reverse("cases:case_close", args=[case.pk]),
        {"outcome": Outcome.NO_COOPERATION, "note": "Drei Einladungen ohne Reaktion."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.outcome_note, case.closed_on) == (
        CaseStatus.CLOSED, Outcome.NO_COOPERATION, "Drei Einladungen ohne Reaktion.", timezone.localdate()
    )


def test_a_case_cannot_be_closed_before_it_was_opened(office, fallmanager):
    case = CaseFactory(client__contact_point=office, opened_on=date(2003, 5, 1))
    with pytest.raises(CaseError):
        close_case(case=case, outcome=Outcome.EMPLOYMENT, by=fallmanager, closed_on=date(2003, 4, 30))
    with pytest.raises(CaseError):
        close_case(case=case, outcome=Outcome.EMPLOYMENT, by=fallmanager,
                   closed_on=timezone.localdate() + timedelta(days=1))


def test_closing_with_an_unreasoned_no_cooperation_keeps_the_typed_form(fm_client, office):
    case = CaseFactory(client__contact_point=office)
    response = fm_client.post(reverse("cases:case_close", args=[case.pk]), {"outcome": Outcome.OTHER, "note": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund an" in response.content.decode()
    assert Case.objects.get(pk=case.pk).is_open


# --- assignment ---------------------------------------------------------------------------------------------
def test_only_the_team_lead_of_the_office_assigns_case_managers(office, other_office, make_staff, fallmanager,
                                                                 teamleitung):
    case = CaseFactory(client__contact_point=office)
    foreign_lead = make_staff(Role.TEAMLEITUNG, other_office)
    for not_allowed in (fallmanager, foreign_lead):
        with pytest.raises(CaseError, match="Teamleitung|team lead"):
            assign_case_manager(case=case, case_manager=fallmanager, by=not_allowed)
    assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung)
    assert Case.objects.get(pk=case.pk).case_manager == fallmanager


def test_the_assigned_person_must_be_a_case_manager_of_the_same_office(office, teamleitung, empfang,
                                                                       fallmanager_other_office):
    case = CaseFactory(client__contact_point=office)
    for not_a_case_manager_here in (empfang, fallmanager_other_office):
        with pytest.raises(CaseError):
            assign_case_manager(case=case, case_manager=not_a_case_manager_here, by=teamleitung)
    assert Case.objects.get(pk=case.pk).case_manager is None


def test_a_case_manager_cannot_reassign_through_the_page(fm_client, office, make_staff):
    case = CaseFactory(client__contact_point=office)
    colleague = make_staff(Role.FALLMANAGER, office)
    response = fm_client.post(reverse("cases:case_assign", args=[case.pk]), {"case_manager": colleague.pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).case_manager is None
    assert 'data-testid="assign-form"' not in fm_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()


def test_reassignment_is_kept_in_the_history(client, office, make_staff, teamleitung):
    first = make_staff(Role.FALLMANAGER, office, "fm-erste")
    first.first_name, first.last_name = "Erika", "Erste"
    first.save()
    second = make_staff(Role.FALLMANAGER, office, "fm-zweite")
    second.first_name, second.last_name = "Zora", "Zweite"
    second.save()
    case = CaseFactory(client__contact_point=office)
    client.force_login(teamleitung)
    for manager in (first, second):
        response = client.post(reverse("cases:case_assign", args=[case.pk]), {"case_manager": manager.pk})
        assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).case_manager == second

    history = case_history(case)
    latest = history[0]
    assert latest.actor == teamleitung.get_full_name()
    assert [(c.old, c.new) for c in latest.changes] == [("Erika Erste", "Zora Zweite")]
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Verlauf" in page and "Erika Erste" in page and "Zora Zweite" in page


# --- lead agency, segment, history --------------------------------------------------------------------------
def test_the_lead_agency_is_one_of_the_offices_two_agencies(office, fallmanager):
    case = CaseFactory(client__contact_point=office)
    with pytest.raises(CaseError):
        set_lead_agency(case=case, agency=AgencyFactory(), by=fallmanager)
    set_lead_agency(case=case, agency=office.employment_agency, by=fallmanager)
    assert Case.objects.get(pk=case.pk).lead_agency == office.employment_agency


def test_the_segment_must_be_a_known_one(office, empfang):
    case = CaseFactory(client__contact_point=office)
    with pytest.raises(CaseError):
        set_segment(case=case, segment="vip", by=empfang)
    set_segment(case=case, segment=Segment.INFORMATION, by=empfang)
    assert Case.objects.get(pk=case.pk).segment == Segment.INFORMATION


def test_the_history_lists_every_steering_change_with_who_in_one_query(office, fallmanager, teamleitung,
                                                                       django_assert_num_queries):
    case = open_case(client=ClientFactory(contact_point=office), by=fallmanager)
    change_status(case=case, status=CaseStatus.PROFILING, by=fallmanager)
    set_segment(case=case, segment=Segment.FALLMANAGEMENT, by=fallmanager)
    set_lead_agency(case=case, agency=office.welfare_agency, by=fallmanager)
    Case.objects.filter(pk=case.pk).update(last_contact_on=timezone.localdate())  # not a steering change
    close_case(case=case, outcome=Outcome.EMPLOYMENT, by=teamleitung)

    with django_assert_num_queries(1):
        history = case_history(case)

    assert [entry.opened for entry in history] == [False, False, False, False, True]
    fields = [[change.field for change in entry.changes] for entry in history]
    assert fields[:4] == [["Status", "Ergebnis"], ["Fallsteuerung"], ["Kundenstrom"], ["Status"]]
    assert history[0].actor == teamleitung.get_full_name()
    assert history[-1].actor == fallmanager.get_full_name()
    assert ("Aufnahme", "Profiling") == (history[3].changes[0].old, history[3].changes[0].new)


# --- the case page ------------------------------------------------------------------------------------------
def test_the_case_page_offers_only_the_allowed_next_statuses(fm_client, office):
    case = CaseFactory(client__contact_point=office, status=CaseStatus.PLANNING)
    page = fm_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    buttons = page.split('data-testid="status-buttons"')[1].split("</form>")[0]
    assert 'value="profiling"' in buttons and 'value="implementation"' in buttons
    assert 'value="intake"' not in buttons and 'value="follow_up"' not in buttons


def test_a_status_button_moves_the_case(fm_client, office):
    case = CaseFactory(client__contact_point=office)
    url = reverse("cases:case_change_status", args=[case.pk])
    assert fm_client.post(url, {"status": CaseStatus.PROFILING}).status_code == 302
    assert fm_client.post(url, {"status": CaseStatus.FOLLOW_UP}).status_code == 302  # refused with a message
    assert Case.objects.get(pk=case.pk).status == CaseStatus.PROFILING


def test_writes_are_post_only(fm_client, office):
    case = CaseFactory(client__contact_point=office)
    for name in ("case_change_status", "case_close", "case_set_lead_agency", "case_set_segment", "case_reopen"):
        assert fm_client.get(reverse(f"cases:{name}", args=[case.pk])).status_code == 405


def test_reading_roles_see_the_case_but_cannot_steer_it(client, office, make_staff):
    case = CaseFactory(client__contact_point=office)
    client.force_login(make_staff(Role.LEISTUNG, office))
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert 'data-testid="status-buttons"' not in page.content.decode()
    assert client.post(reverse("cases:case_change_status", args=[case.pk]), {"status": "profiling"}).status_code == 403
    client.force_login(make_staff(Role.ADMINISTRATOR, office))
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403


def test_the_client_page_shows_the_open_case_or_a_button_to_open_one(fm_client, office, fallmanager):
    client = ClientFactory(contact_point=office)
    url = reverse("cases:client_detail", args=[client.pk])
    page = fm_client.get(url).content.decode()
    assert 'data-testid="open-case"' in page
    response = fm_client.post(reverse("cases:case_open", args=[client.pk]))
    case = Case.objects.get(client=client)
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    close_case(case=case, outcome=Outcome.TRANSFERRED, by=fallmanager)
    open_case(client=client, by=fallmanager)
    page = fm_client.get(url).content.decode()
    assert 'data-testid="open-case-link"' in page and 'data-testid="closed-cases"' in page
    assert "Nicht integriert: abgegeben" in page
    assert 'data-testid="open-case"' not in page


def test_opening_a_second_case_on_the_page_is_refused_with_a_message(fm_client, office):
    case = CaseFactory(client__contact_point=office)
    response = fm_client.post(reverse("cases:case_open", args=[case.client.pk]), follow=True)
    assert "bereits einen offenen Fall" in response.content.decode()
    assert Case.objects.filter(client=case.client).count() == 1


@pytest.mark.parametrize(
    "name",
    ["case_detail", "case_change_status", "case_close", "case_set_lead_agency", "case_set_segment", "case_reopen"],
)
def test_case_urls_refuse_another_offices_case(fm_client, office, other_office, name):
    own, foreign = CaseFactory(client__contact_point=office), CaseFactory(client__contact_point=other_office)
    assert_other_office_refused(
        fm_client, reverse(f"cases:{name}", args=[foreign.pk]),
        own_url=reverse("cases:case_detail", args=[own.pk]),
    )
    assert Case.objects.get(pk=foreign.pk).status == CaseStatus.INTAKE


def test_assignment_url_refuses_another_offices_case(client, office, other_office, teamleitung):
    client.force_login(teamleitung)
    own, foreign = CaseFactory(client__contact_point=office), CaseFactory(client__contact_point=other_office)
    assert_other_office_refused(
        client, reverse("cases:case_assign", args=[foreign.pk]),
        own_url=reverse("cases:case_detail", args=[own.pk]),
    )


def test_opening_a_case_refuses_another_offices_client(fm_client, office, other_office):
    own, foreign = ClientFactory(contact_point=office), ClientFactory(contact_point=other_office)
    assert_other_office_refused(
        fm_client, reverse("cases:case_open", args=[foreign.pk]),
        own_url=reverse("cases:client_detail", args=[own.pk]),
    )
    assert not Case.objects.filter(client=foreign).exists()
