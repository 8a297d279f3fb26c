"""The agreement PDF on the plan page: a status partial polled by htmx while the PDF is being generated (the
polling stops as soon as the partial comes back without its trigger), the on-demand request, and the downloads
(the agreement and the signed scan), each permission-checked and logged."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from integration_plans.errors import PlanError
from integration_plans.services.documents import is_stuck, request_agreement
from integration_plans.views.common import get_plan
from jobcenter import access_log, documents
from jobcenter.authz import PLAN_READ, PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import can
from jobcenter.tasking import QUEUE_UNAVAILABLE, deferred_enqueues


@require_GET
@role_required(*PLAN_READ)
def document_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    response = render(request, "integration_plans/_document_status.html", {
        "plan": plan, "stuck": is_stuck(plan), "writer": can(request, PLAN_WRITE)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(*PLAN_WRITE)
def document_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    try:
        with deferred_enqueues() as deferred:
            request_agreement(plan=plan, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        if deferred:  # the broker is down: the request is stored, the sweep sends it later
            messages.warning(request, QUEUE_UNAVAILABLE)
        else:
            messages.info(request, _("The agreement PDF is being generated."))
    return redirect("integration_plans:plan_detail", pk=plan.pk)


@require_GET
@role_required(*PLAN_READ)
def agreement_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A reprint is the same stored file, byte for byte."""
    plan = get_plan(request, pk)
    response = documents.download_response(request, plan.document, allowed=True)
    access_log.shown(request, client_id=plan.case.client_id, office_id=plan.case.contact_point_id, plan=plan.pk)
    return response


@require_GET
@role_required(*PLAN_READ)
def scan_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    plan = get_plan(request, pk)
    response = documents.download_response(request, plan.scan, allowed=True)
    access_log.shown(request, client_id=plan.case.client_id, office_id=plan.case.contact_point_id, plan=plan.pk)
    return response
