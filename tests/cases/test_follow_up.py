"""Issue 14, point 2: a hire no longer closes the case behind the case manager's back.

Recording a hire (placement result "hired") or an integration (case page) keeps the case open in follow-up
(Nachbetreuung) with the first day of work, which may lie up to six months ahead; the reports count the
integration on that day; the case and client pages show a closing checklist (open appointments, referrals,
proposals, unsigned plans, running benefits with a prompt to the Leistungssachbearbeitung); the case manager is
told on the start page; closing is the case manager's explicit step.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import BenefitEntitlement, BenefitKind, Case, CaseStatus, ContactNote, Outcome
from cases.services.cases import CaseError, change_status, close_case
from cases.services.contacts import schedule_appointment
from cases.services.follow_up import close_follow_up, record_integration
from jobcenter.roles import Role
from partners.models import ProposalResult, ReferralStatus
from partners.services.placement import propose, record_result
from reporting import store
from reporting.metrics import integrations
from reporting.periods import Month
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory
from tests.integration_plans.factories import draft_plan, ensure_notices
from tests.partners.factories import EmployerFactory, OfferFactory, ReferralFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def vermittler(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.ARBEITSVERMITTLER, office, "vermittler")


@pytest.fixture
def leistung(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.LEISTUNG, office, "leistung")


@pytest.fixture
def case(office, fallmanager):  # type: ignore[no-untyped-def]
    """An open case in implementation of an HLU recipient, managed by the office's Fallmanager."""
    client = ClientFactory(contact_point=office, last_name="Müller", first_name="Käthe")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=412,
                                      start=today() - timedelta(days=400))
    return CaseFactory(client=client, case_manager=fallmanager, status=CaseStatus.IMPLEMENTATION,
                       opened_on=today() - timedelta(days=300))


@pytest.fixture
def vacancy(office):  # type: ignore[no-untyped-def]
    return VacancyFactory(employer=EmployerFactory(contact_point=office, name="Spedition Elster"),
                          title="Lagerhelfer/in", positions=2)


def _hire(case: Case, vacancy, by, starts_on: date):  # type: ignore[no-untyped-def]
    proposal = propose(case=case, vacancy=vacancy, by=by, proposed_on=today() - timedelta(days=10))
    return record_result(proposal=proposal, result=ProposalResult.HIRED, by=by, starts_on=starts_on)


def _next_weekday_at_ten() -> datetime:
    day = today() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


# --- a hire keeps the case open, with its real start date ------------------------------------------------------
def test_a_hire_keeps_the_case_open_in_follow_up_with_a_future_first_day(case, vacancy, vermittler):
    starts = today() + timedelta(days=45)
    _hire(case, vacancy, vermittler, starts)
    case.refresh_from_db()
    assert case.is_open and case.in_follow_up
    assert (case.status, case.outcome, case.integrated_on, case.follow_up_since, case.closed_on) == (
        CaseStatus.FOLLOW_UP, Outcome.EMPLOYMENT, starts, today(), None)
    assert case.follow_up_recorded_by == vermittler


def test_the_first_day_of_work_may_lie_at_most_six_months_ahead(case, fallmanager):
    with pytest.raises(CaseError, match="höchstens sechs Monate") as refused:
        record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=today() + timedelta(days=200),
                           by=fallmanager)
    assert refused.value.field == "starts_on"
    with pytest.raises(CaseError, match="vor der Fallöffnung"):
        record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=case.opened_on - timedelta(days=1),
                           by=fallmanager)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IMPLEMENTATION
    record_integration(case=case, outcome=Outcome.TRAINING, starts_on=today() + timedelta(days=180), by=fallmanager)
    assert Case.objects.get(pk=case.pk).in_follow_up


def test_the_hire_form_ticks_nothing_and_asks_for_the_first_day(client, vermittler, case, vacancy):
    propose(case=case, vacancy=vacancy, by=vermittler)
    client.force_login(vermittler)
    page = client.get(reverse("partners:vacancy_detail", args=[vacancy.pk]))
    assert page.status_code == 200
    form = page.content.decode().split('data-testid="result-form"')[1].split("</form>")[0]
    assert "checked" not in form
    assert "Bei Arbeitsaufnahme: erster Arbeitstag" in form and "abschließen" not in form


