"""The case list (the main work list), the case page and the case writes; the case section of the client page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import client_page
from cases.forms.cases import (
    AssignCaseManagerForm,
    CaseFilterForm,
    ChangeStatusForm,
    CloseCaseForm,
    LeadAgencyForm,
    SegmentForm,
)
from cases.models import Case, Client
from cases.rules import TargetGroup
from cases.selectors import (
    CASE_SORTS,
    MIN_SEARCH_LENGTH,
    capped_count,
    case_history,
    case_list,
    case_managers,
    client_cases,
    fetch_page,
    with_target_group,
)
from cases.services.cases import (
    CaseError,
    assign_case_manager,
    change_status,
    close_case,
    open_case,
    reopen_case,
    set_lead_agency,
    set_segment,
)
from jobcenter import access_log, navigation, params
from jobcenter.decorators import role_required
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404

CASE_ROLES = tuple(sorted(set(Role.values) - {Role.ADMINISTRATOR}))  # may read cases
STEER_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)  # status, closing, lead agency, reopening
SEGMENT_ROLES = (Role.EMPFANG, Role.FALLMANAGER, Role.TEAMLEITUNG)  # reception sets the Kundenstrom in triage
OPEN_ROLES = SEGMENT_ROLES
ASSIGN_ROLES = (Role.TEAMLEITUNG,)
CASE_LIST_MAX_PAGE = 100_000  # pages of the case list reachable through ``?page=`` (a bigger number: this one)

# Columns of the case list; those with a sort key are whitelisted in ``cases.selectors.CASE_SORTS``.
COLUMNS = (
    ("name", gettext_lazy("Name")), ("", gettext_lazy("Date of birth")), ("", gettext_lazy("Cust. no. / file no.")),
    ("status", gettext_lazy("Status")), ("", gettext_lazy("Customer segment")), ("", gettext_lazy("Target group")),
    ("", gettext_lazy("Case manager")), ("opened", gettext_lazy("Opened on")), ("contact", gettext_lazy("Last contact")),
)


# --- case list ----------------------------------------------------------------------------------------------
def _columns(filters: dict[str, str]) -> list[dict[str, Any]]:
    """Table headers; a sortable one links to its sort (again: reversed), keeping the other filters."""
    base = {key: value for key, value in filters.items() if value and key != "sort"}
    current = filters["sort"]
    columns: list[dict[str, Any]] = []
    for key, label in COLUMNS:
        column: dict[str, Any] = {"key": key, "label": label, "sort": None}
        if key in CASE_SORTS:
            direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
            target = f"-{key}" if direction == "asc" else key
            column["sort"] = {"url": "?" + urlencode({**base, "sort": target}), "direction": direction}
        columns.append(column)
    return columns


@role_required(*CASE_ROLES)
def cases_index(request: HttpRequest) -> HttpResponse:
    """Filter, search, sort and page in the database; htmx requests get only the results table."""
    office = request.staff.office  # type: ignore[attr-defined]
    if office is None:
        raise Http404
    action = reverse("cases:case_list")
    managers = list(case_managers(office))
    form = CaseFilterForm({**CaseFilterForm.DEFAULTS, **request.GET.dict()}, managers=managers, action=action)
    filters = form.filters()
    search = filters["q"].strip()
    cases = case_list(
        user=request.user, office=office, day=timezone.localdate(), status=filters["status"],
        segment=filters["segment"], target_group=filters["target_group"], manager=filters["manager"],
        query=search, sort=filters["sort"],
    )
    page = fetch_page(cases, params.get_page(request, maximum=CASE_LIST_MAX_PAGE))
    for case in page.object_list:
        case.target_group_label = TargetGroup(case.target_group).label
    if page.number == 1 and not page.has_next:
        total, capped = len(page.object_list), False
    else:
        total, capped = capped_count(cases)
    partial = bool(request.htmx and not request.htmx.history_restore_request)  # type: ignore[attr-defined]
    context = {
        "form": form, "page": page, "total": total, "capped": capped,
        "search_too_short": bool(search) and len(search) < MIN_SEARCH_LENGTH,
        "min_search_length": MIN_SEARCH_LENGTH, "sort": filters["sort"], "columns": _columns(filters),
        "query": urlencode({key: value for key, value in filters.items() if value}),
        "oob": partial,
    }
    template = "cases/case_list.html#results" if partial else "cases/case_list.html"
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- case page ----------------------------------------------------------------------------------------------
def _get_case(request: HttpRequest, pk: int) -> Case:
    return get_scoped_or_404(
        Case.objects.select_related(
            "client", "contact_point", "contact_point__employment_agency", "contact_point__welfare_agency",
            "case_manager", "lead_agency",
        ),
        request.user, pk=pk,
    )


def _render_case(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    office = case.contact_point
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, number=case.pk)
    can_steer = case.is_open and staff.has_role(*STEER_ROLES)
    can_assign = case.is_open and staff.has_role(*ASSIGN_ROLES)
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
        "can_set_segment": case.is_open and staff.has_role(*SEGMENT_ROLES),
        "can_reopen": not case.is_open and staff.has_role(*STEER_ROLES),
        "next_statuses": ChangeStatusForm(case=case).fields["status"].choices if can_steer else [],
        "close_form": forms.get("close_form") or CloseCaseForm(),
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


@role_required(*CASE_ROLES)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _get_case(request, pk))


def _apply(
    request: HttpRequest, case: Case, form: Any, form_name: str, write: Callable[[dict[str, Any]], Case],
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
@role_required(*STEER_ROLES)
def case_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = ChangeStatusForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("This status change is not allowed."))
        return redirect("cases:case_detail", pk=case.pk)
    return _apply(request, case, form, "status_form",
                  lambda data: change_status(case=case, status=data["status"], by=request.user),
                  _("Status changed."))


@require_POST
@role_required(*STEER_ROLES)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    return _apply(request, case, CloseCaseForm(request.POST), "close_form",
                  lambda data: close_case(case=case, outcome=data["outcome"], note=data["note"], by=request.user),
                  _("Case closed."))


@require_POST
@role_required(*ASSIGN_ROLES)
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = AssignCaseManagerForm(request.POST, managers=case_managers(case.contact_point))
    return _apply(request, case, form, "assign_form",
                  lambda data: assign_case_manager(case=case, case_manager=data["case_manager"], by=request.user),
                  _("Case manager assigned."))


@require_POST
@role_required(*STEER_ROLES)
def case_set_lead_agency(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    form = LeadAgencyForm(request.POST, office=case.contact_point)
    return _apply(request, case, form, "lead_agency_form",
                  lambda data: set_lead_agency(case=case, agency=data["lead_agency"], by=request.user),
                  _("Lead agency saved."))


@require_POST
@role_required(*SEGMENT_ROLES)
def case_set_segment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    return _apply(request, case, SegmentForm(request.POST), "segment_form",
                  lambda data: set_segment(case=case, segment=data["segment"], by=request.user),
                  _("Customer segment saved."))


@require_POST
@role_required(*STEER_ROLES)
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    try:
        new_case = reopen_case(case=case, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:case_detail", pk=case.pk)
    messages.success(request, _("A new case has been opened."))
    return redirect("cases:case_detail", pk=new_case.pk)


@require_POST
@role_required(*OPEN_ROLES)
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
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
def _client_section(request: HttpRequest, client: Client) -> dict[str, object]:
    open_case_, closed = client_cases(client)
    return {
        "open_case": open_case_,
        "closed_cases": closed,
        "can_open_case": open_case_ is None and request.staff.has_role(*OPEN_ROLES),  # type: ignore[attr-defined]
    }


client_page.register(
    client_page.ClientSection(
        key="case", title=gettext_lazy("Case"), template="cases/_case_section.html", context=_client_section,
        order=10, roles=frozenset(CASE_ROLES),
    )
)
navigation.register(
    navigation.NavItem(
        key="cases", label=gettext_lazy("Cases"), url_name="cases:case_list", icon="folder2-open", order=8,
        roles=frozenset(CASE_ROLES),
    )
)

urlpatterns = [
    path("faelle/", cases_index, name="case_list"),
    path("faelle/<int:pk>/", case_detail, name="case_detail"),
    path("faelle/<int:pk>/status/", case_change_status, name="case_change_status"),
    path("faelle/<int:pk>/abschliessen/", case_close, name="case_close"),
    path("faelle/<int:pk>/zuweisen/", case_assign, name="case_assign"),
    path("faelle/<int:pk>/fallsteuerung/", case_set_lead_agency, name="case_set_lead_agency"),
    path("faelle/<int:pk>/kundenstrom/", case_set_segment, name="case_set_segment"),
    path("faelle/<int:pk>/neuer-fall/", case_reopen, name="case_reopen"),
    path("kunden/<int:pk>/fall-eroeffnen/", case_open, name="case_open"),
]
