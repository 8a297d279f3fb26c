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
    from cases.models import Case, Client


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


@dataclass(frozen=True)
class ClientCases:
    """The client's cases, as every section of one client page sees them. A client's cases are all at the client's
    office (a hand-over moves them together: ``cases.services.handover``)."""

    open: Case | None  # the open case (the newest, should there be more)
    closed: list[Case]  # newest first
    here: Case | None  # the open case if it is at the user's active office: where new work goes, else None

    @property
    def no_show_pending(self) -> list[Case]:
        return [case for case in ([self.open] if self.open else []) + self.closed if case.no_show_pending]


def cases_of(request: AuthenticatedHttpRequest, client: Client) -> ClientCases:
    """The client's cases (with case manager, lead agency and office), read once per request for all sections:
    each section used to ask for the open case itself."""
    from cases.selectors import client_cases

    cache: dict[int, ClientCases] = request.__dict__.setdefault("_client_page_cases", {})
    if client.pk not in cache:
        open_case, closed = client_cases(client)
        office = request.staff.office
        here = open_case if open_case is not None and office is not None and open_case.contact_point_id == office.pk \
            else None
        cache[client.pk] = ClientCases(open=open_case, closed=closed, here=here)
    return cache[client.pk]
