"""Pure rules of the cases app (no database): name normal form, target groups, case transitions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.db import models
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
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.INTAKE: frozenset({CaseStatus.PROFILING, CaseStatus.CLOSED}),
    CaseStatus.PROFILING: frozenset({CaseStatus.PLANNING, CaseStatus.CLOSED}),
    CaseStatus.PLANNING: frozenset({CaseStatus.PROFILING, CaseStatus.IMPLEMENTATION, CaseStatus.CLOSED}),
    CaseStatus.IMPLEMENTATION: frozenset({CaseStatus.PLANNING, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}),
    CaseStatus.FOLLOW_UP: frozenset({CaseStatus.IMPLEMENTATION, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),  # reopening creates a new case
}


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())
