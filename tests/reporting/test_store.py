"""The reporting store follows every change of benefits, cases and clients (through the audit trail), and an
incremental refresh gives the same rows as a rebuild."""

from __future__ import annotations

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from cases.models import BenefitKind, EndReason
from reporting import store
from reporting.metrics import integrations
from reporting.models import CaseIntake, GroupSpan, IntegrationRecord
from reporting.periods import Month
from tests.reporting.conftest import D, add_benefit

MARCH = Month(2003, 3)
LATER = D(2004, 6, 30)

pytestmark = pytest.mark.django_db


def snapshot(office_id: int) -> set[tuple[object, ...]]:
    spans = set(GroupSpan.objects.filter(office_id=office_id).annotate(days=Cast("span", TextField())).values_list(
        "client_id", "open_case", "target_group", "youth", "days"))  # as text: spans may start at -infinity
    records = set(IntegrationRecord.objects.filter(office_id=office_id).values_list(
        "client_id", "day", "case_id", "benefit_id", "target_group", "youth"))
    intakes = set(CaseIntake.objects.filter(office_id=office_id).values_list(
        "case_id", "client_id", "opened_on", "target_group", "youth", "integrated_on"))
    return spans | records | intakes


def test_a_change_is_picked_up_by_the_next_refresh_and_matches_a_rebuild(world):
    assert store.refresh(world.office.pk) == -1  # first use: built whole
    assert store.refresh(world.office.pk) == 0  # nothing changed: nothing recomputed
    # H's HLU ends for employment on 25 March: a third integration in March
    benefit = world.h.benefits.get()
    benefit.end, benefit.end_reason = D(2003, 3, 25), EndReason.EMPLOYMENT
    benefit.save()
    assert store.refresh(world.office.pk) >= 1
    counts = integrations.integration_counts(world.office.pk, MARCH, MARCH, LATER)
    assert sum(counts.values()) == 3
    incremental = snapshot(world.office.pk)
    store.rebuild(world.office.pk)
    assert snapshot(world.office.pk) == incremental


def test_a_client_moving_to_another_office_leaves_the_store_of_the_first(world):
    store.refresh(world.office.pk)
    store.refresh(world.other_office.pk)
    world.h.contact_point = world.other_office
    world.h.save()
    store.refresh(world.office.pk)
    assert not GroupSpan.objects.filter(office=world.office, client_id=world.h.pk).exists()
    assert CaseIntake.objects.filter(office=world.office, client_id=world.k.pk).exists()
    store.refresh(world.other_office.pk)
    assert GroupSpan.objects.filter(office=world.other_office, client_id=world.h.pk, open_case=False).exists()


def test_a_new_benefit_changes_the_target_group(world):
    store.refresh(world.office.pk)
    add_benefit(world.h, BenefitKind.ALHI, D(2003, 3, 1))  # H becomes a Kombibezieher from 1 March
    store.refresh(world.office.pk)
    days = integrations.client_day_totals(world.office.pk, [MARCH], LATER)
    kombi = sum(v for (_m, group, _y), v in days.items() if group == "kombi")
    assert kombi == 15 + 31  # K's 15 days and H's whole month


def test_the_intake_of_a_case_follows_its_integration_and_its_office(world):
    """``CaseIntake``: the group on the opening day and the first integration on or after it, kept up to date by
    the refresh (the cohorts read it)."""
    store.refresh(world.office.pk)
    intake = CaseIntake.objects.get(office=world.office, case_id=world.case_h.pk)
    assert (intake.opened_on, intake.target_group, intake.youth, intake.integrated_on) == (
        D(2002, 3, 1), "hlu", False, None)
    benefit = world.h.benefits.get()
    benefit.end, benefit.end_reason = D(2003, 3, 25), EndReason.EMPLOYMENT
    benefit.save()
    store.refresh(world.office.pk)
    assert CaseIntake.objects.get(office=world.office, case_id=world.case_h.pk).integrated_on == D(2003, 3, 25)
    world.case_h.contact_point = world.other_office
    world.case_h.save()
    store.refresh(world.office.pk)
    assert not CaseIntake.objects.filter(office=world.office, case_id=world.case_h.pk).exists()
