"""The paying-agency table for plan services: the partners rule for offer categories, own rows for the
agencies' own services, restrictions and overrides with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from integration_plans.paying import OwnBasis, decide_service_paying, paying_table
from partners.models import PayingBasis
from partners.rules import PayingRuleError

AA, SH = "arbeitsamt", "sozialhilfe"
DAY = date(2003, 4, 1)


@dataclass
class Benefit:
    kind: str
    start: date = date(2002, 1, 1)
    end: date | None = None


HLU = [Benefit("hlu")]
ALG = [Benefit("alg")]
KOMBI = [Benefit("alhi"), Benefit("hlu")]


@pytest.mark.parametrize(("kind", "benefits", "agency", "basis"), [
    ("placement", HLU, AA, OwnBasis.SGB3_PLACEMENT),
    ("placement", ALG, AA, OwnBasis.SGB3_PLACEMENT),
    ("application_costs", ALG, AA, OwnBasis.SGB3_APPLICATION_COSTS),
    ("application_costs", KOMBI, AA, OwnBasis.SGB3_APPLICATION_COSTS),
    ("application_costs", HLU, SH, PayingBasis.BSHG_WORK),
    ("debt_counselling", ALG, SH, PayingBasis.BSHG_SOCIAL),
    ("childcare", KOMBI, SH, PayingBasis.BSHG_SOCIAL),
    ("qualification", ALG, AA, PayingBasis.SGB3_INTEGRATION),
    ("qualification", KOMBI, AA, PayingBasis.SGB3_INTEGRATION),
    ("qualification", HLU, SH, PayingBasis.BSHG_WORK),
    ("psa", HLU, AA, PayingBasis.SGB3_PSA),
    ("employment_company", ALG, AA, PayingBasis.SGB3_JOB_CREATION),
    ("employment_company", HLU, SH, PayingBasis.BSHG_EMPLOYMENT),
])
def test_the_table_decides_who_pays(kind, benefits, agency, basis):  # type: ignore[no-untyped-def]
    decision = decide_service_paying(kind=kind, entitlements=benefits, day=DAY)
    assert (decision.agency_kind, decision.basis, decision.overridden) == (agency, basis, False)


def test_benefits_count_on_the_plans_first_day():
    ended = [Benefit("alg", end=date(2003, 3, 31)), Benefit("hlu")]
    assert decide_service_paying(kind="qualification", entitlements=ended, day=DAY).agency_kind == SH


def test_an_offer_only_one_agency_may_commission_decides():
    decision = decide_service_paying(kind="qualification", entitlements=HLU, day=DAY, commissionable_by=[AA])
    assert decision.agency_kind == AA


def test_an_override_needs_a_reason_and_keeps_what_the_table_said():
    with pytest.raises(PayingRuleError) as error:
        decide_service_paying(kind="qualification", entitlements=HLU, day=DAY, override=AA)
    assert error.value.field == "override_reason"
    decision = decide_service_paying(kind="qualification", entitlements=HLU, day=DAY, override=AA,
                                     reason="Teil einer SGB-III-Maßnahme")
    assert (decision.agency_kind, decision.derived_kind, decision.overridden) == (AA, SH, True)
    assert decision.basis == PayingBasis.SGB3_INTEGRATION
    own = decide_service_paying(kind="placement", entitlements=HLU, day=DAY, override=SH, reason="kommunal")
    assert (own.agency_kind, own.basis, own.reason) == (SH, PayingBasis.BSHG_WORK, "kommunal")


def test_an_override_to_an_agency_that_may_not_commission_the_offer_is_refused():
    with pytest.raises(PayingRuleError):
        decide_service_paying(kind="qualification", entitlements=HLU, day=DAY, commissionable_by=[SH],
                              override=AA, reason="x")


def test_the_documented_table_lists_own_and_partner_rows():
    rows = paying_table()
    assert {row.kind for row in rows if not row.from_partners} == {"placement", "application_costs"}
    assert {row.kind for row in rows if row.from_partners} == {"social", "job", "psa", "employment_company"}
