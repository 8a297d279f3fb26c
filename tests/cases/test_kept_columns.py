"""The columns the database keeps on the case (issue 13, ADR 0008, migration ``cases/0014``): the client's name in
its sort form and birth date (a case manager's caseload in name order from their index), and ``assigned_at`` (when
the current case manager got the case: "Neu zugewiesen"). Every write path keeps them: services, bulk actions,
plain SQL, a write naming a foreign value, rows written straight into the reassignment trail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Appointment, BenefitEntitlement, BenefitKind, Case, CaseStatus, Client
from cases.selectors import CASE_SORTS, case_list, case_ordering
from cases.services.bulk import reassign_cases
from cases.services.cases import assign_case_manager
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2003, 2, 3)
MIDNIGHT_UTC = datetime.datetime(2003, 2, 3, tzinfo=datetime.UTC)


def _kept(case: Case) -> tuple[str, datetime.date | None, str]:
    return Case.objects.filter(pk=case.pk).values_list("client_name", "client_birth_date", "client_target_group").get()


def _name_of(client: Client) -> tuple[str, datetime.date | None, str]:
    return Client.objects.filter(pk=client.pk).values_list("name_search", "birth_date", "current_target_group").get()


def _assigned_at(case: Case) -> datetime.datetime | None:
    return Case.objects.filter(pk=case.pk).values_list("assigned_at", flat=True).get()


def test_the_clients_name_and_birth_date_are_kept_on_every_case(office, fallmanager):  # type: ignore[no-untyped-def]
    person = ClientFactory(contact_point=office, last_name="Öztürk", first_name="Ayşe",
                           birth_date=datetime.date(1970, 5, 6))
    first = CaseFactory(client=person, case_manager=fallmanager, status=CaseStatus.CLOSED, outcome="moved",
                        opened_on=DAY, closed_on=DAY)
    second = CaseFactory(client=person, case_manager=fallmanager, opened_on=DAY)
    assert _kept(first) == _kept(second) == _name_of(person)
    assert _kept(first)[0].startswith("ozturk")  # the folded sort form

    Client.objects.filter(pk=person.pk).update(last_name="Yilmaz", birth_date=datetime.date(1971, 1, 1))  # any write
    person.refresh_from_db()
    assert _kept(first) == _kept(second) == _name_of(person)
    assert _kept(first)[0].startswith("yilmaz")
    # the group the benefits' trigger (or the nightly refresh) writes on the client follows onto its cases
    BenefitEntitlement.objects.create(client=person, kind=BenefitKind.ALHI, monthly_amount=400,
                                      start=timezone.localdate() - datetime.timedelta(days=30))
    assert _kept(first)[2] == _kept(second)[2] == "alhi"

    with connection.cursor() as cursor:  # a write naming another name or group is corrected from the client
        cursor.execute("UPDATE cases_case SET client_name = 'aaa', client_birth_date = NULL, "
                       "client_target_group = 'hlu' WHERE id = %s", [second.pk])
    assert _kept(second) == _name_of(person)
    other = ClientFactory(contact_point=office, last_name="Zander")
    Case.objects.filter(pk=first.pk).update(client=other)  # moved to another client (a merge)
    assert _kept(first) == _name_of(other)


def test_assigned_at_is_the_opening_day_then_the_last_reassignment(  # type: ignore[no-untyped-def]
        office, fallmanager, teamleitung, make_staff):
    colleague = make_staff(Role.FALLMANAGER, office, "kollege")
    case = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager, opened_on=DAY)
    assert _assigned_at(case) == MIDNIGHT_UTC

    with transaction.atomic():
        assign_case_manager(case=case, case_manager=colleague, by=teamleitung)
        now = timezone.now()
    trail = case.reassignments.order_by("-pgh_created_at").values_list("pgh_created_at", flat=True).first()
    assert trail is not None and _assigned_at(case) == trail and abs((now - trail).total_seconds()) < 60

    reassign_cases(office=office, case_ids=[case.pk], case_manager=fallmanager, by=teamleitung)  # the bulk action
    latest = case.reassignments.order_by("-pgh_created_at").values_list("pgh_created_at", flat=True).first()
    assert latest is not None and latest >= trail and _assigned_at(case) == latest

    Case.objects.filter(pk=case.pk).update(assigned_at=MIDNIGHT_UTC)  # a write naming another time is corrected
    assert _assigned_at(case) == latest
    later = latest + datetime.timedelta(hours=3)
    with connection.cursor() as cursor:  # a row written straight into the trail (a restore, the seeds)
        cursor.execute(
            "INSERT INTO cases_casereassignment (pgh_created_at, pgh_label, pgh_obj_id, case_manager_id, "
            "contact_point_id) VALUES (%s, 'reassigned', %s, %s, %s)", [later, case.pk, colleague.pk, office.pk])
    assert _assigned_at(case) == later

    fresh = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager, opened_on=DAY)
    Case.objects.filter(pk=fresh.pk).update(opened_on=DAY + datetime.timedelta(days=1))  # never reassigned
    assert _assigned_at(fresh) == MIDNIGHT_UTC + datetime.timedelta(days=1)


@pytest.mark.parametrize("sort", [*CASE_SORTS, *(f"-{key}" for key in CASE_SORTS)])
def test_a_caseload_in_its_index_order_is_the_order_of_the_sorted_rows(  # type: ignore[no-untyped-def]
        sort, office, fallmanager):
    for index, (last, first) in enumerate((("Müller", "Anna"), ("Muller", "Bernd"), ("Öz", "Cem"),
                                           ("Adam", "Doris"), ("Müller", "Anna"))):
        CaseFactory(client=ClientFactory(contact_point=office, last_name=last, first_name=first,
                                         birth_date=datetime.date(1960 + index % 2, 1, 1)),
                    case_manager=fallmanager, opened_on=DAY + datetime.timedelta(days=index % 3),
                    status=(CaseStatus.INTAKE, CaseStatus.PLANNING)[index % 2])
    rows = case_list(user=fallmanager, office=office, day=DAY, manager="mine")
    caseload = list(rows.order_by(*case_ordering(sort, caseload=True)).values_list("pk", flat=True))
    sorted_rows = list(rows.order_by(*case_ordering(sort, few=True)).values_list("pk", flat=True))
    assert len(caseload) == 5 and caseload == sorted_rows


def test_the_appointment_keeps_the_office_of_its_case(office, other_office, fallmanager):  # type: ignore[no-untyped-def]
    case = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager, opened_on=DAY)
    starts = timezone.now() + datetime.timedelta(days=1)
    appointment = Appointment.objects.create(case=case, starts_at=starts, purpose="Gespräch", with_user=fallmanager)

    def office_of() -> int | None:
        return Appointment.objects.filter(pk=appointment.pk).values_list("office_id", flat=True).get()

    assert office_of() == office.pk  # taken from the case on insert
    Appointment.objects.filter(pk=appointment.pk).update(office=other_office)  # a write naming another office
    assert office_of() == office.pk
    Case.objects.filter(pk=case.pk).update(contact_point=other_office)  # the case moves (the hand-over's write)
    assert office_of() == other_office.pk
    with connection.cursor() as cursor:  # plain SQL naming no office: corrected from the case all the same
        cursor.execute("UPDATE cases_appointment SET office_id = NULL WHERE id = %s", [appointment.pk])
    assert office_of() == other_office.pk


def test_a_caseload_filtered_by_target_group_finds_the_same_cases_as_the_clients_group(  # type: ignore[no-untyped-def]
        office, fallmanager):
    today = timezone.localdate()
    for index in range(6):
        person = ClientFactory(contact_point=office, last_name=f"Gruppe{index}")
        CaseFactory(client=person, case_manager=fallmanager, opened_on=DAY)
        if index % 2:  # a running benefit: the benefits' trigger sets the client's group, the case follows
            BenefitEntitlement.objects.create(client=person, kind=BenefitKind.ALHI, monthly_amount=400,
                                              start=today - datetime.timedelta(days=30))
    for group in ("alhi", "none"):
        mine = case_list(user=fallmanager, office=office, day=today, manager="mine", target_group=group)
        expected = set(Case.objects.filter(client__current_target_group=group).values_list("pk", flat=True))
        assert set(mine.values_list("pk", flat=True)) == expected and len(expected) == 3
