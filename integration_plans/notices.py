"""Notifications about help plans (``notifications``): who is told what, and the daily sources.

Event-driven, called inside the causing service's transaction: a plan approved or returned (to whoever submitted
it, else the case manager), an agreement PDF ready (to the case manager, else whoever finalised it). Daily
(``notifications.daily``, registered in ``IntegrationPlansConfig.ready``): agreements in force that expire within
``EXPIRING_DAYS`` days, and open hearings whose deadline for the client's statement has passed.

The subject is the client's name and the plan's number and version — never the plan's content.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integration_plans.models import IN_FORCE_STATUSES, Hearing, HearingStatus, IntegrationPlan
from notifications.models import Kind
from notifications.rules import subject_for
from notifications.services import Notice, notify, reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

EXPIRING_DAYS = 14
# The deadline for the client's statement in a hearing (§ 24 SGB X: "angemessene Frist", two weeks in practice)
# counted from the day the hearing was opened. The letters app, which prints the deadline on the hearing letter,
# may register a source under the same key that takes the printed date instead.
STATEMENT_DAYS = 14
# Sources look back this far, so a day the task did not run is caught up (once, by ``notification_once``).
LOOK_BACK_DAYS = 14


def _plan_subject(plan: IntegrationPlan) -> str:
    return subject_for(str(plan.case.client), reference(_("help plan %(plan)s, version %(version)s"),
                                                        plan=plan.pk, version=plan.version))


def _plan_notice(plan: IntegrationPlan, kind: str, recipient_id: int, due_on: date | None = None) -> Notice:
    return Notice(recipient_id=recipient_id, office_id=plan.case.contact_point_id, kind=kind,
                  subject=_plan_subject(plan), url=reverse("integration_plans:plan_detail", args=[plan.pk]),
                  subject_key=f"plan:{plan.pk}", client_id=plan.case.client_id, due_on=due_on)


def _author(plan: IntegrationPlan) -> int | None:
    """Who waits for the team lead's answer: whoever submitted the plan, else the case manager."""
    return plan.submitted_by_id or plan.case.case_manager_id


def plan_approved(plan: IntegrationPlan, *, by: AbstractBaseUser) -> None:
    if (recipient := _author(plan)) is not None:
        notify(_plan_notice(plan, Kind.PLAN_APPROVED, recipient), by=by)


def plan_returned(plan: IntegrationPlan, *, by: AbstractBaseUser) -> None:
    if (recipient := _author(plan)) is not None:
        notify(_plan_notice(plan, Kind.PLAN_RETURNED, recipient), by=by)


def agreement_ready(plan: IntegrationPlan) -> None:
    """The agreement PDF was stored (by the worker): the case manager can print it."""
    recipient = plan.case.case_manager_id or plan.finalised_by_id
    if recipient is not None:
        notify(_plan_notice(plan, Kind.DOCUMENT_READY, recipient))


# --- daily sources ----------------------------------------------------------------------------------------------
def expiring_agreements(day: date) -> Iterator[Notice]:
    """Plans in force whose validity ends within ``EXPIRING_DAYS`` days: to the case manager, for the last day."""
    plans = (IntegrationPlan.objects.filter(status__in=IN_FORCE_STATUSES, valid_until__gte=day,
                                            valid_until__lte=day + timedelta(days=EXPIRING_DAYS),
                                            case__case_manager__isnull=False)
             .select_related("case__client").order_by("pk"))
    for plan in plans:
        assert plan.case.case_manager_id is not None
        yield _plan_notice(plan, Kind.AGREEMENT_EXPIRING, plan.case.case_manager_id, due_on=plan.valid_until)


def statement_due_on(hearing: Hearing) -> date:
    return hearing.opened_on + timedelta(days=STATEMENT_DAYS)


def passed_hearing_deadlines(day: date) -> Iterator[Notice]:
    """Open hearings without the client's statement whose deadline has passed: to the case manager (else whoever
    opened the hearing), for the deadline."""
    opened_from = day - timedelta(days=STATEMENT_DAYS + LOOK_BACK_DAYS)
    opened_until = day - timedelta(days=STATEMENT_DAYS + 1)  # deadline = opened_on + STATEMENT_DAYS < day
    hearings = (Hearing.objects.filter(status=HearingStatus.OPEN, statement_on__isnull=True,
                                       opened_on__gte=opened_from, opened_on__lte=opened_until)
                .select_related("case__client").order_by("pk"))
    for hearing in hearings:
        case = hearing.case
        yield Notice(
            recipient_id=case.case_manager_id or hearing.opened_by_id, office_id=case.contact_point_id,
            kind=Kind.HEARING_DEADLINE_PASSED,
            subject=subject_for(str(case.client), reference(_("hearing %(hearing)s"), hearing=hearing.pk)),
            url=reverse("integration_plans:hearing_detail", args=[hearing.pk]), subject_key=f"hearing:{hearing.pk}",
            client_id=case.client_id, due_on=statement_due_on(hearing),
        )


def register_sources() -> None:
    """Called from ``IntegrationPlansConfig.ready``."""
    from notifications import daily

    daily.register("agreements_expiring", expiring_agreements)
    daily.register("hearing_deadlines", passed_hearing_deadlines)
