"""Writes of the contact log and appointments: notes, scheduling, outcomes and the no-show flag.

Every write keeps ``Case.last_contact_on`` and ``Case.no_show_pending`` in step with what happened; the case row is
locked for the update so two staff members recording at the same time cannot lose each other's change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, AppointmentOutcome, Case, CaseStatus, Channel, ContactNote

# Outcomes that say the appointment time has come; they cannot be recorded before it starts.
OUTCOMES_AFTER_START = frozenset({AppointmentOutcome.ATTENDED, AppointmentOutcome.NO_SHOW})


class ContactError(Exception):
    """A broken rule of the contact log; ``message`` is shown to the user, ``field`` names the form field."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def _locked_case(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise ContactError(_("This case is closed. Open a new case to record further contacts."))
    return locked


def _touch_last_contact(case: Case, day: date) -> None:
    """``last_contact_on`` only moves forward: a back-dated note does not make a recent contact look older."""
    if case.last_contact_on is None or day > case.last_contact_on:
        case.last_contact_on = day
        case.save(update_fields=["last_contact_on", "updated_at"])


@transaction.atomic
def add_note(
    *, case: Case, author: AbstractBaseUser, occurred_on: date, channel: str, text: str, sensitive: bool = False
) -> ContactNote:
    """Record a contact (Gesprächsvermerk) and update the case's last contact."""
    locked = _locked_case(case)
    if occurred_on > timezone.localdate():
        raise ContactError(_("A contact cannot be dated in the future."), field="occurred_on")
    if occurred_on < locked.opened_on:
        raise ContactError(_("A contact cannot be dated before the case was opened."), field="occurred_on")
    if channel not in Channel.values:
        raise ContactError(_("Choose a channel."), field="channel")
    if not text.strip():
        raise ContactError(_("Write what was discussed."), field="text")
    note = ContactNote.objects.create(
        case=locked, author=author, occurred_on=occurred_on, channel=channel, text=text.strip(), sensitive=sensitive
    )
    _touch_last_contact(locked, occurred_on)
    return note


def office_staff(case: Case) -> QuerySet[Any]:
    """Active staff working at the case's contact point: who an appointment can be with."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__contact_points=case.contact_point_id)
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def schedule_appointment(
    *, case: Case, by: AbstractBaseUser, starts_at: datetime, purpose: str, with_user: AbstractBaseUser | None
) -> Appointment:
    """Schedule an appointment for the client of ``case`` with a staff member of the case's office."""
    locked = _locked_case(case)
    if starts_at < timezone.now():
        raise ContactError(_("A new appointment cannot lie in the past."), field="starts_at")
    if not purpose.strip():
        raise ContactError(_("State the purpose of the appointment."), field="purpose")
    if with_user is not None and not office_staff(locked).filter(pk=with_user.pk).exists():
        raise ContactError(_("Choose a staff member of this contact point."), field="with_user")
    return Appointment.objects.create(case=locked, starts_at=starts_at, purpose=purpose.strip(), with_user=with_user)


@transaction.atomic
def record_outcome(*, appointment: Appointment, by: AbstractBaseUser, outcome: str, note: str = "") -> Appointment:
    """Record how an appointment went. An unexcused no-show flags the case for later obligation handling
    (nothing is sanctioned here); an attended appointment counts as a contact."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    case = _locked_case(locked.case)
    if locked.outcome:
        raise ContactError(_("The outcome of this appointment has already been recorded."))
    if outcome not in AppointmentOutcome.values:
        raise ContactError(_("Choose an outcome."), field="outcome")
    if outcome in OUTCOMES_AFTER_START and locked.starts_at > timezone.now():
        raise ContactError(
            _("The appointment has not started yet; only excused or cancelled can be recorded now."), field="outcome"
        )
    if outcome in (AppointmentOutcome.NO_SHOW, AppointmentOutcome.EXCUSED) and not note.strip():
        raise ContactError(_("Add a note: what is known about the absence?"), field="outcome_note")
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.save(update_fields=["outcome", "outcome_note"])
    if outcome == AppointmentOutcome.NO_SHOW and not case.no_show_pending:
        case.no_show_pending = True
        case.save(update_fields=["no_show_pending", "updated_at"])
    elif outcome == AppointmentOutcome.ATTENDED:
        _touch_last_contact(case, timezone.localdate(locked.starts_at))
    return locked


@transaction.atomic
def resolve_no_show(*, case: Case, by: AbstractBaseUser, note: str) -> ContactNote:
    """Mark the unexcused no-show as handled (e.g. hearing held, good reason accepted) and keep why as a note."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.no_show_pending:
        raise ContactError(_("There is no unexcused no-show to handle on this case."))
    if not note.strip():
        raise ContactError(_("Write how the no-show was handled."), field="note")
    locked.no_show_pending = False
    locked.save(update_fields=["no_show_pending", "updated_at"])
    return ContactNote.objects.create(
        case=locked, author=by, occurred_on=timezone.localdate(), channel=Channel.IN_PERSON,
        text=str(_("Unexcused no-show handled: %(note)s")) % {"note": note.strip()},
    )
