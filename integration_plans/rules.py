"""Pure rules of help plans (no database): validity, finalising, obligation periods, legal notices by benefits.

Finalising ("keine Leistung ohne Gegenleistung", both sides equally concrete, §37 SGB III contents):
    * an integration goal,
    * at least one service (Leistung) and at least one obligation (Gegenleistung),
    * every obligation states its kind, a quantity, a period and the form of proof,
    * a one-sided decision (Verwaltungsakt) also states the reason for its duration and a review clause,
    * the review date lies within the validity.
``finalise_problems`` returns every missing item as a message naming it, so the user fixes all at once.

Obligation periods start on ``valid_from`` and follow each other (a month runs to the day before the same day of
the next month); the last one is cut at ``valid_until``. "During the validity" is one period.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.utils.translation import gettext as _

from cases.models import BenefitKind
from integration_plans.models import LegalBasis, ObligationPeriod, PlanKind

DEFAULT_VALIDITY_MONTHS = 6
DEFAULT_REVIEW_MONTHS = 3
EXPIRY_WARNING_DAYS = 30
REVIEW_WARNING_DAYS = 7


# --- dates --------------------------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_months(valid_from: date, valid_until: date) -> int:
    """Months of a validity, a begun month counting as one (1 Apr – 30 Sep: 6; – 1 Oct: 7): for cost estimates."""
    months = 1
    while add_months(valid_from, months) - timedelta(days=1) < valid_until:
        months += 1
    return months


def default_validity(start: date) -> tuple[date, date]:
    """(valid until, review on) for a plan valid from ``start``: six months, reviewed after three."""
    return add_months(start, DEFAULT_VALIDITY_MONTHS) - timedelta(days=1), add_months(start, DEFAULT_REVIEW_MONTHS)


# --- finalising ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObligationDraft:
    kind: str
    description: str
    quantity: int | None
    period: str
    proof: str


@dataclass(frozen=True)
class PlanDraft:
    kind: str
    goal: str
    valid_from: date
    valid_until: date
    review_on: date
    decision_reason: str
    review_clause: str
    services: int
    obligations: Sequence[ObligationDraft]


class Problem(str):
    """A reason why a plan cannot be finalised: the message itself (a ``str``, so problems read and compare as
    text) and where the editor marks it: ``section`` ("plan", "services" or "obligations"), the 0-based ``row``
    of that section and the form ``fields`` lacking (none: the section as a whole)."""

    section: str
    row: int | None
    fields: tuple[str, ...]

    def __new__(cls, message: str, *, section: str = "plan", row: int | None = None,
                fields: tuple[str, ...] = ()) -> Problem:
        problem = super().__new__(cls, message)
        problem.section, problem.row, problem.fields = section, row, fields
        return problem


def obligation_gap_fields(obligation: ObligationDraft) -> tuple[str, ...]:
    """The editor fields an obligation lacks to be concrete, in the order of the form."""
    lacking = {"kind": not obligation.kind, "quantity": not obligation.quantity, "period": not obligation.period,
               "proof": not obligation.proof.strip()}
    return tuple(name for name, missing in lacking.items() if missing)


def obligation_gaps(obligation: ObligationDraft) -> list[str]:
    """What an obligation lacks to be concrete (translated names of the missing parts)."""
    names = {"kind": _("the kind of obligation"), "quantity": _("the quantity"), "period": _("the period"),
             "proof": _("the form of proof")}
    return [names[name] for name in obligation_gap_fields(obligation)]


def join_words(words: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c" (translated)."""
    if len(words) < 2:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def obligation_name(index: int, obligation: ObligationDraft) -> str:
    label = obligation.description.strip()[:40] or ""
    if label:
        return _("Obligation %(number)s (“%(label)s”)") % {"number": index, "label": label}
    return _("Obligation %(number)s") % {"number": index}


def finalise_problems(plan: PlanDraft) -> list[Problem]:
    """Every reason why ``plan`` cannot be finalised yet, each naming exactly what is missing and where."""
    problems = []
    if not plan.goal.strip():
        problems.append(Problem(_("The integration goal is missing."), fields=("goal",)))
    if plan.services < 1:
        problems.append(Problem(_("At least one service (what the agencies provide) is missing."),
                                section="services"))
    if not plan.obligations:
        problems.append(Problem(_("At least one obligation (what the client does) is missing."),
                                section="obligations"))
    for index, obligation in enumerate(plan.obligations, start=1):
        gaps = obligation_gaps(obligation)
        if gaps:
            problems.append(Problem(
                _("%(obligation)s is not concrete; missing: %(missing)s.")
                % {"obligation": obligation_name(index, obligation), "missing": join_words(gaps)},
                section="obligations", row=index - 1, fields=obligation_gap_fields(obligation),
            ))
    if plan.kind == PlanKind.DECISION:
        if not plan.decision_reason.strip():
            problems.append(Problem(_("A one-sided decision needs the reason for its duration."),
                                    fields=("decision_reason",)))
        if not plan.review_clause.strip():
            problems.append(Problem(_("A one-sided decision needs a review clause."), fields=("review_clause",)))
    problems.extend(validity_problems(plan.valid_from, plan.valid_until, plan.review_on))
    return problems


