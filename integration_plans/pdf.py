"""The agreement PDF: the content snapshot rendered by WeasyPrint into an A4 document.

Identical everywhere: the fonts (Liberation Sans, SIL OFL, in ``integration_plans/fonts/``) are loaded from the
repository through ``@font-face``; rendering goes through ``jobcenter.pdf.render_pdf``, whose URL fetcher refuses
everything but our own fonts and static files (no network, no other files). Deterministic: the PDF metadata dates
are the finalising date from the snapshot, the PDF /ID is derived from the content checksum, and nothing else
varies, so rendering the same snapshot twice gives the same bytes (pinned by a test) — regenerating a final plan's
agreement yields the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from jobcenter import pdf

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = pdf.FONTS_DIR
STYLESHEET = APP_DIR / "pdf" / "agreement.css"


_render_cache: dict[str, Any] = {}


def render_html(content: dict[str, Any], content_sha256: str) -> str:
    with translation.override("de"):
        return render_to_string("integration_plans/pdf/agreement.html", {
            "c": content, "checksum": content_sha256, "decision": content.get("kind") == "decision",
        })


def render_pdf(content: dict[str, Any], content_sha256: str) -> bytes:
    """The agreement of ``content`` (a plan's snapshot) as PDF bytes."""
    return pdf.render_pdf(
        render_html(content, content_sha256), stylesheets=[STYLESHEET], cache=_render_cache,
        pdf_identifier=bytes.fromhex(content_sha256[:32]), pdf_variant="pdf/a-3b",
    )
