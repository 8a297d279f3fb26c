from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from cases import auskunft
from cases.models import Client
from jobcenter.access_log import record_access
from jobcenter.decorators import role_required
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404

AUSKUNFT_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)


@role_required(*AUSKUNFT_ROLES)
def client_auskunft(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's Auskunft as a PDF, rendered on request (German, as handed to the client); the export is
    recorded in the access log before the data are assembled, so the document lists it too."""
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    record_access(request, client_id=client.pk, contact_point_id=client.contact_point_id,
                  kind=AccessRecord.Kind.EXPORT, what=_("Auskunft (Art. 15 DSGVO)"))
    with translation.override("de"):
        html = render_to_string("cases/auskunft.html", {
            "client": client, "parts": auskunft.parts_for(client), "created": timezone.localtime(),
            "office": client.contact_point,
        })
    pdf = HTML(string=html, base_url=None).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="auskunft-{client.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [path("kunden/<int:pk>/auskunft.pdf", client_auskunft, name="client_auskunft")]
