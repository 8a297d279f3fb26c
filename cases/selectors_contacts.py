"""Reads of the contact log, appointments, "Mein Tag" and the application worklist.

Sensitive notes are masked here, in the query (``cases.need_to_know.sensitive_visible``): a reader who is neither
the case's assigned case manager nor a Teamleitung of the case's office gets the note's date, channel and author,
but its text never leaves the database.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Concat, ExtractDay, NullIf, Trim, TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from cases import need_to_know
from cases.models import (
    AWAITING_FORWARDING,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    Appointment,
    AppointmentOutcome,
    BenefitApplication,
    BenefitEntitlement,
    CancelledBy,
    Case,
    CaseStatus,
    Client,
    ContactNote,
)
from jobcenter.models import ContactPoint

NO_CONTACT_DAYS = 30


# --- sensitive notes ----------------------------------------------------------------------------------------
def reads_all_sensitive(roles: frozenset[str]) -> bool:
    """A Teamleitung reads the sensitive notes of every case of their office(s) (``cases.need_to_know``); it also
    sees the team's lists on "Mein Tag"."""
    return need_to_know.reads_all_of_office(roles)


def _readable(user: AbstractBaseUser, roles: frozenset[str]) -> ExpressionWrapper:
    return ExpressionWrapper(Q(sensitive=False) | need_to_know.sensitive_visible(user, roles, case_path="case"),
                             output_field=BooleanField())


def notes_for(user: AbstractBaseUser, roles: frozenset[str]) -> QuerySet[ContactNote]:
    """Notes in the user's offices with ``readable`` and ``shown_text`` (empty for a masked sensitive note);
    the real ``text`` column is not loaded."""
    return (
        ContactNote.objects.for_user(user)
        .defer("text")
        .annotate(readable=_readable(user, roles))
        .annotate(shown_text=CaseWhen(When(readable=True, then=F("text")), default=Value(""),
                                      output_field=TextField()))
    )


def _person(prefix: str) -> Coalesce:
    """Full name of the user at ``prefix`` (falling back to the username; empty when there is none)."""
    full = NullIf(Trim(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name"),
                              output_field=CharField())), Value(""))
    return Coalesce(full, F(f"{prefix}__username"), Value(""), output_field=CharField())


# --- timeline -----------------------------------------------------------------------------------------------
TIMELINE_COLUMNS = (
    "t_kind", "t_id", "t_case", "t_day", "t_at", "t_channel", "t_text", "t_sensitive", "t_readable",
    "t_person", "t_outcome", "t_outcome_note", "t_cancelled_by", "t_moved_from", "t_move_reason", "t_times_moved",
    "t_carrier",
)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "note" | "appointment"
    pk: int
    case_id: int
    day: date
    at: datetime | None
    channel: str
    text: str  # empty for a sensitive note the reader may not see
    sensitive: bool
    readable: bool
    person: str  # author of a note, staff member of an appointment
    outcome: str
    outcome_note: str
    cancelled_by: str  # of a cancelled appointment: "client" | "office" ("" before it was recorded)
    moved_from: datetime | None  # of a moved appointment: the time before its last move
    move_reason: str
    times_moved: int
    carrier: str | None  # of a note: the Träger of its author (``cases.data_flows``); None if unknown

    @property
    def is_note(self) -> bool:
        return self.kind == "note"

    @property
    def masked(self) -> bool:
        return self.sensitive and not self.readable

    @property
    def is_open_appointment(self) -> bool:
        return self.kind == "appointment" and not self.outcome

    @property
    def is_past(self) -> bool:
        return self.at is not None and self.at <= timezone.now()

    @property
    def channel_label(self) -> str:
        from cases.models import Channel

        return str(Channel(self.channel).label) if self.channel in Channel.values else ""

    @property
    def is_changeable(self) -> bool:
        """An upcoming appointment without outcome can still be moved or corrected."""
        return self.is_open_appointment and not self.is_past

    @property
    def outcome_label(self) -> str:
        if self.outcome == AppointmentOutcome.CANCELLED and self.cancelled_by == CancelledBy.CLIENT:
            return gettext("Cancelled by the client")
        if self.outcome == AppointmentOutcome.CANCELLED and self.cancelled_by == CancelledBy.OFFICE:
            return gettext("Cancelled by the contact point")
        return str(AppointmentOutcome(self.outcome).label) if self.outcome in AppointmentOutcome.values else ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TimelineEntry:
        renamed = {"t_id": "pk", "t_case": "case_id"}
        return cls(**{renamed.get(name, name.removeprefix("t_")): row[name] for name in TIMELINE_COLUMNS})


