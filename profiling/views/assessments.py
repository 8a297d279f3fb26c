"""Tiefenprofiling / Assessment: commission through a partners referral, read the result (recorded), record the
result with an optional PDF report, download the report (permission-checked, recorded, as attachment)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobcenter import access_log, documents
from jobcenter.authz import PROFILING_READ, STEERING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.roles import Module
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import refuse
from partners import selectors as partner_selectors
from partners.models import PartnerKind
from profiling import selectors
from profiling.errors import ProfilingError
from profiling.forms import AssessmentForm, AssessmentResultForm
from profiling.models import Assessment
from profiling.services.access import Part, audit_label, record_read
from profiling.services.assessments import RESULT_STATUSES, commission_assessment, record_result
from profiling.views.common import get_case, may_write, refuse_sensitive, require_module, sees_sensitive


@role_required(*STEERING)
def assessment_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case(request, case_pk)
    require_module(request, case, Module.TIEFENPROFILING)
    if not sees_sensitive(request, case):
        return refuse_sensitive(request, "cases:client_detail", pk=case.client_id)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, case=case.pk)
    if not case.is_open:
        messages.error(request, _("This case is closed. Open a new case to continue working with the client."))
        return redirect("cases:client_detail", pk=case.client_id)
    today = timezone.localdate()
    offers = partner_selectors.board(user=request.user, office=case.contact_point, day=today,
                                     category=PartnerKind.ASSESSMENT, sort="title")
    form = AssessmentForm(request.POST or None, offers=offers,
                          consents=selectors.assessment_consents(case.client, today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = commission_assessment(
                case=case, offer=data["offer"], question=data["question"], shared_data=data["shared_data"],
                by=request.user, referred_on=data["referred_on"], planned_months=data["planned_months"],
                consent=data.get("consent"), new_consent=form.new_consent(),
            )
        except ProfilingError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Assessment commissioned; the referral is in the partner's list."))
            return redirect("profiling:assessment_detail", pk=assessment.pk)
    return render(request, "profiling/assessment_form.html", {"case": case, "form": form, "has_offers": offers.exists()},
                  status=400 if form.is_bound else 200)


def _get_assessment(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    scoped = get_scoped_or_404(Assessment, request.user, pk=pk)
    assessment = selectors.assessment_detail(request.user, scoped.pk)
    require_module(request, assessment.referral.case, Module.TIEFENPROFILING)
    return assessment


def _render_detail(request: AuthenticatedHttpRequest, assessment: Assessment, *,
                   form: AssessmentResultForm | None = None, status: int = 200) -> HttpResponse:
    case = assessment.referral.case
    allowed = sees_sensitive(request, case)
    record_read(request, case=case, part=Part.ASSESSMENT if allowed else Part.ASSESSMENT_PAGE, object_id=assessment.pk)
    can_record = allowed and case.is_open and may_write(request) and assessment.referral.status in RESULT_STATUSES
    if can_record and form is None:
        initial = {"result_on": assessment.result_on or timezone.localdate(),
                   "result_summary": assessment.result_summary, "recommendations": assessment.recommendations}
        form = AssessmentResultForm(initial=initial)
    return render(request, "profiling/assessment_detail.html", {
        "assessment": assessment, "referral": assessment.referral, "case": case, "allowed": allowed,
        "can_record": can_record, "result_form": form if can_record else None,
        "awaiting_partner": assessment.referral.status not in RESULT_STATUSES,
        "access_log": selectors.access_log(case, [audit_label(part, case, assessment.pk) for part in (
            Part.ASSESSMENT, Part.ASSESSMENT_REPORT)]) if allowed else [],
    }, status=status)


@role_required(*PROFILING_READ)
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_assessment(request, pk))


@require_POST
@role_required(*STEERING)
def assessment_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _get_assessment(request, pk)
    if not sees_sensitive(request, assessment.referral.case):
        return refuse_sensitive(request, "profiling:assessment_detail", pk=assessment.pk)
    form = AssessmentResultForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_result(assessment=assessment, result_on=data["result_on"], result_summary=data["result_summary"],
                          recommendations=data["recommendations"], report=data.get("report"), by=request.user)
        except ProfilingError as error:
            if error.field not in form.fields:
                refuse(request, error)
                return redirect("profiling:assessment_detail", pk=assessment.pk)
            refuse(form, error)
        else:
            messages.success(request, _("Assessment result saved."))
            return redirect("profiling:assessment_detail", pk=assessment.pk)
    return _render_detail(request, assessment, form=form, status=400)


@require_GET
@role_required(*PROFILING_READ)
def assessment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The report, only to the assigned case manager and the Teamleitung, always as a download."""
    assessment = _get_assessment(request, pk)
    case = assessment.referral.case
    if not sees_sensitive(request, case):
        return refuse_sensitive(request, "profiling:assessment_detail", pk=assessment.pk)
    try:  # 404 without a report or when its file is missing or changed
        response = documents.download_response(request, assessment.report, allowed=True)
    except Http404:
        messages.error(request, _("There is no report for this assessment."))
        return redirect("profiling:assessment_detail", pk=assessment.pk)
    record_read(request, case=case, part=Part.ASSESSMENT_REPORT, object_id=assessment.pk)
    return response
