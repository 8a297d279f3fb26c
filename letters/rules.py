"""Pure rules of letters (no database): which legal note an invitation prints, which consequence a hearing letter
announces, which data a commission letter may carry, and the days involved."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from cases.models import BenefitKind
from integration_plans.models import HearingConsequence, LegalBasis
from partners.models import DataCategory
from partners.rules import SENSITIVE_DATA


class Period(Protocol):
    """A benefit's kind and period (a ``BenefitEntitlement`` or any object with these attributes)."""

    @property
    def kind(self) -> str: ...

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date | None: ...


def benefits_on(entitlements: Iterable[Period], day: date) -> set[str]:
    """The benefit kinds drawn on ``day`` (a benefit ending the day before no longer counts)."""
    return {e.kind for e in entitlements if e.start <= day and (e.end is None or day <= e.end)}


def invitation_bases_on(entitlements: Iterable[Period], day: date) -> list[str]:
    """The legal notes an invitation to an appointment on ``day`` prints, from the benefits drawn that day:
    Alg or Alhi → the duty to report (§§ 309, 145 SGB III); HLU → § 25 BSHG; both → both (BSHG first, as on the
    agreement); none → none: there is no benefit a missed appointment could reduce, so no sanction is threatened."""
    kinds = benefits_on(entitlements, day)
    bases = []
    if BenefitKind.HLU in kinds:
        bases.append(LegalBasis.BSHG_25_INVITATION.value)
    if kinds & {BenefitKind.ALG, BenefitKind.ALHI}:
        bases.append(LegalBasis.SGB3_309.value)
    return bases


def intended_consequences(entitlements: Iterable[Period], day: date) -> list[str]:
    """The consequences a hearing letter announces as intended, from the benefits drawn on ``day``: HLU → a
    reduction of the assistance (§ 25 BSHG); Alg/Alhi → a blocking period (§ 144 SGB III); both → both; none →
    none (the letter then says that no benefit is affected)."""
    kinds = benefits_on(entitlements, day)
    result = []
    if BenefitKind.HLU in kinds:
        result.append(HearingConsequence.REDUCTION.value)
    if kinds & {BenefitKind.ALG, BenefitKind.ALHI}:
        result.append(HearingConsequence.BLOCKING_PERIOD.value)
    return result


@dataclass(frozen=True)
class Disclosure:
    """What a commission letter may print: the data categories, or the reason it may not be printed at all."""

    categories: frozenset[str]
    refused: str = ""  # "no_consent" when the letter must not be printed


def disclosable(
    *,
    shared: Collection[str],
    consent_needed: bool,
    consent_categories: Collection[str] | None,
) -> Disclosure:
    """The data a commission letter carries: what the referral passed on, limited to what a release in force on
    the letter's date covers (``consent_categories``; None: no release in force). Without a release, a referral
    that needs one (social services, or health/debt/family data) is refused; any other carries what was passed on
    minus the sensitive categories (commissioning without consent covers only the data needed for the service)."""
    wanted = set(shared) & set(DataCategory.values)
    if consent_categories is not None:
        return Disclosure(frozenset(wanted & set(consent_categories)))
    if consent_needed:
        return Disclosure(frozenset(), refused="no_consent")
    return Disclosure(frozenset(wanted - set(SENSITIVE_DATA)))


def reply_deadline(letter_date: date, days: int) -> date:
    """The deadline ``days`` after the letter's date, moved off a weekend to the following Monday."""
    deadline = letter_date + timedelta(days=days)
    while deadline.weekday() >= 5:
        deadline += timedelta(days=1)
    return deadline


def next_working_day(day: date) -> date:
    """The day after ``day``, or the Monday after it when that falls on a weekend ("Einladungen für morgen" on a
    Friday prints Monday's appointments: appointments take place Monday to Friday)."""
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following
