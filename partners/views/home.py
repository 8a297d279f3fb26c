"""Start-page worklists of the partners app (rendered by the cases app's worklist card)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import CARD_COUNT_CAP, card_rows
from jobcenter.roles import Role
from partners import selectors
from partners.rules import ALL_REFERRAL_MODULES, VACANCY_MODULE

HOME_LIMIT = 5




def overdue_referrals(request: HttpRequest) -> dict[str, object]:
    staff_request = cast(AuthenticatedHttpRequest, request)  # home sections are shown to staff with a role
    staff = staff_request.staff
    office = staff.office
    context: dict[str, object] = {
        "title": _("Referrals without feedback for 14 days"), "icon": "hourglass-split", "when_format": "d.m.Y",
        "empty": _("Every partner has reported within the last 14 days."), "items": [], "total": 0, "more_url": "",
        "hidden": office is None or not any(staff.has_module(m) for m in ALL_REFERRAL_MODULES),
    }
    if office is None or context["hidden"]:
        return context
    today = timezone.localdate()
    team = staff.has_role(Role.TEAMLEITUNG)
    referrals = selectors.overdue_for_home(user=staff_request.user, office=office, day=today, team=team)
    rows, total, capped = card_rows(referrals, HOME_LIMIT)
    context.update(
        total=total, capped=capped, cap=CARD_COUNT_CAP,
        items=[CardItem(url=reverse("partners:referral_detail", args=[r.pk]), title=str(r.case.client),
                    detail=f"{r.offer.title} · {r.offer.partner.name}", when=r.awaiting_since,
                    badge=_("%(days)s days") % {"days": (today - r.awaiting_since).days})
               for r in rows],
        more_url=reverse("partners:referral_list") + "?overdue=1&sort=feedback" + ("" if team else "&mine=1")
        if total > HOME_LIMIT else "",
    )
    return context


def vacancies_without_proposals(request: HttpRequest) -> dict[str, object]:
    staff_request = cast(AuthenticatedHttpRequest, request)  # home sections are shown to staff with a role
    staff = staff_request.staff
    office = staff.office
    context: dict[str, object] = {
        "title": _("Vacancies without proposals"), "icon": "briefcase", "when_format": "d.m.Y",
        "empty": _("Every open vacancy has at least one proposal."), "items": [], "total": 0, "more_url": "",
        "hidden": office is None or not staff.has_module(VACANCY_MODULE),
    }
    if office is None or context["hidden"]:
        return context
    vacancies = selectors.vacancies_without_proposals(user=staff_request.user, office=office)
    rows, total, capped = card_rows(vacancies, HOME_LIMIT)
    context.update(
        total=total, capped=capped, cap=CARD_COUNT_CAP,
        items=[CardItem(url=reverse("partners:vacancy_detail", args=[v.pk]), title=v.title,
                    detail=f"{v.employer.name} · {v.location}", when=v.acquired_on)
               for v in rows],
        more_url=reverse("partners:vacancy_list") + "?without=1&sort=date" if total > HOME_LIMIT else "",
    )
    return context
