"""The pure rules: who pays (the table), referral transitions, consent and modules."""

from dataclasses import dataclass
from datetime import date

import pytest

from cases.models import BenefitKind
from jobcenter.models import Agency
from jobcenter.roles import Module
from partners.models import PartnerKind, PayingBasis, ReferralStatus
from partners.rules import (
    PAYING_RULES,
    PayingRuleError,
    can_transition,
    consent_required,
    decide_paying_agency,
    draws_unemployment_benefit,
    free_places,
    may_refer,
    referable_categories,
    takes_place,
)

AA, SH = Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE
DAY = date(2003, 6, 1)


@dataclass
class Benefit:
    kind: str
    start: date
    end: date | None = None


HLU = [Benefit(BenefitKind.HLU, date(2003, 1, 1))]
ALHI = [Benefit(BenefitKind.ALHI, date(2003, 1, 1))]
KOMBI = HLU + [Benefit(BenefitKind.ALG, date(2003, 2, 1))]
NONE: list[Benefit] = []


# --- who pays: the table ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("category", "benefits", "agency", "basis"),
    [
        # social services: always the Sozialhilfeträger
        (PartnerKind.DEBT_COUNSELLING, HLU, SH, PayingBasis.BSHG_SOCIAL),
        (PartnerKind.ADDICTION_COUNSELLING, ALHI, SH, PayingBasis.BSHG_SOCIAL),
        (PartnerKind.CHILDCARE, KOMBI, SH, PayingBasis.BSHG_SOCIAL),
        # job-related: Arbeitsamt for Alg/Alhi recipients (also Kombi), else Hilfe zur Arbeit
        (PartnerKind.QUALIFICATION, ALHI, AA, PayingBasis.SGB3_INTEGRATION),
        (PartnerKind.APPLICATION_SUPPORT, KOMBI, AA, PayingBasis.SGB3_INTEGRATION),
        (PartnerKind.ASSESSMENT, HLU, SH, PayingBasis.BSHG_WORK),
        (PartnerKind.WORK_PLACEMENT, NONE, SH, PayingBasis.BSHG_WORK),
        # PSA: an Arbeitsamt instrument
        (PartnerKind.PSA, HLU, AA, PayingBasis.SGB3_PSA),
        # employment company: ABM for Alg/Alhi, else work opportunities (§ 19 BSHG)
        (PartnerKind.EMPLOYMENT_COMPANY, ALHI, AA, PayingBasis.SGB3_JOB_CREATION),
        (PartnerKind.EMPLOYMENT_COMPANY, HLU, SH, PayingBasis.BSHG_EMPLOYMENT),
    ],
)
def test_paying_agency_follows_the_table(category, benefits, agency, basis):
    decision = decide_paying_agency(category=category, entitlements=benefits, day=DAY, commissionable_by=[AA, SH])
    assert (decision.agency_kind, decision.basis) == (agency, basis)
    assert not decision.restricted and not decision.overridden


def test_every_service_group_has_a_row_for_both_benefit_situations():
    for category in (PartnerKind.DEBT_COUNSELLING, PartnerKind.QUALIFICATION, PartnerKind.PSA,
                     PartnerKind.EMPLOYMENT_COMPANY):
        for benefits in (HLU, ALHI):
            decide_paying_agency(category=category, entitlements=benefits, day=DAY, commissionable_by=[AA, SH])
    assert len(PAYING_RULES) == 6


def test_benefits_count_as_of_the_referral_date():
    ended = [Benefit(BenefitKind.ALHI, date(2002, 1, 1), date(2003, 5, 31)), *HLU]
    assert draws_unemployment_benefit(ended, date(2003, 5, 31))
    assert not draws_unemployment_benefit(ended, DAY)
    before = decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=ended, day=date(2003, 5, 1),
                                  commissionable_by=[AA, SH])
    after = decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=ended, day=DAY,
                                 commissionable_by=[AA, SH])
    assert (before.agency_kind, after.agency_kind) == (AA, SH)


def test_an_offer_only_one_agency_may_commission_restricts_the_result():
    decision = decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=HLU, day=DAY,
                                    commissionable_by=[AA])
    assert decision.agency_kind == AA and decision.restricted
    assert decision.basis == PayingBasis.SGB3_INTEGRATION


