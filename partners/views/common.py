"""Shared pieces of the partners views: modules and paging.

Who may do what is ``jobcenter.authz`` (everything further limited to the user's own contact points): every staff
role reads the registry and the free-places board (``ALL_STAFF``); Teamleitung and Administrator maintain partners,
offers and the CSV import/export (``PARTNER_UPKEEP``); Fallmanager, Arbeitsvermittler and Teamleitung refer
clients, see referrals, consents and the disclosure log, see vacancies and propose clients (``REFERRING``);
Arbeitsvermittler and Teamleitung write vacancies and employer contacts (``EMPLOYER_SERVICE``).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from jobcenter import params
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import paginate as paginate_capped
from partners.selectors import PAGE_SIZE


def require_any_module(request: AuthenticatedHttpRequest, modules: frozenset[str] | set[str]) -> None:
    """Like ``module_required`` for views that belong to any of several modules."""
    if not any(request.staff.has_module(module) for module in modules):
        raise Http404


def paginate(request: HttpRequest, queryset: QuerySet[Any], param: str = "page", *,
             counted: QuerySet[Any] | None = None) -> Page:
    """One capped COUNT (``jobcenter.listing.COUNT_CAP``) and one page query, in the database; ``counted``: the
    same rows to count, where the page's query carries a condition only for its order."""
    return paginate_capped(queryset, params.get_page(request, param), PAGE_SIZE, counted=counted)

