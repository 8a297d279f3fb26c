"""The plan list, the plan page and the plan's lifecycle writes (create, submit, approve/finalise, sign-off by the
agencies, return, sign, review, Fortschreibung, discard, step status)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from integration_plans import access, selectors
from integration_plans.content import build_content
from integration_plans.diff import PlanDiff, diff_contents
from integration_plans.errors import EditConflict, FinaliseRefused, PlanError
from integration_plans.forms import (
    PlanFilterForm,
    ReturnForm,
    ReviewForm,
    ScanForm,
    SignatureForm,
    SignoffForm,
    StepStatusForm,
)
from integration_plans.models import HearingReason, HearingStatus, IntegrationPlan, PlanStatus, StepStatus
from integration_plans.rules import REVIEW_WARNING_DAYS, Problem
from integration_plans.services import plans as services
from integration_plans.services import signoff
from integration_plans.services.documents import is_stuck
from integration_plans.views.common import get_plan, get_step, post_int
from jobcenter import access_log, documents, params
from jobcenter.authz import PLAN_READ, PLAN_WRITE, TEAM_LEAD
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import paginate, querystring, sort_columns
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, can, refuse

LIST_COLUMNS = (
    ("client", gettext_lazy("Client")), ("", gettext_lazy("Version")), ("", gettext_lazy("Form")),
    ("", gettext_lazy("Status")), ("until", gettext_lazy("Valid until")), ("review", gettext_lazy("Review on")),
    ("changed", gettext_lazy("Last changed")),
)


# --- list ---------------------------------------------------------------------------------------------------
@role_required(*PLAN_READ)
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = PlanFilterForm(request.GET or None)
    filters = form.filters()
    chosen: dict[str, Any] = {"user": request.user, "office": office, "status": filters["status"],
                              "kind": filters["kind"], "mine": filters["mine"], "query": filters["q"]}
    plans = selectors.plan_list(**chosen, sort=filters["sort"])
    # the same plans, counted without the condition the client sort adds for its order
    page = paginate(plans, params.get_page(request), selectors.PAGE_SIZE, counted=selectors.plan_list(**chosen))
    page.object_list = selectors.mark_successors(list(page.object_list))
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    return render(request, "integration_plans/plan_list.html", {
        "form": form, "page": page, "query": querystring(filters), "today": timezone.localdate(),
        "columns": sort_columns(LIST_COLUMNS, filters, selectors.PLAN_SORTS, selectors.DEFAULT_SORT),
    })


# --- the plan page ------------------------------------------------------------------------------------------
def _diff(plan: IntegrationPlan) -> PlanDiff | None:
    if plan.previous is None or not plan.previous.content:
        return None
    if plan.content:
        return PlanDiff.from_json(plan.content.get("changes"))
    return diff_contents(plan.previous.content, build_content(plan, notices=[], finalised_on=None))


def _offered_forms(plan: IntegrationPlan, *, writer: bool, lead: bool, joint: bool,
                   representative: bool) -> dict[str, bool]:
    """Which of the plan page's forms the plan's state offers to this user (the template shows exactly these)."""
    pending = plan.status == PlanStatus.PENDING_APPROVAL
    return {
        "approve": pending and lead and writer and not joint,
        "return_form": pending and ((lead and writer) or (joint and representative)),
        "sign_form": plan.status == PlanStatus.FINAL and writer,
        "scan_form": plan.status != PlanStatus.FINAL and bool(plan.signed_on) and not plan.scan_id and writer,
        "review_form": plan.is_in_force and writer and not plan.reviewed_on,
    }


def _report_hidden_errors(request: AuthenticatedHttpRequest, forms: dict[str, Any], offered: dict[str, bool]) -> None:
    """A refused form the page does not show (the plan has moved on, e.g. a second tab posted a scan that is
    already there) has its errors shown as messages, so a refusal is never silent."""
    for name, form in forms.items():
        if form is not None and form.errors and not offered.get(name, False):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)


def render_plan(request: AuthenticatedHttpRequest, pk: int, *, status: int = 200,
                problems: list[Problem] | None = None, **forms: Any) -> HttpResponse:
    plan = selectors.plan_for_page(request.user, pk)
    if plan is None:
        raise Http404
    writer = can(request, PLAN_WRITE) and plan.case.is_open
    lead = can(request, TEAM_LEAD)
    config = access.settings_of(plan.case.contact_point)
    joint = access.joint_signoff(config)
    panel = signoff.signoff_panel(plan, request.user, config)
    if problems is None and plan.status in (PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL):
        problems = services.finalise_problems(plan, timezone.localdate())
        show_problems = False
    else:
        show_problems = bool(problems)
    access_log.shown(request, client_id=plan.case.client_id, office_id=plan.case.contact_point_id, plan=plan.pk,
                     version=plan.version)
    today = timezone.localdate()
    hearings = list(selectors.case_hearings(plan.case)[:10])
    offered = _offered_forms(plan, writer=writer, lead=lead, joint=joint,
                             representative=bool(panel and panel.represents and plan.case.is_open))
    _report_hidden_errors(request, forms, offered)
    return render(request, "integration_plans/plan_detail.html", {
        "plan": plan, "case": plan.case, "client": plan.case.client, "today": today,
        "writer": writer, "lead": lead, "must_submit": access.must_submit(config, is_team_lead=lead), "joint": joint,
        "signoff": panel, "offered": offered,
        "problems": problems or [], "show_problems": show_problems,
        "diff": _diff(plan), "versions": selectors.versions_of(plan.case),
        "hearings": hearings,
        "no_show_hearing_open": any(h.reason == HearingReason.NO_SHOW and h.status == HearingStatus.OPEN
                                    for h in hearings),
        "stuck": is_stuck(plan),
        "expired_by_date": plan.is_in_force and plan.valid_until < today,
        "review_due": plan.review_on <= today + timedelta(days=REVIEW_WARNING_DAYS),
        "sign_form": forms.get("sign_form") or SignatureForm(initial={"signed_on": today}),
        "scan_form": forms.get("scan_form") or ScanForm(),
        "review_form": forms.get("review_form") or ReviewForm(initial={"reviewed_on": today}),
        "return_form": forms.get("return_form") or ReturnForm(),
        "max_upload": documents.upload_max_bytes(), "step_statuses": StepStatus.choices,
    }, status=status)


@role_required(*PLAN_READ)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render_plan(request, pk)  # scoped to the user's offices (``plan_for_page``: 404 outside them)


@require_POST
@role_required(*PLAN_WRITE)
def plan_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_scoped_or_404(Case.objects.select_related("client"), request.user, pk=case_pk)
    try:
        plan = services.create_plan(case=case, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
        return redirect(reverse("cases:client_detail", args=[case.client_id]) + "#section-integration_plans")
    if plan.services.exists():
        messages.success(request, _("Draft created; the services proposed by the latest profiling are filled in."))
    else:
        messages.success(request, _("Draft created."))
    return redirect("integration_plans:plan_edit", pk=plan.pk)


def _after(request: AuthenticatedHttpRequest, plan: IntegrationPlan, action: Any, success: str) -> HttpResponse:
    """Run a lifecycle write; on a broken rule show the plan page again with the reasons."""
    try:
        action()
    except FinaliseRefused as error:
        messages.error(request, error.message)
        return render_plan(request, plan.pk, status=400, problems=error.problems)
    except EditConflict as error:
        messages.error(request, error.message)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("integration_plans:plan_detail", pk=plan.pk)


@require_POST
@role_required(*PLAN_WRITE)
def plan_finalise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    expected = post_int(request, "edit_count")
    return _after(request, plan, lambda: services.finalise(plan=plan, by=request.user, expected_edit_count=expected),
                  _("The plan is finalised; the agreement PDF is being generated."))


@require_POST
@role_required(*PLAN_WRITE)
def plan_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    expected = post_int(request, "edit_count")
    joint = access.joint_signoff(access.settings_of(plan.case.contact_point))
    return _after(request, plan,
                  lambda: services.submit_for_approval(plan=plan, by=request.user, expected_edit_count=expected),
                  _("The plan has been submitted to the agencies' representatives for sign-off.") if joint
                  else _("The plan has been submitted to the team lead for approval."))


@require_POST
@role_required(*PLAN_READ)
def plan_signoff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A representative signs a submitted plan off for one agency; the last sign-off finalises it."""
    plan = get_plan(request, pk)
    form = SignoffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the agency you sign off for."))
        return redirect("integration_plans:plan_detail", pk=plan.pk)
    try:
        result = signoff.sign_off(plan=plan, agency_kind=form.cleaned_data["agency"], by=request.user)
    except FinaliseRefused as error:
        messages.error(request, error.message)
        return render_plan(request, plan.pk, status=400, problems=error.problems)
    except PlanError as error:
        messages.error(request, error.message)
    else:
        agency = plan.case.contact_point.agency_of_kind(form.cleaned_data["agency"]).name
        if result.status == PlanStatus.FINAL:
            messages.success(request, _("Signed off for %(agency)s. That was the last sign-off needed: the plan is "
                                        "finalised and the agreement PDF is being generated.") % {"agency": agency})
        else:
            messages.success(request, _("Signed off for %(agency)s. The plan now awaits the other agency's "
                                        "sign-off.") % {"agency": agency})
    return redirect("integration_plans:plan_detail", pk=plan.pk)


