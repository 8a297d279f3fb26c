"""The monthly report as PDF (WeasyPrint), CSV and Excel, from the same tables and charts as the dashboard.

Print quality as the agreement PDF: Liberation Sans shipped with the plans app (``integration_plans/fonts``),
loaded through ``@font-face``; rendered by ``jobcenter.pdf.render_pdf``, whose URL fetcher allows only our own
fonts and static files and the ``data:`` images of the charts (no network, no other files).
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from jobcenter import exports, pdf
from reporting import charts
from reporting.figures import Figures
from reporting.metrics import METRICS
from reporting.tables import TABLES, Table, as_export, render_csv, trend_table

STYLESHEET = Path(__file__).resolve().parent / "pdf_styles" / "report.css"

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
    return pdf.render_pdf(render_html(figures, tables, generated_by), stylesheets=[STYLESHEET])


def render_report_csv(figures: Figures, tables: list[Table]) -> bytes:
    heading = [str(figures.office), figures.month.label]
    return render_csv(tables, heading).encode("utf-8")


def render_report_xlsx(figures: Figures, tables: list[Table]) -> bytes:
    """The same tables and heading as the CSV, one worksheet per table."""
    return exports.to_xlsx(as_export(tables, [str(figures.office), figures.month.label]))

