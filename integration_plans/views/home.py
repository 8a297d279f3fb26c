"""Start-page worklists ("Mein Tag") of help plans, and the full list behind each card.

Cards: reviews due, agreements expiring within 30 days, obligation checks due, open hearings. A case manager
sees the cases they manage, a team lead the whole office. Rendered with the cases app's card template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integration_plans import selectors
from jobcenter import access_log, params
from jobcenter.authz import PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.roles import Role

HOME_LIMIT = 5
PAGE_SIZE = 25


@dataclass(frozen=True)
class Item:
    """One line of a card (the shape ``cases/_home_my_day.html`` renders)."""

    url: str
    title: str
    detail: str = ""
    when: date | None = None
    badge: str = ""


def _plan_url(pk: int, anchor: str = "") -> str:
    return reverse("integration_plans:plan_detail", args=[pk]) + anchor


def _manager(case: Any, team: bool) -> str:
    if not team:
        return ""
    manager = case.case_manager
    return (manager.get_full_name() or manager.username) if manager else _("no case manager assigned")


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _days(day: date, today: date) -> str:
    delta = (day - today).days
    if delta < 0:
        return _("%(days)s days overdue") % {"days": -delta}
    if delta == 0:
        return _("today")
    return _("in %(days)s days") % {"days": delta}


def _review_item(plan: Any, team: bool, today: date) -> Item:
    return Item(_plan_url(plan.pk, "#review"), str(plan.case.client),
                _join(_("Version %(version)s") % {"version": plan.version}, _manager(plan.case, team)),
                plan.review_on, _days(plan.review_on, today))


def _expiring_item(plan: Any, team: bool, today: date) -> Item:
    return Item(_plan_url(plan.pk), str(plan.case.client),
                _join(_("Version %(version)s – Fortschreibung due") % {"version": plan.version},
                      _manager(plan.case, team)),
                plan.valid_until, _days(plan.valid_until, today))


def _check_item(obligation: Any, team: bool, today: date) -> Item:
    label = obligation.get_kind_display() or _("Obligation")
    return Item(reverse("integration_plans:check_create", args=[obligation.pk]), str(obligation.plan.case.client),
                _join(label, obligation.description[:60], _manager(obligation.plan.case, team)),
                obligation.next_check_on, _days(obligation.next_check_on, today))


def _hearing_item(hearing: Any, team: bool, today: date) -> Item:
    return Item(reverse("integration_plans:hearing_detail", args=[hearing.pk]), str(hearing.case.client),
                _join(str(hearing.get_reason_display()), _manager(hearing.case, team)), hearing.opened_on,
                _("open for %(days)s days") % {"days": (today - hearing.opened_on).days}
                if hearing.opened_on < today else "")


@dataclass(frozen=True)
class Worklist:
    key: str
    slug: str
    title: str | Promise
    icon: str
    empty: str | Promise
    query: Callable[[Any, frozenset[str], Any, date], QuerySet[Any]]
    item: Callable[[Any, bool, date], Item]


WORKLISTS = {
    "ueberpruefungen": Worklist(
        "reviews", "ueberpruefungen", gettext_lazy("Plan reviews due"), "clipboard-check",
        gettext_lazy("No plan review is due."), selectors.reviews_due, _review_item),
    "ablaufend": Worklist(
        "expiring", "ablaufend", gettext_lazy("Agreements expiring within 30 days"), "calendar-x",
        gettext_lazy("No agreement expires within 30 days."), selectors.expiring, _expiring_item),
    "nachweise": Worklist(
        "checks", "nachweise", gettext_lazy("Obligation checks due"), "list-check",
        gettext_lazy("No obligation check is due."), selectors.checks_due, _check_item),
    "anhoerungen": Worklist(
        "hearings", "anhoerungen", gettext_lazy("Open hearings"), "megaphone",
        gettext_lazy("No hearing is open."), selectors.open_hearings, _hearing_item),
}


def _query(request: AuthenticatedHttpRequest, worklist: Worklist) -> QuerySet[Any]:
    staff = request.staff
    return worklist.query(request.user, staff.roles, staff.office, timezone.localdate())


def section(worklist: Worklist) -> Callable[[HttpRequest], dict[str, object]]:
    def context(request: HttpRequest) -> dict[str, object]:
        # ``jobcenter.home`` shows a section only to a logged-in user holding PLAN_WRITE
        authenticated = cast(AuthenticatedHttpRequest, request)
        staff = authenticated.staff
        base: dict[str, object] = {"title": worklist.title, "icon": worklist.icon, "empty": worklist.empty,
                                   "when_format": "d.m.Y", "items": [], "total": 0, "more_url": "",
                                   "hidden": staff.office is None}
        if staff.office is None:
            return base
        today = timezone.localdate()
        rows = list(_query(authenticated, worklist)[: HOME_LIMIT + 1])
        total = len(rows) if len(rows) <= HOME_LIMIT else _query(authenticated, worklist).count()
        team = Role.TEAMLEITUNG in staff.roles
        base.update(total=total, items=[worklist.item(row, team, today) for row in rows[:HOME_LIMIT]],
                    more_url=reverse("integration_plans:worklist", args=[worklist.slug]) if total > HOME_LIMIT else "")
        return base

    return context


@role_required(*PLAN_WRITE)
def worklist(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    worklist = WORKLISTS.get(slug)
    office = request.staff.office
    if worklist is None or office is None:
        raise Http404
    page = Paginator(_query(request, worklist), PAGE_SIZE).get_page(params.get_page(request))
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    team = Role.TEAMLEITUNG in request.staff.roles
    today = timezone.localdate()
    return render(request, "integration_plans/worklist.html", {
        "worklist": worklist, "page": page, "items": [worklist.item(row, team, today) for row in page.object_list],
    })
