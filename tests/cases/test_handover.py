"""Hand-over of a client to another contact point under a cooperation agreement (docs/domain.md §3a): the
agreement's period bounds it, it moves the client with the cases and documents in one transaction, it is recorded
on both sides and audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AppointmentOutcome,
    BenefitEntitlement,
    BenefitKind,
    CancelledBy,
    Case,
    CaseStatus,
    Client,
    Outcome,
)
from cases.models_handover import HandOver
from cases.services.handover import HandOverError, hand_over
from jobcenter import documents
from jobcenter.cooperation.services import end_agreement
from jobcenter.models import CooperationAgreement
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, BenefitApplicationFactory, CaseFactory, ClientFactory
from tests.factories import ContactPointFactory
from tests.integration_plans.factories import final_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def agreement_between(*offices, valid_from=TODAY - 30 * DAY, valid_until=None, title="Kooperation Nord/Süd"):  # type: ignore[no-untyped-def]
    agreement = CooperationAgreement.objects.create(title=title, scope="Übergaben bei Umzug", valid_from=valid_from,
                                                    valid_until=valid_until)
    agreement.parties.set([office.welfare_agency for office in offices])
    agreement.contact_points.set(offices)
    return agreement


@pytest.fixture
def moving(office, fallmanager):  # type: ignore[no-untyped-def]
    """A client of ``office`` with an open case (the office's case manager, the Sozialamt steering), a closed case,
    a benefit, an application and an appointment ahead."""
    client = ClientFactory(contact_point=office, last_name="Umzug", customer_number="073A123456")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=Decimal(300),
                                      start=datetime.date(2002, 1, 1))
    CaseFactory(client=client, status=CaseStatus.CLOSED, outcome=Outcome.MOVED, opened_on=datetime.date(2001, 1, 1),
                closed_on=datetime.date(2001, 6, 1))
    case = CaseFactory(client=client, case_manager=fallmanager, lead_agency=office.welfare_agency,
                       opened_on=datetime.date(2002, 6, 1))
    AppointmentFactory(case=case, with_user=fallmanager)
    BenefitApplicationFactory(client=client, received_by=fallmanager)
    return client


# --- the agreement's period bounds the hand-over --------------------------------------------------------------
@pytest.mark.parametrize(("valid_from", "valid_until", "allowed"), [
    (TODAY - 30 * DAY, None, True),  # open-ended, started
    (TODAY, TODAY, True),  # a one-day agreement: both ends count
    (TODAY + DAY, None, False),  # not yet valid
    (TODAY - 30 * DAY, TODAY - DAY, False),  # ended yesterday
])
def test_the_agreements_period_bounds_the_hand_over(  # type: ignore[no-untyped-def]
        moving, office, other_office, teamleitung, valid_from, valid_until, allowed):
    agreement_between(office, other_office, valid_from=valid_from, valid_until=valid_until)
    if allowed:
        hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)
        assert Client.objects.get(pk=moving.pk).contact_point == other_office
    else:
        with pytest.raises(HandOverError, match="gültig") as refused:
            hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)
        assert refused.value.field == "handed_over_on"
        assert Client.objects.get(pk=moving.pk).contact_point == office
        assert not HandOver.objects.exists()


def test_a_hand_over_dated_before_or_after_the_period_is_refused_and_inside_it_allowed(  # type: ignore[no-untyped-def]
        moving, office, other_office, teamleitung):
    agreement_between(office, other_office, valid_from=TODAY - 20 * DAY, valid_until=TODAY - 10 * DAY)
    for day in (TODAY - 21 * DAY, TODAY - 9 * DAY):
        with pytest.raises(HandOverError):
            hand_over(client=moving, to_office=other_office, on=day, note="", by=teamleitung)
    handover = hand_over(client=moving, to_office=other_office, on=TODAY - 15 * DAY, note="", by=teamleitung)
    assert handover.handed_over_on == TODAY - 15 * DAY


def test_an_ended_agreement_refuses_the_hand_over_with_a_clear_german_message(  # type: ignore[no-untyped-def]
        client, moving, office, other_office, teamleitung):
    agreement = agreement_between(office, other_office)
    end_agreement(agreement=agreement, until=TODAY - DAY, reason="gekündigt")
    client.force_login(teamleitung)
    response = client.post(reverse("cases:handover_create", args=[moving.pk]),
                           {"to_office": other_office.pk, "handed_over_on": TODAY.isoformat(), "note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keine Kooperationsvereinbarung zwischen" in html
    assert f"am {TODAY:%d.%m.%Y} gültig" in html
    assert Client.objects.get(pk=moving.pk).contact_point == office


def test_without_any_agreement_the_client_cannot_be_handed_over(moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    with pytest.raises(HandOverError, match="Keine Kooperationsvereinbarung umfasst") as refused:
        hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)
    assert refused.value.field == "to_office"


def test_an_agreement_that_does_not_cover_the_sending_office_does_not_count(  # type: ignore[no-untyped-def]
        moving, office, other_office, teamleitung):
    agreement_between(other_office, ContactPointFactory())
    with pytest.raises(HandOverError, match="Keine Kooperationsvereinbarung umfasst"):
        hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)


def test_a_hand_over_cannot_be_dated_in_the_future(moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    with pytest.raises(HandOverError, match="Zukunft"):
        hand_over(client=moving, to_office=other_office, on=TODAY + DAY, note="", by=teamleitung)


def test_a_customer_number_taken_at_the_receiving_office_is_refused(moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    ClientFactory(contact_point=other_office, customer_number=moving.customer_number)
    with pytest.raises(HandOverError, match="073A123456"):
        hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)
    assert Case.objects.filter(client=moving, contact_point=office).count() == 2


def test_only_staff_of_the_sending_office_may_hand_over(moving, office, other_office, make_staff):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    with pytest.raises(HandOverError, match="Nur ein Fallmanager"):
        hand_over(client=moving, to_office=other_office, on=TODAY, note="",
                  by=make_staff(Role.TEAMLEITUNG, other_office))


# --- what moves ------------------------------------------------------------------------------------------------
def test_the_hand_over_moves_the_client_cases_applications_and_documents(  # type: ignore[no-untyped-def]
        moving, office, other_office, teamleitung, fallmanager, make_staff, settings, tmp_path, client):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    agreement = agreement_between(office, other_office)
    open_case = Case.objects.get(client=moving, status=CaseStatus.INTAKE)
    plan = final_plan(open_case, fallmanager)
    plan.document = documents.store(key=f"test:{plan.pk}:agreement", kind="test", data=b"%PDF-1.4 Vereinbarung",
                                    filename="vereinbarung.pdf")
    plan.save(update_fields=["document"])

    handover = hand_over(client=moving, to_office=other_office, on=TODAY, note="Bitte Termin vergeben",
                         by=teamleitung)

    assert (handover.from_office, handover.to_office, handover.agreement, handover.case) == (
        office, other_office, agreement, open_case)
    assert (handover.cases_moved, handover.applications_moved, handover.appointments_cancelled) == (2, 1, 1)
    assert Client.objects.get(pk=moving.pk).contact_point == other_office
    assert set(Case.objects.filter(client=moving).values_list("contact_point", flat=True)) == {other_office.pk}
    open_case.refresh_from_db()
    assert open_case.case_manager is None  # the receiving team lead assigns
    assert open_case.lead_agency == other_office.welfare_agency  # the same Träger at the receiving office
    assert set(moving.applications.values_list("contact_point", flat=True)) == {other_office.pk}
    appointment = open_case.appointments.get()
    assert (appointment.outcome, appointment.cancelled_by) == (AppointmentOutcome.CANCELLED, CancelledBy.OFFICE)

    download = reverse("integration_plans:agreement_download", args=[plan.pk])
    client.force_login(fallmanager)  # the sending office no longer sees anything of the client
    assert client.get(reverse("cases:client_detail", args=[moving.pk])).status_code == 404
    assert client.get(download).status_code == 404
    client.force_login(make_staff(Role.TEAMLEITUNG, other_office))
    assert client.get(reverse("cases:client_detail", args=[moving.pk])).status_code == 200
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Vereinbarung"


def test_a_refused_hand_over_moves_nothing(moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    ClientFactory(contact_point=other_office, customer_number=moving.customer_number)
    with pytest.raises(HandOverError):
        hand_over(client=moving, to_office=other_office, on=TODAY, note="", by=teamleitung)
    assert set(Case.objects.filter(client=moving).values_list("contact_point", flat=True)) == {office.pk}
    assert set(moving.applications.values_list("contact_point", flat=True)) == {office.pk}
    assert not moving.cases.get(status=CaseStatus.INTAKE).appointments.filter(outcome="cancelled").exists()


# --- both sides, audit -------------------------------------------------------------------------------------------
def test_the_hand_over_is_recorded_on_both_sides(client, moving, office, other_office, fallmanager, make_staff):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    client.force_login(fallmanager)
    page = client.get(reverse("cases:client_detail", args=[moving.pk])).content.decode()
    assert reverse("cases:handover_create", args=[moving.pk]) in page
    response = client.post(reverse("cases:handover_create", args=[moving.pk]), {
        "to_office": other_office.pk, "handed_over_on": TODAY.isoformat(), "note": "Umzug nach Süd"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:handover_list")

    sent = client.get(reverse("cases:handover_list"))  # the sending office keeps the record
    assert sent.status_code == 200
    html = sent.content.decode()
    assert "Umzug" in html and 'data-testid="handover-out"' in html
    assert reverse("cases:client_detail", args=[moving.pk]) not in html  # no link to a client it no longer sees

    receiving_lead = make_staff(Role.TEAMLEITUNG, other_office)
    client.force_login(receiving_lead)
    received = client.get(reverse("cases:handover_list")).content.decode()
    assert 'data-testid="handover-in"' in received and "Umzug nach Süd" in received
    assert reverse("cases:client_detail", args=[moving.pk]) in received
    assert 'data-testid="handover-assign"' in received  # the open case waits for a case manager
    client_page = client.get(reverse("cases:client_detail", args=[moving.pk])).content.decode()
    assert 'data-testid="client-handovers"' in client_page and office.name in client_page

    third_lead = make_staff(Role.TEAMLEITUNG, ContactPointFactory())
    client.force_login(third_lead)
    assert "Umzug" not in client.get(reverse("cases:handover_list")).content.decode()


def test_the_hand_over_is_audited_with_the_acting_user(client, moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    agreement_between(office, other_office)
    client.force_login(teamleitung)
    response = client.post(reverse("cases:handover_create", args=[moving.pk]),
                           {"to_office": other_office.pk, "handed_over_on": TODAY.isoformat(), "note": ""})
    assert response.status_code == 302
    handover = HandOver.objects.get()
    event = handover.events.get()  # type: ignore[attr-defined]  # pghistory
    assert event.pgh_label == "insert" and event.pgh_context.metadata["user"] == teamleitung.pk
    moved = moving.events.order_by("-pgh_id").first()  # type: ignore[attr-defined]
    assert moved.contact_point_id == other_office.pk and moved.pgh_context_id == event.pgh_context_id
    case_events = Case.objects.get(client=moving, status=CaseStatus.INTAKE).events.order_by("-pgh_id").first()  # type: ignore[attr-defined]
    assert case_events.contact_point_id == other_office.pk and case_events.pgh_context_id == event.pgh_context_id


def test_the_form_offers_only_offices_sharing_an_agreement(client, moving, office, other_office, teamleitung):  # type: ignore[no-untyped-def]
    third = ContactPointFactory(name="Anlaufstelle ohne Vereinbarung")
    agreement_between(office, other_office)
    client.force_login(teamleitung)
    response = client.get(reverse("cases:handover_create", args=[moving.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert other_office.name in html and third.name not in html
