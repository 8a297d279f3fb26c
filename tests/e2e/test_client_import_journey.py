"""Issue 18, part 5: the Teamleitung takes over an office's clients — uploads a file with a bad row and sees the
dry run name it, uploads the corrected file, confirms a suspected duplicate with a reason and runs the import."""

from __future__ import annotations

import datetime

from playwright.sync_api import expect

from cases.models import Client, ImportRun
from tests.cases.factories import ClientFactory
from tests.e2e.conftest import login, wait_until_ready

HEADER = "Nachname;Vorname;Geburtsdatum;Kundennummer;Leistungsart;Betrag;Leistung ab;Fallmanager;Segment"
GOOD = ["Lehmann;Petra;12.04.1968;073A555001;Alhi;598,20;01.10.2002;fallmanager;Betreuungskunde",
        "Lehmann;Petra;12.04.1968;073A555001;HLU;140,00;01.01.2003;;",
        "Bauer;Michael;17.08.1997;;HLU;380,00;01.03.2003;fallmanager;Beratungskunde"]


def _file(tmp_path, name: str, rows: list[str]):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252"))
    return path


def test_the_team_lead_checks_corrects_and_imports_a_client_file(page, demo, screenshot, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    office = demo.offices[0]
    ClientFactory(contact_point=office, last_name="Bauer", first_name="Michael", birth_date=datetime.date(1997, 8, 17))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "teamleitung")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Kundenübernahme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kundenübernahme")

    page.get_by_label("Kundendatei (CSV oder Excel)").set_input_files(
        _file(tmp_path, "fehler.csv", [*GOOD, "Neumann;Tom;31.02.1985;;Sozialgeld;abc;;;"]))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kundenübernahme: Probelauf")
    expect(page.get_by_test_id("import-refused")).to_contain_text("1 Zeile enthält Fehler")
    expect(page.get_by_test_id("import-problem").first).to_contain_text("„31.02.1985“ ist kein Datum")
    expect(page.get_by_test_id("import-execute")).to_have_count(0)
    screenshot("client-import-errors")
    assert not Client.objects.filter(last_name="Lehmann").exists()

    page.get_by_test_id("import-again").click()
    page.get_by_label("Kundendatei (CSV oder Excel)").set_input_files(_file(tmp_path, "kunden.csv", GOOD))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-ready")).to_be_visible()
    expect(page.get_by_test_id("import-duplicate")).to_contain_text("Bauer, Michael (17.08.1997)")
    wait_until_ready(page)
    page.get_by_test_id("import-execute").click()  # without the reason: refused, the field is marked
    expect(page.get_by_label("Warum sind die möglichen Dubletten verschiedene Personen?")).to_have_class(
        "textarea form-control is-invalid")
    assert not Client.objects.filter(last_name="Lehmann").exists()
    page.get_by_label("Warum sind die möglichen Dubletten verschiedene Personen?").fill("Vater und Sohn")
    page.get_by_test_id("import-execute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kundenübernahme abgeschlossen")
    expect(page.get_by_test_id("import-done")).to_contain_text("2 Kunden, 3 Leistungen und 2 offene Fälle")
    screenshot("client-import-done")
    assert Client.objects.filter(contact_point=office, last_name="Lehmann").count() == 1
    assert ImportRun.objects.filter(status="imported").count() == 1
