"""The client-page section "Hilfeplan / Eingliederungsvereinbarung" (registered in apps.py)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone

from cases import client_page
from cases.models import Client
from integration_plans import selectors
from integration_plans.models import Hearing, HearingReason, HearingStatus
from jobcenter.authz import PLAN_WRITE
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import can

SECTION_LIMIT = 10


def client_plans_context(http_request: HttpRequest, client: Client) -> dict[str, Any]:
    request = cast(AuthenticatedHttpRequest, http_request)  # ``cases.client_page`` serves logged-in staff only
    plans = selectors.client_plans(client, SECTION_LIMIT + 1)
    open_case = client_page.cases_of(request, client).here
    planned_cases = {plan.case_id for plan in plans}
    no_show_case = open_case if open_case is not None and open_case.no_show_pending else None
    no_show_hearing = (Hearing.objects.filter(case=open_case, reason=HearingReason.NO_SHOW,
                                              status=HearingStatus.OPEN).first() if no_show_case else None)
    return {
        "plans": plans[:SECTION_LIMIT], "more": len(plans) > SECTION_LIMIT, "open_case": open_case,
        "can_create": bool(open_case and open_case.pk not in planned_cases and can(request, PLAN_WRITE)),
        "writer": can(request, PLAN_WRITE), "today": timezone.localdate(),
        "no_show_case": no_show_case, "no_show_hearing": no_show_hearing,
    }
