"""Letters as PDF: a content snapshot rendered by WeasyPrint into a print-ready A4 letter (DIN 5008, form B).

The layout: the office letterhead in the top 45 mm; the address field 45 mm from the top and 20 mm from the left
edge, 85 × 45 mm (return address line above the recipient, as in a window envelope DL/C6 with window left); the
reference block beside it; fold marks at 105 mm and 210 mm and the hole mark at 148.5 mm. The footer names the
office, the kind of letter, the template version ("Fassung") and the page ("Seite x von y").

Deterministic like the agreement (``integration_plans.pdf``): shipped fonts only, the metadata dates are the date
of the letter, the PDF /ID comes from the content checksum, so the same snapshot gives the same bytes. A batch is
the letters' pages in one file (``jobcenter.pdf.render_pdf_many``), each letter keeping its own page numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from jobcenter import pdf

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "letter.css"
TEMPLATES = {
    "invitation": "letters/pdf/invitation.html",
    "hearing": "letters/pdf/hearing.html",
    "referral": "letters/pdf/referral.html",
}

_render_cache: dict[str, Any] = {}


def render_html(content: dict[str, Any], content_sha256: str) -> str:
    with translation.override("de"):
        return render_to_string(TEMPLATES[content["kind"]], {"c": content, "checksum": content_sha256})


def render_pdf(content: dict[str, Any], content_sha256: str) -> bytes:
    """One letter as PDF bytes."""
    return pdf.render_pdf(
        render_html(content, content_sha256), stylesheets=[STYLESHEET], cache=_render_cache,
        pdf_identifier=bytes.fromhex(content_sha256[:32]), pdf_variant="pdf/a-3b",
    )


def render_batch_pdf(letters: Sequence[tuple[dict[str, Any], str]], *, batch_sha256: str, title: str) -> bytes:
    """Several letters (content, checksum) as one PDF, in the order given."""
    return pdf.render_pdf_many(
        [render_html(content, sha) for content, sha in letters], stylesheets=[STYLESHEET], title=title,
        cache=_render_cache, pdf_identifier=bytes.fromhex(batch_sha256[:32]), pdf_variant="pdf/a-3b",
    )
