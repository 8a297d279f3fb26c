"""Intake (Erhebung von Personendaten) and editing of client data, with the duplicate check."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from cases.forms.intake import ClientForm, initial_from_search
from cases.models import Client
from cases.services.clients import IntakeError, PossibleDuplicateError, register_client, update_client
from jobcenter import access_log, params
from jobcenter.authz import INTAKE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, refuse

THEN_TRIAGE = "triage"  # after registering from the reception page, continue with routing the client


def _render(request: AuthenticatedHttpRequest, form: ClientForm, error: IntakeError | None, **context: object) -> HttpResponse:
    if error is not None and not isinstance(error, PossibleDuplicateError):
        refuse(form, error)
    show_override = isinstance(error, PossibleDuplicateError) or bool(
        form.is_bound and (form.data.get("confirm_duplicate") or form.data.get("duplicate_reason", "").strip())
    )
    return render(request, "cases/intake_form.html", {
        "form": form, "duplicate": error if error is not None and error.matches else None,
        "blocks": not isinstance(error, PossibleDuplicateError),
        "show_override": show_override, **context,
    })


@role_required(*INTAKE)
def client_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    wanted = request.POST.get("then") if request.POST else params.get_choice(request, "then", (THEN_TRIAGE,), "")
    then = THEN_TRIAGE if wanted == THEN_TRIAGE else ""
    error: IntakeError | None = None
    if request.method == "POST":
        form = ClientForm(request.POST)
        if form.is_valid():
            try:
                client = register_client(office=office, data=form.client_data(),
                                         duplicate_reason=form.override_reason)
            except IntakeError as refused:
                error = refused
                if error.matches:  # the possible duplicates are shown
                    access_log.shown_many(request, office_id=office.pk, rows=error.matches)
            else:
                messages.success(request, _("%(name)s has been registered.") % {"name": client.full_name})
                return redirect("cases:triage_route" if then else "cases:client_detail", client.pk)
    else:
        form = ClientForm(initial=initial_from_search(params.get_str(request, "q", max_length=100)))
    return _render(request, form, error, then=then, office=office)


@role_required(*INTAKE)
def client_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    title = client.full_name  # the bound form below copies its input onto ``client``
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    error: IntakeError | None = None
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            update_client(client=client, data=form.client_data(), duplicate_reason=form.override_reason)
        except IntakeError as refused:
            error = refused
        else:
            messages.success(request, _("The client's data have been saved."))
            return redirect("cases:client_detail", client.pk)
    return _render(request, form, error, client=client, title=title, office=client.contact_point)


urlpatterns = [
    path("kunden/neu/", client_create, name="client_create"),
    path("kunden/<int:pk>/bearbeiten/", client_edit, name="client_edit"),
]
