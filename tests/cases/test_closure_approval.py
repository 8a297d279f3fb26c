"""Issue 16, part 3: closure approval (per office, optional). Closing a case as not integrated waits for the
Teamleitung's confirmation; the case stays open ("Abschluss beantragt") until then; a refused closing stays open
with the reason shown; the Teamleitung's start page lists the pending confirmations; integrations close directly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases.models import Case, CaseSettings, CaseStatus, ClosureRequest, ClosureStatus, Outcome
from cases.selectors_closures import pending_closures
from cases.services.cases import CaseError, close_case
from cases.services.closures import close_or_request, confirm_closure, refuse_closure, request_closure
from cases.services.follow_up import close_follow_up, record_integration
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with override("en"):
        yield


@pytest.fixture
def case(office, fallmanager):  # type: ignore[no-untyped-def]
    return CaseFactory(client=ClientFactory(contact_point=office, last_name="Vogel"), case_manager=fallmanager,
                       opened_on=date(2002, 6, 1), status=CaseStatus.IMPLEMENTATION)


@pytest.fixture
def confirming(office):  # type: ignore[no-untyped-def]
    return CaseSettings.objects.create(contact_point=office, closure_confirmation_required=True)


def test_without_the_setting_a_case_closes_directly(case, fallmanager):
    closed = close_or_request(case=case, outcome=Outcome.MOVED, by=fallmanager)
    assert isinstance(closed, Case) and closed.status == CaseStatus.CLOSED
    assert not ClosureRequest.objects.exists()


def test_closing_as_not_integrated_is_requested_and_the_case_stays_open(case, fallmanager, confirming):
    result = close_or_request(case=case, outcome=Outcome.NO_COOPERATION, note="Drei Termine ohne Nachricht versäumt",
                              by=fallmanager)
    assert isinstance(result, ClosureRequest) and result.status == ClosureStatus.PENDING
    case.refresh_from_db()
    assert case.is_open and case.status == CaseStatus.IMPLEMENTATION and case.outcome == ""
    with pytest.raises(CaseError, match="team lead confirms"):
        close_case(case=case, outcome=Outcome.MOVED, by=fallmanager)  # the service guards the rule, too
    with pytest.raises(CaseError, match="already awaits"):
        request_closure(case=case, outcome=Outcome.MOVED, by=fallmanager)
    with pytest.raises(CaseError, match="Give the reason"):
        request_closure(case=CaseFactory(client=ClientFactory(contact_point=case.contact_point)),
                        outcome=Outcome.OTHER, by=fallmanager)


def test_the_team_lead_confirms_and_the_case_closes_as_requested(case, fallmanager, teamleitung, confirming):
    request = request_closure(case=case, outcome=Outcome.MOVED, note="Umzug nach Hamburg", by=fallmanager,
                              closed_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(CaseError, match="Only the team lead"):
        confirm_closure(case=case, by=fallmanager)
    closed = confirm_closure(case=case, by=teamleitung)
    assert (closed.status, closed.outcome, closed.outcome_note, closed.closed_on) == (
        CaseStatus.CLOSED, Outcome.MOVED, "Umzug nach Hamburg", request.closed_on)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ClosureStatus.CONFIRMED, teamleitung)
    with pytest.raises(CaseError):
        confirm_closure(case=case, by=teamleitung)


def test_a_refused_closing_stays_open_with_the_reason(client, case, fallmanager, teamleitung, confirming):
    request_closure(case=case, outcome=Outcome.NO_COOPERATION, note="Keine Mitwirkung", by=fallmanager)
    with pytest.raises(CaseError, match="Write why"):
        refuse_closure(case=case, by=teamleitung, reason="  ")
    refused = refuse_closure(case=case, by=teamleitung, reason="Erst die Anhörung durchführen.")
    assert refused.status == ClosureStatus.REFUSED
    case.refresh_from_db()
    assert case.is_open and case.closed_on is None
    client.force_login(fallmanager)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="closure-refused"' in body and "Erst die Anhörung durchführen." in body
    # it may be requested again
    assert request_closure(case=case, outcome=Outcome.MOVED, by=fallmanager).status == ClosureStatus.PENDING


def test_the_team_lead_closes_directly_and_integrations_close_as_before(case, office, fallmanager, teamleitung,
                                                                        confirming):
    assert isinstance(close_or_request(case=case, outcome=Outcome.MOVED, by=teamleitung), Case)
    other = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager,
                        opened_on=date(2002, 6, 1))
    record_integration(case=other, outcome=Outcome.EMPLOYMENT, starts_on=timezone.localdate(), by=fallmanager)
    closed = close_follow_up(case=other, by=fallmanager, despite_open_items=True)
    assert closed.status == CaseStatus.CLOSED and not ClosureRequest.objects.filter(case=other).exists()


def test_an_integration_settles_a_pending_request(case, fallmanager, confirming):
    request = request_closure(case=case, outcome=Outcome.MOVED, by=fallmanager)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=timezone.localdate(), by=fallmanager)
    request.refresh_from_db()
    assert request.status == ClosureStatus.SUPERSEDED


def test_pending_confirmations_are_listed_for_the_team_lead_only(client, office, other_office, case, fallmanager,
                                                                 teamleitung, make_staff, confirming):
    request_closure(case=case, outcome=Outcome.MOVED, by=fallmanager)
    elsewhere = CaseFactory(client=ClientFactory(contact_point=other_office, last_name="Fremd"))
    CaseSettings.objects.create(contact_point=other_office, closure_confirmation_required=True)
    request_closure(case=elsewhere, outcome=Outcome.MOVED, by=make_staff(Role.FALLMANAGER, other_office))
    assert [r.case for r in pending_closures(teamleitung, frozenset({Role.TEAMLEITUNG}), office)] == [case]
    assert not pending_closures(fallmanager, frozenset({Role.FALLMANAGER}), office).exists()

    client.force_login(teamleitung)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert 'data-testid="home-my_day_pending_closures"' in body and "Vogel" in body and "Fremd" not in body
    full = client.get(reverse("cases:my_day_list", args=["abschluesse"]))
    assert full.status_code == 200 and "Vogel" in full.content.decode()
    client.force_login(fallmanager)
    assert 'data-testid="home-my_day_pending_closures"' not in client.get(reverse("home")).content.decode()


def test_the_card_is_left_out_where_the_office_does_not_confirm_closings(client, teamleitung):
    client.force_login(teamleitung)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert 'data-testid="home-my_day_pending_closures"' not in home.content.decode()


def test_the_case_page_requests_shows_and_decides_the_closing(client, case, fallmanager, teamleitung, confirming):
    client.force_login(fallmanager)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="closing-needs-confirmation"' in page
    response = client.post(reverse("cases:case_close", args=[case.pk]),
                           {"outcome": Outcome.NO_COOPERATION, "note": "Keine Rückmeldung"})
    assert response.status_code == 302
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="closure-pending-badge"' in page and 'data-testid="closure-confirm"' not in page
    assert 'data-testid="close-case"' not in page  # no second request while one is pending
    client_page = client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert 'data-testid="client-closure-pending"' in client_page

    client.force_login(teamleitung)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="closure-confirm"' in page
    empty = client.post(reverse("cases:case_closure_refuse", args=[case.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert client.post(reverse("cases:case_closure_confirm", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.NO_COOPERATION)


def test_another_offices_team_lead_cannot_decide(client, case, fallmanager, other_office, make_staff, confirming):
    request_closure(case=case, outcome=Outcome.MOVED, by=fallmanager)
    stranger = make_staff(Role.TEAMLEITUNG, other_office)
    client.force_login(stranger)
    assert client.post(reverse("cases:case_closure_confirm", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:case_closure_refuse", args=[case.pk]), {"reason": "x"}).status_code == 404
    case.refresh_from_db()
    assert case.is_open
