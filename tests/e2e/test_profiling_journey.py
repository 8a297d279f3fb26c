"""Journey: a case manager profiles a client (strengths first), sees the proposed category with its reasons and
the proposed offers, sets it; a month later profiles again and sees on the client page what changed. A case
manager of the other office cannot open the profiling."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, CaseStatus, Segment
from profiling.models import Profiling
from tests.cases.factories import CaseFactory, ClientFactory
from tests.e2e.conftest import login
from tests.partners.factories import ensure_role_groups


@pytest.fixture
def role_groups(transactional_db):  # type: ignore[no-untyped-def]
    ensure_role_groups()


def _rate(page, ratings: dict[str, tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Step 2: {data-testid suffix: (button label, note)}; every other area neutral."""
    for fieldset in page.locator("fieldset[data-testid^='rate-']").all():
        dimension = fieldset.get_attribute("data-testid").removeprefix("rate-")
        label, note = ratings.get(dimension, ("neutral", ""))
        fieldset.locator("label.btn", has_text=re.compile(f"^{label}$")).click()
        if note:
            fieldset.get_by_role("textbox").fill(note)


def test_profile_see_category_and_offers_then_re_profile_and_compare(page, role_groups, demo, screenshot):
    office = demo.offices[0]
    client = ClientFactory(contact_point=office, first_name="Petra", last_name="Schulze")
    case = CaseFactory(client=client, case_manager=demo.staff["fallmanager"],
                       opened_on=timezone.localdate() - timedelta(days=90))

    login(page, "fallmanager")
    page.goto(f"/kunden/{client.pk}/")
    page.get_by_test_id("section-profiling").get_by_test_id("start-profiling").click()

    # step 1: the strengths come first
    expect(page.get_by_role("heading", level=2)).to_have_text("Wo liegen die Stärken von Petra?")
    page.get_by_role("checkbox", name="Berufserfahrung").check()
    page.get_by_role("textbox", name="Notiz zu Berufserfahrung").fill("15 Jahre Verkauf")
    page.get_by_role("checkbox", name="Motivation").check()
    screenshot("profiling-01-strengths")
    page.get_by_test_id("to-ratings").click()

    # step 2: the other ten areas; strengths are not asked again
    expect(page.get_by_test_id("strengths-summary")).to_contain_text("Berufserfahrung")
    expect(page.locator("fieldset[data-testid^='rate-']")).to_have_count(10)
    _rate(page, {"debts": ("Vermittlungshemmnis", "Kontopfändung"),
                 "care_duties": ("Vermittlungshemmnis", "Keine Nachmittagsbetreuung für zwei Kinder"),
                 "german": ("Förderbedarf", "Schriftlich unsicher")})
    screenshot("profiling-02-ratings")
    page.get_by_test_id("save-profiling").click()

    # the result: category with reasons, proposed offers; set it
    expect(page.get_by_text("Profiling gespeichert.")).to_be_visible()
    expect(page.get_by_test_id("profile-category")).to_have_text("Betreuungskunde")
    expect(page.get_by_test_id("category-reasons")).to_contain_text(
        "2 Vermittlungshemmnisse (Kinderbetreuung / Pflege, Schulden) → Fallmanagement")
    proposals = page.get_by_test_id("proposals")
    for title in ("Kinderbetreuung", "Schuldnerberatung", "Sprachkurs Deutsch"):
        expect(proposals).to_contain_text(title)
    screenshot("profiling-03-result")
    page.get_by_test_id("confirm-category").click()
    expect(page.get_by_text("Profilkategorie festgelegt.")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.segment) == (CaseStatus.PLANNING, Segment.FALLMANAGEMENT)

    # a month later
    first = Profiling.objects.get(case=case)
    Profiling.objects.filter(pk=first.pk).update(profiled_on=timezone.localdate() - timedelta(days=31))
    page.goto(f"/kunden/{client.pk}/")
    page.get_by_test_id("section-profiling").get_by_test_id("start-profiling").click()
    page.get_by_role("checkbox", name="Berufserfahrung").check()
    page.get_by_role("checkbox", name="Motivation").check()
    page.get_by_test_id("to-ratings").click()
    _rate(page, {"debts": ("Förderbedarf", "Schuldnerberatung läuft"),
                 "german": ("Förderbedarf", "Kurs begonnen")})
    page.get_by_test_id("save-profiling").click()
    expect(page.get_by_test_id("profile-category")).to_have_text("Beratungskunde")

    page.goto(f"/kunden/{client.pk}/")
    section = page.get_by_test_id("section-profiling")
    expect(section.get_by_test_id("comparison-resolved")).to_contain_text("Behoben: Kinderbetreuung / Pflege")
    expect(section.get_by_test_id("comparison-improved")).to_contain_text("Verbessert: Schulden")
    expect(section.get_by_test_id("comparison-category")).to_contain_text("Betreuungskunde")
    expect(section.get_by_test_id("all-profilings")).to_have_text("Alle Profilings (2)")
    section.scroll_into_view_if_needed()
    screenshot("profiling-04-comparison")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.PLANNING  # re-profiling keeps the status

    # a case manager of the other office
    latest = Profiling.objects.filter(case=case).order_by("-profiled_on").first()
    page.context.clear_cookies()
    login(page, "fallmanager2")
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    for url in (f"/profiling/{latest.pk}/", f"/profiling/fall/{case.pk}/", f"/kunden/{client.pk}/"):
        assert page.goto(url).status == 404
