"""Accessibility beyond what axe-core checks (axe runs on every page of every journey, see a11y.py):

- every focusable control shows a focus indicator with at least 3:1 contrast against what surrounds it (WCAG
  1.4.11 / 2.4.7), found by tabbing through representative pages as a keyboard user does;
- the main work pages need no sideways scrolling at 320 px width (WCAG 1.4.10 reflow);
- the accessibility statement (BITV 2.0 § 7) is public and linked in the footer of every page.

The pages are the demo data's (``manage.py seed_demo``), so they are as full as a real office's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Appointment, Case
from integration_plans.models import IntegrationPlan
from tests.e2e.conftest import login, wait_until_ready

MIN_FOCUS_CONTRAST = 3.0
MAX_TAB_STOPS = 150  # per page; the longest page has fewer

# Runs in the page: the focus indicator of the focused element and the colour behind it.
FOCUS_PROBE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = (window.__focusSeen = window.__focusSeen || new WeakSet());
  if (seen.has(el)) return {repeat: true};
  seen.add(el);
  const parse = (c) => {
    const m = c.match(/rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : [0, 0, 0, 0];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  // the colour behind the ring: the ancestors' backgrounds, composited from the page's white upwards
  const backgroundOf = (start) => {
    const layers = [];
    for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const cs = getComputedStyle(el);
  const width = parseFloat(cs.outlineWidth) || 0;
  const offset = parseFloat(cs.outlineOffset) || 0;
  const behind = backgroundOf(el.parentElement);
  const ring = over(parse(cs.outlineColor), behind);
  let contrast = cs.outlineStyle === "none" || width < 1 ? 0 : ratio(ring, behind);
  if (offset < 1 && contrast > 0) contrast = Math.min(contrast, ratio(ring, backgroundOf(el)));
  const rect = el.getBoundingClientRect();
  return {
    repeat: false, contrast: Math.round(contrast * 100) / 100, width, style: cs.outlineStyle,
    color: cs.outlineColor, behind: `rgb(${behind.slice(0, 3).map(Math.round).join(", ")})`,
    visible: rect.width > 0 && rect.height > 0,
    what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} «${(el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").replace(/\\s+/g, " ").trim().slice(0, 40)}»`,
  };
}
"""

