"""The monthly report as PDF (WeasyPrint) and CSV, from the same tables and charts as the dashboard.

Print quality as the agreement PDF: Liberation Sans shipped with the plans app (``integration_plans/fonts``),
loaded through ``@font-face`` with file URLs; the URL fetcher allows only those fonts and the ``data:`` images
of the charts (no network, no other files).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from reporting import charts
from reporting.figures import Figures
from reporting.metrics import METRICS
from reporting.tables import TABLES, Table, render_csv, trend_table

FONTS_DIR = Path(settings.BASE_DIR) / "integration_plans" / "fonts"
STYLESHEET = Path(__file__).resolve().parent / "pdf_styles" / "report.css"


class ReportFetcher(URLFetcher):
    """Only the shipped fonts and inline ``data:`` images (the charts)."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if path.parent == FONTS_DIR.resolve() and path.suffix == ".ttf":
                return super().fetch(url, headers)
        raise ValueError(f"refused to fetch {url!r}: only the shipped fonts and data: images are loaded")


@cache
def _fetcher() -> ReportFetcher:
    return ReportFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(filename=str(STYLESHEET), base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_fetcher(),
               font_config=_font_config())


REPORT_TABLES = ("quote", "trend", "transfers", "mix", "caseload", "plans", "referrals", "costs", "sustainability",
                 "cohorts")
# The report's month table covers the year up to the report's month; the chart above it shows the whole trend.
REPORT_TREND_MONTHS = 12
# Charts in the report. Not the caseload chart: its table lists the same numbers per case manager, and the chart
# grows with the team (a page of bars for 40 case managers), which also made the report slower to lay out.
REPORT_CHARTS = ("trend", "quote", "mix", "cohorts")


def report_tables(figures: Figures) -> list[Table]:
    return [trend_table(figures, months=REPORT_TREND_MONTHS) if key == "trend" else TABLES[key](figures)
            for key in REPORT_TABLES]


def render_html(figures: Figures, tables: list[Table], generated_by: str) -> str:
    with translation.override("de"):
        return render_to_string("reporting/report_pdf.html", {
            "figures": figures, "office": figures.office, "month": figures.month, "tables": tables,
            "charts": charts.dashboard_charts(figures, only=REPORT_CHARTS), "metrics": METRICS,
            "generated_by": generated_by,
            "generated_at": timezone.localtime(),
        })


def render_pdf(figures: Figures, tables: list[Table], generated_by: str) -> bytes:
    html = HTML(string=render_html(figures, tables, generated_by), base_url=FONTS_DIR.as_uri() + "/",
                url_fetcher=_fetcher())
    return html.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())  # type: ignore[no-any-return]


def render_report_csv(figures: Figures, tables: list[Table]) -> bytes:
    heading = [str(figures.office), figures.month.label]
    return render_csv(tables, heading).encode("utf-8")