def test_an_override_needs_a_reason_and_an_agency_that_may_commission():
    with pytest.raises(PayingRuleError) as no_reason:
        decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=HLU, day=DAY,
                             commissionable_by=[AA, SH], override=AA)
    assert no_reason.value.field == "override_reason"
    with pytest.raises(PayingRuleError) as not_allowed:
        decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=HLU, day=DAY,
                             commissionable_by=[SH], override=AA, reason="Absprache")
    assert not_allowed.value.field == "paying_override"
    decision = decide_paying_agency(category=PartnerKind.QUALIFICATION, entitlements=HLU, day=DAY,
                                    commissionable_by=[AA, SH], override=AA, reason=" Absprache im Fall ")
    assert (decision.agency_kind, decision.overridden, decision.reason) == (AA, True, "Absprache im Fall")
    assert decision.basis == PayingBasis.SGB3_INTEGRATION


def test_an_override_naming_the_rules_own_agency_is_no_deviation():
    decision = decide_paying_agency(category=PartnerKind.DEBT_COUNSELLING, entitlements=HLU, day=DAY,
                                    commissionable_by=[AA, SH], override=SH, reason="egal")
    assert decision.agency_kind == SH and not decision.overridden


def test_labour_market_partners_have_no_paying_rule():
    with pytest.raises(PayingRuleError):
        decide_paying_agency(category=PartnerKind.EMPLOYER, entitlements=HLU, day=DAY, commissionable_by=[AA])


# --- lifecycle, capacity, consent, modules ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, True),
        (ReferralStatus.PROPOSED, ReferralStatus.STARTED, True),
        (ReferralStatus.PROPOSED, ReferralStatus.DECLINED, True),
        (ReferralStatus.PROPOSED, ReferralStatus.COMPLETED, False),
        (ReferralStatus.WAITING, ReferralStatus.ACCEPTED, True),
        (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, True),
        (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, False),
        (ReferralStatus.STARTED, ReferralStatus.COMPLETED, True),
        (ReferralStatus.STARTED, ReferralStatus.ABORTED, True),
        (ReferralStatus.STARTED, ReferralStatus.PROPOSED, False),
        (ReferralStatus.COMPLETED, ReferralStatus.STARTED, False),
        (ReferralStatus.DECLINED, ReferralStatus.ACCEPTED, False),
    ],
)
def test_only_the_allowed_transitions(current, target, allowed):
    assert can_transition(current, target) is allowed


def test_a_place_is_taken_by_accepting_or_starting_once():
    assert takes_place(ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED)
    assert takes_place(ReferralStatus.WAITING, ReferralStatus.STARTED)
    assert not takes_place(ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
    assert (free_places(5, 3), free_places(5, 7)) == (2, 0)


def test_consent_is_required_for_social_services_and_for_sensitive_data():
    assert consent_required(PartnerKind.DEBT_COUNSELLING)
    assert consent_required(PartnerKind.CHILDCARE)
    assert not consent_required(PartnerKind.QUALIFICATION, ["identity", "career"])
    assert consent_required(PartnerKind.QUALIFICATION, ["identity", "health"])


def test_referral_modules():
    assert may_refer(PartnerKind.DEBT_COUNSELLING, [Module.BEAUFTRAGUNG_DRITTER])
    assert not may_refer(PartnerKind.DEBT_COUNSELLING, [Module.EINGLIEDERUNGSHILFEN])
    assert may_refer(PartnerKind.QUALIFICATION, [Module.EINGLIEDERUNGSHILFEN])
    assert may_refer(PartnerKind.ASSESSMENT, [Module.TIEFENPROFILING])
    assert not may_refer(PartnerKind.PSA, [Module.BEAUFTRAGUNG_DRITTER, Module.EINGLIEDERUNGSHILFEN])
    assert may_refer(PartnerKind.EMPLOYMENT_COMPANY, [Module.PSA_ZUWEISUNG])
    assert referable_categories([Module.PSA_ZUWEISUNG]) == [PartnerKind.PSA, PartnerKind.EMPLOYMENT_COMPANY]
