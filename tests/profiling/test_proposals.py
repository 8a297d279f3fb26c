"""The offer mapping: defaults from the data migration, edited by an administrator in the admin, read by
``latest_proposals`` (the interface for integration plans)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from partners.models import PartnerKind
from profiling.models import OfferSuggestion
from profiling.rules import Rating
from profiling.selectors import Proposal, latest_proposals, proposals_for
from tests.factories import UserFactory
from tests.profiling.factories import make_profiling
from tests.profiling.test_rules import rated

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("dimension", "rating", "category", "title"), [
    ("debts", Rating.NEED, PartnerKind.DEBT_COUNSELLING, "Schuldnerberatung"),
    ("care_duties", Rating.OBSTACLE, PartnerKind.CHILDCARE, "Kinderbetreuung"),
    ("addiction", Rating.OBSTACLE, PartnerKind.ADDICTION_COUNSELLING, "Suchtberatung"),
    ("vocational_training", Rating.NEED, PartnerKind.QUALIFICATION, "Qualifizierung / Umschulung"),
    ("schooling", Rating.OBSTACLE, PartnerKind.QUALIFICATION, "Nachholen des Schulabschlusses"),
    ("german", Rating.NEED, PartnerKind.QUALIFICATION, "Sprachkurs Deutsch"),
    ("housing", Rating.NEED, PartnerKind.OTHER_SOCIAL, "Wohnungsnotfallhilfe"),
])
def test_default_mapping(dimension, rating, category, title):
    proposals = proposals_for(rated(**{dimension: rating}))
    assert (proposals[0].offer_category, proposals[0].title, proposals[0].rating) == (category, title, rating)


def test_strengths_and_neutral_ratings_propose_nothing():
    assert proposals_for(rated(debts=Rating.STRENGTH, german=Rating.NEUTRAL)) == []


def test_need_and_obstacle_flags_of_the_mapping():
    # health: psychosocial counselling for a need, an assessment for an obstacle (defaults)
    assert [p.offer_category for p in proposals_for(rated(health=Rating.NEED))] == [PartnerKind.PSYCHOSOCIAL]
    assert [p.offer_category for p in proposals_for(rated(health=Rating.OBSTACLE))] == [PartnerKind.ASSESSMENT]


def test_obstacles_come_first_then_the_order_of_the_dimensions():
    proposals = proposals_for(rated(german=Rating.NEED, debts=Rating.OBSTACLE, schooling=Rating.NEED))
    assert [p.dimension for p in proposals] == ["debts", "schooling", "german"]
    assert proposals[0].reason == "Schulden: Vermittlungshemmnis"


def test_an_administrator_edits_the_mapping_in_the_admin(client):
    admin = UserFactory(username="admin-x", is_staff=True, is_superuser=True)
    client.force_login(admin)
    suggestion = OfferSuggestion.objects.get(dimension="debts", offer_category=PartnerKind.DEBT_COUNSELLING)
    changelist = client.get(reverse("admin:profiling_offersuggestion_changelist"))
    assert changelist.status_code == 200 and "Schuldnerberatung" in changelist.content.decode()
    url = reverse("admin:profiling_offersuggestion_change", args=[suggestion.pk])
    response = client.post(url, {"dimension": "debts", "offer_category": PartnerKind.DEBT_COUNSELLING,
                                 "title": "Insolvenzberatung", "on_need": "", "on_obstacle": "on", "active": "on",
                                 "position": "0"})
    assert response.status_code == 302
    assert proposals_for(rated(debts=Rating.NEED)) == []  # no longer proposed for a need
    assert proposals_for(rated(debts=Rating.OBSTACLE))[0].title == "Insolvenzberatung"
    OfferSuggestion.objects.create(dimension="debts", offer_category=PartnerKind.PSYCHOSOCIAL, title="Stabilisierung")
    assert [p.title for p in proposals_for(rated(debts=Rating.OBSTACLE))] == ["Insolvenzberatung", "Stabilisierung"]
    OfferSuggestion.objects.filter(dimension="debts").update(active=False)
    assert proposals_for(rated(debts=Rating.OBSTACLE)) == []


def test_latest_proposals_of_a_case(case, fallmanager, django_assert_max_num_queries):
    assert latest_proposals(case) == []
    make_profiling(case, fallmanager, day=datetime.date(2003, 1, 1), debts="obstacle")
    make_profiling(case, fallmanager, day=datetime.date(2003, 2, 1), german="need")
    with django_assert_max_num_queries(3):
        proposals = latest_proposals(case)
    assert proposals == [Proposal("german", Rating.NEED, PartnerKind.QUALIFICATION, "Sprachkurs Deutsch",
                                  "Deutschkenntnisse: Förderbedarf")]
    assert proposals[0].offer_category_label == str(PartnerKind.QUALIFICATION.label)
