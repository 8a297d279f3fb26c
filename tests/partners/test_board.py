"""The free-places board: places, taken, free and waiting from the referrals, in constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import PartnerKind, ReferralStatus
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db
BOARD = reverse("partners:offer_board")


def rows(response) -> dict[str, tuple[int, int, int, int]]:
    return {o.title: (o.places, o.taken, o.free, o.waiting) for o in response.context["page"].object_list}


def test_the_board_counts_taken_free_and_waiting(fm_client, office):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office), title="Schuldnerberatung", places=4)
    for status in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.STARTED, ReferralStatus.PROPOSED,
                   ReferralStatus.COMPLETED, ReferralStatus.ABORTED, ReferralStatus.DECLINED):
        ReferralFactory(offer=offer, status=status)
    ReferralFactory.create_batch(2, offer=offer, status=ReferralStatus.WAITING)
    assert rows(fm_client.get(BOARD)) == {"Schuldnerberatung": (4, 3, 1, 2)}


def test_the_board_shows_only_running_offers_of_the_own_office(fm_client, office, other_office):
    partner = PartnerFactory(contact_point=office)
    OfferFactory(partner=partner, title="Läuft")
    OfferFactory(partner=partner, title="Beendet", valid_until=timezone.localdate() - timedelta(days=1))
    OfferFactory(partner=partner, title="Später", valid_from=timezone.localdate() + timedelta(days=1))
    OfferFactory(partner=partner, title="Inaktiv", active=False)
    OfferFactory(partner=PartnerFactory(contact_point=office, active=False), title="Partner inaktiv")
    OfferFactory(partner=PartnerFactory(contact_point=other_office), title="Fremd")
    assert list(rows(fm_client.get(BOARD))) == ["Läuft"]


def test_filters_and_sorting(fm_client, office):
    full = OfferFactory(partner=PartnerFactory(contact_point=office), title="Voll", places=1)
    ReferralFactory(offer=full, status=ReferralStatus.STARTED)
    OfferFactory(partner=PartnerFactory(contact_point=office, kind=PartnerKind.QUALIFICATION,
                                        name="Bildungswerk Süd"), title="Staplerschein", places=9)
    assert list(rows(fm_client.get(BOARD))) == ["Staplerschein", "Voll"]  # most free places first
    assert list(rows(fm_client.get(BOARD, {"sort": "free"}))) == ["Voll", "Staplerschein"]
    assert list(rows(fm_client.get(BOARD, {"free": "on"}))) == ["Staplerschein"]
    assert list(rows(fm_client.get(BOARD, {"group": "social"}))) == ["Voll"]
    assert list(rows(fm_client.get(BOARD, {"category": "qualification"}))) == ["Staplerschein"]
    assert list(rows(fm_client.get(BOARD, {"q": "sud"}))) == ["Staplerschein"]  # partner name, umlaut folded


def test_the_board_needs_the_same_queries_for_few_and_many_offers(fm_client, office, django_assert_max_num_queries):
    partner = PartnerFactory(contact_point=office)
    for _ in range(2):
        ReferralFactory(offer=OfferFactory(partner=partner), status=ReferralStatus.STARTED)
    fm_client.get(BOARD)
    with CaptureQueriesContext(connection) as few:
        fm_client.get(BOARD)
    for index in range(30):
        offer = OfferFactory(partner=PartnerFactory(contact_point=office, name=f"Träger {index}"))
        ReferralFactory(offer=offer, status=ReferralStatus.STARTED)
        ReferralFactory(offer=offer, status=ReferralStatus.WAITING)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = fm_client.get(BOARD)
    assert len(response.context["page"].object_list) == 25
