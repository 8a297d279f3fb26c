"""The client-page section "Hilfeplan / Eingliederungsvereinbarung" (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from cases.models import Case, Client
from integration_plans import selectors
from integration_plans.models import Hearing, HearingReason, HearingStatus
from integration_plans.views.common import WRITE_ROLES, can

SECTION_LIMIT = 10


def client_plans_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    office = request.staff.office  # type: ignore[attr-defined]
    plans = selectors.client_plans(client, SECTION_LIMIT + 1)
    open_case = (Case.objects.for_user(request.user).filter(client=client, contact_point=office)
                 .exclude(status="closed").first()) if office else None
    planned_cases = {plan.case_id for plan in plans}
    no_show_case = open_case if open_case is not None and open_case.no_show_pending else None
    no_show_hearing = (Hearing.objects.filter(case=open_case, reason=HearingReason.NO_SHOW,
                                              status=HearingStatus.OPEN).first() if no_show_case else None)
    return {
        "plans": plans[:SECTION_LIMIT], "more": len(plans) > SECTION_LIMIT, "open_case": open_case,
        "can_create": bool(open_case and open_case.pk not in planned_cases and can(request, WRITE_ROLES)),
        "writer": can(request, WRITE_ROLES), "today": timezone.localdate(),
        "no_show_case": no_show_case, "no_show_hearing": no_show_hearing,
    }
