"""Extension point of the client page: every app adds its section here instead of editing the template.

A section names a template (rendered with ``client``, ``section`` and what its ``context`` returns), an order,
and optionally the roles and the module it needs. Higher apps (partners, profiling, plans) register from their
``AppConfig.ready``; the cases app does not import them.

The order follows a case manager's daily use (the page has an in-page navigation in this order): case 10,
contacts and appointments 20, help plan 30, profiling 40–44, referrals and proposals 50–52, benefits 60,
applications 70, disclosure log 80.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from jobcenter.http import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from cases.models import Client


@dataclass(frozen=True)
class ClientSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[[AuthenticatedHttpRequest, Client], dict[str, object]]
    order: int = 100
    roles: frozenset[str] | None = None
    module: str | None = None


_SECTIONS: dict[str, ClientSection] = {}


def register(section: ClientSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(request: AuthenticatedHttpRequest, client: Client) -> list[dict[str, object]]:
    staff = request.staff
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
