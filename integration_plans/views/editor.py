"""The plan editor: plan fields and three row formsets (steps, services, obligations) on one page.

Rows are added and removed in the browser (``static/js/plans.js`` clones the formset's empty row); without
JavaScript the "add" buttons post the form back with one more empty row, so no input is lost either way. A save
that collides with someone else's (optimistic locking) shows the user's input again with the reason.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integration_plans import access
from integration_plans import forms as plan_forms
from integration_plans.errors import EditConflict, FinaliseRefused, PlanError
from integration_plans.models import IntegrationPlan, PlanStatus, ServiceKind
from integration_plans.paying import basis_label, paying_table
from integration_plans.rules import Problem
from integration_plans.services import plans as services
from integration_plans.views.common import get_plan
from jobcenter import access_log
from jobcenter.authz import PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.models import Agency
from jobcenter.roles import Role
from jobcenter.shortcuts import refuse
from partners.models import PartnerGroup

SECTIONS = ("steps", "services", "obligations")
ACTIONS = ("save", "finalise", "submit")


def _initial(plan: IntegrationPlan) -> dict[str, Any]:
    steps = [{"id": s.pk, "description": s.description, "due_on": s.due_on, "status": s.status}
             for s in plan.steps.all()]
    services_ = [{"id": s.pk, "kind": s.kind, "offer": s.offer_id, "description": s.description,
                  "estimated_cost": s.estimated_cost,
                  "paying_override": s.paying_agency.kind if s.paying_override_reason else "",
                  "override_reason": s.paying_override_reason} for s in plan.services.all()]
    obligations = [{"id": o.pk, "kind": o.kind, "quantity": o.quantity, "period": o.period, "proof": o.proof,
                    "description": o.description} for o in plan.obligations.all()]
    return {"steps": steps, "services": services_, "obligations": obligations}


def _forms(request: AuthenticatedHttpRequest, plan: IntegrationPlan, data: QueryDict | None) -> dict[str, Any]:
    office = plan.case.contact_point
    keep = {s.offer_id for s in plan.services.all() if s.offer_id}
    choices, offers = plan_forms.offer_choices(request.user, office, keep)
    initial = _initial(plan) if data is None else {}
    service_kwargs = {"offer_choices": choices, "offers": offers, "agency_choices": plan_forms.agency_choices(office)}
    return {
        "plan_form": plan_forms.PlanForm(data, initial={
            "edit_count": plan.edit_count, "kind": plan.kind, "goal": plan.goal,
            "placement_efforts": plan.placement_efforts, "valid_from": plan.valid_from,
            "valid_until": plan.valid_until, "review_on": plan.review_on, "decision_reason": plan.decision_reason,
            "review_clause": plan.review_clause}),
        "steps": plan_forms.StepFormSet(data, prefix="steps", initial=initial.get("steps")),
        "services": plan_forms.ServiceFormSet(data, prefix="services", initial=initial.get("services"),
                                              form_kwargs=service_kwargs),
        "obligations": plan_forms.ObligationFormSet(data, prefix="obligations", initial=initial.get("obligations")),
        "offers": offers,
    }


def _render(request: AuthenticatedHttpRequest, plan: IntegrationPlan, forms: dict[str, Any], *, status: int = 200,
            problems: list[Problem] | None = None, conflict: str = "") -> HttpResponse:
    office = plan.case.contact_point
    config = access.settings_of(office)
    access_log.shown(request, client_id=plan.case.client_id, office_id=office.pk, plan=plan.pk, version=plan.version)
    agency_names: dict[str, str] = {Agency.Kind.ARBEITSAMT: office.employment_agency.name,
                                    Agency.Kind.SOZIALHILFE: office.welfare_agency.name}
    table = [{"kind": _kind_label(row.kind), "draws": row.draws, "agency": agency_names[row.agency_kind],
              "basis": basis_label(row.basis)} for row in paying_table()]
    sections = [
        ("steps", forms["steps"], plan_forms.STEP_HELPER, _("Steps"), _("Add step"),
         _("The way to the goal, each step with a date.")),
        ("services", forms["services"], plan_forms.SERVICE_HELPER, _("Services of the agencies"), _("Add service"),
         _("What the agencies provide: offers of partners, placement, costs taken over.")),
        ("obligations", forms["obligations"], plan_forms.OBLIGATION_HELPER, _("Obligations of the client"),
         _("Add obligation"), _("What the client does, each with quantity, period and form of proof.")),
    ]
    return render(request, "integration_plans/plan_editor.html", {
        "plan": plan, "case": plan.case, "client": plan.case.client, **forms, "sections": sections,
        "offer_categories_json": json.dumps({str(pk): offer.category for pk, offer in forms["offers"].items()}),
        "full_offers_json": json.dumps({str(pk): warning for pk, offer in forms["offers"].items()
                                        if (warning := plan_forms.full_offer_warning(offer))}),
        "paying_table": table, "problems": _mark_problems(forms, problems or []), "conflict": conflict,
        "needs_approval": access.must_submit(config, is_team_lead=request.staff.has_role(Role.TEAMLEITUNG)),
        "joint": access.joint_signoff(config),
        "services_by_id": {s.pk: s for s in plan.services.all()},
    }, status=status)


def _mark_problems(forms: dict[str, Any], problems: list[Problem]) -> list[dict[str, str]]:
    """Mark the fields each finalise problem is about (``is-invalid`` with a message beside the field) and
    return the problems for the summary at the top, each linking to its first field (or its section)."""
    summary = []
    for problem in problems:
        section, row, fields = problem.section, problem.row, problem.fields
        form = forms["plan_form"]
        if section in SECTIONS:
            rows = forms[section].forms
            form = rows[row] if row is not None and row < len(rows) else None
        anchor = f"{section}-heading" if section in SECTIONS else ""
        if form is not None and fields:
            if not hasattr(form, "cleaned_data"):  # the editor shows the saved draft unbound
                form.cleaned_data = {}
            for field in fields:
                form.add_error(field, problem if len(fields) == 1 else _("Needed before the plan can be finalised."))
            anchor = form[fields[0]].auto_id
        summary.append({"text": str(problem), "anchor": anchor})
    return summary


def _full_offer_warnings(request: AuthenticatedHttpRequest, forms: dict[str, Any]) -> None:
    """A full offer may be chosen; saving says so (its referral will go on the waiting list)."""
    for form in plan_forms.rows(forms["services"]):
        if warning := form.full_offer_warning():
            messages.warning(request, warning)


def _kind_label(kind: str) -> str:
    if kind in PartnerGroup.values:
        return str(PartnerGroup(kind).label)
    return str(ServiceKind(kind).label) if kind in ServiceKind.values else kind


def _with_extra_row(data: QueryDict, section: str) -> QueryDict:
    copy = data.copy()
    key = f"{section}-TOTAL_FORMS"
    try:
        copy[key] = str(int(copy.get(key, "0")) + 1)
    except ValueError:
        copy[key] = "1"
    return copy


def _load(request: AuthenticatedHttpRequest, pk: int) -> IntegrationPlan:
    plan = get_plan(request, pk)
    return services.with_items(IntegrationPlan.objects.select_related(
        "case__client", "case__contact_point__employment_agency", "case__contact_point__welfare_agency",
        "previous", "updated_by")).get(pk=plan.pk)


def _show_item_error(forms: dict[str, Any], error: services.ItemError) -> None:
    rows = [form for form in forms[error.section].forms
            if not form.cleaned_data.get("DELETE") and not form.is_blank()]
    form = rows[error.index] if error.index < len(rows) else None
    refuse(forms["plan_form"] if form is None else form, error)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_WRITE)
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _load(request, pk)
    if plan.status != PlanStatus.DRAFT or not plan.case.is_open:
        messages.info(request, _("This plan is no longer a draft and cannot be edited."))
        return redirect("integration_plans:plan_detail", pk=plan.pk)
    if request.method == "GET":
        return _render(request, plan, _forms(request, plan, None))
    add = request.POST.get("add")
    if add in SECTIONS:
        return _render(request, plan, _forms(request, plan, _with_extra_row(request.POST, add)))
    forms = _forms(request, plan, request.POST)
    if not all(forms[name].is_valid() for name in ("plan_form", *SECTIONS)):
        messages.error(request, _("Please correct the marked fields; nothing has been saved yet."))
        return _render(request, plan, forms, status=400)
    try:
        saved = services.save_draft(
            plan=plan, expected_edit_count=forms["plan_form"].cleaned_data["edit_count"],
            data=forms["plan_form"].to_input(),
            steps=[form.to_input() for form in plan_forms.rows(forms["steps"])],
            services=[form.to_input() for form in plan_forms.rows(forms["services"])],
            obligations=[form.to_input() for form in plan_forms.rows(forms["obligations"])],
            by=request.user,
        )
    except EditConflict as error:
        data = request.POST.copy()
        data["edit_count"] = str(error.current)  # saving again deliberately overwrites the other version
        return _render(request, plan, _forms(request, plan, data), status=409, conflict=error.message)
    except services.ItemError as error:
        _show_item_error(forms, error)
        messages.error(request, _("Please correct the marked fields; nothing has been saved yet."))
        return _render(request, plan, forms, status=400)
    except PlanError as error:
        forms["plan_form"].add_error(error.field if error.field in forms["plan_form"].fields else None,
                                     error.message)
        return _render(request, plan, forms, status=400)
    _full_offer_warnings(request, forms)
    return _after_save(request, saved, request.POST.get("action", "save"))


def _after_save(request: AuthenticatedHttpRequest, plan: IntegrationPlan, action: str) -> HttpResponse:
    if action not in ("finalise", "submit"):
        messages.success(request, _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")})
        return redirect("integration_plans:plan_edit", pk=plan.pk)
    write = services.finalise if action == "finalise" else services.submit_for_approval
    try:
        write(plan=plan, by=request.user, expected_edit_count=plan.edit_count)
    except FinaliseRefused as error:
        fresh = _load(request, plan.pk)
        messages.warning(request, _("The draft has been saved, but it cannot be finalised yet."))
        return _render(request, fresh, _forms(request, fresh, None), status=400, problems=error.problems)
    except PlanError as error:
        messages.error(request, error.message)
        return redirect("integration_plans:plan_edit", pk=plan.pk)
    if action == "finalise":
        messages.success(request, _("The plan is finalised; the agreement PDF is being generated."))
    elif access.joint_signoff(access.settings_of(plan.case.contact_point)):
        messages.success(request, _("The plan has been submitted to the agencies' representatives for sign-off."))
    else:
        messages.success(request, _("The plan has been submitted to the team lead for approval."))
    return redirect("integration_plans:plan_detail", pk=plan.pk)

