from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from cases import client_page
from cases.models import Client
from jobcenter.scoping import get_scoped_or_404


def client_list(request: HttpRequest) -> HttpResponse:
    clients = Client.objects.for_user(request.user).select_related("contact_point")
    page = Paginator(clients, 25).get_page(request.GET.get("page"))
    return render(request, "cases/client_list.html", {"page": page})


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One page with everything about the client; apps contribute sections via ``cases.client_page``."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    sections = client_page.sections_for(request, client)
    return render(request, "cases/client_detail.html", {"client": client, "sections": sections})


urlpatterns = [
    path("kunden/", client_list, name="client_list"),
    path("kunden/<int:pk>/", client_detail, name="client_detail"),
]