@require_POST
@role_required(*PLAN_READ)
def plan_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The Teamleitung (approval) or a representative of an agency (joint sign-off) returns a submitted plan."""
    plan = get_plan(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_to_draft(plan=plan, by=request.user, note=form.cleaned_data["note"])
        except PlanError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The plan has been returned to the case manager."))
            return redirect("integration_plans:plan_detail", pk=plan.pk)
    return render_plan(request, plan.pk, status=400, return_form=form)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_WRITE)
def plan_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the signature (or, for a decision, the handing over), with an optional scan."""
    plan = get_plan(request, pk)
    if request.method == "GET":
        return redirect(reverse("integration_plans:plan_detail", args=[plan.pk]) + "#signature")
    form = SignatureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload = form.cleaned_data.get("scan")
            scan = documents.check_pdf_upload(upload) if upload else None
            services.record_signature(plan=plan, by=request.user, signed_on=form.cleaned_data["signed_on"],
                                      note=form.cleaned_data["note"], scan=scan)
        except documents.DocumentError as error:
            form.add_error("scan", error.message)
        except PlanError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The signature has been recorded."))
            return redirect("integration_plans:plan_detail", pk=plan.pk)
    return render_plan(request, plan.pk, status=400, sign_form=form)


@require_POST
@role_required(*PLAN_WRITE)
def plan_scan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = documents.check_pdf_upload(form.cleaned_data["scan"])
            services.attach_scan(plan=plan, by=request.user, scan=data)
        except documents.DocumentError as error:
            form.add_error("scan", error.message)
        except PlanError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The signed scan has been stored."))
            return redirect("integration_plans:plan_detail", pk=plan.pk)
    return render_plan(request, plan.pk, status=400, scan_form=form)


