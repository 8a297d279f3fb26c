"""The category rule, its override rule, the notes rule and the comparison: pure functions, table-driven."""

from __future__ import annotations

import pytest

from cases.models import Segment
from profiling.rules import (
    DIMENSIONS,
    SEGMENT_OF_CATEGORY,
    Change,
    IncompleteProfiling,
    ProfileCategory,
    Rating,
    classify,
    compare,
    derive_category,
    notes_missing,
    override_needs_reason,
)

S, N, NEED, OBS = Rating.STRENGTH, Rating.NEUTRAL, Rating.NEED, Rating.OBSTACLE


def rated(**chosen: str) -> dict[str, str]:
    return {d: chosen.get(d, N) for d in DIMENSIONS}


@pytest.mark.parametrize(
    ("chosen", "category", "reasons"),
    [
        # no needs, no obstacles (the edge): Marktkunde, with or without strengths
        ({}, ProfileCategory.MARKT, ()),
        ({"work_experience": S, "motivation": S}, ProfileCategory.MARKT, ("work_experience", "motivation")),
        (dict.fromkeys(DIMENSIONS, S), ProfileCategory.MARKT, DIMENSIONS),
        # needs without obstacles: Beratungskunde, however many needs
        ({"german": NEED}, ProfileCategory.BERATUNG, ("german",)),
        ({"german": NEED, "debts": NEED, "work_experience": S}, ProfileCategory.BERATUNG, ("german", "debts")),
        ({d: NEED for d in DIMENSIONS}, ProfileCategory.BERATUNG, DIMENSIONS),
        # one obstacle decides: Betreuungskunde, the obstacles are the reasons (needs are not)
        ({"addiction": OBS}, ProfileCategory.BETREUUNG, ("addiction",)),
        ({"debts": OBS, "housing": OBS, "german": NEED, "motivation": S}, ProfileCategory.BETREUUNG,
         ("housing", "debts")),
        (dict.fromkeys(DIMENSIONS, OBS), ProfileCategory.BETREUUNG, DIMENSIONS),
    ],
)
def test_category_rule(chosen: dict[str, str], category: str, reasons: tuple[str, ...]) -> None:
    decision = derive_category(rated(**chosen))
    assert decision.category == category
    assert decision.reasons == reasons  # in the order of the form, not of the input


@pytest.mark.parametrize(("category", "segment"), [
    (ProfileCategory.MARKT, Segment.INFORMATION),
    (ProfileCategory.BERATUNG, Segment.BERATUNG),
    (ProfileCategory.BETREUUNG, Segment.FALLMANAGEMENT),
])
def test_category_proposes_the_segment(category: str, segment: str) -> None:
    assert SEGMENT_OF_CATEGORY[category] == segment
    assert derive_category(rated(debts=OBS) if category == "betreuung" else rated(debts=NEED) if category == "beratung"
                           else rated()).segment == segment


@pytest.mark.parametrize("ratings", [
    {d: N for d in DIMENSIONS[:-1]},  # one missing
    {**rated(), "hobbies": N},  # unknown dimension
    {**rated(), "debts": "terrible"},  # unknown rating
])
def test_incomplete_profilings_are_refused(ratings: dict[str, str]) -> None:
    with pytest.raises(IncompleteProfiling):
        derive_category(ratings)


@pytest.mark.parametrize(("derived", "chosen", "needs_reason"), [
    (ProfileCategory.BERATUNG, ProfileCategory.BERATUNG, False),
    (ProfileCategory.BERATUNG, ProfileCategory.BETREUUNG, True),
    (ProfileCategory.BETREUUNG, ProfileCategory.MARKT, True),
])
def test_override_needs_a_reason(derived: str, chosen: str, needs_reason: bool) -> None:
    assert override_needs_reason(derived, chosen) is needs_reason


def test_needs_and_obstacles_need_a_note() -> None:
    triples = [("debts", OBS, ""), ("german", NEED, "  "), ("housing", NEED, "Mietrückstand"), ("health", N, ""),
               ("motivation", S, "")]
    assert notes_missing(triples) == ["debts", "german"]


@pytest.mark.parametrize(("before", "after", "change"), [
    (OBS, N, Change.RESOLVED), (NEED, S, Change.RESOLVED), (OBS, S, Change.RESOLVED),
    (N, NEED, Change.APPEARED), (S, OBS, Change.APPEARED),
    (OBS, NEED, Change.IMPROVED), (N, S, Change.IMPROVED),
    (NEED, OBS, Change.WORSENED), (S, N, Change.WORSENED),
    (NEED, NEED, Change.UNCHANGED), (None, OBS, Change.UNCHANGED),
])
def test_change_of_one_dimension(before: str | None, after: str, change: str) -> None:
    assert classify(before, after) == change


def test_comparison_lists_what_was_resolved_and_what_appeared() -> None:
    previous = rated(debts=OBS, housing=NEED, german=NEED, motivation=S, health=N)
    current = rated(debts=NEED, housing=N, german=NEED, motivation=N, health=OBS)
    comparison = compare(previous, current, category_before=ProfileCategory.BETREUUNG,
                         category_after=ProfileCategory.BETREUUNG)
    assert [c.dimension for c in comparison.resolved] == ["housing"]
    assert [c.dimension for c in comparison.improved] == ["debts"]
    assert [c.dimension for c in comparison.appeared] == ["health"]
    assert [c.dimension for c in comparison.worsened] == ["motivation"]
    assert comparison.has_changes and not comparison.category_changed
    assert len(comparison.changes) == len(DIMENSIONS)


def test_comparison_without_changes() -> None:
    comparison = compare(rated(debts=NEED), rated(debts=NEED), category_before="beratung", category_after="markt")
    assert not comparison.has_changes
    assert comparison.category_changed
    assert comparison.category_after_label == str(ProfileCategory.MARKT.label)
