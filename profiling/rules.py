"""Pure rules of the profiling app (no database): dimensions, ratings, the profile category and the comparison.

The profile category (docs/domain.md §6 "Differenzierung der Kundenströme"), one rule read top to bottom:

    1. one or more dimensions rated "obstacle"                   → Betreuungskunde (case management)
    2. otherwise one or more dimensions rated "need"              → Beratungskunde
    3. otherwise (only strengths and neutral ratings)             → Marktkunde

The reasons are the dimensions that decided it (the obstacles, else the needs, else the strengths). Edge: a
profiling without needs and without obstacles is a Marktkunde, also when it has no strengths either. Many needs
without an obstacle stay Beratungskunde; the case manager may override the category with a written reason.

The category proposes the customer segment (Kundenstrom) of the case:
    Marktkunde → Informationskunde, Beratungskunde → Beratungskunde, Betreuungskunde → Fallmanagement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Segment


class Dimension(models.TextChoices):
    """The fixed dimensions of the Stärken-Schwächen-Analyse, in the order the form asks them."""

    SCHOOLING = "schooling", _("Schooling")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    WORK_EXPERIENCE = "work_experience", _("Work experience")
    GERMAN = "german", _("German language")
    MOBILITY = "mobility", _("Mobility / driving licence")
    HEALTH = "health", _("Health")
    CARE_DUTIES = "care_duties", _("Childcare / care duties")
    HOUSING = "housing", _("Housing")
    DEBTS = "debts", _("Debts")
    ADDICTION = "addiction", _("Addiction")
    MOTIVATION = "motivation", _("Motivation")
    SOCIAL_SKILLS = "social_skills", _("Social skills")


DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)
# Notes on these dimensions are as sensitive as a sensitive contact note: only the assigned case manager and the
# Teamleitung read them; everyone else who may read the profiling sees the rating only.
SENSITIVE_DIMENSIONS = frozenset({Dimension.HEALTH, Dimension.DEBTS, Dimension.ADDICTION})


class Rating(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    NEUTRAL = "neutral", _("Neutral")
    NEED = "need", _("Need for support")
    OBSTACLE = "obstacle", _("Obstacle to placement")


# How heavy a rating weighs; a lower value is better.
SEVERITY: dict[str, int] = {Rating.STRENGTH: 0, Rating.NEUTRAL: 1, Rating.NEED: 2, Rating.OBSTACLE: 3}
PROBLEM_RATINGS = frozenset({Rating.NEED, Rating.OBSTACLE})


class ProfileCategory(models.TextChoices):
    MARKT = "markt", _("Market-ready client")
    BERATUNG = "beratung", _("Client needing advice")
    BETREUUNG = "betreuung", _("Client needing case management")


SEGMENT_OF_CATEGORY: dict[str, str] = {
    ProfileCategory.MARKT: Segment.INFORMATION,
    ProfileCategory.BERATUNG: Segment.BERATUNG,
    ProfileCategory.BETREUUNG: Segment.FALLMANAGEMENT,
}


class IncompleteProfiling(ValueError):
    """The ratings do not cover every dimension exactly once with a known rating."""


@dataclass(frozen=True)
class CategoryDecision:
    category: str
    reasons: tuple[str, ...]  # the dimensions that decided it, in form order
    deciding_rating: str  # the rating those dimensions have

    @property
    def label(self) -> str:
        return str(ProfileCategory(self.category).label)

    @property
    def segment(self) -> str:
        return SEGMENT_OF_CATEGORY[self.category]

    @property
    def reason_labels(self) -> list[str]:
        return [str(Dimension(value).label) for value in self.reasons]


def check_complete(ratings: Mapping[str, str]) -> None:
    missing = [d for d in DIMENSIONS if d not in ratings]
    unknown = set(ratings) - set(DIMENSIONS)
    bad = [d for d, r in ratings.items() if r not in SEVERITY]
    if missing or unknown or bad:
        raise IncompleteProfiling(f"missing={missing} unknown={sorted(unknown)} bad_rating={bad}")


def derive_category(ratings: Mapping[str, str]) -> CategoryDecision:
    """The profile category of a complete set of ratings ``{dimension: rating}`` (see the module docstring)."""
    check_complete(ratings)
    for rating, category in ((Rating.OBSTACLE, ProfileCategory.BETREUUNG), (Rating.NEED, ProfileCategory.BERATUNG)):
        deciding = tuple(d for d in DIMENSIONS if ratings[d] == rating)
        if deciding:
            return CategoryDecision(category, deciding, rating)
    strengths = tuple(d for d in DIMENSIONS if ratings[d] == Rating.STRENGTH)
    return CategoryDecision(ProfileCategory.MARKT, strengths, Rating.STRENGTH)


def override_needs_reason(derived: str, chosen: str) -> bool:
    """A category other than the rule's must be justified in writing."""
    return derived != chosen


