"""Issue 14, point 1 in the browser: reception finds "Müller, Käthe" the way the app writes her, by birth date
and by a Kundennummer typed with a space; a search for someone not yet registered prefills "neu erfassen" with
the last name first, the way the app writes names."""

from datetime import date

from playwright.sync_api import expect

from cases.models import Client
from tests.e2e.conftest import login, wait_until_ready

SEARCH_LABEL = "Name, Geburtsdatum, Kundennummer oder Aktenzeichen"


def _search(page, term: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(SEARCH_LABEL).fill(term)
    page.get_by_role("button", name="Suchen").click()


def test_reception_finds_a_client_however_the_clerk_writes_her_and_prefills_a_new_one(page, demo, screenshot):
    Client.objects.create(contact_point=demo.offices[0], last_name="Müller", first_name="Käthe",
                          birth_date=date(1971, 4, 23), customer_number="073A654321")
    login(page, "empfang")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Empfang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empfang")
    wait_until_ready(page)

    for term in ("Müller, Käthe", "23.04.1971", "073A 654321"):
        _search(page, term)
        results = page.get_by_test_id("triage-results")
        expect(results.get_by_role("row")).to_have_count(2)  # header + Käthe Müller
        expect(results).to_contain_text("Müller, Käthe")
    for width in (1024, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"search-01-reception-{width}")

    _search(page, "Schmidt Eva 12.05.1968")
    expect(page.get_by_test_id("triage-no-match")).to_be_visible()
    page.get_by_test_id("triage-register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunden / Kundin erfassen")
    expect(page.get_by_label("Nachname")).to_have_value("Schmidt")
    expect(page.get_by_label("Vorname")).to_have_value("Eva")
    expect(page.get_by_label("Geburtsdatum")).to_have_value("1968-05-12")
    for width in (1024, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"search-02-register-prefilled-{width}")
