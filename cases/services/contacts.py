"""Writes of the contact log and appointments: notes, scheduling, moving and correcting, outcomes and the no-show
flag.

Every write keeps ``Case.last_contact_on`` and ``Case.no_show_pending`` in step with what happened; the case row is
locked for the update so two staff members recording at the same time cannot lose each other's change.

An appointment lies in the office hours (``cases.rules.OfficeHours``, refused otherwise). One that overlaps another
appointment of the same staff member or the same client raises ``AppointmentOverlap`` until the caller passes the
ids of the overlapping appointments the user has seen and confirmed (``accept_overlaps``): a later booking that
the user has not seen is warned about again. A move and a correction change the row in place; the audit trail
keeps the earlier values, and a move also records where it came from and why for the timeline.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, AppointmentOutcome, CancelledBy, Case, CaseStatus, Channel, ContactNote
from cases.rules import OfficeHours, outside_office_hours
from jobcenter.errors import DomainError

# Outcomes that say the appointment time has come; they cannot be recorded before it starts.
OUTCOMES_AFTER_START = frozenset({AppointmentOutcome.ATTENDED, AppointmentOutcome.NO_SHOW})


class ContactError(DomainError):
    """A broken rule of the contact log."""


@dataclass(frozen=True)
class Overlap:
    """Another appointment at an overlapping time, of the same staff member or of the same client (or both)."""

    pk: int
    starts_at: datetime
    staff: str  # the staff member it is with; "" for nobody in particular
    same_staff: bool
    same_client: bool
    client_id: int  # whose appointment it is, and at which office
    office_id: int
    other_client: str = ""  # the name of another client at the same office ("" otherwise)

    @property
    def message(self) -> str:
        local = timezone.localtime(self.starts_at)
        values = {"day": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}", "staff": self.staff}
        if self.same_client and self.staff:
            return gettext("The client already has an appointment with %(staff)s on %(day)s at %(time)s.") % values
        if self.same_client:
            return gettext("The client already has an appointment on %(day)s at %(time)s.") % values
        if self.other_client:
            return gettext("%(staff)s already has an appointment with %(client)s on %(day)s at %(time)s.") % {
                **values, "client": self.other_client}
        return gettext("%(staff)s already has another appointment on %(day)s at %(time)s.") % values


class AppointmentOverlap(ContactError):
    """The time overlaps other appointments the user has not confirmed; nothing was saved."""

    def __init__(self, overlaps: list[Overlap]) -> None:
        super().__init__(_("This time overlaps with other appointments."))
        self.overlaps = overlaps


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


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def find_overlaps(
    *, starts_at: datetime, with_user: AbstractBaseUser | None, case: Case, exclude_pk: int | None = None
) -> list[Overlap]:
    """Appointments that will still take place (not cancelled or excused) starting less than one appointment length
    from ``starts_at``, of the staff member ``with_user`` or of the case's client. Another client is named only
    when their case is at the same office (a staff member may also work at another one)."""
    client_id = case.client_id
    length = OfficeHours.configured().length
    who = Q(case__client_id=client_id)
    if with_user is not None:
        who |= Q(with_user=with_user.pk)
    rows = (
        Appointment.objects.filter(who, starts_at__gt=starts_at - length, starts_at__lt=starts_at + length)
        .exclude(outcome__in=[AppointmentOutcome.CANCELLED, AppointmentOutcome.EXCUSED])
        .exclude(pk=exclude_pk)
        .select_related("with_user", "case__client")
        .order_by("starts_at", "id")
    )
    return [
        Overlap(pk=row.pk, starts_at=row.starts_at, staff=_person(row.with_user),
                same_staff=with_user is not None and row.with_user_id == with_user.pk,
                same_client=row.case.client_id == client_id, client_id=row.case.client_id,
                office_id=row.case.contact_point_id,
                other_client=str(row.case.client) if row.case.contact_point_id == case.contact_point_id else "")
        for row in rows
    ]


def _check_office_hours(starts_at: datetime) -> None:
    problem = outside_office_hours(timezone.localtime(starts_at), OfficeHours.configured())
    if problem is not None:
        raise ContactError(problem.message, field=problem.field)


def _check_overlaps(
    *, starts_at: datetime, with_user: AbstractBaseUser | None, case: Case, exclude_pk: int | None,
    accept_overlaps: Collection[int],
) -> None:
    overlaps = find_overlaps(starts_at=starts_at, with_user=with_user, case=case, exclude_pk=exclude_pk)
    if {overlap.pk for overlap in overlaps} - set(accept_overlaps):
        raise AppointmentOverlap(overlaps)


def _check_staff(case: Case, with_user: AbstractBaseUser | None) -> None:
    if with_user is not None and not office_staff(case).filter(pk=with_user.pk).exists():
        raise ContactError(_("Choose a staff member of this contact point."), field="with_user")


@transaction.atomic
def schedule_appointment(
    *, case: Case, by: AbstractBaseUser, starts_at: datetime, purpose: str, with_user: AbstractBaseUser | None,
    accept_overlaps: Collection[int] = (),
) -> Appointment:
    """Schedule an appointment for the client of ``case`` with a staff member of the case's office, in the office
    hours; an overlap needs the user's confirmation (``accept_overlaps``, see the module)."""
    locked = _locked_case(case)
    if starts_at < timezone.now():
        raise ContactError(_("A new appointment cannot lie in the past."), field="starts_at")
    if not purpose.strip():
        raise ContactError(_("State the purpose of the appointment."), field="purpose")
    _check_staff(locked, with_user)
    _check_office_hours(starts_at)
    _check_overlaps(starts_at=starts_at, with_user=with_user, case=locked, exclude_pk=None,
                    accept_overlaps=accept_overlaps)
    return Appointment.objects.create(case=locked, starts_at=starts_at, purpose=purpose.strip(), with_user=with_user)


