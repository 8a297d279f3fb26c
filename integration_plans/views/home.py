"""Start-page worklists ("Mein Tag") of help plans, and the full list behind each card.

Cards: reviews due, agreements expiring within 30 days, obligation checks due, open hearings. A case manager
sees the cases they manage, a team lead the whole office. One more card, for everyone who approves plans (the
representatives of the agencies with joint sign-off, the Teamleitung where it approves): plans awaiting their
sign-off. Rendered with the cases app's card template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from integration_plans import selectors
from jobcenter import access_log, params
from jobcenter.authz import PLAN_READ, PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import CARD_COUNT_CAP, card_rows, paginate
from jobcenter.roles import Role

HOME_LIMIT = 5
PAGE_SIZE = 25




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


def _review_item(plan: Any, team: bool, today: date) -> CardItem:
    return CardItem(_plan_url(plan.pk, "#review"), str(plan.case.client),
                _join(_("Version %(version)s") % {"version": plan.version}, _manager(plan.case, team)),
                plan.review_on, _days(plan.review_on, today))


def _expiring_item(plan: Any, team: bool, today: date) -> CardItem:
    return CardItem(_plan_url(plan.pk), str(plan.case.client),
                _join(_("Version %(version)s – Fortschreibung due") % {"version": plan.version},
                      _manager(plan.case, team)),
                plan.valid_until, _days(plan.valid_until, today))


def _check_item(obligation: Any, team: bool, today: date) -> CardItem:
    label = obligation.get_kind_display() or _("Obligation")
    return CardItem(reverse("integration_plans:check_create", args=[obligation.pk]), str(obligation.plan.case.client),
                _join(label, obligation.description[:60], _manager(obligation.plan.case, team)),
                obligation.next_check_on, _days(obligation.next_check_on, today))


def _hearing_item(hearing: Any, team: bool, today: date) -> CardItem:
    return CardItem(reverse("integration_plans:hearing_detail", args=[hearing.pk]), str(hearing.case.client),
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
    item: Callable[[Any, bool, date], CardItem]
    list_url: str = ""  # the URL name of the whole list ("": ``integration_plans:worklist`` with the slug)
    # The whole list's order is an index's (the office's or the case manager's, ADR 0008): its count reads the first
    # rows of that index as the page does (``paginate(ordered=True)``), instead of hashing every due row of the office.
    indexed_order: bool = True

    def url(self) -> str:
        return reverse(self.list_url) if self.list_url else reverse("integration_plans:worklist", args=[self.slug])


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


def _approval_item(plan: Any, team: bool, today: date) -> CardItem:
    submitter = plan.submitted_by
    by = (submitter.get_full_name() or submitter.username) if submitter else ""
    waiting = (today - timezone.localdate(plan.submitted_at)).days if plan.submitted_at else 0
    return CardItem(_plan_url(plan.pk, "#signoff"), str(plan.case.client),
                _join(_("Version %(version)s") % {"version": plan.version},
                      _("submitted by %(name)s") % {"name": by} if by else ""),
                timezone.localdate(plan.submitted_at) if plan.submitted_at else None,
                ngettext("waiting for %(days)s day", "waiting for %(days)s days", waiting) % {"days": waiting}
                if waiting > 0 else "")


# Plans waiting for the user's sign-off (joint sign-off by the agencies) or approval (Teamleitung): for every role
# that can open a plan, shown only to those who approve; the whole list is ``integration_plans:approval_list``.
APPROVALS = Worklist(
    "approvals", "freigaben", gettext_lazy("Plans awaiting your sign-off"), "pen",
    gettext_lazy("No plan awaits your sign-off."), selectors.awaiting_my_approval, _approval_item,
    list_url="integration_plans:approval_list", indexed_order=False)


def approval_section(request: HttpRequest) -> dict[str, object]:
    """The start-page card of ``APPROVALS``, hidden from users who approve no plans at their office."""
    authenticated = cast(AuthenticatedHttpRequest, request)
    staff = authenticated.staff
    if not selectors.approves_plans(authenticated.user, staff.roles, staff.office):
        # whoever approves no plans has none awaiting them (``awaiting_my_approval`` would be empty): no query
        return {"title": APPROVALS.title, "items": [], "total": 0, "more_url": "", "hidden": True}
    return section(APPROVALS)(request)


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
        rows, total, capped = card_rows(_query(authenticated, worklist), HOME_LIMIT)
        team = Role.TEAMLEITUNG in staff.roles
        base.update(total=total, capped=capped, cap=CARD_COUNT_CAP,
                    items=[worklist.item(row, team, today) for row in rows],
                    more_url=worklist.url() if total > HOME_LIMIT else "")
        return base

    return context


@role_required(*PLAN_WRITE)
def worklist(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    worklist = WORKLISTS.get(slug)
    if worklist is None:
        raise Http404
    return _full_list(request, worklist)


@role_required(*PLAN_READ)
def approval_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every plan awaiting the user's sign-off or approval (the card's "Show all")."""
    return _full_list(request, APPROVALS)


def _full_list(request: AuthenticatedHttpRequest, worklist: Worklist) -> HttpResponse:
    office = request.staff.office
    if office is None:
        raise Http404
    page = paginate(_query(request, worklist), params.get_page(request), PAGE_SIZE, ordered=worklist.indexed_order)
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    team = Role.TEAMLEITUNG in request.staff.roles
    today = timezone.localdate()
    return render(request, "integration_plans/worklist.html", {
        "worklist": worklist, "page": page, "items": [worklist.item(row, team, today) for row in page.object_list],
    })
