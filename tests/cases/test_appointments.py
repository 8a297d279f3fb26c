"""Appointments: scheduling rules (office hours, overlaps), moving and correcting, outcomes (who cancelled), the
unexcused no-show flag and its resolution."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Appointment, AppointmentOutcome, CancelledBy, ContactNote
from cases.services import contacts as services
from jobcenter.env import env_time
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory
from tests.factories import UserFactory
from tests.helpers import assert_other_office_refused


def workday_at(hour: int, minute: int = 0, *, days_ahead: int = 1) -> datetime:
    """A time on the first Monday-to-Friday at least ``days_ahead`` days from today (office time)."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekend_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


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
    when = workday_at(10, 15, days_ahead=2)
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
    data = _schedule_data(workday_at(10), fallmanager, purpose="", start_time="25:99")
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]), data)
    content = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in content
    assert "Bitte eine gültige Uhrzeit eingeben." in content
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_an_appointment_only_with_staff_of_the_cases_office(case, fallmanager, fallmanager_other_office):
    with pytest.raises(services.ContactError) as excinfo:
        services.schedule_appointment(case=case, by=fallmanager, starts_at=workday_at(10),
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
    fm_client.post(reverse("cases:appointment_outcome", args=[future.pk]),
                   {"outcome": "cancelled", "cancelled_by": "client"})
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


# --- office hours (issue 14, point 5) -------------------------------------------------------------------------------
def _field_errors(response, field):  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["form"].errors.get(field, [])]


@pytest.mark.django_db
def test_a_saturday_appointment_is_refused_at_the_date_field_in_german(fm_client, case, fallmanager):
    saturday = weekend_at(10)
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]), _schedule_data(saturday, fallmanager))
    assert response.status_code == 200
    assert _field_errors(response, "day") == [
        f"Termine sind nur montags bis freitags möglich; der {saturday:%d.%m.%Y} ist ein Samstag."]
    assert "ist ein Samstag" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_an_appointment_at_three_in_the_night_is_refused_at_the_time_field(fm_client, case, fallmanager):
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]),
                              _schedule_data(workday_at(3), fallmanager))
    assert response.status_code == 200
    assert _field_errors(response, "start_time") == [
        "Termine beginnen zwischen 07:00 und 18:30 Uhr (Sprechzeiten 07:00 bis 19:00 Uhr)."]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("hour", "minute", "allowed"), [
    (6, 59, False), (7, 0, True), (18, 30, True), (18, 31, False), (19, 0, False),
])
@pytest.mark.django_db
def test_an_appointment_must_start_and_end_within_the_office_hours(case, fallmanager, hour, minute, allowed):
    schedule = lambda: services.schedule_appointment(  # noqa: E731
        case=case, by=fallmanager, starts_at=workday_at(hour, minute), purpose="Beratung", with_user=fallmanager)
    if allowed:
        schedule()
    else:
        with pytest.raises(services.ContactError) as excinfo:
            schedule()
        assert excinfo.value.field == "start_time"
    assert Appointment.objects.count() == int(allowed)


@pytest.mark.django_db
def test_the_office_hours_and_the_length_come_from_the_settings(fm_client, case, fallmanager, settings):
    settings.APPOINTMENT_HOURS_FROM, settings.APPOINTMENT_HOURS_UNTIL = time(8, 30), time(16, 0)
    settings.APPOINTMENT_MINUTES = 60
    url = reverse("cases:appointment_create", args=[case.pk])
    page = fm_client.get(url).content.decode()
    assert "Montag bis Freitag, Beginn zwischen 08:30 und 15:00 Uhr." in page
    assert fm_client.post(url, _schedule_data(workday_at(8), fallmanager)).status_code == 200
    assert fm_client.post(url, _schedule_data(workday_at(15, 30), fallmanager)).status_code == 200
    assert fm_client.post(url, _schedule_data(workday_at(15), fallmanager)).status_code == 302
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize("raw", ["7:00", "07.00", "25:00", "07:60", "sieben"])
def test_office_hours_in_the_environment_must_be_hh_mm(monkeypatch, raw):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("APPOINTMENT_HOURS_FROM", raw)
    with pytest.raises(ImproperlyConfigured, match="APPOINTMENT_HOURS_FROM"):
        env_time("APPOINTMENT_HOURS_FROM", "07:00")
    monkeypatch.setenv("APPOINTMENT_HOURS_FROM", "06:45")
    assert env_time("APPOINTMENT_HOURS_FROM", "07:00") == time(6, 45)


