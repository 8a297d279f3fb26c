"""Pure rules: finalising names exactly what is missing, validity, obligation periods, legal bases by benefits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import translation

from integration_plans import rules
from integration_plans.models import LegalBasis, ObligationPeriod, PlanKind
from integration_plans.rules import CheckPeriod, ObligationDraft, PlanDraft

CONCRETE = ObligationDraft("applications", "Bewerbungen", 6, "month", "Kopien der Anschreiben")


def plan(**changes):  # type: ignore[no-untyped-def]
    values = {"kind": PlanKind.AGREEMENT, "goal": "Arbeit als Lagerist", "valid_from": date(2003, 4, 1),
              "valid_until": date(2003, 9, 30), "review_on": date(2003, 7, 1), "decision_reason": "",
              "review_clause": "", "services": 1, "obligations": [CONCRETE]}
    values.update(changes)
    return PlanDraft(**values)


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def test_a_complete_plan_has_no_problems():
    assert rules.finalise_problems(plan()) == []


def test_finalising_needs_goal_service_and_obligation_each_named():
    problems = rules.finalise_problems(plan(goal="  ", services=0, obligations=[]))
    assert problems == [
        "The integration goal is missing.",
        "At least one service (what the agencies provide) is missing.",
        "At least one obligation (what the client does) is missing.",
    ]


def test_a_vague_obligation_is_refused_naming_every_missing_part():
    vague = ObligationDraft("applications", "Regelmäßig bewerben", None, "", "")
    (problem,) = rules.finalise_problems(plan(obligations=[CONCRETE, vague]))
    assert problem == ("Obligation 2 (“Regelmäßig bewerben”) is not concrete; missing: the quantity, the period "
                       "and the form of proof.")


@pytest.mark.parametrize(("field", "missing"), [
    ({"kind": ""}, "the kind of obligation"), ({"quantity": None}, "the quantity"), ({"period": ""}, "the period"),
    ({"proof": " "}, "the form of proof"),
])
def test_each_part_of_an_obligation_is_required(field, missing):  # type: ignore[no-untyped-def]
    obligation = ObligationDraft(**{**vars(CONCRETE), **field})
    (problem,) = rules.finalise_problems(plan(obligations=[obligation]))
    assert problem.endswith(f"missing: {missing}.")


def test_a_one_sided_decision_needs_a_reason_for_its_duration_and_a_review_clause():
    problems = rules.finalise_problems(plan(kind=PlanKind.DECISION))
    assert problems == ["A one-sided decision needs the reason for its duration.",
                        "A one-sided decision needs a review clause."]
    assert rules.finalise_problems(plan(kind=PlanKind.DECISION, decision_reason="x", review_clause="y")) == []


def test_the_review_date_must_lie_within_the_validity():
    assert rules.finalise_problems(plan(review_on=date(2003, 10, 1))) == [
        "The review date must lie within the validity of the plan."]
    assert rules.finalise_problems(plan(valid_until=date(2003, 3, 1))) == ["The plan cannot end before it starts."]


def test_default_validity_is_six_months_with_a_review_after_three():
    assert rules.default_validity(date(2003, 4, 1)) == (date(2003, 9, 30), date(2003, 7, 1))
    assert rules.default_validity(date(2003, 8, 31)) == (date(2004, 2, 28), date(2003, 11, 30))
    assert rules.add_months(date(2004, 1, 31), 1) == date(2004, 2, 29)


def test_monthly_periods_follow_the_first_day_and_are_cut_at_the_end():
    periods = rules.check_periods(ObligationPeriod.MONTH, date(2003, 4, 15), date(2003, 7, 1))
    assert periods == [CheckPeriod(date(2003, 4, 15), date(2003, 5, 14)), CheckPeriod(date(2003, 5, 15), date(2003, 6, 14)),
                       CheckPeriod(date(2003, 6, 15), date(2003, 7, 1))]
    assert len(rules.check_periods(ObligationPeriod.WEEK, date(2003, 4, 1), date(2003, 4, 30))) == 5
    assert rules.check_periods(ObligationPeriod.VALIDITY, date(2003, 4, 1), date(2003, 9, 30)) == [
        CheckPeriod(date(2003, 4, 1), date(2003, 9, 30))]


def test_the_next_check_is_the_end_of_the_first_unchecked_period():
    start, end = date(2003, 4, 1), date(2003, 9, 30)
    assert rules.next_check_due("month", start, end, []) == date(2003, 4, 30)
    assert rules.next_check_due("month", start, end, [date(2003, 4, 1)]) == date(2003, 5, 31)
    every = [p.start for p in rules.check_periods("month", start, end)]
    assert rules.next_check_due("month", start, end, every) is None


def test_a_counted_obligation_is_fulfilled_when_the_count_reaches_the_quota():
    assert rules.fulfilled_by_count(6, 6) is True
    assert rules.fulfilled_by_count(6, 4) is False
    assert rules.fulfilled_by_count(None, 4) is None


@dataclass
class Benefit:
    kind: str
    start: date
    end: date | None = None


@pytest.mark.parametrize(("kinds", "expected"), [
    (["hlu"], [LegalBasis.BSHG_25]),
    (["alg"], [LegalBasis.SGB3_144]),
    (["alhi"], [LegalBasis.SGB3_144]),
    (["alhi", "hlu"], [LegalBasis.BSHG_25, LegalBasis.SGB3_144]),  # Kombibezieher: both
    ([], []),
])
def test_legal_notices_follow_the_benefits(kinds, expected):  # type: ignore[no-untyped-def]
    benefits = [Benefit(kind, date(2002, 1, 1)) for kind in kinds]
    assert rules.legal_bases_on(benefits, date(2003, 4, 1)) == expected


def test_legal_notices_follow_the_benefits_on_the_day():
    benefits = [Benefit("alg", date(2002, 1, 1), date(2003, 3, 31)), Benefit("hlu", date(2003, 4, 1))]
    assert rules.legal_bases_on(benefits, date(2003, 3, 31)) == [LegalBasis.SGB3_144]
    assert rules.legal_bases_on(benefits, date(2003, 4, 1)) == [LegalBasis.BSHG_25]


def test_months_of_a_validity_count_a_begun_month():
    assert rules.validity_months(date(2003, 4, 1), date(2003, 9, 30)) == 6
    assert rules.validity_months(date(2003, 11, 25), date(2004, 5, 24)) == 6
    assert rules.validity_months(date(2003, 4, 1), date(2003, 10, 1)) == 7
    assert rules.validity_months(date(2003, 4, 1), date(2003, 4, 1)) == 1
