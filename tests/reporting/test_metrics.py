"""Every metric pinned on the hand-built office of ``conftest.py`` (figures worked out by hand)."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.operations.special import RunSQL
from django.utils import timezone

from cases.models import BenefitKind, EndReason, Outcome
from jobcenter.models import Agency
from jobcenter.roles import Role
from reporting import store
from reporting.metrics import integrations, outcomes, transfers, workload
from reporting.metrics.integrations import quote_series
from reporting.periods import Month
from tests.cases.factories import ClientFactory
from tests.reporting.conftest import D, add_benefit, add_case

MARCH = Month(2003, 3)
LATER = D(2004, 6, 30)  # "today" for complete months

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    """Noon of ``day`` in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def fresh(office) -> int:  # type: ignore[no-untyped-def]
    """The office's id after bringing its reporting store up to date (as every entry point does)."""
    store.refresh(office.pk)
    return office.pk


def figures(office, month=MARCH, today=LATER):  # type: ignore[no-untyped-def]
    store.refresh(office.pk)
    series = quote_series(office.pk, month, today)
    return {key: series.row(key, month) for key in
            ("hlu", "kombi", "alhi", "all", "youth", "arbeitsamt", "sozialhilfe", "none")}


def test_client_days_split_a_kombibezieher_who_changes_group_mid_month(world):
    days = integrations.client_day_totals(fresh(world.office), [MARCH], LATER)
    per_group: dict[str, int] = {}
    for (_month, group, _youth), value in days.items():
        per_group[group] = per_group.get(group, 0) + value
    assert per_group == {"kombi": 15, "hlu": 5 + 31, "alhi": 5, "none": 5}


def test_two_integrations_of_one_client_in_one_month_count_once(world):
    counts = integrations.integration_counts(fresh(world.office), MARCH, MARCH, LATER)
    # D: Alhi ended for employment on the 5th and case closed as integrated on the 10th → one, group Alhi,
    # youth; K: case closed and HLU ended on the 20th → one, group HLU (the Alhi had ended on the 15th).
    assert counts == {(MARCH.start, "alhi", True): 1, (MARCH.start, "hlu", False): 1}


def test_integration_rate_of_the_month_by_group_and_agency(world):
    f = figures(world.office)
    assert (f["all"].integrations, f["all"].average_clients, f["all"].quote) == (2, Decimal("1.8"), Decimal("110.7"))
    assert (f["hlu"].integrations, f["hlu"].average_clients, f["hlu"].quote) == (1, Decimal("1.2"), Decimal("86.1"))
    assert (f["kombi"].integrations, f["kombi"].average_clients, f["kombi"].quote) == (0, Decimal("0.5"),
                                                                                     Decimal("0.0"))
    assert (f["alhi"].integrations, f["alhi"].quote) == (1, Decimal("620.0"))
    assert (f["youth"].integrations, f["youth"].average_clients, f["youth"].quote) == (1, Decimal("0.2"),
                                                                                     Decimal("620.0"))
    # Träger: employment office = Alhi + Kombi (20 client-days), welfare = HLU + Kombi (51 client-days)
    assert (f["arbeitsamt"].integrations, f["arbeitsamt"].average_clients, f["arbeitsamt"].quote) == (
        1, Decimal("0.6"), Decimal("155.0"))
    assert (f["sozialhilfe"].integrations, f["sozialhilfe"].average_clients, f["sozialhilfe"].quote) == (
        1, Decimal("1.6"), Decimal("60.8"))
    assert (f["none"].integrations, f["none"].average_clients, f["none"].quote) == (0, Decimal("0.2"), None)


def test_rolling_twelve_month_rate(world):
    f = figures(world.office)["all"]
    # April 2002 – March 2003 (365 days): K 273 + 15 Kombi (June–February, 1–15 March) + 5 HLU,
    # D 30 + 31 + 273 + 5 = 339 Alhi, H 365 HLU → 997 client-days
    assert f.integrations_12 == 2
    assert f.average_clients_12 == Decimal("2.7")
    assert f.quote_12 == Decimal("73.2")  # 2 × 100 × 365 / 997 = 73.22


