"""Issue 3 journey: reception registers and routes a client, the case manager works and closes the case."""

import re
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Appointment, AppointmentOutcome, Case, CaseStatus, Client, Outcome, Segment
from jobcenter.models import AccessRecord
from tests.e2e.conftest import login, wait_until_ready


def _next_workday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


BIRTH_DATE = date(1975, 3, 14)


def _register_despite_duplicate(page, screenshot, existing: Client) -> Client:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Empfang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empfang")
    page.get_by_label("Name, Geburtsdatum, Kundennummer oder Aktenzeichen").fill("Müller")
    page.get_by_role("button", name="Suchen").click()
    results = page.get_by_test_id("triage-results")
    expect(results.get_by_role("row")).to_have_count(2)  # header + the existing Hans Müller
    expect(results).to_contain_text("Müller, Hans")
    expect(results).to_contain_text("14.03.1975")
    screenshot("cases-01-empfang-search")

    page.get_by_test_id("triage-register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunden / Kundin erfassen")
    expect(page.get_by_label("Nachname")).to_have_value("Müller")  # taken over from the search
    page.get_by_label("Vorname").fill("Hans")
    page.get_by_label("Geburtsdatum").fill(BIRTH_DATE.isoformat())
    page.get_by_label("Straße und Hausnummer").fill("Eisenbahnstraße 101")
    page.get_by_label("PLZ").fill("04315")
    page.get_by_label("Ort", exact=True).fill("Leipzig")
    page.get_by_label("Telefon").fill("0341 1234567")
    page.get_by_role("button", name="Erfassen und weiterleiten").click()

    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text("Mögliche Dublette")
    match = warning.get_by_role("link", name="Müller, Hans")
    expect(match).to_have_attribute("href", f"/kunden/{existing.pk}/")
    assert Client.objects.count() == 1  # nothing saved yet
    screenshot("cases-02-duplicate-warning")

    page.get_by_label("Ich habe die Treffer geprüft").check()
    page.get_by_label("Begründung").fill("Anderer Hans Müller: andere Anschrift, Personalausweis geprüft.")
    page.get_by_role("button", name="Erfassen und weiterleiten").click()
    expect(page.get_by_text("Hans Müller wurde erfasst.")).to_be_visible()
    new = Client.objects.exclude(pk=existing.pk).get()
    assert new.duplicate_override_reason.startswith("Anderer Hans Müller")
    assert (new.birth_date, new.postal_code) == (BIRTH_DATE, "04315")
    return new


def _route_to_case_manager(page, screenshot, client: Client) -> Case:  # type: ignore[no-untyped-def]
    expect(page.get_by_role("heading", level=1)).to_have_text("Anliegen erfassen und weiterleiten")
    expect(page.get_by_test_id("triage-case")).to_contain_text("Kein offener Fall")
    page.get_by_label("Anliegen").fill("Sucht Arbeit als Lagerist, Alg läuft im Sommer aus.")
    page.get_by_label("Betreuungskunde (Fallmanagement)").check()
    page.get_by_label("Fallmanager/in").select_option(label="Thomas Becker")
    page.get_by_role("button", name="Weiterleiten").click()

    expect(page.get_by_text("Das Anliegen wurde erfasst und Hans Müller an Thomas Becker weitergeleitet.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/kunden/{client.pk}/$"))
    case_section = page.get_by_test_id("section-case")
    expect(case_section).to_contain_text("Thomas Becker")
    expect(case_section).to_contain_text("Betreuungskunde (Fallmanagement)")
    expect(page.get_by_test_id("timeline-note")).to_contain_text("Sucht Arbeit als Lagerist")
    screenshot("cases-03-client-after-routing")
    case = Case.objects.get(client=client)
    assert case.case_manager.username == "fallmanager"
    assert case.segment == Segment.FALLMANAGEMENT
    return case