def notes_missing(ratings: Iterable[tuple[str, str, str]]) -> list[str]:
    """Dimensions rated need or obstacle without a note (``(dimension, rating, note)`` triples): a need that
    is not described cannot be planned for."""
    return [d for d, rating, note in ratings if rating in PROBLEM_RATINGS and not note.strip()]


# --- comparison over time -----------------------------------------------------------------------------------
class Change(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    APPEARED = "appeared", _("new")
    IMPROVED = "improved", _("improved")
    WORSENED = "worsened", _("worsened")
    UNCHANGED = "unchanged", _("unchanged")


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    before: str | None  # None: the dimension was not rated before
    after: str
    change: str

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)


@dataclass(frozen=True)
class Comparison:
    """What changed between two profilings, dimension by dimension (form order)."""

    changes: tuple[DimensionChange, ...]
    category_before: str
    category_after: str

    def _of(self, change: str) -> list[DimensionChange]:
        return [c for c in self.changes if c.change == change]

    @property
    def resolved(self) -> list[DimensionChange]:
        """Needs or obstacles that are now neutral or a strength."""
        return self._of(Change.RESOLVED)

    @property
    def appeared(self) -> list[DimensionChange]:
        """Needs or obstacles that were not there before."""
        return self._of(Change.APPEARED)

    @property
    def improved(self) -> list[DimensionChange]:
        """Better, but not resolved (obstacle → need, neutral → strength)."""
        return self._of(Change.IMPROVED)

    @property
    def worsened(self) -> list[DimensionChange]:
        """Worse, but not a new problem (need → obstacle, strength → neutral)."""
        return self._of(Change.WORSENED)

    @property
    def has_changes(self) -> bool:
        return any(c.change != Change.UNCHANGED for c in self.changes)

    @property
    def category_changed(self) -> bool:
        return self.category_before != self.category_after

    @property
    def category_before_label(self) -> str:
        return _category_label(self.category_before)

    @property
    def category_after_label(self) -> str:
        return _category_label(self.category_after)


def _category_label(value: str) -> str:
    return str(ProfileCategory(value).label) if value in ProfileCategory.values else ""


def classify(before: str | None, after: str) -> str:
    if before is None or before == after:
        return Change.UNCHANGED
    if before in PROBLEM_RATINGS and after not in PROBLEM_RATINGS:
        return Change.RESOLVED
    if before not in PROBLEM_RATINGS and after in PROBLEM_RATINGS:
        return Change.APPEARED
    return Change.IMPROVED if SEVERITY[after] < SEVERITY[before] else Change.WORSENED


def compare(
    previous: Mapping[str, str], current: Mapping[str, str], *, category_before: str = "", category_after: str = ""
) -> Comparison:
    """Compare the ratings ``{dimension: rating}`` of an earlier and a later profiling."""
    changes = tuple(
        DimensionChange(d, previous.get(d), current[d], classify(previous.get(d), current[d]))
        for d in DIMENSIONS if d in current
    )
    return Comparison(changes, category_before, category_after)
