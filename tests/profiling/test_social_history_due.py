"""The cases due for a Sozialanamnese (issue 13), kept by the database (``profiling.SocialHistoryDue``, migration
``profiling/0007``): every write that changes a case's latest profiling, its social history, its status, office or
case manager updates the row in the same statement, whoever writes (services, bulk actions, plain SQL); the
start-page card and the worklist read it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from cases.models import Case, CaseStatus, Outcome
from cases.services.bulk import reassign_cases
from cases.services.handover import hand_over
from jobcenter.models import CooperationAgreement
from jobcenter.roles import Role
from profiling import selectors
from profiling.models import Profiling, SocialHistory, SocialHistoryDue
from profiling.rules import ProfileCategory
from tests.cases.factories import CaseFactory, ClientFactory
from tests.profiling.factories import SocialHistoryFactory, make_profiling

pytestmark = pytest.mark.django_db

DAY = datetime.date(2003, 3, 1)


def _due(case: Case) -> tuple[int, int | None, datetime.date] | None:
    row = SocialHistoryDue.objects.filter(case=case).values_list("office_id", "manager_id", "opened_on").first()
    return None if row is None else (row[0], row[1], row[2])


def _by_definition() -> set[int]:
    """The definition itself, asked of the source rows: open, latest profiling says case management, no history."""
    latest = Profiling.objects.filter(case=OuterRef("pk")).order_by("-profiled_on", "-id").values("category")[:1]
    return set(
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .alias(latest=Subquery(latest), has_history=Exists(SocialHistory.objects.filter(case=OuterRef("pk"))))
        .filter(latest=ProfileCategory.BETREUUNG, has_history=False).values_list("pk", flat=True)
    )


def _kept() -> set[int]:
    return set(SocialHistoryDue.objects.values_list("case_id", flat=True))


def test_a_case_is_due_while_its_latest_profiling_says_case_management_and_no_history_exists(  # type: ignore[no-untyped-def]
        office, fallmanager):
    case = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager,
                       status=CaseStatus.PROFILING, opened_on=DAY)
    assert _due(case) is None
    make_profiling(case, fallmanager, day=DAY, debts="obstacle")  # an obstacle: case management
    assert _due(case) == (office.pk, fallmanager.pk, DAY)
    later = make_profiling(case, fallmanager, day=DAY + datetime.timedelta(days=30))  # market-ready now
    assert later.category == ProfileCategory.MARKT and _due(case) is None
    Profiling.objects.filter(pk=later.pk).update(category=ProfileCategory.BETREUUNG,  # overridden (any write)
                                                 override_reason="Gespräch")
    assert _due(case) == (office.pk, fallmanager.pk, DAY)
    Profiling.objects.filter(pk=later.pk).update(profiled_on=DAY - datetime.timedelta(days=1))  # no longer latest
    assert _due(case) == (office.pk, fallmanager.pk, DAY)  # the first one (case management) is latest again
    history = SocialHistoryFactory(case=case, recorded_by=fallmanager)
    assert _due(case) is None
    with connection.cursor() as cursor:  # plain SQL, as a restore or a repair would
        cursor.execute("DELETE FROM profiling_socialhistory WHERE id = %s", [history.pk])
    assert _due(case) == (office.pk, fallmanager.pk, DAY)
    assert _kept() == _by_definition()


def test_the_row_follows_the_case(office, other_office, fallmanager, teamleitung, make_staff):  # type: ignore[no-untyped-def]
    colleague = make_staff(Role.FALLMANAGER, office, "kollege")
    person = ClientFactory(contact_point=office)
    case = CaseFactory(client=person, case_manager=fallmanager, status=CaseStatus.PROFILING, opened_on=DAY)
    make_profiling(case, fallmanager, day=DAY, debts="obstacle")

    reassign_cases(office=office, case_ids=[case.pk], case_manager=colleague, by=teamleitung)  # the bulk action
    assert _due(case) == (office.pk, colleague.pk, DAY)
    Case.objects.filter(pk=case.pk).update(opened_on=DAY - datetime.timedelta(days=2))
    assert _due(case) == (office.pk, colleague.pk, DAY - datetime.timedelta(days=2))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome=Outcome.MOVED, closed_on=DAY)
    assert _due(case) is None
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IMPLEMENTATION, outcome="", closed_on=None)  # reopened
    assert _due(case) is not None

    agreement = CooperationAgreement.objects.create(title="Kooperation", scope="Umzug",
                                                    valid_from=DAY - datetime.timedelta(days=30))
    agreement.parties.set([office.welfare_agency, other_office.welfare_agency])
    agreement.contact_points.set([office, other_office])
    hand_over(client=person, to_office=other_office, on=timezone.localdate(), note="", by=teamleitung)
    moved = Case.objects.get(pk=case.pk)
    assert _due(case) == (other_office.pk, moved.case_manager_id, moved.opened_on)
    assert _kept() == _by_definition()


def test_the_worklist_reads_the_kept_rows_of_the_office_or_the_case_manager(  # type: ignore[no-untyped-def]
        office, other_office, fallmanager, teamleitung, make_staff):
    colleague = make_staff(Role.FALLMANAGER, office, "kollege")
    elsewhere = make_staff(Role.FALLMANAGER, other_office, "fern")
    cases = {}
    for name, manager, where, day in (("mine", fallmanager, office, 3), ("theirs", colleague, office, 1),
                                      ("far", elsewhere, other_office, 2)):
        case = CaseFactory(client=ClientFactory(contact_point=where), case_manager=manager,
                           status=CaseStatus.PROFILING, opened_on=DAY + datetime.timedelta(days=day))
        make_profiling(case, manager, day=DAY + datetime.timedelta(days=10), health="obstacle")
        cases[name] = case
    done = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager,
                       status=CaseStatus.PROFILING, opened_on=DAY)
    make_profiling(done, fallmanager, day=DAY, health="obstacle")
    SocialHistoryFactory(case=done, recorded_by=fallmanager)

    lead = list(selectors.social_history_worklist(teamleitung, frozenset({Role.TEAMLEITUNG}), office))
    assert lead == [cases["theirs"], cases["mine"]]  # the office's, oldest first
    own = list(selectors.social_history_worklist(fallmanager, frozenset({Role.FALLMANAGER}), office))
    assert own == [cases["mine"]]
    assert _kept() == _by_definition() == {cases["mine"].pk, cases["theirs"].pk, cases["far"].pk}