def change_refusal(appointment: Appointment) -> str | None:
    """Why ``appointment`` can no longer be moved or corrected (None: it can): only an appointment that has not
    begun and has no outcome can; afterwards its outcome is recorded instead."""
    if appointment.outcome:
        return gettext("The outcome of this appointment has already been recorded; it can no longer be changed.")
    if appointment.starts_at <= timezone.now():
        return gettext("This appointment has already begun. Record its outcome (for example excused) and schedule "
                       "a new appointment.")
    return None


def _locked_changeable(appointment: Appointment) -> tuple[Appointment, Case]:
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    case = _locked_case(locked.case)
    refusal = change_refusal(locked)
    if refusal:
        raise ContactError(refusal)
    return locked, case


@transaction.atomic
def move_appointment(
    *, appointment: Appointment, by: AbstractBaseUser, starts_at: datetime, reason: str,
    accept_overlaps: Collection[int] = (),
) -> Appointment:
    """Move an upcoming appointment to another time (e.g. at the client's request). The row keeps its history:
    the audit trail has every earlier time; ``moved_from`` and ``move_reason`` tell the timeline about the last
    move."""
    locked, case = _locked_changeable(appointment)
    if starts_at == locked.starts_at:
        raise ContactError(_("Choose another date or time to move the appointment to."), field="starts_at")
    if starts_at < timezone.now():
        raise ContactError(_("An appointment cannot be moved into the past."), field="starts_at")
    if not reason.strip():
        raise ContactError(_("State why the appointment is moved."), field="reason")
    _check_office_hours(starts_at)
    _check_overlaps(starts_at=starts_at, with_user=locked.with_user, case=case, exclude_pk=locked.pk,
                    accept_overlaps=accept_overlaps)
    locked.moved_from, locked.starts_at = locked.starts_at, starts_at
    locked.move_reason = reason.strip()
    locked.times_moved += 1
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["starts_at", "moved_from", "move_reason", "times_moved"])
    return locked


@transaction.atomic
def correct_appointment(
    *, appointment: Appointment, by: AbstractBaseUser, starts_at: datetime, purpose: str,
    with_user: AbstractBaseUser | None, accept_overlaps: Collection[int] = (),
) -> Appointment:
    """Correct what was entered wrongly for an upcoming appointment (date, time, purpose, staff member). Unlike a
    move or a cancellation it says nothing about the client; the audit trail keeps the values before."""
    locked, case = _locked_changeable(appointment)
    if not purpose.strip():
        raise ContactError(_("State the purpose of the appointment."), field="purpose")
    new_staff = with_user.pk if with_user is not None else None
    if (starts_at, purpose.strip(), new_staff) == (locked.starts_at, locked.purpose, locked.with_user_id):
        raise ContactError(_("Nothing was changed. Correct the date, time, purpose or staff member."))
    if starts_at != locked.starts_at:
        if starts_at < timezone.now():
            raise ContactError(_("A corrected appointment cannot lie in the past."), field="starts_at")
        _check_office_hours(starts_at)
    if new_staff != locked.with_user_id:
        _check_staff(case, with_user)
    if starts_at != locked.starts_at or new_staff != locked.with_user_id:
        _check_overlaps(starts_at=starts_at, with_user=with_user, case=case, exclude_pk=locked.pk,
                        accept_overlaps=accept_overlaps)
    locked.starts_at, locked.purpose, locked.with_user_id = starts_at, purpose.strip(), new_staff
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["starts_at", "purpose", "with_user"])
    return locked


@transaction.atomic
def record_outcome(
    *, appointment: Appointment, by: AbstractBaseUser, outcome: str, note: str = "", cancelled_by: str = ""
) -> Appointment:
    """Record how an appointment went. An unexcused no-show flags the case for later obligation handling
    (nothing is sanctioned here); an attended appointment counts as a contact; a cancellation says who cancelled
    (the client or the contact point)."""
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
    if outcome == AppointmentOutcome.CANCELLED and cancelled_by not in CancelledBy.values:
        raise ContactError(_("Say who cancelled the appointment: the client or the contact point."),
                           field="cancelled_by")
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.cancelled_by = cancelled_by if outcome == AppointmentOutcome.CANCELLED else ""
    locked.save(update_fields=["outcome", "outcome_note", "cancelled_by"])
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
