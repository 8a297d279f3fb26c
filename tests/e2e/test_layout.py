"""Issue 14, point 8: the layout at 1024, 1366 and 1920 px – the case table's last column without scrolling, the
menu's labels at 1366 px, no sideways scrolling on the client page at 1024 px – with screenshots of the start page,
the case list and the client page at each width (test-artifacts/screenshots/layout-*.png)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import BenefitEntitlement, BenefitKind, Case, CaseStatus, Segment
from tests.cases.factories import CaseFactory, ClientFactory, ContactNoteFactory
from tests.e2e.conftest import SCREENSHOTS, login
from tests.profiling.factories import make_profiling

WIDTHS = (1024, 1200, 1366, 1920)
NAMES = [("Schmidt-Oberländer", "Anna-Katharina"), ("Müller", "Hans"), ("Özdemir", "Ayşe"),
         ("Zimmermann", "Maximilian"), ("Wagner", "Jörg"), ("Hoffmann", "Christiane")]


@pytest.fixture
def caseload(demo) -> Case:  # type: ignore[no-untyped-def]
    """The case manager's caseload: long names, both numbers, a segment, two benefits and a last contact each;
    the first client also has notes and a profiling (a long client page)."""
    office = demo.offices[0]
    manager = demo.staff["fallmanager"]
    today = timezone.localdate()
    cases = []
    for n, (last, first) in enumerate(NAMES * 3):
        client = ClientFactory(contact_point=office, last_name=last, first_name=f"{first}{'' if n < 6 else n}",
                               customer_number=f"073A{100000 + n}", file_number=f"50-{200000 + n}/0{n % 4}")
        for kind in (BenefitKind.ALHI, BenefitKind.HLU):
            BenefitEntitlement.objects.create(client=client, kind=kind, monthly_amount=Decimal("350"),
                                              start=date(2002, 1, 1))
        cases.append(CaseFactory(client=client, case_manager=manager, segment=Segment.FALLMANAGEMENT,
                                 status=CaseStatus.PROFILING, opened_on=today - timedelta(days=40 + n),
                                 last_contact_on=today - timedelta(days=n)))
    first_case = cases[0]
    for n in range(4):
        ContactNoteFactory(case=first_case, author=manager, occurred_on=today - timedelta(days=n),
                           text="Bewerbungsunterlagen besprochen; Termin beim Bildungsträger vereinbart. " * 3)
    make_profiling(first_case, manager, confirmed=True, debts="obstacle", care_duties="need")
    return first_case


def _shot(page, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"layout-{name}-{width}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_case_managers_pages_fit_the_screen(page, caseload, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "fallmanager")
    expect(page.get_by_test_id("home-my_day_new_assignments")).to_be_visible()
    _no_sideways_scroll(page)
    _shot(page, "start", width)

    page.goto("/faelle/")
    table = page.get_by_test_id("case-table")
    expect(table.get_by_test_id("case-row")).to_have_count(len(NAMES) * 3)
    last_header = table.locator("thead th").last
    expect(last_header).to_have_text("Letzter Kontakt")
    # the last column lies inside the table's scroll box and the window: visible without scrolling sideways
    box = last_header.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"), table.evaluate(
        "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    expect(table.get_by_test_id("case-row").first.locator("td").last).to_be_in_viewport()
    # an Aktenzeichen never breaks at its hyphen
    file_number = table.get_by_text("50-200000/00", exact=True)
    number_box = file_number.bounding_box()
    assert number_box is not None and number_box["height"] < 24, number_box
    _no_sideways_scroll(page)
    _shot(page, "case-list", width)

    page.goto(f"/kunden/{caseload.client_id}/")
    expect(page.get_by_test_id("client-name")).to_have_text(caseload.client.full_name)
    nav = page.get_by_test_id("section-nav")
    expect(nav.get_by_role("link", name="Profiling", exact=True)).to_be_visible()
    _no_sideways_scroll(page)
    _shot(page, "client", width)


def test_the_section_navigation_jumps_to_a_section_and_stays_in_view_on_wide_screens(page, caseload):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "fallmanager")
    page.goto(f"/kunden/{caseload.client_id}/")
    nav = page.get_by_test_id("section-nav")
    nav.get_by_role("link", name="Profiling", exact=True).click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#section-profiling")
    expect(page.get_by_role("heading", name="Profiling", exact=True)).to_be_in_viewport()
    expect(nav.get_by_role("link", name="Fall", exact=True)).to_be_in_viewport()  # sticky beside the sections


@pytest.mark.parametrize("username", ["teamleitung", "fallmanager"])
def test_the_menu_shows_its_labels_at_1366_px(page, demo, username):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, username)
    menu = page.get_by_role("navigation", name="Hauptnavigation")
    expect(menu.get_by_role("link", name="Fälle", exact=True)).to_be_visible()
    labels = menu.locator(".app-nav-label")
    assert labels.count() >= 6
    navbar = menu.bounding_box()
    assert navbar is not None
    for index in range(labels.count()):
        label = labels.nth(index)
        box = label.bounding_box()
        # shown as text (not clipped to the 1 px of a screen-reader-only label), inside the bar and the window
        assert box is not None and box["width"] > 20 and box["height"] > 10, (label.text_content(), box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, (label.text_content(), box)
        assert navbar["y"] <= box["y"] and box["y"] + box["height"] <= navbar["y"] + navbar["height"]
    _no_sideways_scroll(page)
