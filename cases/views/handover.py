"""Hand-over of a client to another contact point under a cooperation agreement: the form (from the client page),
the list of the office's hand-overs in both directions, and the client-page section."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import client_page
from cases.forms.handover import HandOverForm
from cases.models import Client
from cases.models_handover import HandOver
from cases.services.handover import HandOverError, hand_over
from jobcenter import access_log, navigation, params
from jobcenter.authz import CASE_WORK, HAND_OVER
from jobcenter.cooperation.selectors import covering_agreements, target_offices
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, refuse

PAGE_SIZE = 25
DIRECTIONS = ("all", "out", "in")


@role_required(*HAND_OVER)
def handover_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    targets = target_offices(client.contact_point)
    form = HandOverForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = hand_over(client=client, to_office=data["to_office"], on=data["handed_over_on"],
                                 note=data["note"], by=request.user)
        except HandOverError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(client)s has been handed over to %(office)s with the case and its "
                                        "documents.") % {"client": client.full_name, "office": handover.to_office})
            return redirect("cases:handover_list")
    agreements = [(office, list(covering_agreements(client.contact_point, office))) for office in targets]
    return render(request, "cases/handover_form.html", {"client": client, "form": form, "agreements": agreements},
                  status=400 if form.is_bound else 200)


@role_required(*HAND_OVER)
def handover_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's hand-overs, sent and received: the sending office keeps this record after the client left."""
    office = active_office(request)
    direction = params.get_choice(request, "direction", DIRECTIONS, "all")
    where = {"out": Q(from_office=office), "in": Q(to_office=office)}.get(
        direction, Q(from_office=office) | Q(to_office=office))
    rows = (HandOver.objects.filter(where)
            .select_related("client", "case", "case__case_manager", "from_office", "to_office", "agreement", "by")
            .order_by("-handed_over_on", "-id"))
    page = Paginator(rows, PAGE_SIZE).get_page(params.get_page(request))
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    return render(request, "cases/handover_list.html", {
        "page": page, "office": office, "direction": direction, "query": f"direction={direction}",
        "directions": [("all", _("All")), ("out", _("Handed over by us")), ("in", _("Taken over by us"))],
    })


def _client_section(request: AuthenticatedHttpRequest, client: Client) -> dict[str, object]:
    handovers = list(client.handovers.select_related("from_office", "to_office", "agreement", "by")
                     .order_by("-handed_over_on", "-id"))
    return {"handovers": handovers, "can_hand_over": request.staff.has_role(*HAND_OVER)}


urlpatterns = [
    path("kunden/<int:pk>/uebergabe/", handover_create, name="handover_create"),
    path("uebergaben/", handover_list, name="handover_list"),
]


def register_extensions() -> None:
    """The client-page section and the menu entry (called from ``CasesConfig.ready``)."""
    client_page.register(client_page.ClientSection(
        key="handover", title=gettext_lazy("Hand-overs between contact points"),
        template="cases/_handover_section.html", context=_client_section, order=85, roles=CASE_WORK,
    ))
    navigation.register(navigation.NavItem(
        key="handovers", label=gettext_lazy("Hand-overs"), url_name="cases:handover_list", icon="arrow-left-right",
        roles=HAND_OVER, order=15,
    ))
