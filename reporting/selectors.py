"""Reads of the reporting app beyond the metrics: the team lead's work lists and the monthly reports. Everything
is scoped to the office passed in (and the user's offices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integration_plans.models import IN_FORCE_STATUSES, Hearing, HearingStatus, IntegrationPlan
from integration_plans.rules import EXPIRY_WARNING_DAYS
from partners.models import Referral
from partners.selectors import awaiting_since, feedback_overdue
from reporting.models import MonthlyReport

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from jobcenter.models import ContactPoint

WORKLIST_ROWS = 10
WORKLIST_CAP = 1000


@dataclass(frozen=True)
class WorklistRow:
    client: str
    case_id: int
    day: date
    detail: str
    manager: str


@dataclass(frozen=True)
class Worklist:
    key: str
    title: str | Promise
    day_label: str | Promise
    detail_label: str | Promise
    rows: list[WorklistRow]
    count: int
    capped: bool
    more_url: str = ""


def _person(user: Any) -> str:
    if user is None:
        return "–"
    return str(user.get_full_name() or user.get_username())


def overdue_reviews(user: User, office: ContactPoint, today: date) -> QuerySet[IntegrationPlan]:
    """Plans in force whose review date has passed."""
    return (IntegrationPlan.objects.for_user(user).filter(
        case__contact_point=office, status__in=IN_FORCE_STATUSES, review_on__lt=today,
    ).select_related("case__client", "case__case_manager").order_by("review_on", "pk"))


def expiring_agreements(user: User, office: ContactPoint, today: date) -> QuerySet[IntegrationPlan]:
    """Plans in force that expire within 30 days and have no newer version yet (a Fortschreibung is due)."""
    return (IntegrationPlan.objects.for_user(user).filter(
        case__contact_point=office, status__in=IN_FORCE_STATUSES,
        valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRY_WARNING_DAYS),
        successor__isnull=True,
    ).select_related("case__client", "case__case_manager").order_by("valid_until", "pk"))


def open_hearings(user: User, office: ContactPoint) -> QuerySet[Hearing]:
    return (Hearing.objects.for_user(user).filter(case__contact_point=office, status=HearingStatus.OPEN)
            .select_related("case__client", "case__case_manager").order_by("opened_on", "pk"))


def referrals_without_feedback(user: User, office: ContactPoint, today: date) -> QuerySet[Referral]:
    referrals = Referral.objects.for_user(user).filter(case__contact_point=office).annotate(
        awaiting_since=awaiting_since())
    return (feedback_overdue(referrals, today).select_related("case__client", "case__case_manager", "offer")
            .order_by("awaiting_since", "pk"))


def _worklist(key: str, title: str | Promise, day_label: str | Promise, detail_label: str | Promise,
              queryset: QuerySet[Any], row: Any, limit: int, more_url: str = "") -> Worklist:
    """The first ``limit`` rows and the (capped) count: two queries however long the list."""
    items = list(queryset[:limit])
    if len(items) < limit:
        count, capped = len(items), False
    else:
        count = queryset.order_by().values("pk")[: WORKLIST_CAP + 1].count()
        count, capped = min(count, WORKLIST_CAP), count > WORKLIST_CAP
    return Worklist(key, title, day_label, detail_label, [row(item) for item in items], count, capped, more_url)


def worklists(user: User, office: ContactPoint, today: date, limit: int = WORKLIST_ROWS) -> list[Worklist]:
    def plan_row(day_field: str) -> Any:
        return lambda p: WorklistRow(str(p.case.client), p.case_id, getattr(p, day_field),
                                     _("Version %(version)s") % {"version": p.version}, _person(p.case.case_manager))

    return [
        _worklist("reviews", _("Overdue reviews"), _("Review was due on"), _("Plan"),
                  overdue_reviews(user, office, today), plan_row("review_on"), limit),
        _worklist("expiring", _("Agreements expiring within 30 days"), _("Valid until"), _("Plan"),
                  expiring_agreements(user, office, today), plan_row("valid_until"), limit),
        _worklist("hearings", _("Open hearings"), _("Opened on"), _("Occasion"), open_hearings(user, office),
                  lambda h: WorklistRow(str(h.case.client), h.case_id, h.opened_on, str(h.get_reason_display()),
                                        _person(h.case.case_manager)), limit),
        _worklist("feedback", _("Referrals without feedback"), _("No news since"), _("Offer"),
                  referrals_without_feedback(user, office, today),
                  lambda r: WorklistRow(str(r.case.client), r.case_id, r.awaiting_since, r.offer.title,
                                        _person(r.case.case_manager)), limit,
                  more_url=reverse("partners:referral_list") + "?overdue=1"),
    ]


def reports(user: User, office: ContactPoint) -> QuerySet[MonthlyReport]:
    return (MonthlyReport.objects.for_user(user).filter(office=office)
            .select_related("requested_by", "pdf", "csv").order_by("-month"))