@require_POST
@role_required(*PLAN_WRITE)
def plan_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_review(plan=plan, by=request.user, reviewed_on=form.cleaned_data["reviewed_on"],
                                   note=form.cleaned_data["note"])
        except PlanError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("integration_plans:plan_detail", pk=plan.pk)
    return render_plan(request, plan.pk, status=400, review_form=form)


@require_POST
@role_required(*PLAN_WRITE)
def plan_revise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    try:
        new = services.create_revision(plan=plan, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
        return redirect("integration_plans:plan_detail", pk=plan.pk)
    messages.success(request, _("Version %(version)s has been created as a draft from version %(previous)s.")
                     % {"version": new.version, "previous": plan.version})
    return redirect("integration_plans:plan_edit", pk=new.pk)


@require_POST
@role_required(*PLAN_WRITE)
def plan_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    try:
        case = services.discard_draft(plan=plan, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
        return redirect("integration_plans:plan_detail", pk=plan.pk)
    messages.success(request, _("The draft has been discarded."))
    if plan.previous_id:
        return redirect("integration_plans:plan_detail", pk=plan.previous_id)
    return redirect(reverse("cases:client_detail", args=[case.client_id]) + "#section-integration_plans")


@require_POST
@role_required(*PLAN_WRITE)
def step_status(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    step = get_step(request, plan, step_pk)
    form = StepStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown step status."))
    else:
        try:
            services.set_step_status(step=step, status=form.cleaned_data["status"], by=request.user)
        except PlanError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Step updated."))
    return redirect(reverse("integration_plans:plan_detail", args=[plan.pk]) + "#steps")
