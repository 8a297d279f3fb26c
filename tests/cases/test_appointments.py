"""Appointments: scheduling rules, outcomes, the unexcused no-show flag and its resolution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Appointment, AppointmentOutcome, ContactNote
from cases.services import contacts as services
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, CaseFactory


@pytest.fixture
def case(office, fallmanager):  # type: ignore[no-untyped-def]
    return CaseFactory(client__contact_point=office, case_manager=fallmanager,
                       opened_on=timezone.localdate() - timedelta(days=60))


@pytest.fixture
def past_appointment(case, fallmanager):  # type: ignore[no-untyped-def]
    return AppointmentFactory(case=case, with_user=fallmanager, starts_at=timezone.now() - timedelta(hours=2))


def _schedule_data(when, fallmanager, **overrides):  # type: ignore[no-untyped-def]
    local = timezone.localtime(when)
    return {"day": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "purpose": "Profiling",
            "with_user": fallmanager.pk, **overrides}


# --- scheduling -----------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_scheduling_an_appointment_with_a_staff_member_of_the_office(fm_client, case, fallmanager):
    when = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]), _schedule_data(when, fallmanager))
    assert response.status_code == 302
    appointment = Appointment.objects.get(case=case)
    assert (appointment.starts_at, appointment.purpose, appointment.with_user) == (when, "Profiling", fallmanager)
    assert appointment.outcome == ""


@pytest.mark.django_db
def test_an_appointment_in_the_past_is_refused_in_german_and_nothing_is_saved(fm_client, case, fallmanager):
    when = timezone.now() - timedelta(days=1)
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]), _schedule_data(when, fallmanager))
    assert response.status_code == 200
    assert "Ein neuer Termin kann nicht in der Vergangenheit liegen." in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_an_appointment_without_purpose_or_time_is_refused_in_german(fm_client, case, fallmanager):
    data = _schedule_data(timezone.now() + timedelta(days=1), fallmanager, purpose="", start_time="25:99")
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]), data)
    content = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in content
    assert "Bitte eine gültige Uhrzeit eingeben." in content
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_an_appointment_only_with_staff_of_the_cases_office(case, fallmanager, fallmanager_other_office):
    with pytest.raises(services.ContactError) as excinfo:
        services.schedule_appointment(case=case, by=fallmanager, starts_at=timezone.now() + timedelta(days=1),
                                      purpose="Profiling", with_user=fallmanager_other_office)
    assert excinfo.value.field == "with_user"
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_appointment_form_offers_only_staff_of_the_office(fm_client, case, fallmanager_other_office, empfang):
    content = fm_client.get(reverse("cases:appointment_create", args=[case.pk])).content.decode()
    assert empfang.get_full_name() in content
    assert fallmanager_other_office.get_full_name() not in content


# --- outcomes -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_unexcused_no_show_flags_the_case_and_resolving_clears_it_with_a_note(case, fallmanager,
                                                                                past_appointment):
    services.record_outcome(appointment=past_appointment, by=fallmanager, outcome=AppointmentOutcome.NO_SHOW,
                            note="Nicht erschienen, keine Nachricht")
    case.refresh_from_db()
    assert case.no_show_pending is True
    assert case.last_contact_on is None  # a no-show is no contact

    note = services.resolve_no_show(case=case, by=fallmanager, note="Anhörung: Krankmeldung nachgereicht")
    case.refresh_from_db()
    assert case.no_show_pending is False
    assert "Krankmeldung nachgereicht" in note.text
    assert note.author == fallmanager


@pytest.mark.django_db
def test_the_no_show_flag_is_shown_on_the_client_page_and_resolved_there(fm_client, case, past_appointment):
    response = fm_client.post(reverse("cases:appointment_outcome", args=[past_appointment.pk]),
                              {"outcome": "no_show", "outcome_note": "Keine Rückmeldung"})
    assert response.status_code == 302
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Unentschuldigtes Fernbleiben zu bearbeiten" in page
    assert reverse("cases:no_show_resolve", args=[case.pk]) in page

    fm_client.post(reverse("cases:no_show_resolve", args=[case.pk]), {"note": "Anhörung geführt"})
    case.refresh_from_db()
    assert not case.no_show_pending
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Unentschuldigtes Fernbleiben zu bearbeiten" not in page


@pytest.mark.parametrize("role", [Role.EMPFANG, Role.ARBEITSVERMITTLER, Role.LEISTUNG])
@pytest.mark.django_db
def test_only_case_managers_and_team_leads_resolve_a_no_show(client, make_staff, office, case, role):
    case.no_show_pending = True
    case.save()
    client.force_login(make_staff(role, office))
    assert client.post(reverse("cases:no_show_resolve", args=[case.pk]), {"note": "erledigt"}).status_code == 403
    case.refresh_from_db()
    assert case.no_show_pending


@pytest.mark.django_db
def test_resolving_without_a_note_is_refused_in_german(fm_client, case):
    case.no_show_pending = True
    case.save()
    response = fm_client.post(reverse("cases:no_show_resolve", args=[case.pk]), {"note": "  "})
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    case.refresh_from_db()
    assert case.no_show_pending
    assert not ContactNote.objects.exists()


@pytest.mark.django_db
def test_an_attended_appointment_counts_as_the_last_contact(fm_client, case, past_appointment):
    fm_client.post(reverse("cases:appointment_outcome", args=[past_appointment.pk]), {"outcome": "attended"})
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate(past_appointment.starts_at)
    assert not case.no_show_pending


@pytest.mark.django_db
def test_attended_or_no_show_cannot_be_recorded_before_the_appointment(fm_client, case, fallmanager):
    future = AppointmentFactory(case=case, with_user=fallmanager, starts_at=timezone.now() + timedelta(days=1))
    response = fm_client.post(reverse("cases:appointment_outcome", args=[future.pk]),
                              {"outcome": "no_show", "outcome_note": "?"})
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()  # the form offers no such choice
    with pytest.raises(services.ContactError) as excinfo:  # ... and the service refuses it too
        services.record_outcome(appointment=future, by=fallmanager, outcome="attended")
    assert "Der Termin hat noch nicht begonnen" in str(excinfo.value.message)
    future.refresh_from_db()
    case.refresh_from_db()
    assert (future.outcome, case.no_show_pending) == ("", False)
    # ... but a cancellation may be recorded in advance.
    fm_client.post(reverse("cases:appointment_outcome", args=[future.pk]), {"outcome": "cancelled"})
    future.refresh_from_db()
    assert future.outcome == AppointmentOutcome.CANCELLED


@pytest.mark.django_db
def test_a_no_show_needs_a_note_and_a_recorded_outcome_is_final(fm_client, case, past_appointment):
    url = reverse("cases:appointment_outcome", args=[past_appointment.pk])
    response = fm_client.post(url, {"outcome": "no_show", "outcome_note": ""})
    assert "Was ist über das Fernbleiben bekannt?" in response.content.decode()
    past_appointment.refresh_from_db()
    assert past_appointment.outcome == ""
    fm_client.post(url, {"outcome": "excused", "outcome_note": "Arzttermin, Attest liegt vor"})
    response = fm_client.post(url, {"outcome": "no_show", "outcome_note": "doch nicht"})
    assert "Das Ergebnis dieses Termins ist bereits erfasst." in response.content.decode()
    past_appointment.refresh_from_db()
    case.refresh_from_db()
    assert (past_appointment.outcome, case.no_show_pending) == (AppointmentOutcome.EXCUSED, False)
