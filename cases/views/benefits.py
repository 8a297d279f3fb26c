"""Benefits (Leistungsbezug) of a client and the target group derived from them (client-page section)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import client_page, data_flows
from cases.forms.benefits import BenefitForm, EndBenefitForm
from cases.models import BenefitEntitlement, Client
from cases.rules import TargetGroup, is_youth, target_group_history, target_group_on
from cases.services.benefits import BenefitError, add_benefit, end_benefit, paying_agency
from jobcenter import access_log
from jobcenter.authz import BENEFITS
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.models import ContactPoint
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import refuse


def _office_with_agencies(request: AuthenticatedHttpRequest, office_id: int) -> ContactPoint:
    """The staff context already holds the user's offices with both agencies; avoid querying them again."""
    for office in request.staff.offices:
        if office.pk == office_id:
            return office
    return ContactPoint.objects.select_related("employment_agency", "welfare_agency").get(pk=office_id)


def benefits_section(request: AuthenticatedHttpRequest, client: Client) -> dict[str, object]:
    benefits = list(client.benefits.all())
    data_flows.benefits_shown(request, client, benefits)
    office = _office_with_agencies(request, client.contact_point_id)
    today = timezone.localdate()
    group = target_group_on(benefits, today)
    return {
        "today": today,
        "target_group": group,
        "youth": group != TargetGroup.NONE and is_youth(client.birth_date, today),
        "group_history": list(reversed(target_group_history(benefits))),
        "benefit_rows": [(benefit, paying_agency(benefit.kind, office)) for benefit in reversed(benefits)],
        "can_edit_benefits": request.staff.has_role(*BENEFITS),
    }


@role_required(*BENEFITS)
def benefit_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client.objects.select_related("contact_point"), request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    form = BenefitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            benefit = add_benefit(client=client, **form.cleaned_data)
        except BenefitError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(benefit)s has been recorded.") % {"benefit": benefit})
            return redirect("cases:client_detail", client.pk)
    return render(request, "cases/benefit_form.html", {"client": client, "form": form})


@role_required(*BENEFITS)
def benefit_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    benefit = get_scoped_or_404(BenefitEntitlement.objects.select_related("client"), request.user, pk=pk)
    access_log.shown(request, client_id=benefit.client_id, office_id=benefit.client.contact_point_id)
    data_flows.benefits_shown(request, benefit.client, [benefit])
    initial = {"end": benefit.end, "end_reason": benefit.end_reason} if benefit.end else None
    form = EndBenefitForm(request.POST or None, benefit=benefit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            end_benefit(benefit=benefit, **form.cleaned_data)
        except BenefitError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The end of the benefit has been recorded."))
            return redirect("cases:client_detail", benefit.client_id)
    return render(request, "cases/benefit_end.html", {"benefit": benefit, "client": benefit.client, "form": form})


urlpatterns = [
    path("kunden/<int:pk>/leistungen/neu/", benefit_create, name="benefit_create"),
    path("leistungen/<int:pk>/beenden/", benefit_end, name="benefit_end"),
]


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    client_page.register(client_page.ClientSection(
        key="benefits", title=gettext_lazy("Benefits and target group"), template="cases/_benefits_section.html",
        context=benefits_section, order=60,
    ))
