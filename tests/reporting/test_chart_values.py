"""Every chart's numbers are also text (issue 14, WCAG 1.1.1): a "Werte als Tabelle" under each chart of the
dashboard, with the values the chart draws; for the trend and quote charts, the same as the monthly table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.charts import CHARTS
from tests.reporting.test_dashboard import MARCH, parse

pytestmark = pytest.mark.django_db
URL = reverse("reporting:dashboard")


MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
          "Dezember"]


def _short(label: str) -> str:
    """"März 2003" (the tables) → "03/03" (the chart axis)."""
    name, year = label.rsplit(" ", 1)
    return f"{MONTHS.index(name) + 1:02d}/{int(year) % 100:02d}"


def test_every_chart_has_its_values_as_a_table(world, tl_client):
    response = tl_client.get(URL, {"month": MARCH})
    assert response.status_code == 200
    html = response.content.decode()
    tables = parse(html).tables
    for key in CHARTS:
        assert f'data-testid="chart-values-{key}"' in html, key
        assert tables[f"values-{key}"], key
        assert "Werte als Tabelle" in html


def test_the_trend_and_quote_values_are_the_monthly_figures(world, tl_client):
    tables = parse(tl_client.get(URL, {"month": MARCH}).content.decode()).tables
    trend, quote, monthly = tables["values-trend"], tables["values-quote"], tables["trend"]
    assert len(trend) == len(quote) >= 12  # one row per month of the chart
    by_month = {_short(row[0]): row for row in monthly}
    assert trend[-1][0] == "03/03"
    compared = [label for label, *_cells in trend if label in by_month]
    assert len(compared) >= 3
    # the monthly table: label, HLU, Kombi, Alhi, none, total, Ø clients, rate (month), rate (12 months)
    for drawn in trend:
        if drawn[0] in by_month:
            assert drawn[1:5] == by_month[drawn[0]][1:5], (drawn, by_month[drawn[0]])
    for drawn in quote:
        if drawn[0] in by_month:
            assert drawn[1:3] == by_month[drawn[0]][7:9], (drawn, by_month[drawn[0]])
    assert any(cell not in ("0", "–") for row in trend for cell in row[1:])  # the world has integrations
