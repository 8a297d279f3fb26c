"""Browser journeys: Playwright driving Debian's Chromium (never a downloaded browser) against live_server."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.a11y import AxeAuditor

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# The browser and the patient assertions are session fixtures of tests/conftest.py, shared with tests/deployed/:
# two sync Playwright instances cannot run in one process.


AXE = pytest.StashKey[AxeAuditor]()
BROWSER_LOG = pytest.StashKey[list[str]]()
FAILURES = Path(settings.BASE_DIR) / "test-artifacts" / "failures"


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser tab whose every page state is checked by axe-core (tests/e2e/a11y.py)."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    auditor = AxeAuditor(page, base_url=live_server.url)
    auditor.install()
    request.node.stash[AXE] = auditor
    request.node.stash[BROWSER_LOG] = _record_browser_log(page)
    yield page
    if getattr(request.node, "journey_failed", False):
        FAILURES.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):  # the page may be gone with the browser; the log is what matters
            page.screenshot(path=str(FAILURES / f"{request.node.name}.png"), full_page=True)
    context.close()


def _record_browser_log(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What the browser did, for the report of a failed journey: every page request with its answer and time, failed
    requests, script errors. A journey that fails under load then says whether the server answered slowly, with an
    error page, or not at all (issue 17's flaky journey was reported only as "the message never appeared")."""
    log: list[str] = []
    started = time.monotonic()

    def note(text: str) -> None:
        log.append(f"{time.monotonic() - started:7.2f}s {text}")

    def on_request(req) -> None:  # type: ignore[no-untyped-def]
        if req.is_navigation_request() or req.resource_type in {"fetch", "xhr"}:
            note(f"-> {req.method} {req.url}")

    def on_response(resp) -> None:  # type: ignore[no-untyped-def]
        req = resp.request
        if req.is_navigation_request() or req.resource_type in {"fetch", "xhr"}:
            note(f"<- {resp.status} {req.method} {resp.url}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", lambda req: note(f"!! failed {req.method} {req.url}: {req.failure}"))
    page.on("pageerror", lambda error: note(f"!! script error: {error}"))
    page.on("console", lambda msg: note(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    return log


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A failed journey's report carries the browser log; its last page is saved under test-artifacts/failures/."""
    report: pytest.TestReport = yield
    log = item.stash.get(BROWSER_LOG, None)
    if report.when == "call" and report.failed and log is not None:
        item.journey_failed = True  # type: ignore[attr-defined]  # read by the page fixture's teardown
        report.sections.append(("browser log", "\n".join(log[-60:])))
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a journey passed: check the page it ended on, then fail it if axe found any violation."""
    result = yield
    auditor = item.stash.get(AXE, None)
    if auditor is not None:
        auditor.check_if_unchecked()
        if auditor.violations:
            raise AssertionError(auditor.report())
    return result


@pytest.fixture
def screenshot(page):  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/screenshots/ for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo organisation (offices, users per role) in the live server's database.

    A transactional test ends with a flush, which also removes what data migrations seeded (role groups, the
    default offer mapping, the example legal notices); they are put back here first."""
    from django.apps import apps

    from jobcenter.demo import seed_organisation

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
    return seed_organisation()


DATA_MIGRATIONS = [
    ("jobcenter.migrations.0002_create_role_groups", "create_groups"),
    ("profiling.migrations.0002_default_offer_suggestions", "add_defaults"),
    ("integration_plans.migrations.0002_example_legal_notices", "add_examples"),
]


def login(page, username: str, password: str = "anlaufstelle-demo") -> None:  # type: ignore[no-untyped-def]
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def wait_until_ready(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the current page's scripts have bound (``data-ready`` on ``<html>``, set by static/js/app.js).

    A click on a Bootstrap widget (a collapse, a dropdown) before its deferred script ran is silently lost. Call
    this after the assertion that shows the new page is there, so the marker read is the new page's."""
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("data-ready", "true")