def test_recording_the_hire_on_the_vacancy_page_tells_who_is_informed(client, vermittler, case, vacancy):
    proposal = propose(case=case, vacancy=vacancy, by=vermittler)
    client.force_login(vermittler)
    prefix = f"p{proposal.pk}"
    starts = today() + timedelta(days=20)
    response = client.post(reverse("partners:proposal_result", args=[proposal.pk]), {
        f"{prefix}-result": "hired", f"{prefix}-result_on": today().isoformat(),
        f"{prefix}-starts_on": starts.isoformat()}, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "bleibt in der Nachbetreuung offen" in content and starts.strftime("%d.%m.%Y") in content
    assert case.case_manager.get_full_name() in content and "Laufende Leistungen" in content
    assert Case.objects.get(pk=case.pk).in_follow_up


# --- the case manager records an integration on the case page -----------------------------------------------
def test_the_case_page_records_an_integration_instead_of_closing(fm_client, case):
    url = reverse("cases:case_detail", args=[case.pk])
    page = fm_client.get(url).content.decode()
    block = page.split('data-testid="record-integration"')[1].split("</details>")[0]
    assert "Erster Arbeitstag" in block and "checked" not in block
    closing = fm_client.post(reverse("cases:case_close", args=[case.pk]), {"outcome": Outcome.EMPLOYMENT})
    assert closing.status_code == 400 and "Integration erfassen" in closing.content.decode()
    assert Case.objects.get(pk=case.pk).is_open
    starts = today() + timedelta(days=14)
    response = fm_client.post(reverse("cases:case_record_integration", args=[case.pk]), {
        "outcome": Outcome.EMPLOYMENT, "starts_on": starts.isoformat(), "note": "Lagerhelferin bei Elster"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.integrated_on, case.outcome_note) == (
        CaseStatus.FOLLOW_UP, starts, "Lagerhelferin bei Elster")
    too_late = fm_client.post(reverse("cases:case_record_integration", args=[case.pk]), {
        "outcome": Outcome.EMPLOYMENT, "starts_on": (today() + timedelta(days=30)).isoformat()})
    assert too_late.status_code == 400 and "bereits eine Integration" in too_late.content.decode()


def test_follow_up_is_entered_only_by_recording_an_integration_from_any_open_status(office, fallmanager):
    for status in (CaseStatus.INTAKE, CaseStatus.PROFILING, CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION):
        case = CaseFactory(client__contact_point=office, status=status, opened_on=today() - timedelta(days=30))
        with pytest.raises(CaseError, match="Integration erfassen"):
            change_status(case=case, status=CaseStatus.FOLLOW_UP, by=fallmanager)
        record_integration(case=case, outcome=Outcome.SELF_EMPLOYMENT, starts_on=today(), by=fallmanager)
        assert Case.objects.get(pk=case.pk).status == CaseStatus.FOLLOW_UP


# --- the case stays workable ------------------------------------------------------------------------------------
def test_notes_and_appointments_remain_possible_during_follow_up(fm_client, case, vacancy, vermittler, fallmanager):
    _hire(case, vacancy, vermittler, today() + timedelta(days=10))
    response = fm_client.post(reverse("cases:note_create", args=[case.pk]), {
        "occurred_on": today().isoformat(), "channel": "phone", "text": "Arbeitsvertrag liegt vor."})
    assert response.status_code == 302
    assert ContactNote.objects.filter(case=case, text="Arbeitsvertrag liegt vor.").exists()
    appointment = schedule_appointment(case=case, by=fallmanager, starts_at=_next_weekday_at_ten(),
                                       purpose="Nachbetreuungsgespräch", with_user=fallmanager)
    assert appointment.case_id == case.pk


# --- the closing checklist --------------------------------------------------------------------------------------
def test_the_case_page_shows_the_closing_checklist(fm_client, case, fallmanager, office, vacancy, vermittler):
    ensure_notices()
    AppointmentFactory(case=case, with_user=fallmanager, purpose="Beratungsgespräch")
    ReferralFactory(case=case, offer=OfferFactory(partner__contact_point=office, title="Bewerbungstraining"),
                    status=ReferralStatus.PROPOSED)
    draft_plan(case, fallmanager)
    _hire(case, vacancy, vermittler, today() + timedelta(days=5))
    response = fm_client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    checklist = content.split('data-testid="closing-checklist"')[1].split("</section>")[0]
    for key in ("appointments", "referrals", "plans", "benefits"):
        assert f'data-testid="check-{key}" data-open="true"' in checklist, key
    assert "Beratungsgespräch" in checklist and "geplant" in checklist
    assert "Bewerbungstraining" in checklist and "Vorgeschlagen" in checklist
    assert "Hilfeplan Version 1" in checklist and "nicht unterschrieben" in checklist
    assert "HLU" in checklist and "laufend" in checklist and "Leistungssachbearbeitung" in checklist
    assert 'data-testid="check-proposals" data-open="false"' in checklist  # the hire answered the proposal
    client_page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert 'data-testid="client-follow-up"' in client_page and "Leistungssachbearbeitung" in client_page


def test_closing_is_an_explicit_step_after_the_first_day_and_with_the_open_items_confirmed(
    fm_client, case, fallmanager
):
    AppointmentFactory(case=case, with_user=fallmanager)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=today() + timedelta(days=3), by=fallmanager)
    with pytest.raises(CaseError, match="ab dem ersten Arbeitstag"):
        close_follow_up(case=case, by=fallmanager, despite_open_items=True)
    page = fm_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="close-follow-up-later"' in page and 'data-testid="close-follow-up"' not in page
    Case.objects.filter(pk=case.pk).update(integrated_on=today())  # the first day has come
    with pytest.raises(CaseError, match="Nachbetreuung und Fall abschließen"):
        close_case(case=case, outcome=Outcome.MOVED, by=fallmanager)
    url = reverse("cases:case_close", args=[case.pk])
    refused = fm_client.post(url, {"note": "Probezeit läuft"})
    assert refused.status_code == 400 and "Noch offen: 1 × Offene Termine" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).is_open
    page = fm_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    close_form = page.split('data-testid="close-follow-up"')[1].split("</form>")[0]
    assert 'name="despite_open_items"' in close_form and "checked" not in close_form
    done = fm_client.post(url, {"note": "Probezeit läuft", "despite_open_items": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.integrated_on, case.closed_on) == (
        CaseStatus.CLOSED, Outcome.EMPLOYMENT, today(), today())
    assert case.outcome_note.endswith("Probezeit läuft")


def test_going_back_to_implementation_withdraws_the_integration(case, fallmanager):
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=today(), by=fallmanager)
    change_status(case=case, status=CaseStatus.IMPLEMENTATION, by=fallmanager)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.integrated_on, case.follow_up_since) == (
        CaseStatus.IMPLEMENTATION, "", None, None)


