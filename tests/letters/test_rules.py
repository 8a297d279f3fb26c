"""The pure rules of letters: the legal note by benefit status on the appointment's day, the consequence a
hearing letter announces, the data a commission letter may carry, the days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from letters import rules


@dataclass(frozen=True)
class Benefit:
    kind: str
    start: date
    end: date | None = None


DAY = date(2003, 5, 14)


@pytest.mark.parametrize(("benefits", "expected"), [
    ([Benefit("alg", date(2003, 1, 1))], ["sgb3_309"]),
    ([Benefit("alhi", date(2003, 1, 1), date(2003, 12, 31))], ["sgb3_309"]),
    ([Benefit("hlu", date(2002, 1, 1))], ["bshg_25_inv"]),
    ([Benefit("alhi", date(2003, 1, 1)), Benefit("hlu", date(2002, 1, 1))], ["bshg_25_inv", "sgb3_309"]),
    ([], []),
    # a benefit that ended the day before the appointment no longer counts: no sanction note
    ([Benefit("alg", date(2002, 1, 1), date(2003, 5, 13))], []),
    # ... nor one that starts the day after
    ([Benefit("hlu", date(2003, 5, 15))], []),
    # one that ends on the appointment's day still does, and the one that follows it as well
    ([Benefit("alg", date(2002, 1, 1), date(2003, 5, 14)), Benefit("hlu", date(2003, 5, 14))],
     ["bshg_25_inv", "sgb3_309"]),
    # Alg ended the day before, HLU runs on: only § 25 BSHG
    ([Benefit("alg", date(2002, 1, 1), date(2003, 5, 13)), Benefit("hlu", date(2003, 5, 1))], ["bshg_25_inv"]),
])
def test_the_legal_note_follows_the_benefits_on_the_appointments_day(benefits, expected):
    assert rules.invitation_bases_on(benefits, DAY) == expected


def test_the_intended_consequence_follows_the_benefits_on_the_day():
    assert rules.intended_consequences([Benefit("hlu", date(2002, 1, 1))], DAY) == ["reduction"]
    assert rules.intended_consequences([Benefit("alg", date(2002, 1, 1))], DAY) == ["blocking_period"]
    assert rules.intended_consequences([Benefit("alg", date(2002, 1, 1)), Benefit("hlu", date(2002, 1, 1))],
                                       DAY) == ["reduction", "blocking_period"]
    assert rules.intended_consequences([Benefit("alg", date(2002, 1, 1), date(2003, 5, 13))], DAY) == []


def test_a_commission_letter_carries_only_what_the_release_covers():
    result = rules.disclosable(shared=["identity", "contact", "finances"], consent_needed=True,
                               consent_categories=["identity", "finances"])
    assert result.categories == {"identity", "finances"} and not result.refused


def test_without_a_release_a_letter_that_needs_one_is_refused():
    assert rules.disclosable(shared=["identity"], consent_needed=True, consent_categories=None).refused == "no_consent"


def test_without_a_release_a_commission_carries_no_sensitive_data():
    result = rules.disclosable(shared=["identity", "career", "health"], consent_needed=False, consent_categories=None)
    assert result.categories == {"identity", "career"}


def test_deadlines_move_off_the_weekend():
    assert rules.reply_deadline(date(2003, 5, 14), 14) == date(2003, 5, 28)  # a Wednesday
    assert rules.reply_deadline(date(2003, 5, 9), 1) == date(2003, 5, 12)  # Saturday → Monday


@pytest.mark.parametrize(("today", "expected"), [
    (date(2003, 5, 12), date(2003, 5, 13)),  # Monday → Tuesday
    (date(2003, 5, 16), date(2003, 5, 19)),  # Friday → Monday
    (date(2003, 5, 17), date(2003, 5, 19)),  # Saturday → Monday
])
def test_tomorrow_is_the_next_working_day(today, expected):
    assert rules.next_working_day(today) == expected
