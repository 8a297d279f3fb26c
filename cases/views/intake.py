"""Placeholder: filled by its part of issue 3."""

from __future__ import annotations

urlpatterns: list = []
