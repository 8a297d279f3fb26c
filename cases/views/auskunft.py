"""Auskunft (Art. 15 DSGVO, § 83 SGB X): the page asks for the occasion, the POST records the export with it in
the access log and answers with the PDF. Only a user who may see everything about the client produces it
(``cases.need_to_know.can_produce_auskunft``); anyone else is told who can."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation

from cases import auskunft
from cases.forms.auskunft import AuskunftForm
from cases.models import Client
from cases.need_to_know import auskunft_producers, can_produce_auskunft
from jobcenter import access_log
from jobcenter.authz import STEERING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.models import AccessRecord
from jobcenter.pdf import render_pdf
from jobcenter.scoping import get_scoped_or_404


@role_required(*STEERING)
def client_auskunft(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the form asking for the occasion. POST: the client's Auskunft as a PDF, rendered on request
    (German, as handed to the client); the export is recorded before the data are assembled, so the document
    lists it too."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)  # the page names the client
    if not can_produce_auskunft(request.user, client, request.staff.roles):
        # it holds every sensitive note: only who may see everything about the client produces it
        return render(request, "cases/auskunft_refused.html", {"client": client,
                                                                "producers": auskunft_producers(client)})
    form = AuskunftForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "cases/auskunft_request.html", {"client": client, "form": form})
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id,
                     kind=AccessRecord.Kind.EXPORT, reason=form.cleaned_data["reason"])
    access_log.flush(request)  # now: the document lists this export too
    return _pdf_response(client)


def _pdf_response(client: Client) -> HttpResponse:
    with translation.override("de"):
        html = render_to_string("cases/auskunft.html", {
            "client": client, "parts": auskunft.parts_for(client), "created": timezone.localtime(),
            "office": client.contact_point,
        })
    pdf = render_pdf(html)  # the restricted fetcher: nothing outside our own fonts is loaded
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{client.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("kunden/<int:pk>/auskunft/", client_auskunft, name="client_auskunft")]
