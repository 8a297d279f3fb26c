"""Journey: refer a client to debt counselling (release asked), watch the free places drop, record the partner's
feedback; propose the client for a vacancy and record the hire, which keeps the case open in follow-up."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import BenefitEntitlement, BenefitKind, CaseStatus, Outcome
from tests.cases.factories import CaseFactory, ClientFactory
from tests.e2e.conftest import login
from tests.partners.factories import (
    EmployerFactory,
    OfferFactory,
    PartnerFactory,
    VacancyFactory,
    ensure_role_groups,
)


@pytest.fixture
def role_groups(transactional_db):  # type: ignore[no-untyped-def]
    ensure_role_groups()



def test_refer_to_debt_counselling_then_place_the_client(page, role_groups, demo, screenshot):
    office = demo.offices[0]
    manager = demo.staff["fallmanager"]
    client = ClientFactory(contact_point=office, first_name="Doreen", last_name="Köhler")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=310, start=date(2002, 3, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=date(2002, 6, 1))
    debt = PartnerFactory(contact_point=office, name="Schuldnerberatung der Caritas Leipzig")
    OfferFactory(partner=debt, title="Schuldnerberatung Einzelfallhilfe", places=3)
    VacancyFactory(employer=EmployerFactory(contact_point=office, name="Spedition Elster Logistik GmbH"),
                   title="Lagerhelfer/in", acquired_by=demo.staff["vermittler"])
    today = timezone.localdate().isoformat()

    login(page, "fallmanager")
    page.goto("/angebote/")
    row = page.get_by_test_id("board-row").filter(has_text="Schuldnerberatung Einzelfallhilfe")
    expect(row.get_by_test_id("free-places")).to_have_text("3 frei")

    # refer from the client page: choose the offer, the release from confidentiality is asked for
    page.goto(f"/kunden/{client.pk}/")
    page.get_by_test_id("refer-client").click()
    page.get_by_role("link", name="Schuldnerberatung Einzelfallhilfe").click()
    consent_step = page.get_by_test_id("consent-step")
    expect(consent_step).to_contain_text("Schweigepflichtentbindung (erforderlich)")
    expect(page.get_by_test_id("paying-rule")).to_contain_text("Sozialamt der Stadt Leipzig")
    page.get_by_label("Anlass").fill("Schulden bei mehreren Gläubigern regulieren")
    page.get_by_role("button", name="Beauftragung anlegen").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # refused without the release
    consent_step.get_by_label("Erteilt am").fill(today)
    consent_step.get_by_label("Umfang und Zweck der Entbindung").fill("Schuldenregulierung, Austausch zum Verlauf")
    screenshot("partners-referral-form")
    page.get_by_role("button", name="Beauftragung anlegen").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Vorgeschlagen")
    expect(page.get_by_test_id("referral-disclosure")).to_contain_text("Schweigepflichtentbindung")

    # the partner accepts: the board's free places drop
    page.get_by_test_id("status-accepted").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Angenommen")
    page.goto("/angebote/")
    expect(row.get_by_test_id("free-places")).to_have_text("2 frei")
    expect(row.get_by_test_id("taken")).to_have_text("1")
    screenshot("partners-board-after-referral")

    # the partner reports back
    page.goto(f"/kunden/{client.pk}/")
    page.get_by_test_id("client-referral").get_by_role("link").click()
    page.get_by_label("Was der Partner zurückgemeldet hat").fill("Erstgespräch geführt, Haushaltsplan erstellt.")
    page.get_by_role("button", name="Rückmeldung erfassen").click()
    expect(page.get_by_test_id("feedback-list")).to_contain_text("Haushaltsplan erstellt")

    # placement: propose the client for the vacancy and record the hire
    page.goto("/stellen/")
    page.get_by_role("link", name="Lagerhelfer/in").click()
    page.get_by_label("Kunde mit offenem Fall").fill("Köhler")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_test_id("candidate").get_by_role("button", name="Vorschlagen").click()
    proposal = page.get_by_test_id("proposal").filter(has_text="Köhler, Doreen")
    expect(proposal.locator("input:checked")).to_have_count(0)  # nothing ticked by default (issue 14)
    proposal.get_by_label("Ergebnis").select_option("hired")
    proposal.get_by_role("button", name="Ergebnis erfassen").click()  # without the first day of work
    expect(proposal.get_by_text("Bitte geben Sie den ersten Arbeitstag an.")).to_be_visible()
    starts = timezone.localdate() + timedelta(days=30)  # the contract begins next month
    proposal.get_by_label("Ergebnis").select_option("hired")
    proposal.get_by_label("Bei Arbeitsaufnahme: erster Arbeitstag").fill(starts.isoformat())
    proposal.get_by_role("button", name="Ergebnis erfassen").click()
    expect(page.get_by_text("der Fall von Köhler, Doreen bleibt in der Nachbetreuung offen")).to_be_visible()
    expect(page.get_by_test_id("vacancy-status")).to_have_text("Besetzt")
    screenshot("partners-vacancy-hired")

    case.refresh_from_db()
    assert (case.status, case.outcome, case.integrated_on) == (CaseStatus.FOLLOW_UP, Outcome.EMPLOYMENT, starts)
    # the case page shows what is still running: the referral and the HLU, with the prompt to the benefits clerks
    page.goto(f"/faelle/{case.pk}/")
    checklist = page.get_by_test_id("closing-checklist")
    expect(checklist.get_by_test_id("check-referrals")).to_contain_text("Offene Beauftragungen")
    expect(checklist.get_by_test_id("check-benefits-hint")).to_contain_text("Leistungssachbearbeitung")
    expect(page.get_by_test_id("close-follow-up-later")).to_be_visible()  # the job has not started yet
    screenshot("partners-case-follow-up")