def validity_problems(valid_from: date, valid_until: date, review_on: date) -> list[Problem]:
    problems = []
    if valid_until < valid_from:
        problems.append(Problem(_("The plan cannot end before it starts."), fields=("valid_until",)))
    elif not valid_from <= review_on <= valid_until:
        problems.append(Problem(_("The review date must lie within the validity of the plan."),
                                fields=("review_on",)))
    return problems


# --- obligation periods -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckPeriod:
    start: date
    end: date


def check_periods(period: str, valid_from: date, valid_until: date) -> list[CheckPeriod]:
    """The periods an obligation is checked in, from ``valid_from`` to ``valid_until`` (inclusive)."""
    if period == ObligationPeriod.VALIDITY:
        return [CheckPeriod(valid_from, valid_until)]
    periods = []
    start, index = valid_from, 0
    while start <= valid_until:
        index += 1
        if period == ObligationPeriod.WEEK:
            following = valid_from + timedelta(weeks=index)
        elif period == ObligationPeriod.MONTH:
            following = add_months(valid_from, index)
        elif period == ObligationPeriod.QUARTER:
            following = add_months(valid_from, 3 * index)
        else:
            raise ValueError(f"unknown obligation period {period!r}")
        periods.append(CheckPeriod(start, min(following - timedelta(days=1), valid_until)))
        start = following
    return periods


def next_check_due(period: str, valid_from: date, valid_until: date, checked_starts: Iterable[date]) -> date | None:
    """The end of the first period without a check (when the check becomes due), or None when all are checked."""
    done = set(checked_starts)
    for item in check_periods(period, valid_from, valid_until):
        if item.start not in done:
            return item.end
    return None


def period_of(period: str, valid_from: date, valid_until: date, start: date) -> CheckPeriod | None:
    for item in check_periods(period, valid_from, valid_until):
        if item.start == start:
            return item
    return None


def fulfilled_by_count(quantity: int | None, achieved: int | None) -> bool | None:
    """Counted obligations (e.g. applications) are fulfilled when the count reaches the quota; None: not counted."""
    if quantity is None or achieved is None:
        return None
    return achieved >= quantity


# --- legal notices ------------------------------------------------------------------------------------------
class Period(Protocol):
    kind: str
    start: date
    end: date | None


def legal_bases_on(entitlements: Iterable[Period], day: date) -> list[str]:
    """Which Rechtsfolgenbelehrungen a plan needs, from the benefits in force on ``day``:
    HLU → § 25 BSHG; Alg or Alhi → § 144 SGB III; a Kombibezieher gets both (in this order)."""
    kinds = {e.kind for e in entitlements if e.start <= day and (e.end is None or day <= e.end)}
    bases = []
    if BenefitKind.HLU in kinds:
        bases.append(LegalBasis.BSHG_25.value)
    if kinds & {BenefitKind.ALG, BenefitKind.ALHI}:
        bases.append(LegalBasis.SGB3_144.value)
    return bases


# --- joint sign-off by the agencies -------------------------------------------------------------------------
@dataclass(frozen=True)
class Signoffs:
    """Where a submitted plan stands with the agencies' sign-off (docs/domain.md §4: "beide Träger zusammenwirken";
    §7: each agency answers for its own money): ``required`` holds the kinds of agency (``Agency.Kind``) whose
    services the plan commits, ``signed`` the kind → id of the person who signed off for it."""

    required: frozenset[str]
    signed: dict[str, int]

    @property
    def missing(self) -> frozenset[str]:
        return self.required - set(self.signed)

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.missing


def signoff_refusal(state: Signoffs, *, kind: str, user_id: int, may_sign: frozenset[str],
                    one_person_signs_both: bool) -> str | None:
    """Why ``user_id`` may not sign off the plan for the agency of ``kind`` now (None: they may).
    A plan needs the sign-off only of the agencies whose services it commits; one person signs for both only
    where the contact point allows it."""
    if kind not in state.required:
        return _("This plan commits no services of this agency, so it needs no sign-off for it.")
    if kind in state.signed:
        return _("This plan has already been signed off for this agency.")
    if kind not in may_sign:
        return _("You are not a representative of this agency for signing off plans at this contact point.")
    if not one_person_signs_both and user_id in state.signed.values():
        return _("You have already signed off this plan for the other agency; at this contact point the two "
                 "sign-offs must come from two people.")
    return None
