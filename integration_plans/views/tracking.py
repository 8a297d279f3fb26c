"""Obligation checks per period and hearings (Anhörung)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from integration_plans import rules
from integration_plans.errors import PlanError
from integration_plans.forms import CheckForm, HearingForm
from integration_plans.models import HearingStatus
from integration_plans.services import tracking as services
from integration_plans.views.common import get_hearing, get_obligation
from jobcenter import access_log
from jobcenter.authz import PLAN_READ, PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import can, refuse


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_WRITE)
def check_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request, pk)
    plan = obligation.plan
    access_log.shown(request, client_id=plan.case.client_id, office_id=plan.case.contact_point_id, plan=plan.pk)
    done = set(obligation.checks.values_list("period_start", flat=True))
    today = timezone.localdate()
    periods = [p for p in rules.check_periods(obligation.period, plan.valid_from, plan.valid_until)
               if p.start not in done and p.start <= today] if obligation.period else []
    counted = obligation.quantity is not None
    form = CheckForm(request.POST or None, periods=periods, counted=counted,
                     initial={"period_start": periods[0].start.isoformat() if periods else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.record_check(
                obligation=obligation, by=request.user, period_start=data["period_start"],
                fulfilled=data.get("fulfilled"), achieved=data.get("achieved"), note=data["note"])
        except PlanError as error:
            refuse(form, error)
        else:
            if check.fulfilled:
                messages.success(request, _("Check recorded: fulfilled."))
            else:
                # recorded, so not a warning: the hearing page that follows is where the shortfall is handled
                messages.info(request, _("Check recorded: not fulfilled. A hearing has been opened; nothing is "
                                         "sanctioned before it is decided."))
                return redirect("integration_plans:hearing_detail", pk=check.hearing.pk)
            return redirect(reverse("integration_plans:plan_detail", args=[plan.pk]) + "#obligations")
    return render(request, "integration_plans/check_form.html", {
        "form": form, "obligation": obligation, "plan": plan, "client": plan.case.client,
        "history": obligation.checks.select_related("recorded_by").order_by("-period_start"),
    }, status=400 if form.is_bound else 200)


@require_POST
@role_required(*PLAN_WRITE)
def hearing_open_no_show(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_scoped_or_404(Case, request.user, pk=case_pk)
    try:
        hearing = services.open_no_show_hearing(case=case, by=request.user)
    except PlanError as error:
        messages.error(request, error.message)
        return redirect("cases:client_detail", pk=case.client_id)
    return redirect("integration_plans:hearing_detail", pk=hearing.pk)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READ)
def hearing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hearing = get_hearing(request, pk)
    access_log.shown(request, client_id=hearing.case.client_id, office_id=hearing.case.contact_point_id,
                     hearing=hearing.pk)
    writer = can(request, PLAN_WRITE) and hearing.status == HearingStatus.OPEN
    form = HearingForm(request.POST or None, initial={
        "statement": hearing.statement, "statement_on": hearing.statement_on, "decided_on": timezone.localdate()})
    if request.method == "POST":
        if not writer:
            return redirect("integration_plans:hearing_detail", pk=hearing.pk)
        if form.is_valid():
            data = form.cleaned_data
            decide = request.POST.get("action") == "decide"
            try:
                services.save_hearing(hearing=hearing, by=request.user, decide=decide,
                                      data=services.HearingInput(
                                          statement=data["statement"], statement_on=data["statement_on"],
                                          good_reason_accepted=data["good_reason_accepted"],
                                          consequence=data["consequence"], legal_basis=data["legal_basis"],
                                          decision=data["decision"], decided_on=data["decided_on"]))
            except PlanError as error:
                refuse(form, error)
            else:
                messages.success(request, _("Hearing decided.") if decide else _("Statement saved."))
                return redirect("integration_plans:hearing_detail", pk=hearing.pk)
    return render(request, "integration_plans/hearing_detail.html", {
        "hearing": hearing, "client": hearing.case.client, "form": form, "writer": writer,
    }, status=400 if form.is_bound and form.errors else 200)
