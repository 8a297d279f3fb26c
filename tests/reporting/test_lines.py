"""Referrals by partner category, plans signed and the costs per Träger, which reconcile to every line."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from integration_plans.models import IntegrationPlan, PlanService, PlanStatus
from jobcenter.models import Agency
from partners.models import PartnerKind, ReferralStatus
from reporting import drilldown
from reporting.metrics import plans, workload
from reporting.periods import Month
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory
from tests.reporting.conftest import D
from tests.reporting.test_metrics import fresh

MARCH = Month(2003, 3)
LATER = D(2004, 6, 30)

pytestmark = pytest.mark.django_db


def signed_plan(case, signed_on, version=1, previous=None, by=None):  # type: ignore[no-untyped-def]
    return IntegrationPlan.objects.create(
        case=case, version=version, previous=previous, status=PlanStatus.SIGNED, goal="Arbeit",
        valid_from=signed_on, valid_until=signed_on + datetime.timedelta(days=180),
        review_on=signed_on + datetime.timedelta(days=90), finalised_at=datetime.datetime(
            signed_on.year, signed_on.month, signed_on.day, 10, tzinfo=datetime.UTC),
        content_sha256="a" * 64, signed_on=signed_on, created_by=by, updated_by=by,
    )


def service(plan, agency, cost, key=None, referral=None):  # type: ignore[no-untyped-def]
    return PlanService.objects.create(plan=plan, kind="qualification", paying_agency=agency, legal_basis="sgb3_77",
                                      estimated_cost=cost, key=key or uuid.uuid4(), referral=referral)


@pytest.fixture
def lines(world):  # type: ignore[no-untyped-def]
    """In March: H referred to debt counselling (accepted, 100 €/month × 3, paid by the welfare agency) and to a
    qualification (only proposed: not committed); a plan of H signed on 10 March with a qualification (450 €,
    employment office) and a service pointing at the referral (counted through the referral); its update signed
    on 25 March carries the qualification over (same key, not counted again) and adds childcare (200 €, welfare
    agency)."""
    office = world.office
    aa, sh = office.employment_agency, office.welfare_agency
    debt = OfferFactory(partner=PartnerFactory(contact_point=office, kind=PartnerKind.DEBT_COUNSELLING),
                        cost_per_month=Decimal("100"))
    qualification = OfferFactory(partner=PartnerFactory(contact_point=office, kind=PartnerKind.QUALIFICATION,
                                                        name="Bildungswerk"))
    referral = ReferralFactory(case=world.case_h, offer=debt, referred_on=D(2003, 3, 4), planned_months=3,
                               status=ReferralStatus.ACCEPTED, paying_agency=sh, referred_by=world.manager)
    ReferralFactory(case=world.case_h, offer=qualification, referred_on=D(2003, 3, 6), status=ReferralStatus.PROPOSED,
                    paying_agency=aa, referred_by=world.manager)
    # another office's referral in the same month is never counted
    other = OfferFactory(partner=PartnerFactory(contact_point=world.other_office, name="Fremd"))
    ReferralFactory(offer=other, referred_on=D(2003, 3, 4), status=ReferralStatus.STARTED,
                    referred_by=world.manager)
    first = signed_plan(world.case_h, D(2003, 3, 10), by=world.manager)
    carried = service(first, aa, Decimal("450"))
    service(first, sh, Decimal("300"), referral=referral)
    second = signed_plan(world.case_h, D(2003, 3, 25), version=2, previous=first, by=world.manager)
    service(second, aa, Decimal("450"), key=carried.key)
    service(second, sh, Decimal("200"))
    first.status = PlanStatus.SUPERSEDED
    first.save(update_fields=["status"])
    return world


def test_referrals_by_partner_category(lines):
    rows = {r.category: r for r in workload.referrals_by_category(fresh(lines.office), MARCH, LATER)}
    assert (rows["debt_counselling"].referrals, rows["debt_counselling"].committed) == (1, 1)
    assert (rows["qualification"].referrals, rows["qualification"].committed) == (1, 0)
    assert (rows[""].referrals, rows[""].committed, rows[""].by_slice["hlu"]) == (2, 1, 2)


def test_costs_per_agency_reconcile_to_every_line(lines):
    figures = {(c.agency_kind, c.source): (c.lines, c.amount) for c in
               workload.costs_per_agency(fresh(lines.office), MARCH, LATER)}
    assert figures[(Agency.Kind.SOZIALHILFE, "referral")] == (1, Decimal("300"))  # 100 € × 3 months
    assert figures[(Agency.Kind.SOZIALHILFE, "plan_service")] == (1, Decimal("200"))  # childcare in the update
    assert figures[(Agency.Kind.SOZIALHILFE, "")] == (2, Decimal("500"))
    assert figures[(Agency.Kind.ARBEITSAMT, "plan_service")] == (1, Decimal("450"))  # carried over: once
    assert figures[(Agency.Kind.ARBEITSAMT, "")] == (1, Decimal("450"))
    assert figures[("", "")] == (3, Decimal("950"))
    # the drill-down lists exactly these lines
    drill = drilldown.DRILLS["costs"]
    page = drilldown.fetch(drill, lines.office.pk, drilldown.Query(MARCH, MARCH, LATER))
    assert page.total == 3
    assert sum(row["amount"] for row in page.rows) == Decimal("950")
    for kind, expected in ((Agency.Kind.ARBEITSAMT, Decimal("450")), (Agency.Kind.SOZIALHILFE, Decimal("500"))):
        rows = drilldown.fetch(drill, lines.office.pk, drilldown.Query(MARCH, MARCH, LATER, agency=kind)).rows
        assert sum(row["amount"] for row in rows) == expected


def test_plans_signed_per_target_group(lines):
    rows = {p.slice.key: p for p in plans.plans_signed(fresh(lines.office), MARCH, LATER)}
    assert (rows["hlu"].plans, rows["hlu"].updates) == (2, 1)
    assert (rows["total"].plans, rows["total"].plans_12) == (2, 2)
    assert rows["kombi"].plans == 0


def test_a_decision_counts_on_the_local_day_it_was_finalised(world):
    """A one-sided decision never signed comes into force on the day it was finalised, in local time: its
    services are cost lines of that month, found through the index of unsigned decisions (not computed per plan)."""
    from integration_plans.models import PlanKind

    aa = world.office.employment_agency
    utc = datetime.UTC
    finalised = {  # moment (UTC) → in March in Berlin?
        datetime.datetime(2003, 2, 28, 23, 30, tzinfo=utc): True,  # 1 March, 00:30 CET
        datetime.datetime(2003, 2, 28, 22, 30, tzinfo=utc): False,  # 28 February, 23:30 CET
        datetime.datetime(2003, 3, 31, 21, 30, tzinfo=utc): True,  # 31 March, 23:30 CEST
        datetime.datetime(2003, 3, 31, 22, 30, tzinfo=utc): False,  # 1 April, 00:30 CEST
    }
    plan = None
    for version, (moment, _in_march) in enumerate(finalised.items(), start=1):
        plan = signed_plan(world.case_h, D(2003, 3, 15), version=version, previous=plan, by=world.manager)
        IntegrationPlan.objects.filter(pk=plan.pk).update(kind=PlanKind.DECISION, signed_on=None, finalised_at=moment,
                                                          status=PlanStatus.FINAL)
        service(plan, aa, Decimal(version))
    expected = sorted(Decimal(v) for v, in_march in enumerate(finalised.values(), start=1) if in_march)
    figures = {(c.agency_kind, c.source): (c.lines, c.amount) for c in
               workload.costs_per_agency(fresh(world.office), MARCH, LATER)}
    assert figures[(Agency.Kind.ARBEITSAMT, "plan_service")] == (len(expected), sum(expected))
    page = drilldown.fetch(drilldown.DRILLS["costs"], world.office.pk, drilldown.Query(MARCH, MARCH, LATER))
    assert sorted(row["amount"] for row in page.rows) == expected
