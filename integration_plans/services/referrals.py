"""Starting a referral from a plan service in one step: the partners service records the referral (consent,
disclosure log, paying agency), and the plan service is linked to it in the same transaction."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils.translation import gettext as _

from integration_plans.errors import PlanError
from integration_plans.models import IN_FORCE_STATUSES, OPEN_STATUSES, PlanService
from partners.errors import PartnerError
from partners.models import Consent, Referral
from partners.services.referrals import ConsentInput, refer

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def start_referral(
    *,
    service: PlanService,
    by: User,
    purpose: str,
    shared_data: Collection[str],
    referred_on: date | None = None,
    planned_months: int = 3,
    consent: Consent | None = None,
    new_consent: ConsentInput | None = None,
    paying_override: str | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer the client to the service's partner offer and link the referral to the service. A broken referral
    rule comes back as ``PartnerError`` (with its form field); the whole step is rolled back."""
    locked = PlanService.objects.select_for_update(of=("self",)).select_related("plan__case", "offer").get(
        pk=service.pk)
    if locked.offer is None:
        raise PlanError(_("Choose a partner offer for this service first."))
    if locked.referral_id:
        raise PlanError(_("A referral has already been started for this service."))
    if locked.plan.status not in OPEN_STATUSES | IN_FORCE_STATUSES:
        raise PlanError(_("This plan is no longer in force."))
    referral = refer(
        case=locked.plan.case, offer=locked.offer, purpose=purpose, shared_data=shared_data, by=by,
        referred_on=referred_on, planned_months=planned_months, consent=consent, new_consent=new_consent,
        paying_override=paying_override, override_reason=override_reason,
    )
    with pghistory.context(user=by.pk):
        locked.referral = referral
        locked.save(update_fields=["referral"])
    return referral


__all__ = ["PartnerError", "start_referral"]
