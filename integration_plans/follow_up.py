"""The plans' part of the closing checklist of a case in follow-up (``cases.closing_checklist``): help plan
versions that were never signed. Registered from ``IntegrationPlansConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import closing_checklist
from cases.models import Case
from integration_plans.models import IntegrationPlan, PlanStatus

UNSIGNED_STATUSES = (PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL, PlanStatus.FINAL)


def _unsigned_plans(case: Case) -> list[closing_checklist.OpenItem]:
    rows = IntegrationPlan.objects.filter(case=case, status__in=UNSIGNED_STATUSES).order_by("version", "id")
    return [
        closing_checklist.OpenItem(
            text=gettext("Help plan version %(version)s") % {"version": plan.version}
                 + f" · {plan.get_status_display()} · " + gettext("not signed"),
            url=reverse("integration_plans:plan_detail", args=[plan.pk]),
        )
        for plan in rows
    ]


def register_checks() -> None:
    closing_checklist.register(closing_checklist.Check(
        key="plans", title=_("Unsigned help plans"), done=_("No help plan waits for a signature."),
        items=_unsigned_plans, order=50,
    ))