# --- overlaps -------------------------------------------------------------------------------------------------------
@pytest.fixture
def other_case(office, fallmanager):  # type: ignore[no-untyped-def]
    return CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager,
                       opened_on=timezone.localdate() - timedelta(days=10))


@pytest.mark.django_db
def test_an_exact_double_booking_of_the_case_manager_warns_and_saves_only_when_confirmed(
        fm_client, case, other_case, fallmanager):
    when = workday_at(10)
    booked = AppointmentFactory(case=other_case, with_user=fallmanager, starts_at=when)
    url = reverse("cases:appointment_create", args=[case.pk])
    response = fm_client.post(url, _schedule_data(when, fallmanager))
    assert response.status_code == 200
    content = response.content.decode()
    assert (f"{fallmanager.get_full_name()} hat am {when:%d.%m.%Y} um 10:00 bereits einen Termin mit "
            f"{other_case.client}." in content)
    assert "Trotzdem speichern" in content and f'value="{booked.pk}"' in content
    assert Appointment.objects.filter(case=case).count() == 0  # a warning, not a silent save
    # naming the other client is a view of their data: the access log has it
    assert AccessRecord.objects.filter(user=fallmanager, client_id=other_case.client_id).exists()

    response = fm_client.post(url, {**_schedule_data(when, fallmanager), "accepted_overlaps": str(booked.pk)})
    assert response.status_code == 302
    assert Appointment.objects.get(case=case).starts_at == when


@pytest.mark.django_db
def test_an_overlapping_appointment_of_the_same_client_warns(fm_client, case, fallmanager, empfang):
    AppointmentFactory(case=case, with_user=empfang, starts_at=workday_at(10, 15), purpose="Antrag")
    AppointmentFactory(case=case, with_user=fallmanager, starts_at=workday_at(10), outcome="cancelled",
                       cancelled_by="client")  # called off: no overlap
    url = reverse("cases:appointment_create", args=[case.pk])
    response = fm_client.post(url, _schedule_data(workday_at(10), fallmanager))
    assert response.status_code == 200
    warnings = [str(o.message) for o in response.context["overlaps"]]
    assert warnings == [f"Die Kundin / der Kunde hat am {workday_at(10):%d.%m.%Y} um 10:15 bereits einen Termin "
                        f"bei {empfang.get_full_name()}."]
    # Half an hour later (one appointment's length) does not overlap.
    assert fm_client.post(url, _schedule_data(workday_at(10, 45), fallmanager)).status_code == 302


@pytest.mark.django_db
def test_a_confirmation_covers_only_the_overlaps_the_user_has_seen(fm_client, case, other_case, fallmanager):
    when = workday_at(11)
    seen = AppointmentFactory(case=other_case, with_user=fallmanager, starts_at=when)
    booked_meanwhile = AppointmentFactory(case=case, with_user=None, starts_at=when + timedelta(minutes=10))
    response = fm_client.post(reverse("cases:appointment_create", args=[case.pk]),
                              {**_schedule_data(when, fallmanager), "accepted_overlaps": str(seen.pk)})
    assert response.status_code == 200
    assert {o.pk for o in response.context["overlaps"]} == {seen.pk, booked_meanwhile.pk}
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_an_overlap_at_another_office_does_not_name_that_offices_client(case, office, other_office):
    both = UserFactory(username="springerin", roles=[Role.FALLMANAGER], offices=[office, other_office])
    elsewhere = AppointmentFactory(case=CaseFactory(client=ClientFactory(contact_point=other_office)),
                                   with_user=both, starts_at=workday_at(12))
    with pytest.raises(services.AppointmentOverlap) as excinfo:
        services.schedule_appointment(case=case, by=both, starts_at=workday_at(12), purpose="Beratung", with_user=both)
    [overlap] = excinfo.value.overlaps
    assert (overlap.pk, overlap.other_client) == (elsewhere.pk, "")
    assert str(elsewhere.case.client) not in overlap.message
    assert overlap.message.endswith("bereits einen anderen Termin.")


# --- moving and correcting ------------------------------------------------------------------------------------------
@pytest.fixture
def upcoming(case, fallmanager):  # type: ignore[no-untyped-def]
    return AppointmentFactory(case=case, with_user=fallmanager, starts_at=workday_at(9), purpose="Profiling")


def _move_data(when, **overrides):  # type: ignore[no-untyped-def]
    local = timezone.localtime(when)
    return {"day": local.date().isoformat(), "start_time": local.strftime("%H:%M"),
            "reason": "Kundin hat Vorstellungsgespräch", **overrides}


