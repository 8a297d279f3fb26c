from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import client_page
from cases.models import Client
from cases.selectors import MIN_SEARCH_LENGTH, search_clients, with_target_group
from cases.views.cases import CASE_ROLES
from cases.views.intake import INTAKE_ROLES
from jobcenter.access_log import record_access
from jobcenter.decorators import role_required
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404

PAGE_SIZE = 25


@role_required(*CASE_ROLES)  # not the IT administrator: client data are Sozialdaten
def client_list(request: HttpRequest) -> HttpResponse:
    """All clients of the user's offices (also those without a case), searchable by name or number."""
    term = request.GET.get("q", "").strip()
    clients = Client.objects.for_user(request.user).select_related("contact_point").order_by("name_search", "id")
    if term:
        clients = search_clients(clients, term)
    clients = with_target_group(clients, timezone.localdate())
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/client_list.html", {
        "page": page, "term": term, "too_short": 0 < len(term) < MIN_SEARCH_LENGTH,
        "query": f"q={term}" if term else "", "can_register": request.staff.has_role(*INTAKE_ROLES),  # type: ignore[attr-defined]
    })


@role_required(*CASE_ROLES)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One page with everything about the client; apps contribute sections via ``cases.client_page``."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    record_access(request, client_id=client.pk, contact_point_id=client.contact_point_id, what=_("Client page"))
    sections = client_page.sections_for(request, client)
    return render(request, "cases/client_detail.html", {
        "client": client, "sections": sections,
        "can_edit": request.staff.has_role(*INTAKE_ROLES),  # type: ignore[attr-defined]
        "can_export": request.staff.has_role(Role.FALLMANAGER, Role.TEAMLEITUNG),  # type: ignore[attr-defined]
    })


urlpatterns = [
    path("kunden/", client_list, name="client_list"),
    path("kunden/<int:pk>/", client_detail, name="client_detail"),
]
