"""Accessibility gate of the browser journeys: axe-core (WCAG 2.1 A/AA) on every page state a journey uses.

axe-core comes from the npm registry, pinned in package.json/package-lock.json and installed by `make install`
(`npm ci`) into node_modules/. It is put into the page with ``page.evaluate`` of its source: that runs through the
DevTools protocol, which the page's Content-Security-Policy does not govern, so the CSP stays as in production
(``add_script_tag`` would be an inline script and is refused by our CSP; ``bypass_csp`` is not needed).

When is a page checked? A Playwright *locator handler* watches ``html:not([data-a11y-checked])``: before every
action or auto-waiting assertion on a document that has not been checked yet (a new page, a form re-rendered with
its errors, a 403 page), Playwright runs the check first. An init script removes the marker whenever elements are
added or removed (an htmx swap, an opened dropdown, an inserted error message), so the changed state is checked
before the next action. ``goto``/``reload``/``go_back`` check the page they leave, and the last page of a test is
checked when the test ends. Violations are collected per test and fail it with a readable list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MARKER = "data-a11y-checked"  # also spelled out in the two scripts below

# Runs in every new document before the page's own scripts: forget the check when elements come or go.
_WATCH_MUTATIONS = """
(() => {
  const forget = () => document.documentElement && document.documentElement.removeAttribute("data-a11y-checked");
  const watch = () => new MutationObserver(forget).observe(document.documentElement, {childList: true, subtree: true});
  if (document.documentElement) { watch(); } else { document.addEventListener("readystatechange", watch, {once: true}); }
})();
"""

_RUN_AXE = """
async (tags) => {
  document.documentElement.setAttribute("data-a11y-checked", "");
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html.slice(0, 200),
      summary: (n.failureSummary || "").split("\\n").slice(1, 3).join(" ").trim(),
    })),
  }));
}
"""


@functools.cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core missing at {AXE_PATH}: run `make install` (npm ci installs package-lock.json)")
    return AXE_PATH.read_text(encoding="utf-8")


@dataclass
class Violation:
    url: str
    title: str
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: list[dict[str, str]]

    def describe(self) -> str:
        lines = [f"- {self.rule} ({self.impact}): {self.help} <{self.help_url}>", f"  on {self.url} «{self.title}»"]
        for node in self.nodes[:8]:
            lines.append(f"    {node['target']}: {node['summary']}")
            lines.append(f"      {node['html']}")
        if len(self.nodes) > 8:
            lines.append(f"    … and {len(self.nodes) - 8} more elements")
        return "\n".join(lines)


@dataclass
class AxeAuditor:
    """Checks the pages of one Playwright page object and keeps what it found."""

    page: Any
    base_url: str = ""
    violations: list[Violation] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def install(self) -> None:
        page = self.page
        page.add_init_script(script=_WATCH_MUTATIONS)
        # no_wait_after: by default Playwright, after running the handler, waits for the locator to be hidden and
        # does not run the handler again meanwhile. When the page changes after the check started (an htmx swap
        # answering a search typed just before, a redirect arriving after a form was sent), the marker is removed
        # again and stays removed: the action or assertion then waits its whole timeout and fails with "Actual
        # value: None" although the page is right (issue 17's flaky journeys). Without that wait, the next retry
        # finds the changed page unchecked and checks it.
        page.add_locator_handler(page.locator(f"html:not([{MARKER}])"), self.check, no_wait_after=True)
        for name in ("goto", "reload", "go_back", "go_forward"):
            original = getattr(page, name)

            @functools.wraps(original)
            def leaving(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
                self.check_if_unchecked()
                return _original(*args, **kwargs)

            setattr(page, name, leaving)

    def check_if_unchecked(self) -> None:
        if self._is_html() and not self.page.evaluate(f"() => document.documentElement.hasAttribute('{MARKER}')"):
            self.check()

    def _is_html(self) -> bool:
        if not self.page.url.startswith(("http://", "https://")):
            return False
        return bool(self.page.evaluate("() => document.contentType === 'text/html' && !!document.documentElement"))

    def check(self) -> None:
        try:
            self._check()
        except PlaywrightError as error:
            # The page navigated away while it was being checked: the new document has no marker and is checked
            # before the next action; the one left was replaced before anyone could use it.
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise

    def _check(self) -> None:
        page = self.page
        if not self._is_html():
            # Nothing to check (about:blank, a plain-text error); mark it so that the locator handler is done.
            page.evaluate(f"() => document.documentElement && document.documentElement.setAttribute('{MARKER}', '')")
            return
        page.wait_for_function("() => document.readyState === 'complete'")
        if page.evaluate("() => typeof window.axe") == "undefined":
            page.evaluate(axe_source())
        found = page.evaluate(_RUN_AXE, WCAG_TAGS)
        url = page.url.removeprefix(self.base_url)
        title = page.title()
        self.checked.append(url)
        for item in found:
            nodes = [n for n in item["nodes"] if (url.split("?")[0], item["id"], n["target"]) not in self._seen]
            if not nodes:
                continue
            self._seen.update((url.split("?")[0], item["id"], n["target"]) for n in nodes)
            self.violations.append(Violation(url, title, item["id"], item["impact"] or "", item["help"],
                                             item["helpUrl"], nodes))

    def report(self) -> str:
        head = (f"axe-core found {len(self.violations)} WCAG 2.1 A/AA violation(s) on the pages this journey "
                f"visited ({len(self.checked)} page states checked):")
        return "\n".join([head, *(v.describe() for v in self.violations)])
