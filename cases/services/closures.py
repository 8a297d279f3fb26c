"""Closure approval (per office, ``CaseSettings.closure_confirmation_required``): closing a case without an
integration is requested by the case manager and confirmed or refused by the office's Teamleitung.

``close_or_request`` is what the case page calls: it closes directly where no confirmation is needed (or the
Teamleitung closes it), otherwise it records a ``ClosureRequest`` and the case stays open ("Abschluss beantragt").
``confirm_closure`` closes the case as requested; ``refuse_closure`` keeps it open with the reason. Integrations
close through the follow-up (``cases.services.follow_up``) as before. Every write locks the case row and is audited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import INTEGRATED_OUTCOMES, Case, CaseSettings, ClosureRequest, ClosureStatus
from cases.services.cases import CaseError, check_closing, close_case, closure_needs_confirmation, is_staff_of
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def confirmation_required(office: ContactPoint) -> bool:
    return CaseSettings.objects.filter(contact_point=office, closure_confirmation_required=True).exists()


def pending_request(case: Case) -> ClosureRequest | None:
    return ClosureRequest.objects.filter(case=case, status=ClosureStatus.PENDING).select_related("requested_by").first()


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("contact_point").get(pk=case.pk)


@transaction.atomic
def request_closure(*, case: Case, outcome: str, by: User, note: str = "",
                    closed_on: date | None = None) -> ClosureRequest:
    """Ask the Teamleitung to confirm closing ``case`` without integration; the case stays open meanwhile."""
    locked = _locked(case)
    note = note.strip()
    closed_on = closed_on or timezone.localdate()
    check_closing(locked, outcome=outcome, note=note, closed_on=closed_on)
    if outcome in INTEGRATED_OUTCOMES:
        raise CaseError(_("An integration is recorded with “Record integration”; the case then stays open in "
                          "follow-up."))
    if ClosureRequest.objects.filter(case=locked, status=ClosureStatus.PENDING).exists():
        raise CaseError(_("The closing of this case already awaits the team lead's confirmation."))
    with pghistory.context(user=by.pk):
        return ClosureRequest.objects.create(case=locked, outcome=outcome, note=note, closed_on=closed_on,
                                             requested_by=by)


def close_or_request(*, case: Case, outcome: str, by: User, note: str = "") -> ClosureRequest | Case:
    """Close the case, or, where the Teamleitung must confirm, request the closing
    (``cases.services.cases.closure_needs_confirmation``)."""
    if closure_needs_confirmation(case.contact_point, outcome, by):
        return request_closure(case=case, outcome=outcome, note=note, by=by)
    return close_case(case=case, outcome=outcome, note=note, by=by)


def _pending_for_decision(locked: Case, by: User) -> ClosureRequest:
    if not is_staff_of(by, locked.contact_point, Role.TEAMLEITUNG):
        raise CaseError(_("Only the team lead of this contact point confirms or refuses the closing of a case."))
    request = (ClosureRequest.objects.select_for_update().filter(case=locked, status=ClosureStatus.PENDING)
               .first())
    if request is None:
        raise CaseError(_("No closing of this case awaits confirmation."))
    return request


@transaction.atomic
def confirm_closure(*, case: Case, by: User) -> Case:
    """The Teamleitung confirms: the case is closed with the requested outcome, note and day."""
    locked = _locked(case)
    request = _pending_for_decision(locked, by)
    closed = close_case(case=locked, outcome=request.outcome, note=request.note, by=by, closed_on=request.closed_on,
                        confirmed=True)
    with pghistory.context(user=by.pk):
        request.status, request.decided_by, request.decided_at = ClosureStatus.CONFIRMED, by, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
    return closed


@transaction.atomic
def refuse_closure(*, case: Case, by: User, reason: str) -> ClosureRequest:
    """The Teamleitung refuses with a reason: the case stays open, the reason is shown on it."""
    locked = _locked(case)
    request = _pending_for_decision(locked, by)
    if not reason.strip():
        raise CaseError(_("Write why the case is not closed."), field="reason")
    with pghistory.context(user=by.pk):
        request.status, request.decided_by, request.decided_at = ClosureStatus.REFUSED, by, timezone.now()
        request.refusal_reason = reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    return request
