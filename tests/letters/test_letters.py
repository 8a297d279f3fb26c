"""Letters printed through the services and rendered as the worker does: the legal note of an invitation by the
benefits on the appointment's day, the hearing letter, the commission letter limited by the release, one
stored document per letter and byte-identical re-renders."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integration_plans.models import Hearing, HearingReason, HearingStatus
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from letters.errors import LetterError
from letters.models import Letter, LetterKind
from letters.pdf import render_pdf
from letters.services import letters as services
from letters.tasks import render_letter
from partners.models import DataCategory, PartnerKind, ReferralStatus
from tests.letters.factories import appointment_on, case_of, pdf_text
from tests.partners.factories import ConsentFactory, OfferFactory, PartnerFactory, ReferralFactory

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
SGB3_TITLE = "Meldepflicht beim Bezug von Arbeitslosengeld oder Arbeitslosenhilfe"
BSHG_TITLE = "Was passiert, wenn Sie nicht kommen? – Hilfe zum Lebensunterhalt (§ 25 BSHG)"
NO_SANCTION = "keine Leistung, die durch ein Versäumen dieses Termins gekürzt werden könnte"


def _printed(letter: Letter) -> str:
    render_letter.apply(args=[letter.pk])
    letter.refresh_from_db()
    return pdf_text(documents.read(letter.document))


# --- invitations: the legal note by the benefits on the appointment's day ----------------------------------
@pytest.mark.parametrize(("benefits", "present", "absent"), [
    ([("alg", datetime.date(2002, 1, 1), None)], [SGB3_TITLE], [BSHG_TITLE, NO_SANCTION]),
    ([("hlu", datetime.date(2002, 1, 1), None)], [BSHG_TITLE], [SGB3_TITLE, NO_SANCTION]),
    ([("alhi", datetime.date(2002, 1, 1), None), ("hlu", datetime.date(2002, 1, 1), None)],
     [BSHG_TITLE, SGB3_TITLE], [NO_SANCTION]),
    ([], [NO_SANCTION], [BSHG_TITLE, SGB3_TITLE]),
    # the Alg ended the day before the appointment: no sanction note, although it ran when the letter was written
    ([("alg", datetime.date(2002, 1, 1), TOMORROW - datetime.timedelta(days=1))], [NO_SANCTION],
     [SGB3_TITLE, BSHG_TITLE]),
    # HLU starts on the appointment's day, the Alg ended the day before: only § 25 BSHG
    ([("alg", datetime.date(2002, 1, 1), TOMORROW - datetime.timedelta(days=1)), ("hlu", TOMORROW, None)],
     [BSHG_TITLE], [SGB3_TITLE, NO_SANCTION]),
], ids=["alg", "hlu", "both", "none", "ended-the-day-before", "changed-on-the-day"])
def test_an_invitation_prints_the_legal_note_of_the_benefits_on_the_appointments_day(
        office, fallmanager, benefits, present, absent):
    case = case_of(office, fallmanager, *benefits, first_name="Anna", last_name="Meyer")
    appointment = appointment_on(case, TOMORROW, 10, 30, purpose="Beratung zur Arbeitsaufnahme")
    letter = services.issue_invitation(appointment=appointment, by=fallmanager)
    text = _printed(letter)
    for part in ["Anna Meyer", "Einladung zu einem persönlichen Gespräch", TOMORROW.strftime("%d.%m.%Y"),
                 "10:30 Uhr", "Beratung zur Arbeitsaufnahme", office.name, "Bitte bringen Sie mit:",
                 "Ihren Personalausweis oder Reisepass", "Mustertext", "Fassung 1"]:
        assert part in text, part
    for part in present:
        assert part in text, part
    for part in absent:
        assert part not in text, part
    assert letter.legal_notices.count() == len([p for p in present if p != NO_SANCTION])


def test_an_invitation_for_a_past_or_settled_appointment_is_refused(office, fallmanager):
    case = case_of(office, fallmanager)
    past = appointment_on(case, timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(LetterError, match="already begun"):
        services.issue_invitation(appointment=past, by=fallmanager)
    settled = appointment_on(case, TOMORROW, outcome="cancelled")
    with pytest.raises(LetterError, match="already has an outcome"):
        services.issue_invitation(appointment=settled, by=fallmanager)


def test_without_a_notice_in_force_no_invitation_is_printed(office, fallmanager, notices):
    notices["sgb3_309"].delete()
    case = case_of(office, fallmanager, ("alg", datetime.date(2002, 1, 1), None))
    with pytest.raises(LetterError, match="No legal notice on consequences is in force"):
        services.issue_invitation(appointment=appointment_on(case, TOMORROW), by=fallmanager)
    assert not Letter.objects.exists()


# --- stored once, byte-identical ------------------------------------------------------------------------------
def test_printing_the_same_appointment_twice_is_one_letter_and_one_document(office, fallmanager):
    appointment = appointment_on(case_of(office, fallmanager, ("hlu", datetime.date(2002, 1, 1), None)), TOMORROW)
    first = services.issue_invitation(appointment=appointment, by=fallmanager)
    render_letter.apply(args=[first.pk])
    render_letter.apply(args=[first.pk])
    again = services.issue_invitation(appointment=appointment, by=fallmanager)
    assert again.pk == first.pk and Letter.objects.count() == 1
    assert StoredDocument.objects.filter(key=f"letter:{first.pk}").count() == 1 == StoredDocument.objects.count()
    first.refresh_from_db()
    assert first.pdf_attempts == 1  # the second run found the document and did not render again


def test_a_reprint_renders_byte_for_byte_the_stored_file(office, fallmanager):
    appointment = appointment_on(case_of(office, fallmanager, ("alg", datetime.date(2002, 1, 1), None)), TOMORROW)
    letter = services.issue_invitation(appointment=appointment, by=fallmanager)
    document = services.generate_letter(letter_id=letter.pk, token="t1")
    stored = documents.read(document)
    assert render_pdf(letter.content, letter.content_sha256) == stored
    assert render_pdf(letter.content, letter.content_sha256) == stored
    assert document.sha256 == documents.sha256_of(stored)


def test_a_moved_appointment_gets_a_new_invitation_and_the_old_one_stays(office, fallmanager):
    appointment = appointment_on(case_of(office, fallmanager), TOMORROW, 9)
    first = services.issue_invitation(appointment=appointment, by=fallmanager)
    appointment.starts_at += datetime.timedelta(hours=2)
    appointment.save()
    second = services.issue_invitation(appointment=appointment, by=fallmanager)
    assert second.pk != first.pk
    assert first.content["appointment"]["time"] == "09:00" and second.content["appointment"]["time"] == "11:00"


# --- hearing letters ----------------------------------------------------------------------------------------
def _hearing(case, manager, reason=HearingReason.NO_SHOW) -> Hearing:  # type: ignore[no-untyped-def]
    return Hearing.objects.create(case=case, reason=reason, opened_on=timezone.localdate(), opened_by=manager,
                                  breach="Am 12.05. unentschuldigt nicht zum Termin erschienen.")


def test_a_hearing_letter_states_facts_consequence_deadline_and_how_to_reply(office, fallmanager):
    case = case_of(office, fallmanager, ("alhi", datetime.date(2002, 1, 1), None), first_name="Ronny",
                   last_name="Öztürk")
    letter = services.issue_hearing_letter(hearing=_hearing(case, fallmanager), by=fallmanager)
    text = _printed(letter)
    deadline = letter.reply_by
    assert deadline is not None and deadline.weekday() < 5 and deadline >= timezone.localdate() + datetime.timedelta(days=14)
    for part in ["Anhörung nach § 24 SGB X", "Ronny Öztürk", "Am 12.05. unentschuldigt nicht zum Termin erschienen.",
                 "Sperrzeit (§ 144 SGB III)", f"bis zum {deadline:%d.%m.%Y}", "So können Sie sich äußern",
                 "Fall-Nummer"]:
        assert part in text, part
    assert "Kürzung" not in text  # no HLU: no reduction announced


def test_a_decided_hearing_gets_no_letter(office, fallmanager):
    hearing = _hearing(case_of(office, fallmanager), fallmanager)
    Hearing.objects.filter(pk=hearing.pk).update(status=HearingStatus.DECIDED, decided_on=timezone.localdate(),
                                                 good_reason_accepted=True, consequence="none", decision="ok")
    with pytest.raises(LetterError, match="has been decided"):
        services.issue_hearing_letter(hearing=hearing, by=fallmanager)


# --- commission letters: only what the release covers ---------------------------------------------------------
def _referral(office, manager, kind=PartnerKind.DEBT_COUNSELLING, shared=None, consent=True):  # type: ignore[no-untyped-def]
    case = case_of(office, manager, ("hlu", datetime.date(2002, 1, 1), None), first_name="Maria",
                   last_name="Wagner", phone="0341 1234567", email="maria.wagner@example.org")
    partner = PartnerFactory(contact_point=office, kind=kind, name="Schuldnerberatung der Caritas",
                             contact_person="Frau Lehmann", street="Elsterstraße 15", postal_code="04109")
    shared = shared or [DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.BENEFITS]
    release = ConsentFactory(client=case.client, partner=partner, data_categories=[DataCategory.IDENTITY],
                             given_on=datetime.date(2003, 1, 1)) if consent else None
    return ReferralFactory(case=case, offer=OfferFactory(partner=partner, title="Schuldnerberatung Einzelfallhilfe"),
                           consent=release, shared_data=shared, referred_by=manager,
                           purpose="Schuldenregulierung; Pfändungsschutz klären.")


def test_a_commission_letter_leaves_out_what_the_release_does_not_cover(office, fallmanager):
    referral = _referral(office, fallmanager)  # passed on: identity, contact, benefits; released: identity only
    letter = services.issue_referral_letter(referral=referral, by=fallmanager)
    text = _printed(letter)
    for part in ["Schuldnerberatung der Caritas", "z. Hd. Frau Lehmann", "Beauftragung", "Maria Wagner",
                 "Schuldnerberatung Einzelfallhilfe", "Pfändungsschutz", "Eisenbahnstraße 5"]:
        assert part in text, part
    for part in ["0341 1234567", "maria.wagner@example.org", "Hilfe zum Lebensunterhalt", "Telefon", "E-Mail",
                 "Leistungsbezug"]:
        assert part not in text, part
    assert letter.content["data_labels"] == ["Name, Geburtsdatum, Anschrift"]


def test_a_commission_letter_to_a_social_service_is_refused_without_a_release(office, fallmanager):
    referral = _referral(office, fallmanager, consent=False)
    with pytest.raises(LetterError, match="No release from confidentiality"):
        services.issue_referral_letter(referral=referral, by=fallmanager)
    assert not Letter.objects.exists()


def test_a_revoked_release_stops_the_commission_letter(office, fallmanager):
    referral = _referral(office, fallmanager)
    type(referral.consent).objects.filter(pk=referral.consent_id).update(revoked_on=timezone.localdate())
    with pytest.raises(LetterError, match="No release from confidentiality"):
        services.issue_referral_letter(referral=referral, by=fallmanager)


def test_a_job_related_commission_without_release_carries_the_data_passed_on(office, fallmanager):
    referral = _referral(office, fallmanager, kind=PartnerKind.QUALIFICATION, consent=False,
                         shared=[DataCategory.IDENTITY, DataCategory.CONTACT])
    text = _printed(services.issue_referral_letter(referral=referral, by=fallmanager))
    assert "Maria Wagner" in text and "0341 1234567" in text
    assert "Hilfe zum Lebensunterhalt" not in text  # benefits were not passed on
    assert "ohne Schweigepflichtentbindung" in text


def test_health_data_without_a_release_stop_even_a_job_related_commission_letter(office, fallmanager):
    referral = _referral(office, fallmanager, kind=PartnerKind.QUALIFICATION, consent=False,
                         shared=[DataCategory.IDENTITY, DataCategory.HEALTH])
    with pytest.raises(LetterError, match="No release from confidentiality"):
        services.issue_referral_letter(referral=referral, by=fallmanager)


def test_a_finished_referral_gets_no_commission_letter(office, fallmanager):
    referral = _referral(office, fallmanager)
    type(referral).objects.filter(pk=referral.pk).update(status=ReferralStatus.COMPLETED)
    with pytest.raises(LetterError, match="has ended"):
        services.issue_referral_letter(referral=referral, by=fallmanager)


def test_the_content_snapshot_does_not_follow_later_changes(office, fallmanager):
    appointment = appointment_on(case_of(office, fallmanager, first_name="Anna", last_name="Meyer"), TOMORROW)
    letter = services.issue_invitation(appointment=appointment, by=fallmanager)
    client = appointment.case.client
    client.street = "Neue Straße 1"
    client.save()
    assert "Eisenbahnstraße 5" in _printed(letter)
    assert letter.kind == LetterKind.INVITATION