# --- the case manager and the benefits clerks are told ------------------------------------------------------------
def _home_section(response, key):  # type: ignore[no-untyped-def]
    return next(s for s in response.context["sections"] if s["key"] == key)


def test_the_case_manager_finds_the_hire_on_the_start_page(client, case, vacancy, vermittler, fallmanager, make_staff,
                                                            office):
    starts = today() + timedelta(days=12)
    _hire(case, vacancy, vermittler, starts)
    client.force_login(fallmanager)
    response = client.get("/")
    assert response.status_code == 200
    section = _home_section(response, "my_day_follow_up")
    assert section["total"] == 1
    (item,) = section["items"]
    assert item.title == str(case.client) and item.when == starts and item.badge == "neu"
    assert "erfasst von" in item.detail and item.url == reverse("cases:case_detail", args=[case.pk])
    content = response.content.decode()
    assert "Nachbetreuung" in content and str(case.client) in content
    colleague = make_staff(Role.FALLMANAGER, office, "kollegin")
    client.force_login(colleague)
    assert _home_section(client.get("/"), "my_day_follow_up")["total"] == 0


def test_the_benefits_clerks_are_prompted_while_a_benefit_still_runs(client, case, fallmanager, leistung):
    starts = today() + timedelta(days=12)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=starts, by=fallmanager)
    client.force_login(leistung)
    section = _home_section(client.get("/"), "benefits_starting_work")
    assert [(item.title, item.when) for item in section["items"]] == [(str(case.client), starts)]
    benefit = case.client.benefits.get()
    benefit.end, benefit.end_reason = starts - timedelta(days=1), "employment"
    benefit.save()
    assert _home_section(client.get("/"), "benefits_starting_work")["total"] == 0


# --- reports --------------------------------------------------------------------------------------------------------
def test_the_integration_counts_once_on_the_first_day_of_work_open_or_closed(case, fallmanager, office):
    starts = today() - timedelta(days=2)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=starts, by=fallmanager)
    month = Month.of(starts)
    store.refresh(office.pk)
    counts = integrations.integration_counts(office.pk, month, month, today())
    assert sum(counts.values()) == 1 and {key[1] for key in counts} == {"hlu"}
    days = integrations.client_day_totals(office.pk, [Month.of(today())], today())
    assert sum(days.values()) == today().day  # the client in follow-up still counts among the clients served
    close_follow_up(case=case, by=fallmanager, despite_open_items=True)
    store.refresh(office.pk)
    assert integrations.integration_counts(office.pk, month, month, today()) == counts


def test_an_integration_ahead_counts_when_its_day_comes(case, fallmanager, office):
    starts = today() + timedelta(days=40)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=starts, by=fallmanager)
    store.refresh(office.pk)
    month = Month.of(starts)
    assert sum(integrations.integration_counts(office.pk, month, month, today()).values()) == 0
    assert sum(integrations.integration_counts(office.pk, month, month, starts).values()) == 1


def test_the_auskunft_names_the_first_day_of_work(case, fallmanager):
    from cases.auskunft import _cases

    starts = today() + timedelta(days=7)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=starts, by=fallmanager)
    (row,) = _cases(case.client)
    assert starts.strftime("%d.%m.%Y") in row


def test_the_checklist_item_links_point_where_it_is_settled(fm_client, case, fallmanager):
    AppointmentFactory(case=case, with_user=fallmanager)
    record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=today(), by=fallmanager)
    content = fm_client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    checklist = content.split('data-testid="closing-checklist"')[1].split("</section>")[0]
    links = re.findall(r'href="([^"]+)"', checklist)
    benefit = case.client.benefits.get()
    assert reverse("cases:benefit_end", args=[benefit.pk]) in links
    assert any(link.startswith("/termine/") for link in links)
