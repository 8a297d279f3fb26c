"""The agreement PDF: the content snapshot rendered by WeasyPrint into an A4 document.

Identical everywhere: the fonts (Liberation Sans, SIL OFL, in ``integration_plans/fonts/``) are loaded from the
repository through ``@font-face`` with file URLs, and the URL fetcher refuses everything else (no network, no
other files). Deterministic: the PDF metadata dates are the finalising date from the snapshot, the PDF /ID is
derived from the content checksum, and nothing else varies, so rendering the same snapshot twice gives the
same bytes (pinned by a test) — regenerating a final plan's agreement yields the same file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = APP_DIR / "fonts"
STYLESHEET = APP_DIR / "pdf" / "agreement.css"


class LocalFontFetcher(URLFetcher):
    """Fetch only the shipped font files; any other URL (http, other files, data) is refused."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("file:"):
            raise ValueError(f"refused to fetch {url!r}: only the shipped fonts are loaded")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if path.parent != FONTS_DIR or path.suffix != ".ttf":
            raise ValueError(f"refused to fetch {url!r}: only the shipped fonts are loaded")
        return super().fetch(url, headers)


@cache
def _fetcher() -> LocalFontFetcher:
    return LocalFontFetcher(allowed_protocols=("file",), allow_redirects=False)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    """Parsed once per worker process (the fonts too, through the shared font configuration)."""
    return CSS(filename=str(STYLESHEET), base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_fetcher(),
               font_config=_font_config())


_render_cache: dict[str, Any] = {}


def render_html(content: dict[str, Any], content_sha256: str) -> str:
    with translation.override("de"):
        return render_to_string("integration_plans/pdf/agreement.html", {
            "c": content, "checksum": content_sha256, "decision": content.get("kind") == "decision",
        })


def render_pdf(content: dict[str, Any], content_sha256: str) -> bytes:
    """The agreement of ``content`` (a plan's snapshot) as PDF bytes."""
    html = HTML(string=render_html(content, content_sha256), base_url=FONTS_DIR.as_uri() + "/",
                url_fetcher=_fetcher())
    return html.write_pdf(  # type: ignore[no-any-return]
        stylesheets=[_stylesheet()], font_config=_font_config(), cache=_render_cache,
        pdf_identifier=bytes.fromhex(content_sha256[:32]), pdf_variant="pdf/a-3b",
    )
