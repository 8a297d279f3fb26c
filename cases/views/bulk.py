"""Bulk work: the Teamleitung reassigns many cases at once (select → preview → confirm), and case managers export
the clients they selected on the client list (CSV or Excel, logged as an export with its number of rows)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases.forms.bulk import BulkFilterForm, BulkReassignForm, ClientSelectionForm, encode_expected
from cases.models import Case, Client
from cases.selectors import bulk_candidates, case_holders, case_managers
from cases.services.bulk import MAX_BULK, reassign_cases
from cases.services.cases import CaseError
from jobcenter import access_log, exports
from jobcenter.authz import STEERING, TEAM_LEAD
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import querystring
from jobcenter.shortcuts import active_office


# --- reassignment: select -----------------------------------------------------------------------------------
@role_required(*TEAM_LEAD)
def bulk_reassign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Filter by the current case manager (and segment, status); every case found is selected, untick some."""
    office = active_office(request)
    form = BulkFilterForm(request.GET or None, holders=case_holders(office))
    filters = form.filters()
    cases: list[Case] = []
    if filters["manager"]:
        cases = list(bulk_candidates(user=request.user, office=office, **filters)[: MAX_BULK + 1])
    access_log.shown_many(request, office_id=office.pk, rows=cases[:MAX_BULK])
    return render(request, "cases/bulk_reassign.html", {
        "form": form, "filters": filters, "cases": cases[:MAX_BULK], "too_many": len(cases) > MAX_BULK,
        "max": MAX_BULK, "managers": case_managers(office), "chosen": filters["manager"] != "",
    })


def _back(data: dict[str, Any]) -> str:
    """The selection page with the filter the form carried."""
    query = querystring({name: data.get(name) or "" for name in ("manager", "segment", "status")})
    return reverse("cases:bulk_reassign") + (f"?{query}" if query else "")


def _preview(request: AuthenticatedHttpRequest, form: BulkReassignForm, status: int = 200) -> HttpResponse:
    """What will change: each selected case (as it is now) with its current and its new case manager."""
    office = active_office(request)
    data = form.cleaned_data
    new_manager = data["new_manager"]
    cases = list(Case.objects.for_user(request.user).filter(contact_point=office, pk__in=data["cases"])
                 .select_related("client", "case_manager").order_by("client__last_name", "client__first_name", "pk"))
    changing = [case for case in cases if case.is_open and case.case_manager_id != new_manager.pk]
    access_log.shown_many(request, office_id=office.pk, rows=cases)
    return render(request, "cases/bulk_reassign_preview.html", {
        "cases": cases, "changing": changing, "new_manager": new_manager,
        "missing": len(data["cases"]) - len(cases),
        "expected": encode_expected((case.pk, case.case_manager_id) for case in cases),
        "back": _back(data), "form_data": data,
    }, status=status)


def _bound(request: AuthenticatedHttpRequest) -> BulkReassignForm:
    return BulkReassignForm(request.POST, managers=case_managers(active_office(request)))


def _refused(request: AuthenticatedHttpRequest, form: BulkReassignForm) -> HttpResponse:
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect(_back(getattr(form, "cleaned_data", {})))


# --- reassignment: preview and confirm ----------------------------------------------------------------------
@role_required(*TEAM_LEAD)
def bulk_reassign_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """POST from the selection page: show what will change (nothing is written). A GET goes back to it."""
    if request.method != "POST":
        return redirect("cases:bulk_reassign")
    form = _bound(request)
    if not form.is_valid():
        return _refused(request, form)
    return _preview(request, form)


@require_POST
@role_required(*TEAM_LEAD)
def bulk_reassign_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reassign all the previewed cases, or none (the preview is shown again with the reason)."""
    form = _bound(request)
    if not form.is_valid():
        return _refused(request, form)
    data = form.cleaned_data
    new_manager = data["new_manager"]
    try:
        result = reassign_cases(office=active_office(request), case_ids=data["cases"], case_manager=new_manager,
                                by=request.user, expected=data["expected"])
    except CaseError as error:
        messages.error(request, error.message)
        return _preview(request, form, status=409)
    name = new_manager.get_full_name() or new_manager.get_username()
    messages.success(request, ngettext("%(count)s case reassigned to %(name)s.",
                                       "%(count)s cases reassigned to %(name)s.", len(result.changed))
                     % {"count": len(result.changed), "name": name})
    if result.unchanged:
        messages.info(request, ngettext("%(count)s case had %(name)s already and was left as it was.",
                                        "%(count)s cases had %(name)s already and were left as they were.",
                                        len(result.unchanged)) % {"count": len(result.unchanged), "name": name})
    return redirect(reverse("cases:case_list") + "?" + urlencode({"manager": new_manager.pk}))


# --- clients: export a selection ----------------------------------------------------------------------------
EXPORT_HEADER = ("Nachname", "Vorname", "Geburtsdatum", "Kundennummer", "Aktenzeichen", "Straße", "PLZ", "Ort",
                 "Telefon", "E-Mail", "Fallstatus", "Fallmanager/in")


def _export_rows(clients: list[Client], office_id: int) -> list[list[exports.Cell]]:
    open_cases = {case.client_id: case for case in Case.objects.filter(client__in=clients, contact_point_id=office_id)
                  .exclude(status="closed").select_related("case_manager")}
    rows = []
    for client in clients:
        case = open_cases.get(client.pk)
        manager = case.case_manager if case else None
        rows.append([
            exports.text(client.last_name), exports.text(client.first_name), exports.Cell(client.birth_date, "date"),
            exports.text(client.customer_number), exports.text(client.file_number), exports.text(client.street),
            exports.text(client.postal_code), exports.text(client.city), exports.text(client.phone),
            exports.text(client.email), exports.text(case.get_status_display() if case else ""),
            exports.text((manager.get_full_name() or manager.get_username()) if manager else ""),
        ])
    return rows


@require_POST
@role_required(*STEERING)
def client_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clients ticked on the client list, of the active office, as CSV or Excel: one access record (an export
    with its number of rows). Base data and the open case only — nothing that needs need-to-know."""
    office = active_office(request)
    form = ClientSelectionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
        return redirect("cases:client_list")
    clients = list(Client.objects.for_user(request.user).filter(contact_point=office, pk__in=form.cleaned_data["clients"])
                   .order_by("last_name", "first_name", "pk"))
    export = exports.Export(
        filename=f"kunden-auswahl-{office.pk}",
        heading=(office.name, _("%(count)s selected clients") % {"count": len(clients)}),
        blocks=[exports.Block(header=EXPORT_HEADER, rows=_export_rows(clients, office.pk), sheet=_("Clients"))],
    )
    access_log.shown_many(request, office_id=office.pk, rows=clients)
    return exports.response(export, form.cleaned_data.get("format") or "csv")


urlpatterns = [
    path("faelle/umverteilen/", bulk_reassign, name="bulk_reassign"),
    path("faelle/umverteilen/vorschau/", bulk_reassign_preview, name="bulk_reassign_preview"),
    path("faelle/umverteilen/bestaetigen/", bulk_reassign_confirm, name="bulk_reassign_confirm"),
    path("kunden/auswahl-export/", client_export, name="client_export"),
]
