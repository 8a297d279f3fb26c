"""Starting a referral from a plan service in one step, with the partners app's referral form (details,
release from confidentiality, who pays)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integration_plans.errors import PlanError
from integration_plans.rules import validity_months
from integration_plans.services.referrals import start_referral
from integration_plans.views.common import get_plan, get_service
from integration_plans.wording import referral_purpose
from jobcenter import access_log
from jobcenter.authz import PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import refuse
from partners.errors import PartnerError
from partners.forms import ReferralForm
from partners.rules import consent_required, default_shared_data, may_refer
from partners.selectors import occupancy, valid_consents
from partners.services.referrals import paying_decision


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_WRITE)
def service_refer(request: AuthenticatedHttpRequest, pk: int, service_pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    service = get_service(request, plan, service_pk)
    case = plan.case
    offer = service.offer
    if offer is None or not may_refer(offer.category, case.contact_point.enabled_modules):
        raise Http404
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, plan=plan.pk)
    back = reverse("integration_plans:plan_detail", args=[plan.pk]) + "#services"
    if service.referral_id:
        messages.info(request, _("A referral has already been started for this service."))
        return redirect(back)
    today = timezone.localdate()
    decision, agency = paying_decision(case=case, offer=offer, day=today)
    needed = consent_required(offer.category)
    shared = default_shared_data(offer.category)
    months = min(36, validity_months(plan.valid_from, plan.valid_until))
    form = ReferralForm(
        request.POST or None, offer=offer, consent_needed=needed, rule_label=agency.name,
        consents=valid_consents(client=case.client, partner=offer.partner, day=today),
        initial={"referred_on": today, "planned_months": months, "shared_data": shared,
                 "consent_data": shared if needed else [],
                 "purpose": referral_purpose(service)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            start_referral(
                service=service, by=request.user, purpose=data["purpose"], shared_data=data["shared_data"],
                referred_on=data["referred_on"], planned_months=data["planned_months"],
                consent=data.get("consent"), new_consent=form.new_consent(),
                paying_override=data["paying_override"] or None, override_reason=data["override_reason"])
        except PartnerError as error:
            refuse(form, error)
        except PlanError as error:
            refuse(request, error)
            return redirect(back)
        else:
            messages.success(request, _("Referral recorded and linked to the service of the plan."))
            return redirect(back)
    return render(request, "integration_plans/service_refer.html", {
        "plan": plan, "case": case, "client": case.client, "service": service, "offer": occupancy(offer),
        "form": form, "decision": decision, "agency": agency, "consent_needed": needed,
    }, status=400 if form.is_bound else 200)
