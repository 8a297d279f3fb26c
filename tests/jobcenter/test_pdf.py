"""Every PDF renders through ``jobcenter.pdf.render_pdf``, whose URL fetcher loads only our own fonts and static
files: a PDF whose HTML references the network or other files renders without fetching them."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from jobcenter import pdf


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    """A real HTTP server on localhost that records what is fetched from it."""
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _attachments(data: bytes) -> dict[str, list[bytes]]:
    return dict(PdfReader(io.BytesIO(data)).attachments)


def test_a_pdf_referencing_the_network_and_local_files_renders_without_fetching_them(web_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:geheim")
    html = f"""<html><head>
      <link rel="stylesheet" href="{web_server}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{secret.as_uri()}" title="secret">
      <link rel="attachment" href="{pdf.FONTS_DIR.as_uri()}/../../../../../../etc/passwd" title="escape">
      </head><body><p>Hallo</p>
      <img src="{web_server}/pixel.png"><img src="file:///etc/passwd"></body></html>"""

    data = pdf.render_pdf(html)

    assert data.startswith(b"%PDF")
    assert _Recorder.requests == []
    assert _attachments(data) == {}
    assert "Hallo" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_our_own_fonts_and_static_files_are_loaded(tmp_path):
    """The positive control: what the fetcher allows does arrive (an attached static file, the shipped font)."""
    static_file = Path(settings.STATICFILES_DIRS[0]) / "css" / "app.css"
    html = f"""<html><head><style>
      @font-face {{ font-family: "Own Sans"; src: url("LiberationSans-Regular.ttf"); }}
      body {{ font-family: "Own Sans"; }}</style>
      <link rel="attachment" href="{static_file.as_uri()}" title="app.css"></head><body><p>Hallo</p></body></html>"""

    data = pdf.render_pdf(html)

    assert list(_attachments(data)) == ["app.css"]
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("+Own-Sans") for name in fonts), fonts  # the shipped font file, not a system font


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1/x.css", "https://example.org/font.ttf", "ftp://example.org/x",
    "file://otherhost/etc/passwd", f"{pdf.FONTS_DIR.as_uri()}/../../pyproject.toml",
    f"{pdf.FONTS_DIR.as_uri()}/%2e%2e/%2e%2e/manage.py",
])
def test_the_fetcher_refuses_everything_but_our_assets(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.RestrictedFetcher().fetch(url)


def test_weasyprint_is_used_only_by_the_pdf_helper():
    """One place renders PDFs: no other module of the project imports WeasyPrint."""
    base = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(base)) for path in base.rglob("*.py")
        if not {".venv", "tests", "node_modules"} & set(path.relative_to(base).parts)
        and path != base / "jobcenter" / "pdf.py"
        and ("import weasyprint" in (text := path.read_text(encoding="utf-8")) or "from weasyprint" in text)
    ]
    assert offenders == []
