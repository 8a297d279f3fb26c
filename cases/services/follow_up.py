"""Nachbetreuung (follow-up): recording an integration keeps the case open, closing it is the case manager's step.

``record_integration`` is called by the case page (the case manager records a job, training or self-employment)
and by the placement service (an employer hires the client from a placement proposal). It never closes the case:
the case moves to follow-up with the outcome and the first working day (which may lie up to six months ahead),
the reports count the integration on that day, and the case manager finds the case on their start page with a
closing checklist. ``close_follow_up`` closes it, once the job has started and either nothing is open any more or
the case manager confirms closing despite open items. Going back to implementation (the job did not come about)
goes through ``cases.services.cases.change_status``, which withdraws the integration.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import closing_checklist
from cases.models import INTEGRATED_OUTCOMES, Case, CaseStatus
from cases.rules import INTEGRATION_MAX_AHEAD, can_transition
from cases.services.cases import CaseError, _locked, _require_open, settle_pending_closures

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FOLLOW_UP_FIELDS = ["status", "outcome", "outcome_note", "integrated_on", "follow_up_since", "follow_up_recorded_by"]


def latest_start(today: date) -> date:
    return today + INTEGRATION_MAX_AHEAD


@transaction.atomic
def record_integration(*, case: Case, outcome: str, starts_on: date, by: User, note: str = "") -> Case:
    """The client found a job (or training, or became self-employed) starting on ``starts_on``: the case moves to
    follow-up and stays open; nothing else is changed behind the case manager's back."""
    locked = _locked(case)
    _require_open(locked)
    if outcome not in INTEGRATED_OUTCOMES:
        raise CaseError(_("Choose how the client was integrated."), field="outcome")
    if locked.in_follow_up:
        raise CaseError(
            _("An integration has already been recorded for this case (starting on %(date)s).")
            % {"date": f"{locked.integrated_on:%d.%m.%Y}"}
        )
    if not can_transition(locked.status, CaseStatus.FOLLOW_UP):  # pragma: no cover - every open status may
        raise CaseError(_("This case cannot move to follow-up now."))
    today = timezone.localdate()
    if starts_on < locked.opened_on:
        raise CaseError(_("The start cannot lie before the case was opened (%(date)s).")
                        % {"date": f"{locked.opened_on:%d.%m.%Y}"}, field="starts_on")
    if starts_on > latest_start(today):
        raise CaseError(_("The start may lie at most six months ahead (until %(date)s).")
                        % {"date": f"{latest_start(today):%d.%m.%Y}"}, field="starts_on")
    locked.status = CaseStatus.FOLLOW_UP
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.integrated_on = starts_on
    locked.follow_up_since = today
    locked.follow_up_recorded_by = by
    with pghistory.context(user=by.pk):
        locked.save(update_fields=[*FOLLOW_UP_FIELDS, "updated_at"])
    settle_pending_closures(locked, by)  # a requested closing without integration is moot now
    return locked


@transaction.atomic
def close_follow_up(*, case: Case, by: User, note: str = "", despite_open_items: bool = False) -> Case:
    """Close a case in follow-up with its recorded integration. Only from the first working day on, and with open
    items (``cases.closing_checklist``) only when the case manager says so."""
    locked = _locked(case)
    _require_open(locked)
    if not locked.in_follow_up or locked.integrated_on is None:
        raise CaseError(_("This case is not in follow-up after an integration."))
    today = timezone.localdate()
    if today < locked.integrated_on:
        raise CaseError(_("The follow-up can be closed from the first day of work on (%(date)s).")
                        % {"date": f"{locked.integrated_on:%d.%m.%Y}"})
    still_open = closing_checklist.open_summary(closing_checklist.checklist(locked))
    if still_open and not despite_open_items:
        raise CaseError(
            _("Still open: %(items)s. Settle them first, or confirm that the case is closed despite them.")
            % {"items": still_open}, field="despite_open_items",
        )
    note = note.strip()
    if note:
        locked.outcome_note = "\n".join(filter(None, [locked.outcome_note, note]))
    locked.status = CaseStatus.CLOSED
    locked.closed_on = today
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["status", "outcome_note", "closed_on", "updated_at"])
    return locked
