"""Colours of ratings and changes (Bootstrap classes), so templates stay free of lookup tables."""

from __future__ import annotations

from django import template

from profiling.rules import Change, Rating

register = template.Library()

RATING_CLASSES: dict[str, str] = {
    Rating.STRENGTH: "text-bg-success", Rating.NEUTRAL: "text-bg-light border",
    Rating.NEED: "text-bg-warning", Rating.OBSTACLE: "text-bg-danger",
}
RATING_BUTTONS: dict[str, str] = {
    Rating.STRENGTH: "btn-outline-success", Rating.NEUTRAL: "btn-outline-secondary",
    Rating.NEED: "btn-outline-warning", Rating.OBSTACLE: "btn-outline-danger",
}
CHANGE_ICONS: dict[str, str] = {
    Change.RESOLVED: ("bi-check-circle-fill text-success"), Change.IMPROVED: "bi-arrow-up-circle text-success",
    Change.APPEARED: "bi-exclamation-circle-fill text-danger", Change.WORSENED: "bi-arrow-down-circle text-danger",
    Change.UNCHANGED: "bi-dash text-body-tertiary",
}


@register.filter
def rating_class(rating: str) -> str:
    return RATING_CLASSES.get(rating, "text-bg-light")


@register.filter
def rating_button(rating: str) -> str:
    return RATING_BUTTONS.get(rating, "btn-outline-secondary")


@register.filter
def rating_label(rating: str | None) -> str:
    return str(Rating(rating).label) if rating in Rating.values else "–"


@register.filter
def change_icon(change: str) -> str:
    return CHANGE_ICONS.get(change, "")


@register.filter
def change_label(change: str) -> str:
    return str(Change(change).label) if change in Change.values else ""
