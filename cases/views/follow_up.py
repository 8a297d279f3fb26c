"""The start-page prompt to the benefits clerks (Leistungssachbearbeitung): clients who start work while a benefit
is still running. The case manager's own list ("Follow-up after integration") is one of the "Mein Tag" lists in
``cases.views.contacts``; the closing checklist lives in ``cases.closing_checklist``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import selectors_contacts as selectors
from cases.models import CaseStatus
from cases.views.contacts import MY_DAY_LIMIT
from jobcenter import home
from jobcenter.authz import BENEFIT_CLERKS
from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import CARD_COUNT_CAP, card_rows


def _starting_work(request: AuthenticatedHttpRequest) -> dict[str, object]:
    cases = selectors.starting_work_with_benefits(request.user, request.staff.office, timezone.localdate())
    rows, total, capped = card_rows(cases, MY_DAY_LIMIT)
    items = [
        CardItem(url=reverse("cases:client_detail", args=[case.client_id]) + "#section-benefits",
                title=str(case.client), detail=_("starts work: end or adjust the running benefit"),
                when=case.integrated_on)
        for case in rows
    ]
    more = reverse("cases:case_list") + "?" + urlencode({"status": CaseStatus.FOLLOW_UP})
    return {
        "title": gettext_lazy("Starting work: check benefits"), "icon": "cash-coin",
        "empty": gettext_lazy("No client with a running benefit starts work."), "when_format": "d.m.Y",
        "total": total, "capped": capped, "cap": CARD_COUNT_CAP, "items": items, "more_url": more if total > MY_DAY_LIMIT else "",
    }


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    home.register(home.HomeSection(
        key="benefits_starting_work", template="cases/_home_my_day.html", context=_starting_work, roles=BENEFIT_CLERKS,
        order=15,
    ))