# Runs in the page: how far the page scrolls sideways, and the outermost elements that stick out.
OVERFLOW_PROBE = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const overflow = root.scrollWidth - width;
  if (overflow <= 0) return {overflow, culprits: []};
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 1 || clipped(el)) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 && el.parentElement !== document.body) continue;  // report the outermost only
    culprits.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (right edge ${Math.round(r.right)} px): ${(el.innerText || "").trim().slice(0, 50)}`);
    if (culprits.length >= 5) break;
  }
  return {overflow, culprits};
}
"""


@pytest.fixture
def demo_data(demo):  # type: ignore[no-untyped-def]
    """The whole demo (offices, staff, clients, cases, plans, partners, reports) in the live server's database."""
    call_command("seed_demo", verbosity=0)
    return demo


def _work_pages(demo: Any) -> dict[str, str]:
    manager = demo.staff["fallmanager"]
    case = Case.objects.filter(case_manager=manager).select_related("client").order_by("pk").first()
    plan = IntegrationPlan.objects.filter(case__case_manager=manager).order_by("pk").first()
    appointment = Appointment.objects.filter(case__case_manager=manager).order_by("pk").first()
    assert case is not None and plan is not None and appointment is not None, "the demo data changed"
    return {
        "start page": reverse("home"),
        "client list": reverse("cases:client_list"),
        "client page": reverse("cases:client_detail", args=[case.client_id]),
        "new client": reverse("cases:client_create"),
        "reception": reverse("cases:triage"),
        "case list": reverse("cases:case_list"),
        "case page": reverse("cases:case_detail", args=[case.pk]),
        "new note": reverse("cases:note_create", args=[case.pk]),
        "new appointment": reverse("cases:appointment_create", args=[case.pk]),
        "appointment outcome": reverse("cases:appointment_outcome", args=[appointment.pk]),
        "my day": reverse("cases:my_day_list", args=["termine"]),
        "applications": reverse("cases:application_list"),
        "profiling": reverse("profiling:profiling_create", kwargs={"case_pk": case.pk}),
        "help plans": reverse("integration_plans:plan_list"),
        "help plan": reverse("integration_plans:plan_detail", args=[plan.pk]),
        "referrals": reverse("partners:referral_list"),
        "choose an offer": reverse("partners:referral_choose_offer", args=[case.pk]),
        "offers": reverse("partners:offer_board"),
        "vacancies": reverse("partners:vacancy_list"),
    }


def _tab_through(page: Any, name: str) -> tuple[int, list[str]]:
    """Press Tab until the focus comes round again; every stop's ring is measured."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops, problems = 0, []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        probe = page.evaluate(FOCUS_PROBE)
        if probe is None or probe["repeat"]:
            break
        stops += 1
        if probe["visible"] and probe["contrast"] < MIN_FOCUS_CONTRAST:
            problems.append(f"{name}: {probe['what']}: outline {probe['style']} {probe['width']}px {probe['color']} "
                            f"on {probe['behind']}: {probe['contrast']}:1")
    return stops, problems


def test_every_focusable_control_shows_a_focus_ring_of_at_least_3_to_1(page, demo_data) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    counted: dict[str, int] = {}

    page.goto("/anmelden/")
    expect(page.get_by_label("Benutzername")).to_be_visible()
    counted["login"], found = _tab_through(page, "login")
    problems += found

    login(page, "fallmanager")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    pages = _work_pages(demo_data)
    for name in ("start page", "case list", "client page", "new appointment", "profiling", "help plan",
                 "choose an offer"):
        page.goto(pages[name])
        wait_until_ready(page)
        counted[name], found = _tab_through(page, name)
        problems += found

    # the user menu's dropdown: white, inside the dark bar
    page.goto(pages["start page"])
    wait_until_ready(page)
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("button", name="Abmelden", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    probe = page.evaluate(FOCUS_PROBE)
    assert probe is not None and not probe["repeat"], "Tab did not move into the user menu"
    if probe["contrast"] < MIN_FOCUS_CONTRAST:
        problems.append(f"user menu: {probe['what']}: {probe['color']} on {probe['behind']}: {probe['contrast']}:1")

    page.context.clear_cookies()
    login(page, "teamleitung")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    page.goto(reverse("reporting:dashboard"))
    wait_until_ready(page)
    counted["dashboard"], found = _tab_through(page, "dashboard")
    problems += found

    assert all(count >= 3 for count in counted.values()), f"too few tab stops, the walk went wrong: {counted}"
    assert not problems, (f"focus indicators below {MIN_FOCUS_CONTRAST}:1 ({sum(counted.values())} tab stops "
                          f"checked):\n  " + "\n  ".join(problems))


def test_work_pages_need_no_sideways_scrolling_at_320_px(page, demo_data) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, "fallmanager")
    expect(page.get_by_role("button", name="Navigation ein-/ausblenden")).to_be_visible()
    problems: list[str] = []
    for name, url in _work_pages(demo_data).items():
        page.goto(url)
        wait_until_ready(page)
        result = page.evaluate(OVERFLOW_PROBE)
        if result["overflow"] > 0:
            problems.append(f"{name} ({url}) scrolls {result['overflow']} px sideways: " + "; ".join(result["culprits"]))
    page.context.clear_cookies()
    login(page, "teamleitung")
    expect(page.get_by_role("button", name="Navigation ein-/ausblenden")).to_be_visible()
    drill = "?from=2000-01&to=2099-12&slice=all"
    team_pages = [("dashboard", reverse("reporting:dashboard")), ("reports", reverse("reporting:report_list"))] + [
        (f"drill-down {key}", reverse("reporting:drilldown", args=[key]) + drill)
        for key in ("integrations", "clients", "transfers", "caseload")]
    for name, url in team_pages:
        page.goto(url)
        wait_until_ready(page)
        result = page.evaluate(OVERFLOW_PROBE)
        if result["overflow"] > 0:
            problems.append(f"{name} ({url}) scrolls {result['overflow']} px sideways: " + "; ".join(result["culprits"]))
    assert not problems, "sideways scrolling at 320 px:\n  " + "\n  ".join(problems)


def test_the_accessibility_statement_is_public_and_linked_in_every_footer(page, demo, screenshot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/anmelden/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Barrierefreiheit").click()
    expect(page.get_by_role("heading", level=1, name="Erklärung zur Barrierefreiheit")).to_be_visible()
    expect(page).to_have_title("Erklärung zur Barrierefreiheit · Anlaufstelle")
    expect(page.get_by_test_id("conformity-status")).to_contain_text("teilweise barrierefrei")
    expect(page.get_by_text("Nicht barrierefreie Inhalte")).to_be_visible()
    expect(page.get_by_test_id("feedback-contact")).to_have_attribute("href", "mailto:barrierefreiheit@anlaufstelle.example")
    expect(page.get_by_test_id("enforcement-body")).to_contain_text("Schlichtungsstelle nach dem Behindertengleichstellungsgesetz")
    expect(page.get_by_test_id("statement-date")).to_contain_text("2026")
    screenshot("accessibility-statement-public")

    login(page, "fallmanager")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Barrierefreiheit").click()
    expect(page.get_by_role("heading", level=1, name="Erklärung zur Barrierefreiheit")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    page.goto("/gibt-es-nicht/")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Barrierefreiheit")).to_be_visible()
