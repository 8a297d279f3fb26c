"""Legal notices (Rechtsfolgenbelehrungen): the versions with their use, and every agreement that printed one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from integration_plans import selectors
from integration_plans.models import LegalNotice
from jobcenter import access_log, params
from jobcenter.authz import PLAN_READ
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import active_office


@require_GET
@role_required(*PLAN_READ)
def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    active_office(request)
    return render(request, "integration_plans/notice_list.html",
                  {"notices": selectors.notices_with_usage(request.user)})


@require_GET
@role_required(*PLAN_READ)
def notice_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A notice version (texts are not office data) and the agreements of the user's office that used it."""
    office = active_office(request)
    notice = get_object_or_404(LegalNotice, pk=pk)
    page = Paginator(selectors.notice_usage(request.user, notice, office=office), selectors.PAGE_SIZE).get_page(
        params.get_page(request))
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)  # the clients of the agreements
    return render(request, "integration_plans/notice_detail.html", {"notice": notice, "page": page, "office": office})