@pytest.mark.django_db
def test_moving_an_appointment_keeps_its_history_and_the_timeline_says_from_and_to(fm_client, case, upcoming,
                                                                                  fallmanager):
    before = upcoming.starts_at
    after = workday_at(14, 30, days_ahead=3)
    response = fm_client.post(reverse("cases:appointment_move", args=[upcoming.pk]), _move_data(after))
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.starts_at, upcoming.moved_from, upcoming.move_reason, upcoming.times_moved) == (
        after, before, "Kundin hat Vorstellungsgespräch", 1)
    assert (upcoming.outcome, upcoming.cancelled_by) == ("", "")  # neither cancelled nor an absence
    history = list(upcoming.events.order_by("pgh_id").values_list("starts_at", flat=True))  # the audit trail
    assert history == [before, after]
    actor = upcoming.events.order_by("pgh_id").last().pgh_context.metadata["user"]
    assert actor == fallmanager.pk

    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    local_before, local_after = timezone.localtime(before), timezone.localtime(after)
    assert f"verschoben von {local_before:%d.%m.%Y %H:%M} auf {local_after:%d.%m.%Y %H:%M}" in page
    assert "Kundin hat Vorstellungsgespräch" in page
    assert "Abgesagt" not in page


@pytest.mark.django_db
def test_a_move_needs_a_reason_a_new_time_and_the_office_hours(fm_client, upcoming):
    url = reverse("cases:appointment_move", args=[upcoming.pk])
    response = fm_client.post(url, _move_data(workday_at(14), reason=" "))
    assert "Dieses Feld ist zwingend erforderlich." in _field_errors(response, "reason")
    response = fm_client.post(url, _move_data(weekend_at(10)))
    assert "ist ein Samstag" in " ".join(_field_errors(response, "day"))
    response = fm_client.post(url, _move_data(upcoming.starts_at))
    assert _field_errors(response, "day") == ["Bitte einen anderen Tag oder eine andere Uhrzeit wählen, "
                                               "auf die der Termin verschoben wird."]
    moved = upcoming.starts_at
    upcoming.refresh_from_db()
    assert (upcoming.starts_at, upcoming.times_moved) == (moved, 0)


@pytest.mark.django_db
def test_moving_onto_another_appointment_warns_before_it_saves(fm_client, upcoming, other_case, fallmanager):
    taken = AppointmentFactory(case=other_case, with_user=fallmanager, starts_at=workday_at(13))
    url = reverse("cases:appointment_move", args=[upcoming.pk])
    response = fm_client.post(url, _move_data(workday_at(13)))
    assert response.status_code == 200
    assert [o.pk for o in response.context["overlaps"]] == [taken.pk]
    upcoming.refresh_from_db()
    assert upcoming.moved_from is None
    assert fm_client.post(url, {**_move_data(workday_at(13)), "accepted_overlaps": str(taken.pk)}).status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.starts_at == workday_at(13)


@pytest.mark.django_db
def test_correcting_a_typo_does_not_read_as_a_cancellation_or_a_move(fm_client, case, upcoming, empfang):
    url = reverse("cases:appointment_correct", args=[upcoming.pk])
    form = fm_client.get(url).context["form"]
    assert (form["purpose"].value(), form["with_user"].value()) == ("Profiling", upcoming.with_user_id)
    corrected = workday_at(15)
    local = timezone.localtime(corrected)
    response = fm_client.post(url, {"day": local.date().isoformat(), "start_time": "15:00",
                                    "purpose": "Profiling-Gespräch", "with_user": empfang.pk})
    assert response.status_code == 302
    typo = upcoming.starts_at
    upcoming.refresh_from_db()
    assert (upcoming.starts_at, upcoming.purpose, upcoming.with_user) == (corrected, "Profiling-Gespräch", empfang)
    assert (upcoming.outcome, upcoming.cancelled_by, upcoming.moved_from, upcoming.times_moved) == ("", "", None, 0)
    assert typo in upcoming.events.values_list("starts_at", flat=True)  # the audit trail keeps the typo
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Profiling-Gespräch" in page
    assert "verschoben" not in page and "Abgesagt" not in page


