"""Reception triage ("Empfang"): search → pick or register → record the concern and route to a case manager."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms.triage import RouteForm
from cases.models import Case, CaseStatus, Client
from cases.search import MIN_SEARCH_LENGTH, search_clients
from cases.selectors import SameText
from cases.services.triage import TriageError, current_open_case, route_client
from cases.views.intake import THEN_TRIAGE
from jobcenter import access_log, navigation, params
from jobcenter.authz import INTAKE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, refuse

RESULT_LIMIT = 20

@role_required(*INTAKE)
def triage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the active office's clients by name or number and show each one's open case."""
    office = active_office(request)
    term = params.get_str(request, "q", max_length=100)
    open_cases = Case.objects.filter(contact_point=office).exclude(status=CaseStatus.CLOSED)
    # In the clients' order (last name, first name), with the name hidden from the office's name index: the matches
    # come from the trigram index and are sorted, instead of the office being walked in name order until 21 match.
    found = list(
        search_clients(Client.objects.for_user(request.user).for_office(office.pk), term)
        .order_by(SameText(F("last_name")).asc(), "first_name", "id")
        .prefetch_related(Prefetch("cases", open_cases.select_related("case_manager"), to_attr="open_cases"))
        [: RESULT_LIMIT + 1]
    )
    context = {
        "term": term, "searched": len(term) >= MIN_SEARCH_LENGTH, "too_short": 0 < len(term) < MIN_SEARCH_LENGTH,
        "results": found[:RESULT_LIMIT], "more": len(found) > RESULT_LIMIT, "min_length": MIN_SEARCH_LENGTH,
        "then": THEN_TRIAGE,
    }
    access_log.shown_many(request, office_id=office.pk, rows=found[:RESULT_LIMIT])
    partial = request.htmx and not request.htmx.history_restore_request
    template = "cases/triage.html#results" if partial else "cases/triage.html"
    return render(request, template, context)


@role_required(*INTAKE)
def triage_route(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the client's concern and route them: opens a case or updates the open one."""
    office = active_office(request)
    client = get_scoped_or_404(Client.objects.for_office(office.pk), request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    case = current_open_case(client, office)
    may_reassign = request.staff.has_role(Role.TEAMLEITUNG)
    form = RouteForm(request.POST or None, office=office, case=case, may_reassign=may_reassign)
    if request.method == "POST" and form.is_valid():
        try:
            routed = route_client(client=client, office=office, receptionist=request.user, may_reassign=may_reassign,
                                  **form.cleaned_data)
        except TriageError as error:
            refuse(form, error)
        else:
            manager = routed.case.case_manager
            assert manager is not None  # routing always assigns a case manager
            messages.success(request, _("The concern has been recorded and %(client)s routed to %(manager)s.") % {
                "client": client.full_name, "manager": manager.get_full_name() or manager.get_username()})
            return redirect("cases:client_detail", client.pk)
    return render(request, "cases/triage_route.html", {"client": client, "case": case, "form": form})


urlpatterns = [
    path("empfang/", triage, name="triage"),
    path("empfang/kunden/<int:pk>/", triage_route, name="triage_route"),
]


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    navigation.register(navigation.NavItem(
        key="triage", label=gettext_lazy("Reception"), url_name="cases:triage", icon="person-badge", order=5,
        roles=INTAKE,
    ))
