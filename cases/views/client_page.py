from __future__ import annotations

from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from cases import client_page
from cases.models import Client
from cases.need_to_know import auskunft_producers, can_produce_auskunft
from cases.search import MIN_SEARCH_LENGTH, search_clients
from cases.selectors import client_ordering
from cases.services.cases import mark_assignment_seen
from jobcenter import access_log, params
from jobcenter.authz import CASE_WORK, INTAKE, STEERING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import paginate
from jobcenter.scoping import contact_point_ids, get_scoped_or_404

PAGE_SIZE = 25


@role_required(*CASE_WORK)  # not the IT administrator: client data are Sozialdaten
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All clients of the user's offices (also those without a case), searchable by name or number."""
    term = params.get_str(request, "q", max_length=100)
    # By name, then birth date (as the case list): the order of ``client_office_sort_idx``, which an office's list
    # reads from its start and stops after the page; the count too reads that index (``ordered``), not the table.
    clients = (Client.objects.for_user(request.user).select_related("contact_point")
               .order_by(*client_ordering(searched=bool(term))))
    if term:
        clients = search_clients(clients, term)
    clients = clients.annotate(target_group=F("current_target_group"))  # today's, kept by cases/target_groups.py
    # The count stops at ``listing.COUNT_CAP``; a search counts its matches unordered (from the trigram index), as
    # does a list of several offices (no one index holds it in order).
    one_office = len(contact_point_ids(request.user)) == 1
    page = paginate(clients, params.get_page(request), PAGE_SIZE, ordered=one_office and not term)
    if request.staff.office is not None:
        access_log.shown_many(request, office_id=request.staff.office.pk, rows=page.object_list)
    return render(request, "cases/client_list.html", {
        "page": page, "term": term, "too_short": 0 < len(term) < MIN_SEARCH_LENGTH,
        "query": urlencode({"q": term}) if term else "", "can_register": request.staff.has_role(*INTAKE),
        "can_select": request.staff.has_role(*STEERING),  # export the ticked clients (cases:client_export)
    })


@role_required(*CASE_WORK)
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One page with everything about the client; apps contribute sections via ``cases.client_page``."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    # no longer "Neu zugewiesen" on the start page: written only when the client's open case is new to the user
    known = client_page.cases_of(request, client)
    if known.open is not None and known.open.is_new_to(request.user.pk):
        mark_assignment_seen(client=client, user=request.user)
    sections = client_page.sections_for(request, client)
    staff = request.staff
    steering = staff.has_role(*STEERING)
    can_export = steering and can_produce_auskunft(request.user, client, staff.roles)
    return render(request, "cases/client_detail.html", {
        "client": client, "sections": sections,
        "can_edit": staff.has_role(*INTAKE),
        "can_export": can_export,
        "auskunft_by": auskunft_producers(client) if steering and not can_export else [],
    })


urlpatterns = [
    path("kunden/", client_list, name="client_list"),
    path("kunden/<int:pk>/", client_detail, name="client_detail"),
]
