"""Extension point for the start page: apps register sections shown to the roles they concern."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from jobcenter.http import AuthenticatedHttpRequest


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable[[AuthenticatedHttpRequest], dict[str, object]]
    roles: frozenset[str] | None = None
    order: int = 100


@dataclass(frozen=True)
class CardItem:
    """One line of a start-page card, whichever app lists it (the shape ``cases/_home_my_day.html`` renders)."""

    url: str
    title: str
    detail: str = ""
    when: date | datetime | None = None
    badge: str = ""


_SECTIONS: dict[str, HomeSection] = {}


def register(section: HomeSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(request: AuthenticatedHttpRequest) -> list[dict[str, object]]:
    staff = request.staff
    result = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if section.roles is not None and not staff.has_role(*section.roles):
            continue
        result.append({"key": section.key, "template": section.template, **section.context(request)})
    return result