def test_other_offices_are_never_counted(world):
    other, mine = figures(world.other_office), figures(world.office)
    assert (other["all"].integrations, other["hlu"].integrations) == (1, 1)  # the copy of K, only there
    assert (mine["all"].integrations, mine["hlu"].integrations) == (2, 1)
    assert other["all"].average_clients_12 == Decimal("0.8")  # (273 + 15 + 5) / 365


def test_a_running_month_counts_its_days_up_to_today(world):
    today = D(2003, 3, 10)
    f = figures(world.office, today=today)
    # 1–10 March: K Kombi 10, H HLU 10, D Alhi 5 + none 5 → target groups 25 client-days over 10 days
    assert f["all"].average_clients == Decimal("2.5")
    assert f["all"].integrations == 1  # only D's (on the 5th) has happened


def test_group_of_an_integration_after_every_benefit_ended_is_the_last_one_drawn(office):
    e = ClientFactory(contact_point=office, birth_date=D(1970, 1, 1))
    add_benefit(e, BenefitKind.ALHI, D(2002, 1, 1), D(2003, 2, 27), EndReason.OTHER)
    add_case(e, D(2002, 1, 1), D(2003, 3, 3), Outcome.SELF_EMPLOYMENT)
    counts = integrations.integration_counts(fresh(office), MARCH, MARCH, LATER)
    assert counts == {(MARCH.start, "alhi", False): 1}


def test_integrations_in_different_months_count_separately(office):
    c = ClientFactory(contact_point=office, birth_date=D(1970, 1, 1))
    add_benefit(c, BenefitKind.HLU, D(2002, 1, 1), D(2003, 2, 28), EndReason.EMPLOYMENT)
    add_case(c, D(2002, 1, 1), D(2003, 3, 1), Outcome.EMPLOYMENT)
    counts = integrations.integration_counts(fresh(office), Month(2003, 2), MARCH, LATER)
    assert sum(counts.values()) == 2


def test_ended_transfer_payments_per_agency(world):
    rows = transfers.ended_transfers(fresh(world.office), MARCH, LATER)
    totals = {(r.agency_kind, r.slice.key): (r.benefits, r.amount) for r in rows}
    assert totals[(Agency.Kind.SOZIALHILFE, "total")] == (1, Decimal("300"))  # K's HLU (Alhi ended "other")
    assert totals[(Agency.Kind.SOZIALHILFE, "hlu")] == (1, Decimal("300"))
    assert totals[(Agency.Kind.ARBEITSAMT, "total")] == (1, Decimal("500"))  # D's Alhi
    assert totals[(Agency.Kind.ARBEITSAMT, "alhi")] == (1, Decimal("500"))
    assert totals[(Agency.Kind.ARBEITSAMT, "youth_total")] == (1, Decimal("500"))
    twelve = {(r.agency_kind, r.slice.key): (r.benefits_12, r.amount_12) for r in rows}
    assert twelve[(Agency.Kind.ARBEITSAMT, "total")] == (1, Decimal("500"))


def test_caseload_per_case_manager_at_the_end_of_the_day(world):
    on_first = workload.caseload(fresh(world.office), D(2003, 3, 1))
    assert [(c.case_manager_id, c.total) for c in on_first] == [(world.manager.pk, 3)]
    assert on_first[0].by_slice == {"hlu": 1, "kombi": 1, "alhi": 1, "none": 0, "total": 3, "youth_total": 1}
    at_month_end = workload.caseload(fresh(world.office), MARCH.end)
    assert [(c.case_manager_id, c.total) for c in at_month_end] == [(world.manager.pk, 1)]


