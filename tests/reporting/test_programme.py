"""The joint programme (§9): the team lead's edit form and the plan against the actual figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import ProgrammeOffer, ProgrammePlan

pytestmark = pytest.mark.django_db


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "expected_hlu": 90, "expected_kombi": 40, "expected_alhi": 70, "expected_youth": 30, "caseload_ratio": 75,
        "planned_case_managers": "2.5", "note": "abgestimmt",
        "offers-TOTAL_FORMS": 3, "offers-INITIAL_FORMS": 0, "offers-MIN_NUM_FORMS": 0, "offers-MAX_NUM_FORMS": 40,
        "offers-0-category": "debt_counselling", "offers-0-agency_kind": "sozialhilfe", "offers-0-places": 20,
        "offers-0-budget": "6000",
        "offers-1-category": "qualification", "offers-1-agency_kind": "arbeitsamt", "offers-1-places": 10,
        "offers-1-budget": "",
        "offers-2-category": "", "offers-2-agency_kind": "arbeitsamt", "offers-2-places": "", "offers-2-budget": "",
    }
    data.update(changes)
    return data


def test_the_team_lead_sets_up_the_programme_and_sees_it_against_the_actuals(world, tl_client, teamleitung):
    response = tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data())
    assert response.status_code == 302
    plan = ProgrammePlan.objects.get(office=world.office, year=2003)
    assert (plan.expected_total, plan.case_managers_needed, plan.updated_by) == (200, 3, teamleitung)
    assert set(plan.offers.values_list("category", "places", "budget")) == {
        ("debt_counselling", 20, Decimal("6000.00")), ("qualification", 10, Decimal("0.00"))}
    page = tl_client.get(reverse("reporting:programme"), {"year": 2003}).content.decode()
    assert 'data-testid="managers-needed">3<' in page
    # March 2003: Ø HLU clients 36 / 31 = 1,2 (the same figure as the integration rate's denominator)
    assert "März 2003" in page and "1,2" in page
    csv = tl_client.get(reverse("reporting:programme"), {"year": 2003, "format": "csv"})
    assert "Schuldnerberatung" in csv.content.decode("utf-8-sig")


def test_saving_again_replaces_the_offer_lines(world, tl_client):
    tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data())
    tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data(**{"offers-1-category": ""}))
    assert list(ProgrammeOffer.objects.values_list("category", flat=True)) == ["debt_counselling"]


def test_young_people_cannot_outnumber_the_groups(world, tl_client):
    response = tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data(expected_youth=500))
    assert response.status_code == 400
    assert not ProgrammePlan.objects.exists()


def test_one_line_per_category_and_paying_agency(world, tl_client):
    response = tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data(**{
        "offers-1-category": "debt_counselling", "offers-1-agency_kind": "sozialhilfe"}))
    assert response.status_code == 400
    assert not ProgrammePlan.objects.exists()


def test_each_office_has_its_own_programme(world, tl_client, client, teamleitung_other_office):
    tl_client.post(reverse("reporting:programme_edit", args=[2003]), form_data())
    client.force_login(teamleitung_other_office)
    page = client.get(reverse("reporting:programme"), {"year": 2003}).content.decode()
    assert 'data-testid="no-programme"' in page


def test_only_the_team_lead_edits_the_programme(world, client, fallmanager):
    client.force_login(fallmanager)
    assert client.post(reverse("reporting:programme_edit", args=[2003]), form_data()).status_code == 403
    assert client.get(reverse("reporting:programme")).status_code == 403
