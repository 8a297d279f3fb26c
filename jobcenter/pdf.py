"""Every PDF of the project is rendered here (agreements, monthly reports, the Auskunft), with one URL fetcher.

A PDF is built from HTML that contains client data; a note, a partner name or an uploaded file name could hold
markup. So WeasyPrint may load nothing from outside: the fetcher serves only our own files — the shipped fonts
(Liberation Sans, SIL OFL, ``integration_plans/fonts/``) and the static directories — and ``data:`` URLs (the
charts of the monthly report). Every other URL (http, https, ftp, ``file:`` anywhere else, symbolic links or
``..`` leading out of those directories) is refused; WeasyPrint then renders without the resource.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS_DIR = Path(settings.BASE_DIR) / "integration_plans" / "fonts"
FONTS_BASE_URL = FONTS_DIR.as_uri() + "/"
ASSET_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".jpg", ".jpeg", ".svg", ".gif"})


def asset_dirs() -> tuple[Path, ...]:
    """The directories whose files a PDF may load: the shipped fonts and the project's static directories."""
    return tuple(Path(d).resolve() for d in (FONTS_DIR, *settings.STATICFILES_DIRS))


class RefusedURL(ValueError):
    """A PDF referenced something outside our own files; WeasyPrint skips the resource."""


class RestrictedFetcher(URLFetcher):
    """Serves ``data:`` URLs and files inside ``asset_dirs()`` with an asset suffix; refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = local_asset(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        raise RefusedURL(f"refused to fetch {url!r}: a PDF loads only our own fonts and static files")


def local_asset(url: str) -> Path:
    """The file a ``file:`` URL names, if it lies in one of the asset directories; else ``RefusedURL``."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused to fetch {url!r}: not a local file")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if path.suffix.lower() in ASSET_SUFFIXES and path.is_file():
        if any(path.is_relative_to(root) for root in asset_dirs()):
            return path
    raise RefusedURL(f"refused to fetch {url!r}: only our own fonts and static files are loaded")


@cache
def _fetcher() -> RestrictedFetcher:
    return RestrictedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet(path: Path) -> CSS:
    """Parsed once per process (the fonts too, through the shared font configuration)."""
    return CSS(filename=str(path), base_url=FONTS_BASE_URL, url_fetcher=_fetcher(), font_config=_font_config())


def render_pdf(html: str, *, base_url: str = FONTS_BASE_URL, stylesheets: Sequence[Path] = (), **options: Any) -> bytes:
    """``html`` as PDF bytes. ``stylesheets`` are files (parsed once and cached); ``options`` go to WeasyPrint's
    ``write_pdf`` (e.g. ``pdf_variant``, ``pdf_identifier``, ``cache``). Relative URLs resolve against
    ``base_url`` (the fonts directory), but only what the restricted fetcher allows is ever loaded."""
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(
        stylesheets=[_stylesheet(Path(path)) for path in stylesheets], font_config=_font_config(), **options
    )


def render_pdf_many(htmls: Sequence[str], *, base_url: str = FONTS_BASE_URL, stylesheets: Sequence[Path] = (),
                    title: str | None = None, **options: Any) -> bytes:
    """Several HTML documents as one PDF (e.g. a batch of letters): each is laid out on its own, so page numbers
    and running footers restart per document, and the pages follow one another. ``title`` replaces the first
    document's title in the metadata; ``options`` as for ``render_pdf``."""
    if not htmls:
        raise ValueError("render_pdf_many needs at least one document")
    sheets = [_stylesheet(Path(path)) for path in stylesheets]
    documents = [
        HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).render(
            font_config=_font_config(), stylesheets=sheets, **options)
        for html in htmls
    ]
    combined = documents[0].copy([page for document in documents for page in document.pages])
    if title is not None:
        combined.metadata.title = title
    return combined.write_pdf(stylesheets=sheets, **options)
