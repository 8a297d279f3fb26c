"""Writes of the case lifecycle: open, move through the statuses, close, assign, steer, segment.

Every function is keyword-only, runs in one transaction, locks the case row before it reads the state it
checks, and raises ``CaseError`` (a translated message fit for the user) when a rule is broken. The acting
user is recorded in the history context, so the case page can show who changed what, also outside requests.
Other apps (profiling, plans) move a case to "profiling" / "planning" through ``change_status``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    INTEGRATED_OUTCOMES,
    Case,
    CaseSettings,
    CaseStatus,
    Client,
    ClosureRequest,
    ClosureStatus,
    Outcome,
    Segment,
)
from cases.notices import cases_assigned
from cases.rules import ENTERED_BY_INTEGRATION, can_transition
from cases.selectors import with_is_new
from jobcenter.errors import DomainError
from jobcenter.models import Agency, ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

# Not-integrated outcomes that explain themselves; every other not-integrated outcome needs a stated reason.
OUTCOMES_WITHOUT_REASON = frozenset({Outcome.MOVED, Outcome.TRANSFERRED})


class CaseError(DomainError):
    """A broken case rule."""


def outcome_requires_note(outcome: str) -> bool:
    """"No cooperation" and "other reason" must say why; integrations, moves and transfers need not."""
    return outcome not in INTEGRATED_OUTCOMES and outcome not in OUTCOMES_WITHOUT_REASON


def is_staff_of(user: AbstractBaseUser, office: ContactPoint, role: str) -> bool:
    """Does ``user`` hold ``role`` and work in ``office``? (The database answers; one query.)"""
    return bool(
        user.is_active
        and get_user_model()
        .objects.filter(pk=user.pk, groups__name=role, staff_profile__contact_points=office)
        .exists()
    )


def _locked(case: Case) -> Case:
    """The current row, locked until the transaction ends (two clerks cannot race a transition)."""
    return Case.objects.select_for_update(of=("self",)).select_related("contact_point").get(pk=case.pk)


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise CaseError(_("This case is closed. Open a new case to continue working with the client."))


def _check_case_manager(case_manager: User, office: ContactPoint) -> None:
    if not is_staff_of(case_manager, office, Role.FALLMANAGER):
        raise CaseError(
            _("%(name)s is not a case manager of %(office)s.")
            % {"name": case_manager.get_full_name() or case_manager.get_username(), "office": office.name}
        )


def _check_lead_agency(agency: Agency, office: ContactPoint) -> None:
    if agency.pk not in (office.employment_agency_id, office.welfare_agency_id):
        raise CaseError(_("The lead agency must be one of the two agencies of this contact point."))


def _check_segment(segment: str) -> None:
    if segment and segment not in Segment.values:
        raise CaseError(_("Unknown customer segment."))


@transaction.atomic
def open_case(
    *,
    client: Client,
    by: User,
    case_manager: User | None = None,
    segment: str = "",
    lead_agency: Agency | None = None,
    opened_on: date | None = None,
) -> Case:
    """Open a case for ``client`` at the client's contact point; at most one case per client and office is open.

    Opening may route the client to a case manager right away (reception triage). A case manager who opens a
    case without naming anyone takes it on.
    """
    locked_client = (
        Client.objects.select_for_update(of=("self",)).select_related("contact_point").get(pk=client.pk)
    )
    office = locked_client.contact_point
    if Case.objects.filter(client=locked_client, contact_point=office).exclude(status=CaseStatus.CLOSED).exists():
        raise CaseError(_("%(client)s already has an open case at this contact point.") % {"client": locked_client})
    if case_manager is None and is_staff_of(by, office, Role.FALLMANAGER):
        case_manager = by
    if case_manager is not None:
        _check_case_manager(case_manager, office)
    if lead_agency is not None:
        _check_lead_agency(lead_agency, office)
    _check_segment(segment)
    today = timezone.localdate()
    if opened_on is not None and opened_on > today:
        raise CaseError(_("A case cannot be opened in the future."))
    with pghistory.context(user=by.pk):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    client=locked_client,
                    contact_point=office,
                    case_manager=case_manager,
                    segment=segment,
                    lead_agency=lead_agency,
                    opened_on=opened_on or today,
                )
        except IntegrityError as error:  # the partial unique constraint, should a writer bypass the lock
            raise CaseError(
                _("%(client)s already has an open case at this contact point.") % {"client": locked_client}
            ) from error
    cases_assigned([case], by=by)  # routed to a case manager at reception: they are told
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: User) -> Case:
    """Reopening never revives a closed case: it opens a new one that starts where the old one stood
    (same segment and lead agency; the same case manager if they still work here as one)."""
    closed = _locked(case)
    if closed.is_open:
        raise CaseError(_("This case is still open."))
    keep_manager = (
        closed.case_manager
        if closed.case_manager is not None
        and is_staff_of(closed.case_manager, closed.contact_point, Role.FALLMANAGER)
        else None
    )
    return open_case(
        client=closed.client, by=by, case_manager=keep_manager, segment=closed.segment,
        lead_agency=closed.lead_agency,
    )


@transaction.atomic
def change_status(*, case: Case, status: str, by: AbstractBaseUser) -> Case:
    """Move an open case along the allowed transitions (``cases.rules.ALLOWED_TRANSITIONS``).
    Closing needs an outcome and goes through ``close_case``."""
    locked = _locked(case)
    _require_open(locked)
    if status == CaseStatus.CLOSED:
        raise CaseError(_("A case is closed with an outcome; use “Close case”."))
    if status not in CaseStatus.values:
        raise CaseError(_("Unknown case status."))
    if status in ENTERED_BY_INTEGRATION:
        raise CaseError(_("Follow-up begins when an integration is recorded; use “Record integration”."))
    if not can_transition(locked.status, status):
        raise CaseError(
            _("A case cannot move from “%(current)s” to “%(target)s”.")
            % {"current": locked.get_status_display(), "target": CaseStatus(status).label}
        )
    fields = ["status", "updated_at"]
    if locked.in_follow_up:  # back to implementation: the job did not come about, the integration is withdrawn
        locked.outcome, locked.outcome_note, locked.integrated_on = "", "", None
        locked.follow_up_since, locked.follow_up_recorded_by = None, None
        fields += ["outcome", "outcome_note", "integrated_on", "follow_up_since", "follow_up_recorded_by"]
    locked.status = status
    with pghistory.context(user=by.pk):
        locked.save(update_fields=fields)
    return locked


def check_closing(locked: Case, *, outcome: str, note: str, closed_on: date) -> None:
    """The rules of closing without a follow-up (also checked when the closing is only requested)."""
    _require_open(locked)
    if locked.in_follow_up:
        raise CaseError(_("This case is in follow-up after an integration: close it with “Close follow-up and case”, or move "
                          "it back to implementation if the job did not come about."))
    if not outcome:
        raise CaseError(_("Closing a case requires an outcome."))
    if outcome not in Outcome.values:
        raise CaseError(_("Unknown outcome."))
    if outcome_requires_note(outcome) and not note:
        raise CaseError(_("Give the reason why the client was not integrated."))
    if not can_transition(locked.status, CaseStatus.CLOSED):  # pragma: no cover - every open status may close
        raise CaseError(_("This case cannot be closed now."))
    if closed_on < locked.opened_on:
        raise CaseError(_("A case cannot be closed before it was opened."))
    if closed_on > timezone.localdate():
        raise CaseError(_("A case cannot be closed in the future."))


def closure_needs_confirmation(office: ContactPoint, outcome: str, by: AbstractBaseUser) -> bool:
    """Must the Teamleitung confirm closing with ``outcome`` by ``by`` (``cases.services.closures``)? Only a
    not-integrated outcome, only where the office wants it, and not when the Teamleitung closes (that is the
    confirmation)."""
    return (outcome not in INTEGRATED_OUTCOMES
            and CaseSettings.objects.filter(contact_point=office, closure_confirmation_required=True).exists()
            and not is_staff_of(by, office, Role.TEAMLEITUNG))


def settle_pending_closures(locked: Case, by: AbstractBaseUser) -> None:
    """The case was closed or integrated another way: a pending closure request is settled (inside the caller's
    transaction, which holds the case row)."""
    with pghistory.context(user=by.pk):
        for request in ClosureRequest.objects.filter(case=locked, status=ClosureStatus.PENDING):
            request.status, request.decided_by_id, request.decided_at = ClosureStatus.SUPERSEDED, by.pk, timezone.now()
            request.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def close_case(
    *, case: Case, outcome: str, by: AbstractBaseUser, note: str = "", closed_on: date | None = None,
    confirmed: bool = False,
) -> Case:
    """Close with an outcome. "No cooperation" and "other reason" need a note saying why. Where the office wants
    the Teamleitung to confirm closings without integration, anyone but the Teamleitung requests them instead
    (``cases.services.closures``; ``confirmed``: the Teamleitung's confirmation of such a request)."""
    locked = _locked(case)
    note = note.strip()
    closed_on = closed_on or timezone.localdate()
    check_closing(locked, outcome=outcome, note=note, closed_on=closed_on)
    if not confirmed and closure_needs_confirmation(locked.contact_point, outcome, by):
        raise CaseError(_("At this contact point the team lead confirms closing a case without integration; "
                          "request the closing instead."))
    locked.status = CaseStatus.CLOSED
    locked.outcome = outcome
    locked.outcome_note = note
    locked.closed_on = closed_on
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["status", "outcome", "outcome_note", "closed_on", "updated_at"])
    if not confirmed:
        settle_pending_closures(locked, by)
    return locked


