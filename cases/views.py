from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.models import Client
from jobcenter.scoping import get_scoped_or_404


def client_list(request: HttpRequest) -> HttpResponse:
    clients = Client.objects.for_user(request.user).select_related("contact_point")
    page = Paginator(clients, 25).get_page(request.GET.get("page"))
    return render(request, "cases/client_list.html", {"page": page})


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    return render(request, "cases/client_detail.html", {"client": client})
