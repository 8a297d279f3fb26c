"""Pure rules of the cases app (no database): name normal form, target groups, case transitions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import BenefitKind, CaseStatus

# --- names --------------------------------------------------------------------------------------------------
_FOLDS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


def normalise_name(text: str) -> str:
    """The search normal form, identical to the database column ``Client.name_search``:
    Müller, Mueller and muller all become ``muller``."""
    folded = " ".join(text.lower().split())
    for old, new in _FOLDS:
        folded = folded.replace(old, new)
    return folded


# --- target groups (docs/domain.md §2) --------------------------------------------------------------------------------
class TargetGroup(models.TextChoices):
    HLU = "hlu", _("HLU recipient")
    KOMBI = "kombi", _("Combined recipient (Alg/Alhi + HLU)")
    ALHI = "alhi", _("Alhi recipient")
    NONE = "none", _("No target group")


YOUTH_AGE_LIMIT = 25


class Period(Protocol):
    kind: str
    start: date
    end: date | None


def _active(entitlements: Iterable[Period], day: date) -> set[str]:
    return {e.kind for e in entitlements if e.start <= day and (e.end is None or day <= e.end)}


def target_group_on(entitlements: Iterable[Period], day: date) -> TargetGroup:
    """HLU and no Alg/Alhi → HLU; HLU and Alg or Alhi → Kombi; Alhi without HLU → Alhi; otherwise none.
    Periods include their first and last day."""
    kinds = _active(entitlements, day)
    if BenefitKind.HLU in kinds:
        return TargetGroup.KOMBI if kinds & {BenefitKind.ALG, BenefitKind.ALHI} else TargetGroup.HLU
    if BenefitKind.ALHI in kinds:
        return TargetGroup.ALHI
    return TargetGroup.NONE


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_youth(birth_date: date, day: date) -> bool:
    """Sub-group Jugendliche: younger than 25 on ``day``."""
    return age_on(birth_date, day) < YOUTH_AGE_LIMIT


@dataclass(frozen=True)
class GroupSpan:
    group: TargetGroup
    start: date
    end: date | None  # inclusive; None = ongoing


def target_group_history(entitlements: Iterable[Period]) -> list[GroupSpan]:
    """The sequence of target groups over time, merged into spans (oldest first)."""
    periods = list(entitlements)
    if not periods:
        return []
    changes = sorted({p.start for p in periods} | {p.end + timedelta(days=1) for p in periods if p.end})
    spans: list[GroupSpan] = []
    for index, day in enumerate(changes):
        group = target_group_on(periods, day)
        end = changes[index + 1] - timedelta(days=1) if index + 1 < len(changes) else None
        if spans and spans[-1].group == group:
            spans[-1] = GroupSpan(group, spans[-1].start, end)
        else:
            spans.append(GroupSpan(group, day, end))
    return spans


# --- case lifecycle -----------------------------------------------------------------------------------------
# A client may find work in any phase: recording an integration moves every open status to follow-up
# (Nachbetreuung, ``cases.services.follow_up``); from there the case is closed, or goes back to implementation
# when the job did not come about.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.INTAKE: frozenset({CaseStatus.PROFILING, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}),
    CaseStatus.PROFILING: frozenset({CaseStatus.PLANNING, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}),
    CaseStatus.PLANNING: frozenset(
        {CaseStatus.PROFILING, CaseStatus.IMPLEMENTATION, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}
    ),
    CaseStatus.IMPLEMENTATION: frozenset({CaseStatus.PLANNING, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}),
    CaseStatus.FOLLOW_UP: frozenset({CaseStatus.IMPLEMENTATION, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),  # reopening creates a new case
}
# Follow-up is entered only by recording an integration (it needs the outcome and the start date), never by a
# plain status change.
ENTERED_BY_INTEGRATION = frozenset({CaseStatus.FOLLOW_UP})
# How far ahead the start of a job may lie when the hire is recorded (contracts are signed weeks or months early).
INTEGRATION_MAX_AHEAD = timedelta(days=183)
# A follow-up started this recently is marked "new" on the case manager's start page.
FOLLOW_UP_NEW_DAYS = 7


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


# --- appointments: office hours ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfficeHours:
    """When appointments can take place: Monday to Friday, ``opens`` to ``closes``, each ``minutes`` long."""

    opens: time
    closes: time
    minutes: int

    @classmethod
    def configured(cls) -> OfficeHours:
        return cls(settings.APPOINTMENT_HOURS_FROM, settings.APPOINTMENT_HOURS_UNTIL, settings.APPOINTMENT_MINUTES)

    @property
    def last_start(self) -> time:
        """The latest start that still ends by closing time."""
        closing = datetime.combine(date.min, self.closes)
        return (closing - timedelta(minutes=self.minutes)).time()

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class HoursProblem:
    field: str  # "starts_at" (the day) or "start_time"
    message: str


def outside_office_hours(local_start: datetime, hours: OfficeHours) -> HoursProblem | None:
    """Why an appointment starting at ``local_start`` (office time) cannot take place, or None.
    Public holidays are not known to the application; staff see them in their own calendar."""
    if local_start.weekday() >= 5:
        return HoursProblem("starts_at", gettext(
            "Appointments are possible Monday to Friday only; %(day)s is a %(weekday)s."
        ) % {"day": local_start.strftime("%d.%m.%Y"), "weekday": date_format(local_start, "l")})
    if not hours.opens <= local_start.time().replace(tzinfo=None) <= hours.last_start:
        return HoursProblem("start_time", gettext(
            "Appointments start between %(first)s and %(last)s (office hours %(opens)s to %(closes)s)."
        ) % {"first": f"{hours.opens:%H:%M}", "last": f"{hours.last_start:%H:%M}",
             "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"})
    return None
