from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_fallmanager_logs_in_sees_german_start_page_and_switches_to_english(page, demo, screenshot):
    login(page, "fallmanager")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag, Thomas")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("active-office")).to_contain_text("Leipzig-Mitte")
    screenshot("start-page-de")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("language-en").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day, Thomas")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("start-page-en")

    page.reload()  # the choice is kept in the profile, not just for one response
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")


def test_wrong_password_shows_a_german_message(page, demo):
    login(page, "fallmanager", "falsch")
    expect(page.get_by_text("Bitte Benutzername und Passwort eingeben")).to_be_visible()
