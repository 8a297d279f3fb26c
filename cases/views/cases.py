"""The case list (the main work list), the case page and the case writes; the case section of the client page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import client_page, closing_checklist
from cases.forms.cases import (
    AssignCaseManagerForm,
    CaseFilterForm,
    ChangeStatusForm,
    CloseCaseForm,
    CloseFollowUpForm,
    LeadAgencyForm,
    RecordIntegrationForm,
    RefuseClosureForm,
    SegmentForm,
)
from cases.models import Case, Client, ClosureRequest
from cases.rules import TargetGroup
from cases.search import MIN_SEARCH_LENGTH
from cases.selectors import (
    CASE_SORTS,
    MANAGER_FILTER_ALL,
    MANAGER_FILTER_MINE,
    STATUS_FILTER_ALL,
    WHOLE_OFFICE_COUNT_ORDER,
    capped_count,
    case_history,
    case_list,
    case_managers,
    case_ordering,
    fetch_page,
    is_caseload,
    new_assignments,
    with_target_group,
)
from cases.selectors_closures import closure_state, pending_closures
from cases.services.cases import (
    CaseError,
    assign_case_manager,
    change_status,
    mark_assignment_seen,
    open_case,
    reopen_case,
    set_lead_agency,
    set_segment,
)
from cases.services.closures import close_or_request, confirm_closure, confirmation_required, refuse_closure
from cases.services.follow_up import close_follow_up, record_integration
from cases.views.contacts import MY_DAY_LISTS, DayList
from jobcenter import access_log, navigation, params
from jobcenter.authz import CASE_MANAGERS, CASE_WORK, INTAKE, STEERING, TEAM_LEAD
from jobcenter.decorators import role_required
from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import querystring, sort_columns
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, refuse

CASE_LIST_MAX_PAGE = 100_000  # pages of the case list reachable through ``?page=`` (a bigger number: this one)

# Columns of the case list; those with a sort key are whitelisted in ``cases.selectors.CASE_SORTS``.
COLUMNS = (
    ("name", gettext_lazy("Name")), ("", gettext_lazy("Date of birth")), ("", gettext_lazy("Cust. no. / file no.")),
    ("status", gettext_lazy("Status")), ("", gettext_lazy("Customer segment")), ("", gettext_lazy("Target group")),
    ("", gettext_lazy("Case manager")), ("opened", gettext_lazy("Opened on")), ("contact", gettext_lazy("Last contact")),
)


# --- case list ----------------------------------------------------------------------------------------------
def default_manager_filter(request: AuthenticatedHttpRequest) -> str:
    """A case manager's list opens on "My cases"; the team lead's (and everyone else's) on all case managers."""
    staff = request.staff
    if staff.has_role(*CASE_MANAGERS) and not staff.has_role(*TEAM_LEAD):
        return MANAGER_FILTER_MINE
    return MANAGER_FILTER_ALL


@role_required(*CASE_WORK)
def cases_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Filter, search, sort and page in the database; htmx requests get only the results table."""
    office = active_office(request)
    action = reverse("cases:case_list")
    managers = list(case_managers(office))
    defaults = {**CaseFilterForm.DEFAULTS, "manager": default_manager_filter(request)}
    form = CaseFilterForm({**defaults, **request.GET.dict()}, managers=managers, action=action, defaults=defaults)
    filters = form.filters()
    search = filters["q"].strip()
    cases = case_list(
        user=request.user, office=office, day=timezone.localdate(), status=filters["status"],
        segment=filters["segment"], target_group=filters["target_group"], manager=filters["manager"],
        query=search, sort=filters["sort"],
    )
    # Counted first (at most ``COUNT_CAP`` rows): a few rows, or a search's, are sorted; many are read in order from
    # the office's index of the sort (``cases.selectors.case_ordering``).
    whole_office = (filters["status"] == STATUS_FILTER_ALL and filters["manager"] in ("", MANAGER_FILTER_ALL)
                    and not (search or filters["segment"] or filters["target_group"]))
    total, capped = capped_count(cases, ordering=WHOLE_OFFICE_COUNT_ORDER if whole_office else ())
    # One case manager's cases are a caseload (about the same at every office size): read in order from the case
    # manager's index of the sort and stopped after the page, they cost the same in a large office as in a small
    # one; walking the office's name index until a page of them turns up would cost more the more colleagues share
    # the office. A search within them sorts its matches.
    manager = filters["manager"]
    caseload = is_caseload(manager)
    if caseload and not search:
        cases = cases.order_by(*case_ordering(filters["sort"], caseload=True))
    elif search or caseload or not capped:
        cases = cases.order_by(*case_ordering(filters["sort"], few=True))
    else:  # the client's office is the case's (a case is opened at it): the name order of the office's clients
        cases = cases.filter(client__contact_point=office)
    page = fetch_page(cases, params.get_page(request, maximum=CASE_LIST_MAX_PAGE))
    for case in page.object_list:
        case.target_group_label = TargetGroup(case.client.current_target_group).label
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    context = {
        "form": form, "page": page, "total": total, "capped": capped,
        "search_too_short": bool(search) and len(search) < MIN_SEARCH_LENGTH,
        "min_search_length": MIN_SEARCH_LENGTH, "sort": filters["sort"], "columns": sort_columns(COLUMNS, filters, CASE_SORTS),
        "query": querystring(filters),
        "oob": partial,
        "can_reassign": request.staff.has_role(*TEAM_LEAD),
    }
    template = "cases/case_list.html#results" if partial else "cases/case_list.html"
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- case page ----------------------------------------------------------------------------------------------
def _get_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related(
            "client", "contact_point", "contact_point__employment_agency", "contact_point__welfare_agency",
            "case_manager", "lead_agency",
        ),
        request.user, pk=pk,
    )


def _render_case(request: AuthenticatedHttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    staff = request.staff
    office = case.contact_point
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, number=case.pk)
    can_steer = case.is_open and staff.has_role(*STEERING)
    can_assign = case.is_open and staff.has_role(*TEAM_LEAD)
    target_group = (
        with_target_group(Client.objects.filter(pk=case.client_id), timezone.localdate())
        .values_list("target_group", flat=True).first()
    )
    context = {
        "case": case,
        "target_group": TargetGroup(target_group).label if target_group else "",
        "history": case_history(case),
        "can_steer": can_steer,
        "can_assign": can_assign,
        "can_set_segment": case.is_open and staff.has_role(*INTAKE),
        "can_reopen": not case.is_open and staff.has_role(*STEERING),
        "next_statuses": cast(ChoiceField, ChangeStatusForm(case=case).fields["status"]).choices if can_steer else [],
        "close_form": forms.get("close_form") or CloseCaseForm(),
        **_closure_context(request, case, can_steer, forms),
        **_follow_up_context(case, can_steer, forms),
        "assign_form": forms.get("assign_form") or (
            AssignCaseManagerForm(managers=case_managers(office), initial={"case_manager": case.case_manager_id})
            if can_assign else None
        ),
        "lead_agency_form": forms.get("lead_agency_form") or LeadAgencyForm(
            office=office, initial={"lead_agency": case.lead_agency_id}
        ),
        "segment_form": forms.get("segment_form") or SegmentForm(initial={"segment": case.segment}),
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _closure_context(request: AuthenticatedHttpRequest, case: Case, can_steer: bool,
                     forms: dict[str, Any]) -> dict[str, object]:
    """Closure approval: a requested closing (the Teamleitung confirms or refuses it), the last refusal, and whether
    closing without integration must be confirmed at this office."""
    state = closure_state(case)
    lead = request.staff.has_role(*TEAM_LEAD)
    return {
        "closure": state.pending, "refused_closure": state.refused,
        "can_decide_closure": state.pending is not None and lead,
        "refuse_closure_form": forms.get("refuse_closure_form") or RefuseClosureForm(),
        "closing_needs_confirmation": can_steer and not lead and confirmation_required(case.contact_point),
    }


def _follow_up_context(case: Case, can_steer: bool, forms: dict[str, Any]) -> dict[str, object]:
    """Recording an integration (open cases) or the closing checklist and the closing step (follow-up)."""
    if not can_steer:
        return {"checklist": None}
    if not case.in_follow_up:
        return {"checklist": None, "integration_form": forms.get("integration_form") or RecordIntegrationForm()}
    checklist = closing_checklist.checklist(case)
    has_open = any(result.is_open for result in checklist)
    return {
        "checklist": checklist, "checklist_open": has_open,
        "can_close_follow_up": case.integrated_on is not None and case.integrated_on <= timezone.localdate(),
        "follow_up_close_form": forms.get("follow_up_close_form") or CloseFollowUpForm(has_open_items=has_open),
    }


@role_required(*CASE_WORK)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    mark_assignment_seen(client=case.client, user=request.user)
    return _render_case(request, case)


def _apply(
    request: AuthenticatedHttpRequest, case: Case, form: Any, form_name: str, write: Callable[[dict[str, Any]], Case],
    success: str,
) -> HttpResponse:
    """Validate, call the service, redirect; on a broken rule show the page again with the message."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except CaseError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
            return redirect("cases:case_detail", pk=case.pk)
    else:
        messages.error(request, _("Please correct the marked fields."))
    return _render_case(request, case, status=400, **{form_name: form})


@require_POST
@role_required(*STEERING)
def case_change_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = ChangeStatusForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("This status change is not allowed."))
        return redirect("cases:case_detail", pk=case.pk)
    return _apply(request, case, form, "status_form",
                  lambda data: change_status(case=case, status=data["status"], by=request.user),
                  _("Status changed."))


