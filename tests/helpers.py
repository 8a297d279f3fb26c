"""Reusable assertions for tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test import Client as HttpClient


def assert_other_office_refused(client: HttpClient, url: str, *, own_url: str | None = None) -> None:
    """Prove that ``url`` (an object of another office) answers 404 to GET and POST for the logged-in user.

    ``own_url`` (the same view for an object of the user's own office) must then not answer 404, so a
    mistyped URL cannot make the assertion pass by accident.
    """
    if own_url is not None:
        own = client.get(own_url)
        assert own.status_code not in (403, 404), f"{own_url} should be reachable for its own office"
    got = client.get(url)
    posted = client.post(url, {})
    assert got.status_code in (404, 405), f"GET {url} leaked another office's object ({got.status_code})"
    assert posted.status_code in (404, 405), f"POST {url} reached another office's object ({posted.status_code})"
    assert 404 in (got.status_code, posted.status_code), f"{url} did not answer 404 to GET or POST"


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of an ``EXPLAIN (FORMAT JSON)`` plan, the root first."""
    yield node
    for child in node.get("Plans", ()):
        yield from plan_nodes(child)
