"""No overbooking: two clerks starting the last place of an offer at the same moment, on two connections."""

import threading
import time

import pytest
from django.db import connection

from partners import selectors
from partners.errors import OfferFullError
from partners.models import Referral, ReferralStatus
from partners.services.referrals import change_status
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_starts_gets_the_last_place(office, fallmanager, monkeypatch):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office), places=2)
    ReferralFactory(offer=offer, status=ReferralStatus.STARTED)
    first, second = ReferralFactory.create_batch(2, offer=offer)

    # Widen the window between counting the taken places and writing the new status: without the row lock on
    # the offer both transactions would count one taken place and both would start.
    counted = selectors.taken_places

    def slow_count(offer_id: int) -> int:
        taken = counted(offer_id)
        time.sleep(0.4)
        return taken

    monkeypatch.setattr(selectors, "taken_places", slow_count)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def start(referral: Referral) -> None:
        try:
            barrier.wait(timeout=10)
            change_status(referral=referral, status=ReferralStatus.STARTED, by=fallmanager)
            outcomes[referral.pk] = "started"
        except OfferFullError as error:
            outcomes[referral.pk] = error.message
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=start, args=(referral,)) for referral in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert list(outcomes.values()).count("started") == 1
    refused = next(value for value in outcomes.values() if value != "started")
    assert "ausgebucht" in refused and "Warteliste" in refused
    assert Referral.objects.filter(offer=offer, status__in=["accepted", "started"]).count() == 2
