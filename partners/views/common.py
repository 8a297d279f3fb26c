"""Shared pieces of the partners views: the role matrix, the active office, paging and sortable headers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest

from jobcenter import params
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from partners.errors import PartnerError
from partners.selectors import PAGE_SIZE

# Role matrix (who may do what; everything is further limited to the user's own contact points):
#   read the registry and the free-places board ........ every staff role
#   maintain partners, offers, CSV import/export ....... Teamleitung, Administrator
#   refer clients, change status, record feedback ...... Fallmanager, Arbeitsvermittler, Teamleitung
#   see referrals, consents, disclosure log ............ Fallmanager, Arbeitsvermittler, Teamleitung
#   vacancies and employer contacts (write) ............ Arbeitsvermittler, Teamleitung
#   see vacancies, propose clients, record results ..... Fallmanager, Arbeitsvermittler, Teamleitung
READ_ROLES = tuple(Role.values)
MAINTAIN_ROLES = (Role.TEAMLEITUNG, Role.ADMINISTRATOR)
REFER_ROLES = (Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG)
VACANCY_ROLES = (Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG)
PROPOSE_ROLES = REFER_ROLES


def active_office(request: HttpRequest) -> ContactPoint:
    """The user's active contact point (with both agencies loaded); 404 for users without one."""
    office = request.staff.office  # type: ignore[attr-defined]
    if office is None:
        raise Http404
    return office  # type: ignore[no-any-return]


def require_any_module(request: HttpRequest, modules: frozenset[str] | set[str]) -> None:
    """Like ``module_required`` for views that belong to any of several modules."""
    if not any(request.staff.has_module(module) for module in modules):  # type: ignore[attr-defined]
        raise Http404


def can(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    staff = request.staff  # type: ignore[attr-defined]
    return bool(staff and staff.has_role(*roles))  # no superuser bypass (see ``role_required``)


def paginate(request: HttpRequest, queryset: QuerySet[Any], param: str = "page") -> Page:
    """One COUNT and one page query, in the database."""
    return Paginator(queryset, PAGE_SIZE).get_page(params.get_page(request, param))


def querystring(filters: dict[str, Any], **changes: Any) -> str:
    """The filters as a query string (empty values left out), with ``changes`` applied."""
    values = {**filters, **changes}
    return urlencode({key: ("1" if value is True else value) for key, value in values.items()
                      if value not in ("", None, False)})


def sort_columns(columns: tuple[tuple[str, Any], ...], filters: dict[str, Any], sorts: dict[str, Any],
                 default: str) -> list[dict[str, Any]]:
    """Table headers; a sortable one links to its sort (again: reversed), keeping the other filters."""
    current = filters.get("sort") or default
    result = []
    for key, label in columns:
        column: dict[str, Any] = {"key": key, "label": label, "sort": None}
        if key in sorts:
            direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
            target = f"-{key}" if direction == "asc" else key
            column["sort"] = {"url": "?" + querystring(filters, sort=target), "direction": direction}
        result.append(column)
    return result


def refuse(form: Form, error: PartnerError) -> None:
    """Show a broken rule at its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
