"""Issue 16's pages under the axe gate: a team lead records a cooperation agreement between the two demo offices
(the empty form first, so its error state is checked too), hands a client over (a date in the future is refused
first), finds the hand-over on both sides, and opens the monthly report of cross-Träger data
flows. Every page state this journey visits passes axe-core (tests/e2e/a11y.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import CaseStatus
from tests.cases.factories import CaseFactory, ClientFactory
from tests.e2e.conftest import login, wait_until_ready


@pytest.fixture
def moving_client(demo):  # type: ignore[no-untyped-def]
    """A client of the first demo office with an open case, who moves to the second office's district."""
    office = demo.offices[0]
    client = ClientFactory(contact_point=office, first_name="Heike", last_name="Umzug", customer_number="")
    CaseFactory(client=client, case_manager=demo.staff["fallmanager"], opened_on=date(2003, 2, 1),
                status=CaseStatus.PLANNING)
    return client


def test_a_team_lead_records_an_agreement_and_hands_a_client_over(page, demo, moving_client, screenshot):
    home, other = demo.offices[0], demo.offices[1]
    today = timezone.localdate()

    login(page, "teamleitung")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten")

    # 1. the agreements: none yet; the form refuses an empty submission with messages at the fields
    page.goto("/kooperationen/")
    expect(page.get_by_test_id("agreement-tabs")).to_be_visible()
    wait_until_ready(page)
    page.get_by_test_id("agreement-add").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kooperationsvereinbarung")
    wait_until_ready(page)
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot("cooperation-01-form-errors")

    # 2. recorded with the home office's employment agency and the other office's welfare agency
    page.get_by_label("Bezeichnung").fill("Kooperation Umzug Stadt/Land")
    page.get_by_label(re.compile(re.escape(home.employment_agency.name) + " – ")).check()
    page.get_by_label(re.compile(re.escape(other.welfare_agency.name) + " – ")).check()
    page.get_by_label("Gegenstand").fill("Übergabe der Akten, wenn eine Kundin in den anderen Bezirk zieht.")
    page.get_by_label(home.name, exact=True).check()
    page.get_by_label(other.name, exact=True).check()
    page.get_by_label("gültig ab").fill(date(today.year, 1, 1).isoformat())
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kooperation Umzug Stadt/Land")
    wait_until_ready(page)
    screenshot("cooperation-02-agreement")

    # 3. the hand-over: a date in the future is refused, today's goes through
    page.goto(f"/kunden/{moving_client.pk}/")
    wait_until_ready(page)
    page.get_by_test_id("handover-start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Umzug")
    wait_until_ready(page)
    page.get_by_label("übergeben am").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Übergeben").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    screenshot("cooperation-03-handover-refused")
    page.get_by_label("übergeben am").fill(today.isoformat())
    page.get_by_role("button", name="Übergeben").click()
    expect(page.get_by_test_id("handover-row").first).to_contain_text("Umzug, Heike")
    expect(page.get_by_test_id("handover-out")).to_have_count(1)
    wait_until_ready(page)
    screenshot("cooperation-04-handovers-sent")

    # 4. the cross-Träger data flows of this month
    page.goto("/erfolgsmessung/datenfluesse/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    wait_until_ready(page)
    screenshot("cooperation-05-data-flows")
