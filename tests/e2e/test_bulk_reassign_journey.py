"""Issue 18 journey: a case manager leaves; the Teamleitung reassigns five of their cases in bulk (selection,
preview, confirmation); the new case manager logs in, sees the count in the menu and the cases in the inbox."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cases.models import Case, CaseReassignment, CaseStatus
from jobcenter.roles import Role
from notifications.models import Kind, Notification
from tests.cases.factories import CaseFactory, ClientFactory
from tests.e2e.conftest import login, wait_until_ready
from tests.factories import UserFactory

NAMES = ["Abel", "Brandt", "Conrad", "Dietz", "Ernst"]


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    wait_until_ready(page)  # the user menu is a Bootstrap dropdown
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Abmelden", exact=True).click()
    expect(page.get_by_label("Benutzername")).to_be_visible()


def test_the_team_lead_reassigns_five_cases_and_the_new_case_manager_finds_them_in_the_inbox(
        page, demo, screenshot):  # type: ignore[no-untyped-def]
    office = demo.offices[0]
    new_manager = demo.staff["fallmanager"]
    leaving = UserFactory(username="geht-weg", first_name="Gerda", last_name="Weggang", roles=[Role.FALLMANAGER],
                          offices=[office])
    cases = [CaseFactory(client=ClientFactory(contact_point=office, last_name=name, first_name="Uwe"),
                         case_manager=leaving, status=CaseStatus.PROFILING) for name in NAMES]
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- Teamleitung: choose whose cases, preview, confirm ------------------------------------------------------
    login(page, "teamleitung")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Fälle").click()
    page.get_by_test_id("bulk-reassign-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle umverteilen")
    page.get_by_label("Bisherige Fallmanager/in").select_option(label="Gerda Weggang")
    page.get_by_role("button", name="Anzeigen").click()
    rows = page.get_by_test_id("bulk-row")
    expect(rows).to_have_count(5)
    wait_until_ready(page)
    expect(page.get_by_label("Alle auswählen")).to_be_checked()  # everything found is selected
    page.get_by_label("Alle auswählen").uncheck()
    expect(page.locator("[data-check-count]")).to_have_text("0")
    page.get_by_label("Alle auswählen").check()
    expect(page.locator("[data-check-count]")).to_have_text("5")
    new_name = new_manager.get_full_name()
    page.get_by_label("Neue Fallmanager/in").select_option(label=new_name)
    page.get_by_test_id("bulk-preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle umverteilen: Vorschau")
    expect(page.get_by_test_id("preview-row")).to_have_count(5)
    expect(page.get_by_test_id("bulk-summary")).to_contain_text(f"5 Fälle werden an {new_name} übergeben.")
    for row in page.get_by_test_id("preview-row").all():
        expect(row).to_contain_text("Gerda Weggang")
        expect(row).to_contain_text(new_name)
    assert Case.objects.filter(case_manager=new_manager, pk__in=[c.pk for c in cases]).count() == 0  # not yet
    screenshot("bulk-01-preview")

    page.get_by_role("button", name="5 Fälle umverteilen").click()
    expect(page.get_by_text(f"5 Fälle an {new_name} übergeben.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle")
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("case_manager", flat=True)) == {
        new_manager.pk}
    assert CaseReassignment.objects.filter(pgh_obj_id__in=[c.pk for c in cases]).count() == 5
    _log_out(page)

    # --- the new case manager: the menu counts them, the inbox lists them ----------------------------------------
    login(page, "fallmanager")
    menu = page.get_by_role("navigation", name="Hauptnavigation")
    badge = menu.get_by_test_id("nav-badge-notifications")
    expect(badge).to_have_text(re.compile(r"^5\s*ungelesen$"))
    screenshot("bulk-02-menu-badge")
    menu.get_by_role("link", name=re.compile("Mitteilungen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitteilungen")
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(5)
    for name in NAMES:
        expect(items.filter(has_text=f"Fall zugewiesen: {name}, Uwe")).to_have_count(1)
    screenshot("bulk-03-inbox")

    items.filter(has_text="Abel, Uwe").get_by_test_id("notification-open").click()  # marks it read, opens the client
    expect(page.get_by_role("heading", level=1)).to_have_text("Uwe Abel")
    expect(menu.get_by_test_id("nav-badge-notifications")).to_have_text(re.compile(r"^4\s*ungelesen$"))
    menu.get_by_role("link", name=re.compile("Mitteilungen")).click()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_text("Alle Mitteilungen als gelesen markiert.")).to_be_visible()
    expect(menu.get_by_test_id("nav-badge-notifications")).to_have_count(0)
    assert not Notification.objects.filter(recipient=new_manager, kind=Kind.CASE_ASSIGNED, read_at__isnull=True).exists()