@require_POST
@role_required(*STEERING)
def case_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Close without an integration; a case in follow-up is closed with its recorded integration."""
    case = _get_case(request, pk)
    if case.in_follow_up:
        has_open = any(result.is_open for result in closing_checklist.checklist(case))
        return _apply(request, case, CloseFollowUpForm(request.POST, has_open_items=has_open), "follow_up_close_form",
                      lambda data: close_follow_up(case=case, note=data["note"], by=request.user,
                                                   despite_open_items=data.get("despite_open_items", False)),
                      _("Follow-up closed; the case is closed as integrated."))
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = close_or_request(case=case, outcome=data["outcome"], note=data["note"], by=request.user)
        except CaseError as error:
            messages.error(request, error.message)
        else:
            if isinstance(result, ClosureRequest):
                messages.success(request, _("Closing requested. The team lead confirms it; until then the case "
                                            "stays open."))
            else:
                messages.success(request, _("Case closed."))
            return redirect("cases:case_detail", pk=case.pk)
    else:
        messages.error(request, _("Please correct the marked fields."))
    return _render_case(request, case, status=400, close_form=form)


@require_POST
@role_required(*TEAM_LEAD)
def case_closure_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The Teamleitung confirms a requested closing: the case is closed as requested."""
    case = _get_case(request, pk)
    try:
        confirm_closure(case=case, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closing confirmed; the case is closed."))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@role_required(*TEAM_LEAD)
def case_closure_refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The Teamleitung refuses a requested closing with a reason: the case stays open."""
    case = _get_case(request, pk)
    if closure_state(case).pending is None:  # decided meanwhile (another tab), or never requested
        messages.error(request, _("No closing of this case awaits confirmation."))
        return redirect("cases:case_detail", pk=case.pk)
    form = RefuseClosureForm(request.POST)
    if form.is_valid():
        try:
            refuse_closure(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except CaseError as error:
            if error.field:
                refuse(form, error)
            else:
                messages.error(request, error.message)
                return redirect("cases:case_detail", pk=case.pk)
        else:
            messages.success(request, _("Closing refused; the case stays open and shows the reason."))
            return redirect("cases:case_detail", pk=case.pk)
    return _render_case(request, case, status=400, refuse_closure_form=form)


@require_POST
@role_required(*STEERING)
def case_record_integration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client found work: the case moves to follow-up (Nachbetreuung) and stays open."""
    case = _get_case(request, pk)
    form = RecordIntegrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_integration(case=case, outcome=data["outcome"], starts_on=data["starts_on"], note=data["note"],
                               by=request.user)
        except CaseError as error:  # at its field, or as a message (the form is gone once the case is in follow-up)
            refuse(form if error.field in form.fields else request, error)
        else:
            messages.success(request, closing_checklist.follow_up_message(case, request.user))
            return redirect("cases:case_detail", pk=case.pk)
    else:
        messages.error(request, _("Please correct the marked fields."))
    return _render_case(request, case, status=400, integration_form=form)


@require_POST
@role_required(*TEAM_LEAD)
def case_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = AssignCaseManagerForm(request.POST, managers=case_managers(case.contact_point))
    return _apply(request, case, form, "assign_form",
                  lambda data: assign_case_manager(case=case, case_manager=data["case_manager"], by=request.user),
                  _("Case manager assigned."))


@require_POST
@role_required(*STEERING)
def case_set_lead_agency(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = LeadAgencyForm(request.POST, office=case.contact_point)
    return _apply(request, case, form, "lead_agency_form",
                  lambda data: set_lead_agency(case=case, agency=data["lead_agency"], by=request.user),
                  _("Lead agency saved."))


@require_POST
@role_required(*INTAKE)
def case_set_segment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    return _apply(request, case, SegmentForm(request.POST), "segment_form",
                  lambda data: set_segment(case=case, segment=data["segment"], by=request.user),
                  _("Customer segment saved."))


@require_POST
@role_required(*STEERING)
def case_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    try:
        new_case = reopen_case(case=case, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:case_detail", pk=case.pk)
    messages.success(request, _("A new case has been opened."))
    return redirect("cases:case_detail", pk=new_case.pk)


@require_POST
@role_required(*INTAKE)
def case_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open a case for a client (button on the client page)."""
    client = get_scoped_or_404(Client, request.user, pk=pk)
    try:
        case = open_case(client=client, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:client_detail", pk=client.pk)
    messages.success(request, _("Case opened."))
    return redirect("cases:case_detail", pk=case.pk)


# --- client page section ------------------------------------------------------------------------------------
def _client_section(request: AuthenticatedHttpRequest, client: Client) -> dict[str, object]:
    cases = client_page.cases_of(request, client)
    open_case_, closed = cases.open, cases.closed
    follow_up = open_case_ is not None and open_case_.in_follow_up and request.staff.has_role(*STEERING)
    return {
        "open_case": open_case_,
        "closed_cases": closed,
        "can_open_case": open_case_ is None and request.staff.has_role(*INTAKE),
        "checklist": closing_checklist.checklist(open_case_) if follow_up and open_case_ is not None else None,
        "closure": closure_state(open_case_) if open_case_ is not None else None,
    }


# --- start page: "Neu zugewiesen" ------------------------------------------------------------------------------
def _new_assignment_item(case: Case, team: bool) -> CardItem:
    """A case assigned to the user lately (``Case.assigned_at``; ``is_new`` annotated by
    ``cases.selectors.with_is_new``): marked "new" until they open the client's page."""
    assigned_at = case.assigned_at or timezone.now()  # set on every case by the database (cases/0014)
    return CardItem(
        url=reverse("cases:client_detail", args=[case.client_id]), title=str(case.client),
        detail=" · ".join(part for part in (case.get_status_display(), case.get_segment_display()) if part),
        when=timezone.localtime(assigned_at), badge=_("new") if cast(Any, case).is_new else "",
    )


NEW_ASSIGNMENTS = DayList(
    key="new_assignments", slug="neu-zugewiesen", title=gettext_lazy("Newly assigned to you"), icon="person-plus",
    empty=gettext_lazy("No case has been assigned to you in the last 14 days."),  # NEW_ASSIGNMENT_DAYS
    when_format="d.m.Y",
    query=lambda r: new_assignments(r.user, r.staff.office, timezone.now()),
    item=_new_assignment_item,
    roles=CASE_MANAGERS, order=5,
)
MY_DAY_LISTS[NEW_ASSIGNMENTS.slug] = NEW_ASSIGNMENTS  # the whole list behind "Alle N anzeigen" (cases:my_day_list)


# --- start page: closings awaiting the Teamleitung's confirmation ----------------------------------------------
def _closure_item(request_: ClosureRequest, team: bool) -> CardItem:
    case = request_.case
    by = request_.requested_by
    return CardItem(
        url=reverse("cases:case_detail", args=[case.pk]) + "#closure", title=str(case.client),
        detail=" · ".join(part for part in (
            str(request_.get_outcome_display()),
            _("requested by %(name)s") % {"name": by.get_full_name() or by.username}) if part),
        when=timezone.localtime(request_.requested_at),
    )


PENDING_CLOSURES = DayList(
    key="pending_closures", slug="abschluesse", title=gettext_lazy("Closings to confirm"), icon="folder-check",
    empty=gettext_lazy("No closing awaits your confirmation."), when_format="d.m.Y",
    query=lambda r: pending_closures(r.user, r.staff.roles, r.staff.office),
    item=_closure_item, roles=TEAM_LEAD, order=6,
    applies=lambda r: r.staff.office is not None and confirmation_required(r.staff.office),
)
MY_DAY_LISTS[PENDING_CLOSURES.slug] = PENDING_CLOSURES

urlpatterns = [
    path("faelle/", cases_index, name="case_list"),
    path("faelle/<int:pk>/", case_detail, name="case_detail"),
    path("faelle/<int:pk>/status/", case_change_status, name="case_change_status"),
    path("faelle/<int:pk>/abschliessen/", case_close, name="case_close"),
    path("faelle/<int:pk>/abschluss/bestaetigen/", case_closure_confirm, name="case_closure_confirm"),
    path("faelle/<int:pk>/abschluss/ablehnen/", case_closure_refuse, name="case_closure_refuse"),
    path("faelle/<int:pk>/integration/", case_record_integration, name="case_record_integration"),
    path("faelle/<int:pk>/zuweisen/", case_assign, name="case_assign"),
    path("faelle/<int:pk>/fallsteuerung/", case_set_lead_agency, name="case_set_lead_agency"),
    path("faelle/<int:pk>/kundenstrom/", case_set_segment, name="case_set_segment"),
    path("faelle/<int:pk>/neuer-fall/", case_reopen, name="case_reopen"),
    path("kunden/<int:pk>/fall-eroeffnen/", case_open, name="case_open"),
]


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    client_page.register(
        client_page.ClientSection(
            key="case", title=gettext_lazy("Case"), template="cases/_case_section.html", context=_client_section,
            order=10, roles=CASE_WORK,
        )
    )
    navigation.register(
        navigation.NavItem(
            key="cases", label=gettext_lazy("Cases"), url_name="cases:case_list", icon="folder2-open", order=8,
            roles=CASE_WORK,
        )
    )