def client_timeline(user: AbstractBaseUser, roles: frozenset[str], client: Client) -> QuerySet[Any]:
    """Notes and appointments of all the client's cases in the user's offices as one query (UNION ALL),
    newest first; rows are dicts of ``TIMELINE_COLUMNS`` (wrap them with ``TimelineEntry.from_row``).
    Paginate or slice it: the database does the ordering and limiting."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    notes = notes_for(user, roles).filter(case__client=client).annotate(
        t_kind=Value("note", output_field=CharField()),
        t_id=F("pk"),
        t_case=F("case_id"),
        t_day=F("occurred_on"),
        t_at=Value(None, output_field=DateTimeField()),
        t_channel=F("channel"),
        t_text=F("shown_text"),
        t_sensitive=F("sensitive"),
        t_readable=F("readable"),
        t_person=_person("author"),
        t_outcome=Value("", output_field=CharField()),
        t_outcome_note=Value("", output_field=TextField()),
        t_cancelled_by=Value("", output_field=CharField()),
        t_moved_from=Value(None, output_field=DateTimeField()),
        t_move_reason=Value("", output_field=CharField()),
        t_times_moved=Value(0, output_field=IntegerField()),
        t_carrier=F("author__staff_profile__home_agency__kind"),
    )
    appointments = Appointment.objects.for_user(user).filter(case__client=client).annotate(
        t_kind=Value("appointment", output_field=CharField()),
        t_id=F("pk"),
        t_case=F("case_id"),
        t_day=TruncDate("starts_at", tzinfo=tz),
        t_at=F("starts_at"),
        t_channel=Value("", output_field=CharField()),
        t_text=F("purpose"),
        t_sensitive=Value(False, output_field=BooleanField()),
        t_readable=Value(True, output_field=BooleanField()),
        t_person=_person("with_user"),
        t_outcome=F("outcome"),
        t_outcome_note=F("outcome_note"),
        t_cancelled_by=F("cancelled_by"),
        t_moved_from=F("moved_from"),
        t_move_reason=F("move_reason"),
        t_times_moved=Cast("times_moved", IntegerField()),
        t_carrier=Value(None, output_field=CharField()),
    )
    return (
        notes.values(*TIMELINE_COLUMNS)
        .union(appointments.values(*TIMELINE_COLUMNS), all=True)
        .order_by("-t_day", "-t_at", "-t_id")
    )


# --- "Mein Tag" -----------------------------------------------------------------------------------------------
def _team_scope(user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint | None) -> Q:
    """A Teamleitung sees the team of the active office; a case manager their own cases."""
    if reads_all_sensitive(roles) and office is not None:
        return Q(contact_point=office)
    return Q(case_manager=user)


def todays_appointments(
    user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint | None, today: date
) -> QuerySet[Appointment]:
    """Today's appointments still without an outcome (a recorded one drops off the list, a past one without outcome
    stays as a reminder) at the active office: the user's own (or, with nobody in particular, of their cases); the
    office's for a Teamleitung."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tzinfo=tz)
    if reads_all_sensitive(roles) and office is not None:
        who = Q(office=office)  # the case's office kept on the row: ``appointment_office_open_idx``
    else:
        who = Q(with_user=user) | Q(with_user__isnull=True, case__case_manager=user)
        if office is not None:  # the active office's day (its own index), not every office's of a city
            who &= Q(office=office)
    return (
        Appointment.objects.for_user(user)
        .filter(who, starts_at__gte=start, starts_at__lt=start + timedelta(days=1), outcome="")
        .select_related("case__client", "with_user")
        .order_by("starts_at", "id")
    )


