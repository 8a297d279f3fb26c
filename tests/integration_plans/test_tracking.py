"""Obligation checks per period and hearings: a shortfall or an unexcused no-show opens a hearing; a decision is
recorded, never applied automatically; deciding a no-show hearing clears the case's flag through the cases app."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import AppointmentOutcome, BenefitEntitlement, ContactNote
from integration_plans.errors import PlanError
from integration_plans.models import (
    Hearing,
    HearingConsequence,
    HearingReason,
    HearingStatus,
    ObligationCheck,
)
from integration_plans.rules import check_periods
from integration_plans.services import plans as services
from integration_plans.services import tracking
from integration_plans.services.tracking import HearingInput
from tests.cases.factories import AppointmentFactory
from tests.integration_plans.factories import full_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_plan(hlu_case, fallmanager, notices):  # type: ignore[no-untyped-def]
    """A finalised plan that began three months ago (six applications a month)."""
    today = timezone.localdate()
    plan = services.create_plan(case=hlu_case, by=fallmanager, valid_from=today - datetime.timedelta(days=95))
    plan = services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(plan))
    return services.finalise(plan=plan, by=fallmanager, finalised_on=plan.valid_from, render=False)


def test_a_count_that_reaches_the_quota_fulfils_the_obligation(running_plan, fallmanager):
    obligation = running_plan.obligations.get()
    first = check_periods("month", running_plan.valid_from, running_plan.valid_until)[0]
    check = tracking.record_check(obligation=obligation, by=fallmanager, period_start=first.start, fulfilled=None,
                                  achieved=7)
    assert (check.fulfilled, check.period_end) == (True, first.end)
    obligation.refresh_from_db()
    second = check_periods("month", running_plan.valid_from, running_plan.valid_until)[1]
    assert obligation.next_check_on == second.end
    assert not Hearing.objects.exists()


def test_a_shortfall_opens_a_hearing_and_sanctions_nothing(running_plan, fallmanager, hlu_case):
    obligation = running_plan.obligations.get()
    first = check_periods("month", running_plan.valid_from, running_plan.valid_until)[0]
    benefits_before = list(BenefitEntitlement.objects.values())
    with pytest.raises(PlanError, match="Note what is known"):
        tracking.record_check(obligation=obligation, by=fallmanager, period_start=first.start, fulfilled=True,
                              achieved=3)
    check = tracking.record_check(obligation=obligation, by=fallmanager, period_start=first.start, fulfilled=True,
                                  achieved=3, note="Nur drei Kopien vorgelegt")
    assert check.fulfilled is False  # the count decides, not the checkbox
    hearing = check.hearing
    assert (hearing.reason, hearing.status, hearing.case, hearing.plan) == (
        HearingReason.SHORTFALL, HearingStatus.OPEN, hlu_case, running_plan)
    assert "3 of 6" in hearing.breach
    assert list(BenefitEntitlement.objects.values()) == benefits_before  # nothing is reduced automatically


def test_a_period_is_checked_once_and_only_once_it_began(running_plan, fallmanager):
    obligation = running_plan.obligations.get()
    periods = check_periods("month", running_plan.valid_from, running_plan.valid_until)
    tracking.record_check(obligation=obligation, by=fallmanager, period_start=periods[0].start, fulfilled=None,
                          achieved=6)
    with pytest.raises(PlanError, match="already been checked"):
        tracking.record_check(obligation=obligation, by=fallmanager, period_start=periods[0].start, fulfilled=None,
                              achieved=6)
    with pytest.raises(PlanError, match="not started"):
        tracking.record_check(obligation=obligation, by=fallmanager, period_start=periods[-1].start,
                              fulfilled=None, achieved=6)
    with pytest.raises(PlanError, match="one of the plan's periods"):
        tracking.record_check(obligation=obligation, by=fallmanager,
                              period_start=periods[0].start + datetime.timedelta(days=1), fulfilled=None, achieved=6)
    assert ObligationCheck.objects.count() == 1


def test_a_draft_is_not_checked(hlu_case, fallmanager, notices):
    from tests.integration_plans.factories import draft_plan

    plan = draft_plan(hlu_case, fallmanager)
    with pytest.raises(PlanError, match="once the plan is finalised"):
        tracking.record_check(obligation=plan.obligations.get(), by=fallmanager, period_start=plan.valid_from,
                              fulfilled=True)


def _decision(**changes):  # type: ignore[no-untyped-def]
    values = {"statement": "War krank", "statement_on": timezone.localdate(), "good_reason_accepted": False,
              "consequence": HearingConsequence.REDUCTION, "legal_basis": "", "decision": "Kürzung um 25 %",
              "decided_on": timezone.localdate()}
    values.update(changes)
    return HearingInput(**values)


def test_a_hearing_records_statement_then_decision_with_its_legal_basis(running_plan, fallmanager):
    obligation = running_plan.obligations.get()
    first = check_periods("month", running_plan.valid_from, running_plan.valid_until)[0]
    hearing = tracking.record_check(obligation=obligation, by=fallmanager, period_start=first.start, fulfilled=None,
                                    achieved=2, note="Kaum Nachweise").hearing
    hearing = tracking.save_hearing(hearing=hearing, by=fallmanager, decide=False, data=_decision())
    assert (hearing.status, hearing.statement) == (HearingStatus.OPEN, "War krank")
    with pytest.raises(PlanError, match="no consequence"):
        tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True,
                              data=_decision(good_reason_accepted=True))
    with pytest.raises(PlanError, match="rests on"):
        tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True, data=_decision(legal_basis="sgb3_144"))
    with pytest.raises(PlanError, match="decision and its reasons"):
        tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True, data=_decision(decision=" "))
    hearing = tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True, data=_decision())
    assert (hearing.status, hearing.legal_basis, hearing.decided_by) == (HearingStatus.DECIDED, "bshg_25", fallmanager)
    with pytest.raises(PlanError, match="has been decided"):
        tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True, data=_decision())


def test_deciding_a_no_show_hearing_clears_the_flag_through_the_cases_app(running_plan, fallmanager, hlu_case):
    AppointmentFactory(case=hlu_case, starts_at=timezone.now() - datetime.timedelta(days=2),
                       outcome=AppointmentOutcome.NO_SHOW, outcome_note="Nicht erschienen, keine Nachricht")
    hlu_case.no_show_pending = True
    hlu_case.save()
    hearing = tracking.open_no_show_hearing(case=hlu_case, by=fallmanager)
    assert tracking.open_no_show_hearing(case=hlu_case, by=fallmanager) == hearing  # one open at a time
    assert (hearing.reason, hearing.plan) == (HearingReason.NO_SHOW, running_plan)
    assert "Nicht erschienen, keine Nachricht" in hearing.breach
    tracking.save_hearing(hearing=hearing, by=fallmanager, decide=True, data=_decision(
        good_reason_accepted=True, consequence=HearingConsequence.NONE, decision="Arztbescheinigung liegt vor."))
    hlu_case.refresh_from_db()
    assert hlu_case.no_show_pending is False
    assert ContactNote.objects.filter(case=hlu_case, text__contains="Arztbescheinigung liegt vor.").exists()


def test_a_no_show_hearing_needs_a_flagged_case(hlu_case, fallmanager):
    with pytest.raises(PlanError, match="no unexcused no-show"):
        tracking.open_no_show_hearing(case=hlu_case, by=fallmanager)
