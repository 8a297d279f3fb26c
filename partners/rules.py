"""Pure rules of the partners app (no database): referral lifecycle, consent, modules and who pays.

The paying-agency rule is shared with integration plans (a plan service's paying agency is decided the same
way): ``decide_paying_agency`` takes plain values and returns a ``PayingDecision``; callers map the agency kind
to the office's agency.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from cases.models import BenefitKind
from jobcenter.errors import DomainError
from jobcenter.models import Agency
from jobcenter.roles import Module
from partners.models import (
    GROUP_OF_KIND,
    DataCategory,
    PartnerGroup,
    PartnerKind,
    PayingBasis,
    ReferralStatus,
)

# --- referral lifecycle -------------------------------------------------------------------------------------
# proposed → accepted → started → completed | aborted; proposed → declined. A full offer puts the client on
# the waiting list (only while no place is free); from there accepted/started once a place frees up. Starting
# directly from proposed (or waiting) is allowed: the partner confirmed and the client began the same day.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.PROPOSED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.WAITING, ReferralStatus.DECLINED}
    ),
    ReferralStatus.WAITING: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.STARTED, ReferralStatus.ABORTED}),
    ReferralStatus.STARTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.ABORTED}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.ABORTED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}
# Statuses that occupy a place of the offer: free places = places − accepted − started.
TAKING_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.STARTED})
# Statuses in which the partner still owes the office an answer or a progress report.
ACTIVE_STATUSES = frozenset(
    {ReferralStatus.PROPOSED, ReferralStatus.WAITING, ReferralStatus.ACCEPTED, ReferralStatus.STARTED}
)
FEEDBACK_DUE_DAYS = 14


def can_transition(current: str, target: str) -> bool:
    return target in REFERRAL_TRANSITIONS.get(current, frozenset())


def takes_place(current: str, target: str) -> bool:
    """Does moving from ``current`` to ``target`` occupy a further place of the offer?"""
    return target in TAKING_STATUSES and current not in TAKING_STATUSES


def free_places(places: int, taken: int) -> int:
    return max(0, places - taken)


# --- consent ------------------------------------------------------------------------------------------------
# Social services (debt, addiction, childcare, psychosocial counselling) always need a release from
# confidentiality. Any referral passing on these categories needs one, whatever the offer.
CONSENT_REQUIRED_GROUPS = frozenset({PartnerGroup.SOCIAL})
SENSITIVE_DATA = frozenset({DataCategory.HEALTH, DataCategory.FINANCES, DataCategory.FAMILY})


def consent_required(category: str, shared_data: Collection[str] = ()) -> bool:
    return GROUP_OF_KIND[category] in CONSENT_REQUIRED_GROUPS or bool(SENSITIVE_DATA & set(shared_data))


def default_shared_data(category: str) -> list[str]:
    """What a referral of this category typically passes on (a proposal for the form)."""
    group = GROUP_OF_KIND[category]
    if group == PartnerGroup.SOCIAL:
        extras: dict[str, list[str]] = {
            PartnerKind.DEBT_COUNSELLING: [DataCategory.BENEFITS, DataCategory.FINANCES],
            PartnerKind.CHILDCARE: [DataCategory.FAMILY],
        }
        extra = extras.get(category, [])
        return [DataCategory.IDENTITY, DataCategory.CONTACT, *extra]
    return [DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.CAREER]


# --- modules (docs/domain.md §5) --------------------------------------------------------------------------------------
# A referral needs one of these modules switched on at the case's office.
#   social services            → Beauftragung Dritter ("soziale ... Dienstleistungen, z.B. Schuldnerberatung")
#   job-related services       → Eingliederungshilfen or Beauftragung Dritter ("berufsbezogene Dienstleistungen")
#   assessment                 → additionally Tiefenprofiling/Assessment
#   PSA, employment company    → Zuweisung in PSA oder Beschäftigungsgesellschaft
REFERRAL_MODULES: dict[str, frozenset[str]] = {
    PartnerGroup.SOCIAL: frozenset({Module.BEAUFTRAGUNG_DRITTER}),
    PartnerGroup.JOB: frozenset({Module.EINGLIEDERUNGSHILFEN, Module.BEAUFTRAGUNG_DRITTER}),
    PartnerGroup.PSA: frozenset({Module.PSA_ZUWEISUNG}),
    PartnerGroup.EMPLOYMENT_COMPANY: frozenset({Module.PSA_ZUWEISUNG}),
    PartnerGroup.LABOUR_MARKET: frozenset(),
}
ALL_REFERRAL_MODULES = frozenset().union(*REFERRAL_MODULES.values()) | {Module.TIEFENPROFILING}
VACANCY_MODULE = Module.VERMITTLUNG
EMPLOYER_CONTACT_MODULE = Module.ARBEITGEBERSERVICE


def referral_modules(category: str) -> frozenset[str]:
    modules = REFERRAL_MODULES[GROUP_OF_KIND[category]]
    if category == PartnerKind.ASSESSMENT:
        modules = modules | {Module.TIEFENPROFILING}
    return modules


def may_refer(category: str, enabled_modules: Collection[str]) -> bool:
    return bool(referral_modules(category) & set(enabled_modules))


def holds_sensitive_content(category: str) -> bool:
    """A referral to an assessment offer carries the confidential assessment question as its purpose (and the
    partner's feedback on it): shown only under the need-to-know rule (``cases.need_to_know``)."""
    return category == PartnerKind.ASSESSMENT


def referable_categories(enabled_modules: Collection[str]) -> list[str]:
    return [kind for kind in GROUP_OF_KIND if referral_modules(kind) and may_refer(kind, enabled_modules)]


# --- who pays (docs/domain.md §7: financing stays with the statutory responsibilities) ----------------------------------
class Period(Protocol):
    kind: str
    start: date
    end: date | None


ARBEITSAMT = Agency.Kind.ARBEITSAMT
SOZIALHILFE = Agency.Kind.SOZIALHILFE


@dataclass(frozen=True)
class PayingRule:
    """One row of the table: for offers of ``group``, a client who does (True) / does not (False) draw Alg or
    Alhi on the referral date (None: either) is paid for by ``agency_kind``."""

    group: str
    draws_unemployment_benefit: bool | None
    agency_kind: str


# Read top to bottom; the first matching row decides.
PAYING_RULES: tuple[PayingRule, ...] = (
    # social services are municipal help (Sozialhilfeträger), whoever else pays the client's benefits
    PayingRule(PartnerGroup.SOCIAL, None, SOZIALHILFE),
    # job-related offers: SGB III for clients of the Arbeitsamt, otherwise Hilfe zur Arbeit (BSHG)
    PayingRule(PartnerGroup.JOB, True, ARBEITSAMT),
    PayingRule(PartnerGroup.JOB, False, SOZIALHILFE),
    # the PSA is an instrument of the Arbeitsamt (§ 37c SGB III)
    PayingRule(PartnerGroup.PSA, None, ARBEITSAMT),
    # employment companies: ABM for Alg/Alhi recipients, else work opportunities under § 19 BSHG
    PayingRule(PartnerGroup.EMPLOYMENT_COMPANY, True, ARBEITSAMT),
    PayingRule(PartnerGroup.EMPLOYMENT_COMPANY, False, SOZIALHILFE),
)

# The legal basis when an agency pays for an offer of a group (also after a restriction or an override).
PAYING_BASIS: dict[tuple[str, str], str] = {
    (PartnerGroup.SOCIAL, SOZIALHILFE): PayingBasis.BSHG_SOCIAL,
    (PartnerGroup.SOCIAL, ARBEITSAMT): PayingBasis.SGB3_THIRD_PARTY,
    (PartnerGroup.JOB, ARBEITSAMT): PayingBasis.SGB3_INTEGRATION,
    (PartnerGroup.JOB, SOZIALHILFE): PayingBasis.BSHG_WORK,
    (PartnerGroup.PSA, ARBEITSAMT): PayingBasis.SGB3_PSA,
    (PartnerGroup.PSA, SOZIALHILFE): PayingBasis.BSHG_WORK,
    (PartnerGroup.EMPLOYMENT_COMPANY, ARBEITSAMT): PayingBasis.SGB3_JOB_CREATION,
    (PartnerGroup.EMPLOYMENT_COMPANY, SOZIALHILFE): PayingBasis.BSHG_EMPLOYMENT,
}


class PayingRuleError(DomainError):
    """An override the rule cannot accept."""


@dataclass(frozen=True)
class PayingDecision:
    agency_kind: str
    basis: str  # a PayingBasis value
    rule: PayingRule | None  # the table row (None when overridden)
    restricted: bool = False  # the rule's agency may not commission the offer; the only one that may pays
    overridden: bool = False
    reason: str = ""

    @property
    def basis_label(self) -> str:
        return str(PayingBasis(self.basis).label)


def draws_unemployment_benefit(entitlements: Iterable[Period], day: date) -> bool:
    """Alg or Alhi in force on ``day`` (periods include first and last day)."""
    return any(
        e.kind in (BenefitKind.ALG, BenefitKind.ALHI) and e.start <= day and (e.end is None or day <= e.end)
        for e in entitlements
    )


def _rule_for(group: str, draws: bool) -> PayingRule:
    for rule in PAYING_RULES:
        if rule.group == group and rule.draws_unemployment_benefit in (None, draws):
            return rule
    raise PayingRuleError(_("Labour-market partners are not commissioned with services."))


def decide_paying_agency(
    *,
    category: str,
    entitlements: Iterable[Period],
    day: date,
    commissionable_by: Collection[str],
    override: str | None = None,
    reason: str = "",
) -> PayingDecision:
    """Who pays for an offer of ``category`` for a client with ``entitlements``, as of ``day``.

    The table row decides; an offer only one agency may commission (``commissionable_by``) restricts it to that
    agency. ``override`` (an agency kind) replaces the result when a ``reason`` is given and that agency may
    commission the offer."""
    group = GROUP_OF_KIND[category]
    rule = _rule_for(group, draws_unemployment_benefit(entitlements, day))
    if override:
        if override not in commissionable_by:
            raise PayingRuleError(_("This agency may not commission this offer."), field="paying_override")
        if not reason.strip():
            raise PayingRuleError(
                _("Give a reason for deviating from the paying-agency rule."), field="override_reason"
            )
        if override != rule.agency_kind:
            return PayingDecision(override, PAYING_BASIS[(group, override)], None, overridden=True,
                                  reason=reason.strip())
    kind = rule.agency_kind
    restricted = kind not in commissionable_by
    if restricted:
        if not commissionable_by:
            raise PayingRuleError(_("No agency may commission this offer."))
        kind = sorted(commissionable_by)[0]
    return PayingDecision(kind, PAYING_BASIS[(group, kind)], rule, restricted=restricted)