def hand_over(case, successor, on: date) -> None:  # type: ignore[no-untyped-def]
    """Reassign ``case`` to ``successor`` as if it had happened on ``on`` (the audit trail's time backdated)."""
    case.case_manager = successor
    case.save()
    case.reassignments.filter(pgh_created_at__gte=at(on)).update(pgh_created_at=at(on))


def test_caseload_of_a_past_day_counts_a_case_for_whom_it_had_then(world, make_staff):
    successor = make_staff(Role.FALLMANAGER, world.office, "fm-successor")
    hand_over(world.case_h, successor, D(2003, 5, 2))

    def load(day):  # type: ignore[no-untyped-def]
        return [(c.case_manager_id, c.total) for c in workload.caseload(fresh(world.office), day)]

    assert load(MARCH.end) == [(world.manager.pk, 1)]
    assert load(D(2003, 5, 1)) == [(world.manager.pk, 1)]
    assert load(D(2003, 5, 2)) == [(successor.pk, 1)]
    assert load(timezone.localdate()) == [(successor.pk, 1)]


def test_caseload_after_two_handovers_follows_each(world, make_staff):
    second, third = (make_staff(Role.FALLMANAGER, world.office, name) for name in ("fm-second", "fm-third"))
    hand_over(world.case_h, second, D(2003, 5, 2))
    hand_over(world.case_h, third, D(2003, 8, 1))

    def managers(day):  # type: ignore[no-untyped-def]
        return [c.case_manager_id for c in workload.caseload(fresh(world.office), day)]

    assert managers(D(2003, 4, 30)) == [world.manager.pk]
    assert managers(D(2003, 6, 30)) == [second.pk]
    assert managers(D(2003, 8, 31)) == [third.pk]


def test_reassignments_before_the_reassignment_trail_are_recovered_from_the_case_audit_trail(world, make_staff):
    migration = importlib.import_module("cases.migrations.0003_case_reassignments")
    backfill = next(op for op in migration.Migration.operations if isinstance(op, RunSQL))
    successor = make_staff(Role.FALLMANAGER, world.office, "fm-successor")
    world.case_h.case_manager = successor
    world.case_h.save()
    world.case_h.reassignments.all().delete()  # as before the migration: only the case's own audit trail
    with connection.cursor() as cursor:
        cursor.execute(backfill.sql)
    recovered = list(world.case_h.reassignments.values_list("case_manager_id", flat=True))
    assert recovered == [world.manager.pk]


def test_sustainability_six_months_after_integration(world):
    # D draws Alhi again from August: not without benefits on the check day (5 September)
    add_benefit(world.d, BenefitKind.ALHI, D(2003, 8, 1), None, "", 450)
    september = MARCH.shift(6)
    rows = {(s.months, s.slice.key): s for s in outcomes.sustainability(fresh(world.office), september, september.end)}
    six = rows[(6, "total")]
    assert (six.integrations, six.due, six.sustained, six.share) == (2, 2, 1, Decimal("50.0"))
    assert (rows[(6, "hlu")].sustained, rows[(6, "alhi")].sustained) == (1, 0)
    # on 10 September the check day of K (20 September) has not come yet
    early = {(s.months, s.slice.key): s for s in outcomes.sustainability(fresh(world.office), september, D(2003, 9, 10))}
    assert (early[(6, "total")].due, early[(6, "total")].sustained) == (1, 0)


def test_cohorts_share_integrated_by_months_since_intake(world):
    cells = {(c.slice.key, c.months): c for c in outcomes.cohorts(fresh(world.office), MARCH, LATER)}
    # opened in April 2001 – March 2003: K (2002-06-01, Kombi), D (2002-02-01, Alhi), H (2002-03-01, HLU)
    assert (cells[("total", 12)].observed, cells[("total", 12)].integrated) == (3, 1)  # K after 9.6 months
    assert (cells[("kombi", 9)].integrated, cells[("kombi", 12)].integrated) == (0, 1)
    assert (cells[("alhi", 12)].integrated, cells[("alhi", 18)].integrated) == (0, 1)  # D after 13 months
