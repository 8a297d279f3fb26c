"""Template filters of help plans: ISO dates and amounts from content snapshots, CSS strings for the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def isodate(value: str | None, fmt: str = "%d.%m.%Y") -> str:
    """An ISO date of a snapshot ("2003-04-01") as "01.04.2003"; empty for none."""
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)).strftime(fmt)
    except ValueError:
        return str(value)


@register.filter
def euro(value: str | Decimal | None) -> str:
    """An amount as "1.234,50 €" (German grouping, whatever the active language)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    formatted = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    return f"{formatted} €"


@register.filter
def css_string(value: object) -> str:
    """A value as the inside of a CSS double-quoted string (quotes and backslashes escaped, newlines as \\A)."""
    text = str(value)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\A ")
    text = text.replace("<", "\\3C ").replace(">", "\\3E ").replace("&", "\\26 ")
    return mark_safe("".join(ch for ch in text if ch.isprintable() or ch == " "))  # noqa: S308 - escaped above


@register.filter
def paragraphs(value: str | None) -> list[str]:
    """Text split at blank lines (legal notices are written in paragraphs)."""
    if not value:
        return []
    return [part.strip() for part in str(value).replace("\r\n", "\n").split("\n\n") if part.strip()]


@register.filter
def number(value: Decimal | float | str | None) -> str:
    if value is None or value == "":
        return ""
    return number_format(value)


@register.filter
def basis(value: str) -> str:
    """The label of a paying legal basis code (``integration_plans.paying``)."""
    from integration_plans.paying import basis_label

    return basis_label(value)


@register.filter
def lookup(mapping: dict[object, object], key: int | str | None) -> object:
    """``mapping[key]`` for an int key given as int or numeric string; None when missing."""
    if key is None:  # the empty row of a formset
        return None
    try:
        return mapping.get(int(key))
    except (TypeError, ValueError):
        return None
