"""Charts speak German like the tables (issue 14, point 9): rates with a decimal comma ("36,0 %"), never
"36.0 %", on the axes of the pygal charts and in their text alternatives."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("reporting:dashboard")


def _chart(html: str, key: str) -> tuple[list[str], str]:
    """The texts drawn in chart ``key`` (its SVG's text elements) and its alt text."""
    img = re.search(rf'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"[^>]*data-testid="chart-{key}"',
                    html)
    assert img is not None, key
    svg = base64.b64decode(img.group(1)).decode("utf-8")
    texts = [text.strip() for text in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]
    return [text for text in texts if text], img.group(2)


@pytest.mark.parametrize("key", ["quote", "cohorts"])
def test_rates_in_charts_have_a_decimal_comma(world, tl_client, key):
    response = tl_client.get(URL, {"month": "2003-03"})
    assert response.status_code == 200
    texts, alt = _chart(response.content.decode(), key)
    rates = [text for text in texts if text.endswith("%")]
    assert rates, texts  # the axis is labelled in percent
    assert all(re.fullmatch(r"\d+,\d %", text) for text in rates), rates
    assert not re.search(r"\d\.\d", alt), alt


def test_the_quote_charts_text_alternative_gives_the_rates_with_a_comma(world, tl_client):
    html = tl_client.get(URL, {"month": "2003-03"}).content.decode()
    _texts, alt = _chart(html, "quote")
    assert re.search(r"März 2003: (\d+,\d|–) % \(12 Monate: (\d+,\d|–) %\)", alt), alt
