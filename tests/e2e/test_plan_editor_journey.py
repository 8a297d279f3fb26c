"""Issue 14, point 7: the plan editor marks the fields a finalise problem is about (and the summary at the top
links to them), warns when a fully booked offer is chosen (at choice and on saving, without refusing it), and its
sticky save bar never covers the field that has the keyboard focus."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from cases.models import BenefitKind
from integration_plans.models import IntegrationPlan, ObligationKind, ObligationPeriod, ServiceKind
from integration_plans.services.plans import ObligationInput, ServiceInput, StepInput
from partners.models import Offer, ReferralStatus
from tests.e2e.conftest import login
from tests.integration_plans.factories import case_with_benefits, draft_plan, ensure_notices
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

# Where the focused element and the save bar overlap after a Tab (both rectangles in viewport coordinates).
_COVERED = """
() => {
  const el = document.activeElement;
  const bar = document.querySelector(".app-save-bar");
  const form = document.querySelector(".js-plan-editor");
  if (!el || !form || !form.contains(el)) { return {inside: false}; }
  if (bar.contains(el)) { return {inside: true, inBar: true}; }
  const a = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
  const covered = a.bottom > b.top + 0.5 && a.top < b.bottom - 0.5;
  return {inside: true, inBar: false, covered, name: el.name || el.id || el.tagName, bottom: a.bottom, barTop: b.top};
}
"""


@pytest.fixture
def long_draft(demo) -> tuple[IntegrationPlan, Offer]:  # type: ignore[no-untyped-def]
    """A draft with several rows of each kind, and a fully booked offer (1 place, taken)."""
    ensure_notices()
    office, manager = demo.offices[0], demo.staff["fallmanager"]
    partner = PartnerFactory(contact_point=office, kind="qualification", name="Bildungswerk Leipzig")
    free = OfferFactory(partner=partner, title="Lagerlogistik Grundkurs", places=8)
    full = OfferFactory(partner=partner, title="Staplerschein kompakt", places=1)
    ReferralFactory(offer=full, status=ReferralStatus.ACCEPTED)
    case = case_with_benefits(office, manager, BenefitKind.HLU, last_name="Vogt", first_name="Sabine",
                              customer_number="", file_number="50-765432/03", status="planning")
    plan = draft_plan(
        case, manager,
        steps=[StepInput(None, f"Schritt {n}", None) for n in range(1, 5)],
        services=[ServiceInput(None, ServiceKind.PLACEMENT, "Vermittlungsvorschläge"),
                  ServiceInput(None, ServiceKind.QUALIFICATION, "Grundkurs", offer=free)],
        obligations=[ObligationInput(None, ObligationKind.APPLICATIONS, "Bewerbungen im Lager", 6,
                                     ObligationPeriod.MONTH, "Kopien der Anschreiben"),
                     ObligationInput(None, ObligationKind.APPLICATIONS, "Bewerbungen im Einzelhandel", 2,
                                     ObligationPeriod.MONTH, "Kopien der Anschreiben")],
    )
    return plan, full


def _tab_through(page: Any) -> tuple[int, list[str]]:
    """Tab from the first field of the editor to its end: (stops inside the editor, names of covered ones)."""
    page.locator('[name="kind"]').first.focus()
    stops, covered = 0, []
    for _ in range(200):
        state = page.evaluate(_COVERED)
        if not state["inside"]:
            break
        stops += 1
        if not state["inBar"] and state["covered"]:
            covered.append(f'{state["name"]} {state["bottom"]:.0f}/{state["barTop"]:.0f}')
        page.keyboard.press("Tab")
    return stops, covered


def test_the_editor_marks_problems_warns_on_a_full_offer_and_keeps_the_focus_visible(page, long_draft, screenshot):
    plan, full = long_draft
    page.emulate_media(reduced_motion="reduce")  # focus scrolling without animation: measured where it ends
    login(page, "fallmanager")
    page.goto(f"/hilfeplaene/{plan.pk}/bearbeiten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hilfeplan für Sabine Vogt (Version 1)")

    # 1. a fully booked offer: the option says so, choosing it shows a warning beside it, saving is allowed
    offer = page.locator('[name="services-1-offer"]')
    expect(offer.locator("option", has_text="Staplerschein kompakt")).to_have_text(
        "Staplerschein kompakt – Bildungswerk Leipzig (ausgebucht)")
    offer.select_option(label="Staplerschein kompakt – Bildungswerk Leipzig (ausgebucht)")
    note = page.get_by_test_id("services-section").get_by_test_id("offer-full").nth(1)
    expect(note).to_have_text(
        "„Staplerschein kompakt“ ist zurzeit ausgebucht (0 von 1 Plätzen frei). Sie können das Angebot trotzdem "
        "wählen; die Beauftragung kommt dann auf die Warteliste des Angebots.")
    screenshot("plan-editor-01-full-offer")
    page.get_by_test_id("save-draft").click()
    expect(page.locator(".app-messages")).to_contain_text("„Staplerschein kompakt“ ist zurzeit ausgebucht")
    expect(page.get_by_test_id("services-section").get_by_test_id("offer-full").nth(1)).to_contain_text(
        "Warteliste")  # still shown beside the saved choice
    assert IntegrationPlan.objects.get(pk=plan.pk).services.filter(offer=full).exists()

    # 2. a vague obligation: the summary links to the field, the field itself is marked with its message
    page.locator('[name="obligations-1-quantity"]').fill("")
    page.locator('[name="obligations-1-proof"]').fill("")
    page.get_by_test_id("save-finalise").click()
    link = page.get_by_test_id("finalise-problem-link")
    expect(link).to_have_text("Gegenleistung 2 („Bewerbungen im Einzelhandel“) ist nicht konkret; es fehlt: die "
                              "Anzahl und die Form des Nachweises.")
    expect(link).to_have_attribute("href", "#id_obligations-1-quantity")
    quantity = page.locator('[name="obligations-1-quantity"]')
    expect(quantity).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_obligations-1-quantity_error")).to_have_text("Fehlt noch für den Abschluss.")
    expect(page.locator("#id_obligations-1-proof_error")).to_have_text("Fehlt noch für den Abschluss.")
    expect(page.locator('[name="obligations-0-quantity"]')).not_to_have_class(re.compile("is-invalid"))
    link.click()
    expect(quantity).to_be_in_viewport()
    screenshot("plan-editor-02-marked-field")

    # 3. Tab through the whole editor at two widths: the sticky save bar never covers the focused field
    for width, height in ((1280, 860), (1024, 640)):
        page.set_viewport_size({"width": width, "height": height})
        stops, covered = _tab_through(page)
        assert stops > 40, stops
        assert covered == [], f"{len(covered)} of {stops} Tab stops under the save bar at {width}px: {covered}"
