"""Writes of obligation tracking and hearings (Anhörung).

A check records, per obligation and period, whether the client met it (for counted obligations such as
applications: the count against the quota decides). A shortfall opens a hearing; so does an unexcused no-show
(``Case.no_show_pending``, set by the cases app) when the case manager starts one. A hearing records the
client's statement, whether a good reason was accepted, the decision and its legal basis — a consequence is
recorded, never calculated or applied. Deciding a no-show hearing clears the case's no-show flag through the
cases app (``resolve_no_show``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from cases.services.contacts import ContactError, resolve_no_show
from integration_plans import rules
from integration_plans.errors import PlanError
from integration_plans.models import (
    IN_FORCE_STATUSES,
    Hearing,
    HearingConsequence,
    HearingReason,
    HearingStatus,
    IntegrationPlan,
    LegalBasis,
    Obligation,
    ObligationCheck,
    PlanStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Plans whose obligations can still be checked: in force, or expired (the last periods are checked afterwards).
CHECKABLE_STATUSES = IN_FORCE_STATUSES | {PlanStatus.EXPIRED}
# The legal basis that goes with a consequence.
BASIS_OF_CONSEQUENCE: dict[str, str] = {
    HearingConsequence.REDUCTION: LegalBasis.BSHG_25,
    HearingConsequence.BLOCKING_PERIOD: LegalBasis.SGB3_144,
}


def _describe(obligation: Obligation) -> str:
    text = obligation.get_kind_display() if obligation.kind else _("obligation")
    if obligation.description:
        text = f"{text} ({obligation.description[:80]})"
    return text


@transaction.atomic
def record_check(
    *, obligation: Obligation, by: User, period_start: date, fulfilled: bool | None, achieved: int | None = None,
    note: str = "",
) -> ObligationCheck:
    """Record one period of an obligation. With a quantity and a count, the count decides "fulfilled"; a
    shortfall opens a hearing. Moves the obligation's next due check on."""
    locked = Obligation.objects.select_for_update(of=("self",)).select_related("plan__case").get(pk=obligation.pk)
    plan = locked.plan
    if plan.status not in CHECKABLE_STATUSES:
        raise PlanError(_("Obligations are checked once the plan is finalised (and until it is superseded)."))
    period = rules.period_of(locked.period, plan.valid_from, plan.valid_until, period_start)
    if period is None:
        raise PlanError(_("Choose one of the plan's periods."), field="period_start")
    if period.start > timezone.localdate():
        raise PlanError(_("This period has not started yet."), field="period_start")
    counted = rules.fulfilled_by_count(locked.quantity, achieved)
    if counted is not None:
        fulfilled = counted
    if fulfilled is None:
        raise PlanError(_("State whether the obligation was fulfilled."), field="fulfilled")
    if not fulfilled and not note.strip():
        raise PlanError(_("Note what is known about the shortfall."), field="note")
    with pghistory.context(user=by.pk):
        try:
            with transaction.atomic():
                check = ObligationCheck.objects.create(
                    obligation=locked, period_start=period.start, period_end=period.end, achieved=achieved,
                    fulfilled=fulfilled, note=note.strip(), recorded_by=by,
                )
        except IntegrityError as error:
            raise PlanError(_("This period has already been checked."), field="period_start") from error
        done = locked.checks.values_list("period_start", flat=True)
        locked.next_check_on = rules.next_check_due(locked.period, plan.valid_from, plan.valid_until, done)
        locked.save(update_fields=["next_check_on"])
        if not fulfilled:
            shortfall = (
                _("%(achieved)s of %(quantity)s") % {"achieved": achieved, "quantity": locked.quantity}
                if achieved is not None and locked.quantity else _("not fulfilled")
            )
            Hearing.objects.create(
                case=plan.case, plan=plan, check_record=check, reason=HearingReason.SHORTFALL,
                breach=_("%(obligation)s in the period %(start)s–%(end)s: %(shortfall)s. %(note)s") % {
                    "obligation": _describe(locked), "start": period.start.strftime("%d.%m.%Y"),
                    "end": period.end.strftime("%d.%m.%Y"), "shortfall": shortfall, "note": note.strip()},
                opened_on=timezone.localdate(), opened_by=by,
            )
    return check


