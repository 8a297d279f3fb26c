"""Shared pieces of the profiling views: fetching through the office scope, modules, the sensitive-access rule."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from cases.models import Case
from cases.need_to_know import can_see_sensitive
from jobcenter.authz import STEERING
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404


def get_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related("client", "contact_point", "case_manager"), request.user, pk=pk
    )


def require_module(request: AuthenticatedHttpRequest, case: Case, module: str) -> None:
    """An optional module must be on at the active office and at the case's office (404 otherwise)."""
    if not (request.staff.has_module(module) and case.contact_point.has_module(module)):
        raise Http404


def may_write(request: AuthenticatedHttpRequest) -> bool:
    return bool(request.staff.has_role(*STEERING))


def sees_sensitive(request: AuthenticatedHttpRequest, case: Case) -> bool:
    return can_see_sensitive(request.user, case, roles=request.staff.roles)


def refuse_sensitive(request: AuthenticatedHttpRequest, to: str, **kwargs: int) -> HttpResponseRedirect:
    """Someone with the role but not the case (another case manager): back to the page that says it exists,
    with the reason. Nothing sensitive is shown or written."""
    messages.error(request, _("Only the assigned case manager and the team lead may work with this sensitive "
                              "information."))
    return HttpResponseRedirect(resolve_url(to, **kwargs))
