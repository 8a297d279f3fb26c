"""Referrals: consent, disclosure log, paying agency, lifecycle under the capacity rule, feedback, and their pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Outcome
from jobcenter.roles import Module
from partners.errors import OfferFullError, PartnerError
from partners.models import (
    Consent,
    DataCategory,
    DisclosureBasis,
    DisclosureRecord,
    PartnerKind,
    Referral,
    ReferralFeedback,
    ReferralStatus,
)
from partners.services.referrals import ConsentInput, change_status, record_feedback, refer, revoke_consent
from tests.cases.factories import CaseFactory, ClientFactory
from tests.helpers import assert_other_office_refused
from tests.partners.factories import ConsentFactory, OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SHARED = [DataCategory.IDENTITY, DataCategory.FINANCES]


@pytest.fixture
def debt_offer(office):
    return OfferFactory(partner=PartnerFactory(contact_point=office, name="Schuldnerberatung der Caritas"),
                        title="Schuldnerberatung Einzelfallhilfe", places=2)


@pytest.fixture
def course(office):
    partner = PartnerFactory(contact_point=office, name="Bildungswerk", kind=PartnerKind.QUALIFICATION)
    return OfferFactory(partner=partner, title="Staplerschein", places=3)


def _consent(**changes):
    return ConsentInput(**{"given_on": TODAY, "scope": "Schuldenregulierung", "data_categories": SHARED, **changes})


# --- consent and disclosure ---------------------------------------------------------------------------------
def test_social_services_need_a_release_from_confidentiality(open_case, debt_offer, fallmanager):
    with pytest.raises(PartnerError, match="Schweigepflichtentbindung"):
        refer(case=open_case, offer=debt_offer, purpose="Schulden", shared_data=SHARED, by=fallmanager)
    assert not Referral.objects.exists() and not DisclosureRecord.objects.exists()


def test_a_referral_records_the_new_release_and_logs_the_disclosure(open_case, debt_offer, fallmanager):
    referral = refer(case=open_case, offer=debt_offer, purpose="Schulden", shared_data=SHARED, by=fallmanager,
                     new_consent=_consent())
    consent = Consent.objects.get()
    assert (consent.client, consent.partner, consent.recorded_by) == (open_case.client, debt_offer.partner, fallmanager)
    assert referral.consent == consent and referral.status == ReferralStatus.PROPOSED
    record = DisclosureRecord.objects.get()
    assert (record.client, record.partner, record.referral, record.consent) == (
        open_case.client, debt_offer.partner, referral, consent)
    assert record.basis == DisclosureBasis.CONSENT and record.data_categories == sorted(SHARED)
    assert record.disclosed_on == TODAY and record.recorded_by == fallmanager


def test_the_release_is_a_record_of_its_own_and_can_be_reused(open_case, debt_offer, fallmanager):
    consent = ConsentFactory(client=open_case.client, partner=debt_offer.partner, given_on=TODAY - timedelta(days=5))
    referral = refer(case=open_case, offer=debt_offer, purpose="Schulden", shared_data=SHARED, by=fallmanager,
                     consent=consent)
    assert referral.consent == consent and Consent.objects.count() == 1


def test_a_release_must_cover_what_is_shared_and_be_in_force(open_case, debt_offer, fallmanager):
    consent = ConsentFactory(client=open_case.client, partner=debt_offer.partner,
                             data_categories=[DataCategory.IDENTITY])
    with pytest.raises(PartnerError, match="Schulden und finanzielle Situation"):
        refer(case=open_case, offer=debt_offer, purpose="x", shared_data=SHARED, by=fallmanager, consent=consent)
    revoke_consent(consent=consent, by=fallmanager, on=TODAY)
    with pytest.raises(PartnerError, match="nicht"):
        refer(case=open_case, offer=debt_offer, purpose="x", shared_data=[DataCategory.IDENTITY], by=fallmanager,
              consent=consent)
    other_partner = ConsentFactory(client=open_case.client, partner=PartnerFactory(contact_point=open_case.contact_point))
    with pytest.raises(PartnerError, match="anderen Kunden oder Partner"):
        refer(case=open_case, offer=debt_offer, purpose="x", shared_data=[DataCategory.IDENTITY], by=fallmanager,
              consent=other_partner)
    assert not Referral.objects.exists()


def test_job_services_go_without_consent_unless_sensitive_data_are_shared(open_case, course, fallmanager):
    with pytest.raises(PartnerError, match="Schweigepflichtentbindung"):
        refer(case=open_case, offer=course, purpose="x", shared_data=[DataCategory.IDENTITY, DataCategory.HEALTH],
              by=fallmanager)
    referral = refer(case=open_case, offer=course, purpose="Qualifizierung", by=fallmanager,
                     shared_data=[DataCategory.IDENTITY, DataCategory.CAREER])
    assert referral.consent is None
    assert DisclosureRecord.objects.get().basis == DisclosureBasis.COMMISSION


def test_the_paying_agency_follows_the_rule_and_can_be_overridden_with_a_reason(open_case, course, fallmanager):
    office = open_case.contact_point
    by_rule = refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager)
    assert by_rule.paying_agency == office.welfare_agency  # HLU only: Hilfe zur Arbeit
    assert by_rule.paying_basis == "bshg_18_20" and by_rule.monthly_cost == course.cost_per_month
    with pytest.raises(PartnerError, match="Begründen"):
        refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager,
              paying_override="arbeitsamt")
    overridden = refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager,
                       paying_override="arbeitsamt", override_reason="Kunde meldet sich arbeitslos")
    assert overridden.paying_agency == office.employment_agency and overridden.paying_overridden


def test_referrals_need_an_open_case_a_running_offer_and_the_module(open_case, course, fallmanager):
    course.valid_until = TODAY - timedelta(days=1)
    course.save()
    with pytest.raises(PartnerError, match="läuft am Datum"):
        refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager)
    course.valid_until = None
    course.save()
    office = open_case.contact_point
    office.enabled_modules = [Module.BEAUFTRAGUNG_DRITTER]  # job services need Eingliederungshilfen or this
    office.save()
    refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager)
    office.enabled_modules = [Module.PSA_ZUWEISUNG]
    office.save()
    with pytest.raises(PartnerError, match="nicht freigeschaltet"):
        refer(case=open_case, offer=course, purpose="x", shared_data=["identity"], by=fallmanager)
    closed = CaseFactory(client=ClientFactory(contact_point=office), status=CaseStatus.CLOSED,
                         outcome=Outcome.MOVED, closed_on=TODAY)
    with pytest.raises(PartnerError, match="abgeschlossen"):
        refer(case=closed, offer=course, purpose="x", shared_data=["identity"], by=fallmanager)


def test_offers_of_another_office_cannot_be_used(open_case, other_office, fallmanager):
    foreign = OfferFactory(partner=PartnerFactory(contact_point=other_office, kind=PartnerKind.QUALIFICATION))
    with pytest.raises(PartnerError, match="anderen Anlaufstelle"):
        refer(case=open_case, offer=foreign, purpose="x", shared_data=["identity"], by=fallmanager)


# --- lifecycle and capacity ---------------------------------------------------------------------------------
def test_status_moves_only_along_the_allowed_transitions(course, fallmanager):
    referral = ReferralFactory(offer=course)
    with pytest.raises(PartnerError, match="kann nicht von „Vorgeschlagen“ zu „Abgeschlossen“"):
        change_status(referral=referral, status=ReferralStatus.COMPLETED, by=fallmanager)
    for status in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED):
        referral = change_status(referral=referral, status=status, by=fallmanager)
    assert referral.status == ReferralStatus.COMPLETED and referral.status_changed_on == TODAY
    history = list(referral.events.values_list("status", flat=True))  # audit trail (pghistory)
    assert history[-4:] == ["proposed", "accepted", "started", "completed"]


def test_a_full_offer_refuses_accept_and_start_and_offers_the_waiting_list(debt_offer, fallmanager):
    ReferralFactory.create_batch(2, offer=debt_offer, status=ReferralStatus.STARTED)
    third = ReferralFactory(offer=debt_offer)
    for status in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED):
        with pytest.raises(OfferFullError, match="ausgebucht.*Warteliste"):
            change_status(referral=third, status=status, by=fallmanager)
    waiting = change_status(referral=third, status=ReferralStatus.WAITING, by=fallmanager)
    assert waiting.status == ReferralStatus.WAITING
    started = Referral.objects.filter(status=ReferralStatus.STARTED).first()
    change_status(referral=started, status=ReferralStatus.COMPLETED, by=fallmanager)  # a place frees up
    assert change_status(referral=waiting, status=ReferralStatus.ACCEPTED, by=fallmanager).status == "accepted"


def test_the_waiting_list_is_only_for_full_offers(debt_offer, fallmanager):
    with pytest.raises(PartnerError, match="noch freie Plätze"):
        change_status(referral=ReferralFactory(offer=debt_offer), status=ReferralStatus.WAITING, by=fallmanager)


def test_starting_an_accepted_referral_needs_no_further_place(debt_offer, fallmanager):
    accepted = ReferralFactory.create_batch(2, offer=debt_offer, status=ReferralStatus.ACCEPTED)
    assert change_status(referral=accepted[0], status=ReferralStatus.STARTED, by=fallmanager).status == "started"


def test_a_status_date_cannot_lie_in_the_future_or_before_the_last_change(course, fallmanager):
    referral = ReferralFactory(offer=course, referred_on=TODAY - timedelta(days=3))
    with pytest.raises(PartnerError, match="Zukunft"):
        change_status(referral=referral, status="accepted", by=fallmanager, on=TODAY + timedelta(days=1))
    with pytest.raises(PartnerError, match="vor dem letzten Statuswechsel"):
        change_status(referral=referral, status="accepted", by=fallmanager, on=TODAY - timedelta(days=4))


def test_feedback_is_recorded_and_resets_the_reminder(course, fallmanager):
    referral = ReferralFactory(offer=course, referred_on=TODAY - timedelta(days=30))
    with pytest.raises(PartnerError, match="vor der Beauftragung"):
        record_feedback(referral=referral, received_on=TODAY - timedelta(days=31), text="x", by=fallmanager)
    record_feedback(referral=referral, received_on=TODAY - timedelta(days=2), text="Teilnahme regelmäßig", by=fallmanager)
    record_feedback(referral=referral, received_on=TODAY - timedelta(days=10), text="älter", by=fallmanager)
    referral.refresh_from_db()
    assert referral.last_feedback_on == TODAY - timedelta(days=2) and ReferralFeedback.objects.count() == 2


# --- pages --------------------------------------------------------------------------------------------------
def test_the_referral_form_asks_for_the_release_and_refuses_without_it(fm_client, open_case, debt_offer):
    url = reverse("partners:referral_create", args=[open_case.pk, debt_offer.pk])
    page = fm_client.get(url).content.decode()
    assert "Schweigepflichtentbindung (erforderlich)" in page
    assert "Sozialamt" in page  # the paying agency by rule
    response = fm_client.post(url, {"referred_on": TODAY.isoformat(), "purpose": "Schulden regulieren",
                                    "planned_months": "3", "shared_data": SHARED})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert "Schulden regulieren" in response.content.decode()  # nothing typed is lost
    assert not Referral.objects.exists() and not Consent.objects.exists()


def test_the_referral_form_creates_referral_release_and_disclosure(fm_client, open_case, debt_offer):
    url = reverse("partners:referral_create", args=[open_case.pk, debt_offer.pk])
    response = fm_client.post(url, {
        "referred_on": TODAY.isoformat(), "purpose": "Schulden regulieren", "planned_months": "3",
        "shared_data": SHARED, "consent_given_on": TODAY.isoformat(), "consent_scope": "Schuldenregulierung",
        "consent_data": SHARED,
    })
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("partners:referral_detail", args=[referral.pk])
    assert referral.consent is not None and DisclosureRecord.objects.filter(referral=referral).exists()
    client_page = fm_client.get(reverse("cases:client_detail", args=[open_case.client_id])).content.decode()
    assert "Schuldnerberatung Einzelfallhilfe" in client_page and 'data-testid="disclosure-record"' in client_page


def test_a_release_wider_than_shared_data_is_refused_on_the_form(fm_client, open_case, debt_offer):
    url = reverse("partners:referral_create", args=[open_case.pk, debt_offer.pk])
    response = fm_client.post(url, {
        "referred_on": TODAY.isoformat(), "purpose": "Schulden", "planned_months": "3", "shared_data": SHARED,
        "consent_given_on": TODAY.isoformat(), "consent_scope": "Schulden", "consent_data": ["identity"],
    })
    assert response.status_code == 400 and "Die Entbindung umfasst nicht" in response.content.decode()
    assert not Consent.objects.exists()  # the release is not half-saved either


def test_a_full_offer_answers_with_the_waiting_list(fm_client, debt_offer):
    ReferralFactory.create_batch(2, offer=debt_offer, status=ReferralStatus.ACCEPTED)
    referral = ReferralFactory(offer=debt_offer)
    url = reverse("partners:referral_status", args=[referral.pk])
    response = fm_client.post(url, {"status": "started"})
    assert response.status_code == 409
    assert "ausgebucht" in response.content.decode() and 'data-testid="to-waiting-list"' in response.content.decode()
    assert fm_client.post(url, {"status": "waiting"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_feedback_form_keeps_the_text_on_error(fm_client, course):
    referral = ReferralFactory(offer=course)
    url = reverse("partners:referral_feedback", args=[referral.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = fm_client.post(url, {"received_on": future, "text": "Kunde kam pünktlich"})
    assert response.status_code == 400 and "Kunde kam pünktlich" in response.content.decode()
    assert fm_client.post(url, {"received_on": TODAY.isoformat(), "text": "Kunde kam pünktlich"}).status_code == 302
    assert ReferralFeedback.objects.get().text == "Kunde kam pünktlich"


def test_referral_urls_refuse_objects_of_another_office(fm_client, open_case, course, other_office, make_staff):
    own = ReferralFactory(offer=course, case=open_case)
    foreign_offer = OfferFactory(partner=PartnerFactory(contact_point=other_office, kind=PartnerKind.QUALIFICATION))
    foreign = ReferralFactory(offer=foreign_offer)
    foreign_consent = ConsentFactory(client=foreign.case.client)
    own_consent = ConsentFactory(client=open_case.client)
    for name in ("referral_detail", "referral_status", "referral_feedback"):
        assert_other_office_refused(fm_client, reverse(f"partners:{name}", args=[foreign.pk]),
                                    own_url=reverse(f"partners:{name}", args=[own.pk]) if name == "referral_detail"
                                    else None)
    assert_other_office_refused(fm_client, reverse("partners:referral_choose_offer", args=[foreign.case_id]),
                                own_url=reverse("partners:referral_choose_offer", args=[open_case.pk]))
    assert_other_office_refused(fm_client, reverse("partners:referral_create", args=[foreign.case_id, course.pk]),
                                own_url=reverse("partners:referral_create", args=[open_case.pk, course.pk]))
    # an own case with another office's offer
    assert fm_client.get(reverse("partners:referral_create", args=[open_case.pk, foreign_offer.pk])).status_code == 404
    assert_other_office_refused(fm_client, reverse("partners:disclosure_log", args=[foreign.case.client_id]),
                                own_url=reverse("partners:disclosure_log", args=[open_case.client_id]))
    assert_other_office_refused(fm_client, reverse("partners:consent_revoke", args=[foreign_consent.pk]))
    assert fm_client.post(reverse("partners:consent_revoke", args=[own_consent.pk])).status_code == 302
    own_consent.refresh_from_db()
    assert own_consent.revoked_on == TODAY


def test_referral_pages_vanish_when_no_referral_module_is_on(fm_client, office, open_case, course):
    referral = ReferralFactory(offer=course, case=open_case)
    office.enabled_modules = [Module.VERMITTLUNG]
    office.save()
    for url in (reverse("partners:referral_list"), reverse("partners:referral_detail", args=[referral.pk]),
                reverse("partners:referral_choose_offer", args=[open_case.pk]),
                reverse("partners:referral_create", args=[open_case.pk, course.pk])):
        assert fm_client.get(url).status_code == 404, url
    assert "Beauftragungen" not in fm_client.get(reverse("partners:partner_list")).content.decode()


def test_reception_cannot_refer(client, empfang, open_case, course):
    client.force_login(empfang)
    assert client.get(reverse("partners:referral_choose_offer", args=[open_case.pk])).status_code == 403
    assert client.get(reverse("partners:partner_list")).status_code == 200  # reading the registry is fine


def test_the_referral_list_filters_in_the_database(fm_client, office, course, fallmanager,
                                                   django_assert_max_num_queries):
    old = ReferralFactory(offer=course, referred_on=TODAY - timedelta(days=20), status=ReferralStatus.STARTED)
    fresh = ReferralFactory(offer=course, status=ReferralStatus.ACCEPTED)
    ReferralFactory(offer=course, status=ReferralStatus.COMPLETED)
    url = reverse("partners:referral_list")
    assert set(fm_client.get(url).context["page"].object_list) == {old, fresh}
    assert list(fm_client.get(url, {"overdue": "1"}).context["page"].object_list) == [old]
    assert fm_client.get(url, {"status": "all"}).context["page"].paginator.count == 3
    fm_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        fm_client.get(url, {"status": "all"})
    ReferralFactory.create_batch(20, offer=course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = fm_client.get(url, {"status": "all"})
    assert len(response.context["page"].object_list) == 23
