"""``{% query_tabs "status" choices current %}``: a tab bar that switches one GET parameter of the page it is on,
rendered by the one tab partial ``partials/tabs.html`` that every tab bar uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import template

register = template.Library()


@register.inclusion_tag("partials/tabs.html")
def query_tabs(param: str, choices: Iterable[tuple[str, Any]], current: str, testid: str = "") -> dict[str, Any]:
    tabs = [{"url": "?" + urlencode({param: key}), "label": label, "active": key == current} for key, label in choices]
    return {"tabs": tabs, "testid": testid}