@transaction.atomic
def assign_case_manager(*, case: Case, case_manager: User, by: AbstractBaseUser) -> Case:
    """Assign or reassign: only the team lead of the case's office, and only to a case manager of that office.
    The previous assignment stays in the case history."""
    locked = _locked(case)
    if not is_staff_of(by, locked.contact_point, Role.TEAMLEITUNG):
        raise CaseError(_("Only the team lead of this contact point may assign case managers."))
    _require_open(locked)
    _check_case_manager(case_manager, locked.contact_point)
    if locked.case_manager_id == case_manager.pk:
        return locked
    locked.case_manager = case_manager
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["case_manager", "updated_at"])
    cases_assigned([locked], by=by)
    return locked


@transaction.atomic
def set_lead_agency(*, case: Case, agency: Agency, by: AbstractBaseUser) -> Case:
    """Fallsteuerung: which of the office's two agencies steers the case (docs/domain.md §3)."""
    locked = _locked(case)
    _require_open(locked)
    _check_lead_agency(agency, locked.contact_point)
    if locked.lead_agency_id == agency.pk:
        return locked
    locked.lead_agency = agency
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["lead_agency", "updated_at"])
    return locked


@transaction.atomic
def set_segment(*, case: Case, segment: str, by: AbstractBaseUser) -> Case:
    """Kundenstrom: information, advice or case management client (docs/domain.md §6)."""
    locked = _locked(case)
    _require_open(locked)
    if segment not in Segment.values:
        raise CaseError(_("Unknown customer segment."))
    if locked.segment == segment:
        return locked
    locked.segment = segment
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["segment", "updated_at"])
    return locked


def mark_assignment_seen(*, client: Client, user: AbstractBaseUser) -> int:
    """The case manager opened the client's page: their open cases of this client that were new to them
    ("Neu zugewiesen" on the start page) are no longer. One UPDATE that touches only unseen rows (the marker is
    not part of the case's audit events). Returns the number of cases marked."""
    unseen = with_is_new(
        Case.objects.filter(client=client, case_manager_id=user.pk).exclude(status=CaseStatus.CLOSED)
    ).filter(is_new=True)
    return unseen.update(assignment_seen_at=timezone.now())
