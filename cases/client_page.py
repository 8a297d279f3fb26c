"""Extension point of the client page: every app adds its section here instead of editing the template.

A section names a template (rendered with ``client``, ``section`` and what its ``context`` returns), an order,
and optionally the roles and the module it needs. Higher apps (partners, profiling, plans) register from their
``AppConfig.ready``; the cases app does not import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    from cases.models import Client


@dataclass(frozen=True)
class ClientSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[[HttpRequest, Client], dict[str, object]]
    order: int = 100
    roles: frozenset[str] | None = None
    module: str | None = None


_SECTIONS: dict[str, ClientSection] = {}


def register(section: ClientSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(request: HttpRequest, client: Client) -> list[dict[str, object]]:
    staff = request.staff  # type: ignore[attr-defined]
    result = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if section.roles is not None and not staff.has_role(*section.roles):
            continue
        if section.module and not staff.has_module(section.module):
            continue
        result.append(
            {"key": section.key, "title": section.title, "template": section.template,
             **section.context(request, client)}
        )
    return result
