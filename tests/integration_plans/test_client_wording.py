"""What the client signs and what the partner reads (issue 14, point 6): a plan pre-filled from the profiling
prints plain German without internal ratings ("Vermittlungshemmnis", "Förderbedarf") or our internal client id,
and the purpose proposed for a referral never carries a rating or the service's free text."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from integration_plans.models import ServiceKind
from integration_plans.pdf import render_pdf
from integration_plans.services import plans as services
from integration_plans.services.plans import ServiceInput
from integration_plans.wording import CLIENT_AIMS, proposed_service_description
from profiling.models import OfferSuggestion
from profiling.rules import Dimension
from tests.integration_plans.factories import ensure_notices, full_input
from tests.partners.factories import OfferFactory, PartnerFactory
from tests.profiling.factories import make_profiling

pytestmark = pytest.mark.django_db

INTERNAL_TERMS = ("Vermittlungshemmnis", "Förderbedarf", "Hemmnis", "Kunden-Nr. (Anlaufstelle)")


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _profiled_plan(case, manager):  # type: ignore[no-untyped-def]
    """A draft pre-filled from a profiling with debts as an obstacle and care duties as a need."""
    for dimension, category, title in (("debts", "debt_counselling", "Schuldnerberatung"),
                                       ("care_duties", "childcare", "Kinderbetreuung")):
        OfferSuggestion.objects.get_or_create(dimension=dimension, offer_category=category,
                                              defaults={"title": title})
    make_profiling(case, manager, debts="obstacle", care_duties="need", confirmed=True)
    return services.create_plan(case=case, by=manager)


def test_an_agreement_prefilled_from_the_profiling_prints_plain_german_without_ratings(hlu_case, fallmanager):
    ensure_notices()
    plan = _profiled_plan(hlu_case, fallmanager)
    prefilled = [ServiceInput(None, s.kind, s.description) for s in plan.services.all()]
    assert [s.description for s in prefilled] == [
        "Unterstützung bei der Klärung Ihrer Schulden",
        "Unterstützung bei der Betreuung Ihrer Kinder oder Angehörigen",
    ]
    plan = services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager,
                               **full_input(plan, services=prefilled))
    plan = services.finalise(plan=plan, by=fallmanager, render=False)
    text = _pdf_text(render_pdf(plan.content, plan.content_sha256))
    assert "Eingliederungsvereinbarung" in text and "Anna Meyer" in text
    assert "Schuldnerberatung Unterstützung bei der Klärung Ihrer Schulden" in text
    assert "Kinderbetreuung Unterstützung bei der Betreuung Ihrer Kinder oder Angehörigen" in text
    for term in INTERNAL_TERMS:
        assert term not in text, term
    assert "Schulden:" not in text and "Pflege:" not in text  # no "area: rating" pair either


def test_the_purpose_proposed_to_the_partner_carries_no_rating_nor_the_service_text(
        fm_client, office, hlu_case, fallmanager):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office, kind="debt_counselling"),
                         title="Schuldnerberatung Einzelfallhilfe")
    plan = _profiled_plan(hlu_case, fallmanager)
    # a service as older drafts were pre-filled: the internal reason in the description
    legacy = [ServiceInput(None, ServiceKind.DEBT_COUNSELLING, "Schuldnerberatung – Schulden: Vermittlungshemmnis",
                           offer=offer)]
    plan = services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager,
                               **full_input(plan, services=legacy))
    service = plan.services.get()
    response = fm_client.get(reverse("integration_plans:service_refer", args=[plan.pk, service.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    purpose = re.search(r'<textarea name="purpose"[^>]*>(.*?)</textarea>', html, re.S)
    assert purpose is not None
    assert purpose.group(1).strip() == "Teilnahme an „Schuldnerberatung Einzelfallhilfe“ wie im Hilfeplan " \
                                      "(Version 1) vereinbart."
    assert "Vermittlungshemmnis" not in html
    assert "Beauftragung für Anna Meyer</h1>" in html  # not "Anna Meyer beauftragen" (issue 14, point 9)


def test_every_profiling_dimension_has_a_client_facing_aim_and_titles_add_only_what_the_kind_lacks():
    assert set(CLIENT_AIMS) == set(Dimension.values)
    assert proposed_service_description(kind="qualification", title="Sprachkurs Deutsch", dimension="german") == (
        "Sprachkurs Deutsch – Unterstützung beim Verbessern Ihrer Deutschkenntnisse")
    assert proposed_service_description(kind="debt_counselling", title="Schuldnerberatung", dimension="debts") == (
        "Unterstützung bei der Klärung Ihrer Schulden")
    assert proposed_service_description(kind="other_social", title="Wohnungsnotfallhilfe", dimension="") == (
        "Wohnungsnotfallhilfe")
