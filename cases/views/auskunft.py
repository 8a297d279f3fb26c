"""Auskunft (Art. 15 DSGVO, § 83 SGB X): the page asks for the occasion, the POST records the export with it in
the access log and answers with the PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from cases import auskunft
from cases.forms.auskunft import AuskunftForm
from cases.models import Client
from jobcenter.access_log import record_access
from jobcenter.decorators import role_required
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404

AUSKUNFT_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)


@role_required(*AUSKUNFT_ROLES)
def client_auskunft(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form asking for the occasion. POST: the client's Auskunft as a PDF, rendered on request
    (German, as handed to the client); the export is recorded before the data are assembled, so the document
    lists it too."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    form = AuskunftForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "cases/auskunft_request.html", {"client": client, "form": form})
    record_access(request, client_id=client.pk, contact_point_id=client.contact_point_id,
                  kind=AccessRecord.Kind.EXPORT, what=_("Auskunft (Art. 15 DSGVO)"),
                  reason=form.cleaned_data["reason"])
    return _pdf_response(client)


def _pdf_response(client: Client) -> HttpResponse:
    with translation.override("de"):
        html = render_to_string("cases/auskunft.html", {
            "client": client, "parts": auskunft.parts_for(client), "created": timezone.localtime(),
            "office": client.contact_point,
        })
    pdf = HTML(string=html, base_url=None).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{client.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [path("kunden/<int:pk>/auskunft/", client_auskunft, name="client_auskunft")]