@transaction.atomic
def open_no_show_hearing(*, case: Case, by: User) -> Hearing:
    """Open a hearing about the case's unexcused no-show (one open no-show hearing per case)."""
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise PlanError(_("This case is closed."))
    if not locked.no_show_pending:
        raise PlanError(_("There is no unexcused no-show to handle on this case."))
    existing = Hearing.objects.filter(case=locked, reason=HearingReason.NO_SHOW, status=HearingStatus.OPEN).first()
    if existing is not None:
        return existing
    plan = (IntegrationPlan.objects.filter(case=locked, status__in=IN_FORCE_STATUSES)
            .order_by("-version").first())
    latest = locked.appointments.filter(outcome="no_show").order_by("-starts_at").first()
    breach = _("Unexcused no-show") if latest is None else _(
        "Unexcused no-show on %(when)s (%(purpose)s): %(note)s") % {
        "when": timezone.localtime(latest.starts_at).strftime("%d.%m.%Y %H:%M"), "purpose": latest.purpose,
        "note": latest.outcome_note}
    with pghistory.context(user=by.pk):
        return Hearing.objects.create(
            case=locked, plan=plan, reason=HearingReason.NO_SHOW, breach=breach, opened_on=timezone.localdate(),
            opened_by=by,
        )


@dataclass(frozen=True)
class HearingInput:
    statement: str
    statement_on: date | None
    good_reason_accepted: bool | None = None
    consequence: str = ""
    legal_basis: str = ""
    decision: str = ""
    decided_on: date | None = None


@transaction.atomic
def save_hearing(*, hearing: Hearing, by: User, data: HearingInput, decide: bool) -> Hearing:
    """Record the statement (the hearing stays open) or, with ``decide``, the decision as well. A decision needs
    whether a good reason was accepted, the consequence (none where it was), the decision text and its date; a
    reduction rests on § 25 BSHG, a blocking period on § 144 SGB III."""
    locked = Hearing.objects.select_for_update(of=("self",)).select_related("case").get(pk=hearing.pk)
    if locked.status != HearingStatus.OPEN:
        raise PlanError(_("This hearing has been decided; its record is kept as it is."))
    today = timezone.localdate()
    if data.statement_on and data.statement_on > today:
        raise PlanError(_("A statement cannot be dated in the future."), field="statement_on")
    if data.statement.strip() and not data.statement_on:
        raise PlanError(_("Enter the date of the statement."), field="statement_on")
    locked.statement, locked.statement_on = data.statement.strip(), data.statement_on
    if decide:
        _check_decision(locked, data, today)
        locked.good_reason_accepted = data.good_reason_accepted
        locked.consequence = data.consequence
        locked.legal_basis = data.legal_basis or BASIS_OF_CONSEQUENCE.get(data.consequence, "")
        locked.decision, locked.decided_on, locked.decided_by = data.decision.strip(), data.decided_on, by
        locked.status = HearingStatus.DECIDED
    with pghistory.context(user=by.pk):
        locked.save()
        if decide and locked.reason == HearingReason.NO_SHOW and locked.case.no_show_pending:
            try:
                resolve_no_show(case=locked.case, by=by, note=_("Hearing decided: %(decision)s")
                                % {"decision": locked.decision})
            except ContactError:  # cleared meanwhile by someone else; nothing left to do
                pass
    return locked


def _check_decision(hearing: Hearing, data: HearingInput, today: date) -> None:
    if data.good_reason_accepted is None:
        raise PlanError(_("State whether a good reason was accepted."), field="good_reason_accepted")
    if data.consequence not in HearingConsequence.values:
        raise PlanError(_("Choose the consequence."), field="consequence")
    if data.good_reason_accepted and data.consequence != HearingConsequence.NONE:
        raise PlanError(_("With a good reason accepted there is no consequence."), field="consequence")
    expected = BASIS_OF_CONSEQUENCE.get(data.consequence)
    if expected and data.legal_basis and data.legal_basis != expected:
        raise PlanError(_("This consequence rests on %(basis)s.") % {"basis": LegalBasis(expected).label},
                        field="legal_basis")
    if data.legal_basis and data.legal_basis not in LegalBasis.values:
        raise PlanError(_("Unknown legal basis."), field="legal_basis")
    if not data.decision.strip():
        raise PlanError(_("Write down the decision and its reasons."), field="decision")
    if data.decided_on is None:
        raise PlanError(_("Enter the date of the decision."), field="decided_on")
    if data.decided_on > today:
        raise PlanError(_("A decision cannot be dated in the future."), field="decided_on")
    if data.decided_on < hearing.opened_on:
        raise PlanError(_("A decision cannot be dated before the hearing was opened."), field="decided_on")