def test_reception_registers_and_routes_then_case_manager_works_and_closes_the_case(page, demo, screenshot):
    existing = Client.objects.create(
        contact_point=demo.offices[0], last_name="Müller", first_name="Hans", birth_date=BIRTH_DATE,
        street="Karl-Liebknecht-Straße 20", postal_code="04107", city="Leipzig",
    )

    # --- Empfang: search, register despite the name match, route to the case manager -------------------------
    login(page, "empfang")
    client = _register_despite_duplicate(page, screenshot, existing)
    case = _route_to_case_manager(page, screenshot, client)

    wait_until_ready(page)  # the user menu is a Bootstrap dropdown
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page.get_by_label("Benutzername")).to_be_visible()

    # --- Fallmanager: find "Müller" by typing "Mueller" ------------------------------------------------------
    login(page, "fallmanager")
    new_assignments = page.get_by_test_id("home-my_day_new_assignments")  # the routing is new to them
    expect(new_assignments.get_by_role("listitem").filter(has_text="Müller, Hans")).to_contain_text("neu")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Fälle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle")
    expect(page.get_by_label("Fallmanager/in")).to_have_value("mine")  # a case manager's list: "Meine Fälle"
    page.get_by_role("searchbox", name="Suchen").fill("Mueller")
    expect(page).to_have_url(re.compile(r"q=Mueller"))  # the htmx search ran and pushed its URL
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(1)  # the existing Hans Müller has no case
    expect(rows).to_contain_text("Müller, Hans")
    expect(rows).to_contain_text("Thomas Becker")
    screenshot("cases-04-case-list-mueller")

    rows.get_by_role("link", name="Müller, Hans").click()
    expect(page).to_have_url(re.compile(rf"/kunden/{client.pk}/$"))  # the client page, which shows the case
    expect(page.get_by_test_id("client-name")).to_have_text("Hans Müller")
    expect(page.get_by_test_id("section-case")).to_contain_text("Thomas Becker")

    # --- a note on the phone --------------------------------------------------------------------------------
    timeline = page.get_by_test_id("section-timeline")
    wait_until_ready(page)  # the button opens a Bootstrap collapse: a click before Bootstrap bound is lost
    timeline.get_by_role("button", name="Vermerk hinzufügen").click()
    note_form = page.locator("#note-form")
    expect(note_form).to_have_class(re.compile(r"\bshow\b"))  # opened: Bootstrap adds "show" when the transition ends
    note_form.get_by_label("Kontaktweg").select_option(label="Telefon")
    note_form.get_by_role("textbox", name="Vermerk").fill("Telefonisch Unterlagen zum Lebenslauf angefordert.")
    note_form.get_by_role("button", name="Vermerk speichern").click()
    expect(page.get_by_text("Vermerk gespeichert.")).to_be_visible()
    expect(timeline.get_by_test_id("timeline-note").first).to_contain_text("Telefon")
    expect(timeline.get_by_test_id("timeline-note").first).to_contain_text("Unterlagen zum Lebenslauf")

    # --- an appointment on the next working day at 10:00 (office hours: Monday to Friday) -------------------
    timeline.get_by_role("link", name="Termin vereinbaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termin vereinbaren")
    tomorrow = _next_workday(timezone.localdate())
    page.get_by_label("Datum").fill(tomorrow.isoformat())
    page.get_by_label("Uhrzeit").fill("10:00")
    page.get_by_label("Anlass").fill("Profiling-Gespräch")
    expect(page.get_by_label("Bei", exact=True)).to_have_value(str(demo.staff["fallmanager"].pk))
    page.get_by_role("button", name="Vereinbaren").click()
    expect(page.get_by_text("Termin vereinbart.")).to_be_visible()
    appointment_entry = page.get_by_test_id("timeline-appointment")
    expect(appointment_entry).to_contain_text(f"{tomorrow:%d.%m.%Y} 10:00")
    expect(appointment_entry).to_contain_text("Profiling-Gespräch")
    expect(appointment_entry).to_contain_text("geplant")

    # --- the client asks for another day: the appointment is moved, not cancelled ----------------------------
    appointment_entry.get_by_role("link", name="Termin verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termin verschieben")
    later = _next_workday(tomorrow)
    page.get_by_label("Neues Datum").fill(later.isoformat())
    page.get_by_label("Neue Uhrzeit").fill("11:00")
    page.get_by_label("Grund der Verschiebung").fill("Kundin hat einen Arzttermin")
    page.get_by_role("button", name="Termin verschieben").click()
    expect(page.get_by_text("Termin verschoben.")).to_be_visible()
    expect(appointment_entry.get_by_test_id("appointment-moved")).to_contain_text(
        f"verschoben von {tomorrow:%d.%m.%Y} 10:00 auf {later:%d.%m.%Y} 11:00")
    expect(appointment_entry).to_contain_text("geplant")
    appointment = Appointment.objects.get(case=case)

    # --- time passes: the client did not come --------------------------------------------------------------
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    page.reload()
    expect(appointment_entry).to_contain_text("Ergebnis fehlt")
    appointment_entry.get_by_role("link", name="Ergebnis erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnis erfassen")
    page.get_by_label("Unentschuldigt nicht erschienen").check()
    page.get_by_label("Vermerk zum Ergebnis").fill("Nicht erschienen, telefonisch nicht erreichbar.")
    page.get_by_role("button", name="Ergebnis speichern").click()
    expect(page.get_by_text("Ergebnis erfasst.")).to_be_visible()
    expect(page.get_by_test_id("no-show-flag")).to_contain_text("Unentschuldigtes Fernbleiben zu bearbeiten")
    expect(page.get_by_test_id("section-case")).to_contain_text("Unentschuldigtes Fernbleiben zu bearbeiten")
    expect(appointment_entry).to_contain_text("Unentschuldigt nicht erschienen")
    screenshot("cases-05-client-timeline-no-show")
    appointment.refresh_from_db()
    case.refresh_from_db()
    assert appointment.outcome == AppointmentOutcome.NO_SHOW
    assert case.no_show_pending

    # --- the client found work: recording it keeps the case open in follow-up (issue 14, point 2) -------------
    page.get_by_role("link", name="Zum Fall").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Aufnahme")
    close = page.get_by_test_id("close-case")
    close.locator("summary").click()  # closing offers only the outcomes without an integration
    expect(close.get_by_label("Ergebnis").locator("option", has_text="Integriert")).to_have_count(0)
    record = page.get_by_test_id("record-integration")
    record.locator("summary").click()
    expect(record.locator("input:checked")).to_have_count(0)  # nothing ticked by default
    record.get_by_label("Integration").select_option(
        label="Integriert: sozialversicherungspflichtige Beschäftigung")
    record.get_by_label("Erster Arbeitstag").fill(timezone.localdate().isoformat())
    record.get_by_label("Arbeitgeber, Stelle, Bemerkungen").fill("Lagerhelferin bei Spedition Elster")
    record.get_by_role("button", name="Integration erfassen").click()
    expect(page.get_by_text("bleibt in der Nachbetreuung offen")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Nachbetreuung")
    expect(page.get_by_test_id("case-integrated-on")).to_have_text(f"{timezone.localdate():%d.%m.%Y}")
    expect(page.get_by_test_id("follow-up")).to_contain_text("Keine offenen Termine.")
    expect(page.get_by_test_id("check-no_show")).to_have_attribute("data-open", "true")  # the no-show above
    screenshot("cases-06-case-follow-up")
    page.goto("/")  # the case manager's start page lists it
    expect(page.get_by_test_id("home-my_day_follow_up")).to_contain_text(str(client))
    page.get_by_test_id("home-my_day_follow_up").get_by_role("link").first.click()

    # --- closing is the case manager's explicit step, beside the checklist ------------------------------------
    follow_up = page.get_by_test_id("close-follow-up")
    follow_up.get_by_label("Abschlussvermerk").fill("Probezeit gut angelaufen.")
    follow_up.get_by_role("button", name="Nachbetreuung und Fall abschließen").click()
    expect(page.get_by_text("Noch offen: 1 × Mögliche Pflichtverletzung")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Nachbetreuung")
    follow_up.get_by_label("Trotz offener Punkte der Checkliste abschließen").check()  # the explicit confirmation
    follow_up.get_by_role("button", name="Nachbetreuung und Fall abschließen").click()
    expect(page.get_by_text("Nachbetreuung beendet")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Abgeschlossen")
    expect(page.get_by_test_id("case-outcome")).to_contain_text("Integriert: sozialversicherungspflichtige Beschäftigung")
    expect(page.get_by_test_id("close-case")).to_have_count(0)
    screenshot("cases-07-case-closed")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.integrated_on, case.closed_on) == (
        CaseStatus.CLOSED, Outcome.EMPLOYMENT, timezone.localdate(), timezone.localdate())

    # --- the client asks what is stored about him: Auskunft with its occasion ------------------------------
    page.get_by_test_id("case-heading").get_by_role("link").click()
    page.get_by_test_id("auskunft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auskunft für die Kundin / den Kunden (Art. 15 DSGVO)")
    page.get_by_test_id("auskunft-create").click()  # without the occasion
    expect(page.get_by_text("Geben Sie den Anlass der Auskunft an")).to_be_visible()
    page.get_by_label("Anlass").fill("Schriftlicher Antrag des Kunden vom 01.12.2026")
    screenshot("cases-08-auskunft-occasion")
    with page.expect_download() as download:
        page.get_by_test_id("auskunft-create").click()
    pdf = download.value
    assert pdf.suggested_filename == f"auskunft-{client.pk}.pdf"
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
    export = AccessRecord.objects.get(client_id=client.pk, kind=AccessRecord.Kind.EXPORT)
    assert (export.user.username, export.reason) == ("fallmanager", "Schriftlicher Antrag des Kunden vom 01.12.2026")
