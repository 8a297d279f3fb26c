"""Browser journeys: Playwright driving Debian's Chromium (never a downloaded browser) against live_server."""

from __future__ import annotations

import os
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


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser tab whose every page state is checked by axe-core (tests/e2e/a11y.py)."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    auditor = AxeAuditor(page, base_url=live_server.url)
    auditor.install()
    request.node.stash[AXE] = auditor
    yield page
    context.close()


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
