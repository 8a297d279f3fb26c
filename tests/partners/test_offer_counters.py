"""The counts kept on the offer (issue 13): ``taken_count`` (referrals accepted or started) and ``waiting_count``
(on the waiting list), kept by the database from the referrals whatever writes them (partners migration 0005).
Each test writes through one path and compares the counters with a recount of the referrals."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from partners import selectors
from partners.models import DataCategory, Offer, PartnerKind, Referral, ReferralStatus
from partners.rules import TAKING_STATUSES
from partners.services.referrals import change_status, refer
from partners.services.registry import OfferData, update_offer
from tests.cases.factories import CaseFactory, ClientFactory
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def recount(offer: Offer) -> tuple[int, int]:
    """(taken, waiting) of ``offer`` counted from its referrals, the way the board counted before."""
    referrals = Referral.objects.filter(offer=offer)
    return (referrals.filter(status__in=TAKING_STATUSES).count(),
            referrals.filter(status=ReferralStatus.WAITING).count())


def kept(offer: Offer) -> tuple[int, int]:
    offer.refresh_from_db(fields=["taken_count", "waiting_count"])
    return offer.taken_count, offer.waiting_count


def assert_kept(*offers: Offer) -> None:
    for offer in offers:
        assert kept(offer) == recount(offer), offer.title


@pytest.fixture
def course(office):
    partner = PartnerFactory(contact_point=office, name="Bildungswerk", kind=PartnerKind.QUALIFICATION)
    return OfferFactory(partner=partner, title="Staplerschein", places=3)


@pytest.fixture
def other_course(course):
    return OfferFactory(partner=course.partner, title="Bewerbungstraining", places=5)


def test_the_services_keep_the_counts(course, office, fallmanager):
    cases = [CaseFactory.create(client=ClientFactory(contact_point=office), case_manager=fallmanager) for _ in range(5)]
    referrals = [refer(case=case, offer=course, purpose="Qualifizierung", shared_data=[DataCategory.IDENTITY],
                       by=fallmanager) for case in cases]  # proposed: no place taken
    assert kept(course) == (0, 0)
    change_status(referral=referrals[0], status=ReferralStatus.ACCEPTED, by=fallmanager)  # accept
    change_status(referral=referrals[1], status=ReferralStatus.STARTED, by=fallmanager)  # start
    change_status(referral=referrals[2], status=ReferralStatus.ACCEPTED, by=fallmanager)
    assert kept(course) == (3, 0) == recount(course)
    change_status(referral=referrals[3], status=ReferralStatus.WAITING, by=fallmanager)  # full: waiting list
    change_status(referral=referrals[4], status=ReferralStatus.DECLINED, by=fallmanager)
    assert kept(course) == (3, 1) == recount(course)
    change_status(referral=referrals[0], status=ReferralStatus.STARTED, by=fallmanager)  # accepted → started
    change_status(referral=referrals[1], status=ReferralStatus.COMPLETED, by=fallmanager)  # end
    change_status(referral=referrals[2], status=ReferralStatus.ABORTED, by=fallmanager)  # cancel
    assert kept(course) == (1, 1) == recount(course)
    change_status(referral=referrals[3], status=ReferralStatus.ACCEPTED, by=fallmanager)  # off the waiting list
    assert kept(course) == (2, 0) == recount(course)


def test_bulk_writes_keep_the_counts(course, other_course):
    proto = ReferralFactory.create(offer=course, status=ReferralStatus.STARTED)
    fields = {field.attname: getattr(proto, field.attname) for field in Referral._meta.concrete_fields
              if field.attname not in {"id", "office_id", "manager_id"}}
    Referral.objects.bulk_create([  # one INSERT of many rows
        Referral(**{**fields, "status": status})
        for status in [ReferralStatus.ACCEPTED] * 3 + [ReferralStatus.WAITING] * 2 + [ReferralStatus.PROPOSED]
    ])
    assert kept(course) == (4, 2) == recount(course)
    # the admin or an import: QuerySet.update across statuses and offers
    Referral.objects.filter(offer=course, status=ReferralStatus.ACCEPTED).update(status=ReferralStatus.STARTED)
    assert_kept(course, other_course)
    moved = list(Referral.objects.filter(offer=course).values_list("pk", flat=True)[:3])
    Referral.objects.filter(pk__in=moved).update(offer=other_course)
    assert_kept(course, other_course)
    Referral.objects.filter(offer=other_course).update(status=ReferralStatus.WAITING, offer=course)
    assert_kept(course, other_course)
    Referral.objects.filter(offer=course, status=ReferralStatus.WAITING).delete()
    assert_kept(course, other_course)
    assert kept(other_course) == (0, 0)


def test_plain_sql_keeps_the_counts(course, other_course):
    ended, *_ = ReferralFactory.create_batch(3, offer=course, status=ReferralStatus.ACCEPTED)
    waiting = ReferralFactory.create(offer=course, status=ReferralStatus.WAITING)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_referral SET status = 'completed' WHERE id = %s", [ended.pk])
        assert_kept(course)
        cursor.execute("UPDATE partners_referral SET offer_id = %s, status = 'started' WHERE id = %s",
                       [other_course.pk, waiting.pk])
        assert_kept(course, other_course)
        cursor.execute("UPDATE partners_referral SET status = status, purpose = 'neu'")  # no change: no count
        assert_kept(course, other_course)
        cursor.execute("DELETE FROM partners_referral WHERE offer_id = %s AND status = 'accepted'", [course.pk])
        assert_kept(course, other_course)
    assert kept(course) == (0, 0) and kept(other_course) == (1, 0)


def test_the_seeds_insert_under_replica_and_are_counted(course):
    proto = ReferralFactory.create(offer=course, status=ReferralStatus.PROPOSED)
    with transaction.atomic(), connection.cursor() as cursor:  # the benchmark seeds: INSERT … SELECT, no triggers
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("""
            INSERT INTO partners_referral (case_id, offer_id, referred_on, purpose, status, status_changed_on,
                planned_months, monthly_cost, paying_agency_id, paying_basis, paying_override_reason, shared_data,
                referred_by_id, created_at, updated_at)
            SELECT case_id, offer_id, referred_on, purpose, s.status, status_changed_on, planned_months,
                monthly_cost, paying_agency_id, paying_basis, paying_override_reason, shared_data, referred_by_id,
                created_at, updated_at
            FROM partners_referral, unnest(ARRAY['accepted', 'started', 'waiting', 'waiting', 'declined']) s(status)
            WHERE id = %s""", [proto.pk])
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert kept(course) == (2, 2) == recount(course)


def test_a_write_naming_a_count_is_corrected_from_the_referrals(course, teamleitung):
    ReferralFactory.create_batch(2, offer=course, status=ReferralStatus.STARTED)
    ReferralFactory(offer=course, status=ReferralStatus.WAITING)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_offer SET taken_count = 99, waiting_count = -1 WHERE id = %s", [course.pk])
    assert kept(course) == (2, 1)
    Offer.objects.filter(pk=course.pk).update(taken_count=0)
    assert kept(course) == (2, 1)
    stale = Offer.objects.get(pk=course.pk)  # a form holding the offer while a referral starts
    ReferralFactory(offer=course, status=ReferralStatus.ACCEPTED)
    stale.title = "Staplerschein (neu)"
    stale.save()  # names the stale counts
    assert kept(course) == (3, 1)
    update_offer(offer=stale, by=teamleitung, data=OfferData(
        title="Staplerschein", category=course.category, places=4, cost_per_month=Decimal("100.00"),
        commissionable_by=list(course.commissionable_by), valid_from=course.valid_from,
    ))
    assert kept(course) == (3, 1) == recount(course)
    created = Offer.objects.create(  # a new offer names counts too
        partner=course.partner, title="Neu", category=course.category, places=1, cost_per_month=Decimal("1.00"),
        commissionable_by=list(course.commissionable_by), valid_from=TODAY, taken_count=7, waiting_count=7,
    )
    assert kept(created) == (0, 0)


def test_the_counts_are_not_in_the_history(course):
    history = Offer.pgh_event_model  # type: ignore[attr-defined]
    events = history.objects.filter(pgh_obj_id=course.pk).count()
    ReferralFactory.create_batch(2, offer=course, status=ReferralStatus.STARTED)
    Referral.objects.filter(offer=course).update(status=ReferralStatus.COMPLETED)
    assert kept(course) == (0, 0)
    assert history.objects.filter(pgh_obj_id=course.pk).count() == events
    assert not {"taken_count", "waiting_count"} & {field.name for field in history._meta.fields}


def test_the_board_shows_the_counts(fm_client, course):
    ReferralFactory.create_batch(2, offer=course, status=ReferralStatus.STARTED)
    ReferralFactory(offer=course, status=ReferralStatus.WAITING)
    (row,) = fm_client.get(reverse("partners:offer_board")).context["page"].object_list
    assert (row.places, row.taken, row.free, row.waiting) == (3, 2, 1, 1)
    assert selectors.occupancy(course).free == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_add_up(course):
    """Two transactions starting referrals of one offer at the same time: the second waits for the first's row
    lock on the offer and then adds to the committed count."""
    first, second = ReferralFactory.create_batch(2, offer=course, status=ReferralStatus.PROPOSED)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def start(referral: Referral, hold: float) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.STARTED)
                time.sleep(hold)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=start, args=(first, 0.4)), threading.Thread(target=start, args=(second, 0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert kept(course) == (2, 0) == recount(course)