def cases_without_contact(
    user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint | None, today: date
) -> QuerySet[Case]:
    """Open cases with no contact for ``NO_CONTACT_DAYS`` days (never contacted: opened that long ago),
    longest silence first."""
    limit = today - timedelta(days=NO_CONTACT_DAYS)
    return (
        Case.objects.for_user(user)
        .filter(_team_scope(user, roles, office))
        .exclude(status=CaseStatus.CLOSED)
        # silent since before the limit (last contact, else the opening): the expression of the indexes
        # ``case_office_silent_idx`` / ``case_manager_silent_idx``, so the limit is a range on them
        .annotate(silent_since=Coalesce("last_contact_on", "opened_on", output_field=DateField()))
        .filter(silent_since__lt=limit)
        .select_related("client", "case_manager")
        .order_by("silent_since", "id")
    )


def pending_no_shows(
    user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint | None
) -> QuerySet[Case]:
    """Open cases flagged with an unexcused no-show still to handle, with date and purpose of the latest no-show.
    A closed case leaves the worklist (its history keeps the flag): there is no obligation left to enforce."""
    latest = Appointment.objects.filter(case=OuterRef("pk"), outcome=AppointmentOutcome.NO_SHOW).order_by("-starts_at")
    return (
        Case.objects.for_user(user)
        .filter(_team_scope(user, roles, office), no_show_pending=True)
        .exclude(status=CaseStatus.CLOSED)
        .annotate(no_show_at=Subquery(latest.values("starts_at")[:1], output_field=DateTimeField()),
                  no_show_purpose=Subquery(latest.values("purpose")[:1], output_field=CharField()))
        .select_related("client", "case_manager")
        .order_by(F("no_show_at").asc(nulls_last=True), "id")
    )


def follow_up_cases(
    user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint | None
) -> QuerySet[Case]:
    """Cases in follow-up (Nachbetreuung) after a recorded integration, to be checked and closed by the case
    manager; the newest first. Unassigned ones go to the Teamleitung's team view."""
    return (
        Case.objects.for_user(user)
        .filter(_team_scope(user, roles, office), status=CaseStatus.FOLLOW_UP, integrated_on__isnull=False)
        .select_related("client", "case_manager", "follow_up_recorded_by")
        .order_by("-follow_up_since", "-id")
    )


def starting_work_with_benefits(user: AbstractBaseUser, office: ContactPoint | None, today: date) -> QuerySet[Case]:
    """For the benefits clerks: cases in follow-up whose client still draws a benefit running on or after the
    first day of work (so that it is ended or adjusted), the earliest start first."""
    if office is None:
        return Case.objects.none()
    running = BenefitEntitlement.objects.filter(client=OuterRef("client_id")).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("integrated_on")))
    return (
        Case.objects.for_user(user)
        .filter(contact_point=office, status=CaseStatus.FOLLOW_UP, integrated_on__isnull=False)
        .filter(Exists(running))
        .select_related("client")
        .order_by("integrated_on", "id")
    )


# --- application worklist ---------------------------------------------------------------------------------


def application_worklist(
    user: AbstractBaseUser, office: ContactPoint, *, status: str = "", kind: str = "", today: date
) -> QuerySet[BenefitApplication]:
    """Applications of the active office: open ones by default (not yet forwarded first, then oldest first),
    annotated with ``days_waiting`` (since received) and ``awaiting_forwarding``."""
    qs = BenefitApplication.objects.for_user(user).for_office(office.pk)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    elif status != "all":
        qs = qs.filter(status__in=OPEN_APPLICATION_STATUSES)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.annotate(
            awaiting_forwarding=AWAITING_FORWARDING,
            days_waiting=ExtractDay(Value(today, output_field=DateField()) - F("received_on")),
        )
        .select_related("client", "forwarded_to", "received_by")
        # one status: "not yet forwarded first" is the same for every row, and the office's status index
        # (application_worklist_idx) gives the order without sorting the office's applications
        .order_by(*(("received_on", "id") if status in ApplicationStatus.values
                    else ("-awaiting_forwarding", "received_on", "id")))
    )


def client_applications(user: AbstractBaseUser, client: Client) -> QuerySet[BenefitApplication]:
    return (
        BenefitApplication.objects.for_user(user).filter(client=client)
        .select_related("forwarded_to").order_by("-received_on", "-id")
    )