@pytest.mark.django_db
def test_a_correction_without_a_change_is_refused(fm_client, upcoming):
    local = timezone.localtime(upcoming.starts_at)
    response = fm_client.post(reverse("cases:appointment_correct", args=[upcoming.pk]), {
        "day": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "purpose": upcoming.purpose,
        "with_user": upcoming.with_user_id})
    assert response.status_code == 200
    assert "Es wurde nichts geändert." in response.content.decode()


@pytest.mark.parametrize("view", ["cases:appointment_move", "cases:appointment_correct"])
@pytest.mark.django_db
def test_a_begun_or_decided_appointment_cannot_be_moved_or_corrected(fm_client, case, fallmanager,
                                                                     past_appointment, view):
    decided = AppointmentFactory(case=case, with_user=fallmanager, starts_at=workday_at(10), outcome="cancelled",
                                 cancelled_by="client")
    for appointment, refusal in [(past_appointment, "hat bereits begonnen"), (decided, "bereits erfasst")]:
        url = reverse(view, args=[appointment.pk])
        page = fm_client.get(url)
        assert page.status_code == 200
        assert refusal in page.content.decode() and 'name="day"' not in page.content.decode()
        response = fm_client.post(url, {**_move_data(workday_at(16, days_ahead=4)), "purpose": "Neu",
                                        "with_user": fallmanager.pk})
        assert response.status_code == 200
        assert refusal in response.content.decode()
        starts_at = appointment.starts_at
        appointment.refresh_from_db()
        assert (appointment.starts_at, appointment.moved_from) == (starts_at, None)


@pytest.mark.django_db
def test_the_timeline_offers_move_and_correct_only_for_upcoming_appointments(fm_client, case, upcoming,
                                                                            past_appointment):
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert reverse("cases:appointment_move", args=[upcoming.pk]) in page
    assert reverse("cases:appointment_correct", args=[upcoming.pk]) in page
    assert reverse("cases:appointment_move", args=[past_appointment.pk]) not in page
    assert reverse("cases:appointment_outcome", args=[past_appointment.pk]) in page


@pytest.mark.django_db
def test_move_and_correct_refuse_another_offices_appointment_and_roles_without_case_work(
        fm_client, make_staff, office, upcoming, other_office, fallmanager_other_office):
    foreign = AppointmentFactory(case=CaseFactory(client=ClientFactory(contact_point=other_office),
                                                  case_manager=fallmanager_other_office), starts_at=workday_at(10))
    administrator = Client()
    administrator.force_login(make_staff(Role.ADMINISTRATOR, office))
    for name in ("cases:appointment_move", "cases:appointment_correct"):
        assert_other_office_refused(fm_client, reverse(name, args=[foreign.pk]),
                                    own_url=reverse(name, args=[upcoming.pk]))
        response = administrator.post(reverse(name, args=[upcoming.pk]), _move_data(workday_at(14)))
        assert response.status_code == 403
    starts_at = upcoming.starts_at
    upcoming.refresh_from_db()
    assert upcoming.starts_at == starts_at


# --- who cancelled --------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_cancellation_needs_who_cancelled(fm_client, upcoming):
    response = fm_client.post(reverse("cases:appointment_outcome", args=[upcoming.pk]), {"outcome": "cancelled"})
    assert response.status_code == 200
    assert _field_errors(response, "cancelled_by") == [
        "Bitte angeben, wer den Termin abgesagt hat: die Kundin / der Kunde oder die Anlaufstelle."]
    upcoming.refresh_from_db()
    assert upcoming.outcome == ""


@pytest.mark.parametrize(("who", "shown"), [(CancelledBy.OFFICE, "Abgesagt von der Anlaufstelle"),
                                            (CancelledBy.CLIENT, "Abgesagt von Kundenseite")])
@pytest.mark.django_db
def test_the_timeline_says_who_cancelled(fm_client, case, upcoming, who, shown):
    response = fm_client.post(reverse("cases:appointment_outcome", args=[upcoming.pk]),
                              {"outcome": "cancelled", "cancelled_by": who})
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert (upcoming.outcome, upcoming.cancelled_by) == (AppointmentOutcome.CANCELLED, who)
    page = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert shown in page


@pytest.mark.django_db
def test_who_cancelled_is_not_kept_for_another_outcome(case, fallmanager, past_appointment):
    services.record_outcome(appointment=past_appointment, by=fallmanager, outcome=AppointmentOutcome.ATTENDED,
                            cancelled_by=CancelledBy.OFFICE)
    past_appointment.refresh_from_db()
    assert (past_appointment.outcome, past_appointment.cancelled_by) == (AppointmentOutcome.ATTENDED, "")
