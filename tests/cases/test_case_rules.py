"""The case lifecycle rules, table-driven over every pair of statuses and every outcome."""

import itertools

import pytest

from cases.models import Case, CaseStatus, Outcome
from cases.rules import ALLOWED_TRANSITIONS, ENTERED_BY_INTEGRATION, can_transition
from cases.services.cases import CaseError, change_status, close_case
from tests.cases.factories import CaseFactory

S = CaseStatus
# The lifecycle as the domain states it: intake → profiling → planning → implementation → follow-up → closed,
# one step back where work is redone, closing from every open status, and follow-up from every open status (a
# client may find work in any phase; follow-up is entered by recording the integration).
EXPECTED_MOVES = {
    (S.INTAKE, S.PROFILING), (S.PROFILING, S.PLANNING), (S.PLANNING, S.IMPLEMENTATION),
    (S.IMPLEMENTATION, S.FOLLOW_UP), (S.PLANNING, S.PROFILING), (S.IMPLEMENTATION, S.PLANNING),
    (S.FOLLOW_UP, S.IMPLEMENTATION),
    (S.INTAKE, S.FOLLOW_UP), (S.PROFILING, S.FOLLOW_UP), (S.PLANNING, S.FOLLOW_UP),
    *((status, S.CLOSED) for status in S if status != S.CLOSED),
}
ALL_PAIRS = list(itertools.product(S.values, S.values))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_transition_table_allows_exactly_the_domain_moves(current, target):
    assert can_transition(current, target) == ((current, target) in EXPECTED_MOVES)


def test_a_closed_case_has_no_way_out():
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_change_status_performs_allowed_moves_and_refuses_all_others(current, target, office, fallmanager):
    kwargs = {"outcome": Outcome.OTHER, "closed_on": None} if current == S.CLOSED else {}
    case = CaseFactory(client__contact_point=office, status=current, **kwargs)
    if target not in {S.CLOSED, *ENTERED_BY_INTEGRATION} and can_transition(current, target):
        change_status(case=case, status=target, by=fallmanager)
        assert Case.objects.get(pk=case.pk).status == target
    else:
        with pytest.raises(CaseError):
            change_status(case=case, status=target, by=fallmanager)
        assert Case.objects.get(pk=case.pk).status == current


@pytest.mark.django_db
def test_change_status_refuses_an_unknown_status(office, fallmanager):
    case = CaseFactory(client__contact_point=office)
    with pytest.raises(CaseError):
        change_status(case=case, status="paused", by=fallmanager)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in S.values if s != S.CLOSED])
def test_every_open_status_can_be_closed_with_an_outcome(status, office, fallmanager):
    case = CaseFactory(client__contact_point=office, status=status)
    close_case(case=case, outcome=Outcome.EMPLOYMENT, by=fallmanager)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on is not None) == (S.CLOSED, Outcome.EMPLOYMENT, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "needs_reason"),
    [
        (Outcome.EMPLOYMENT, False), (Outcome.TRAINING, False), (Outcome.SELF_EMPLOYMENT, False),
        (Outcome.MOVED, False), (Outcome.TRANSFERRED, False),
        (Outcome.NO_COOPERATION, True), (Outcome.OTHER, True),
    ],
)
def test_not_integrated_outcomes_other_than_moved_or_transferred_need_a_reason(
    outcome, needs_reason, office, fallmanager
):
    case = CaseFactory(client__contact_point=office)
    if needs_reason:
        with pytest.raises(CaseError, match="reason|Grund"):
            close_case(case=case, outcome=outcome, note="   ", by=fallmanager)
        assert Case.objects.get(pk=case.pk).is_open
        close_case(case=case, outcome=outcome, note="Termine dreimal nicht wahrgenommen.", by=fallmanager)
    else:
        close_case(case=case, outcome=outcome, by=fallmanager)
    assert not Case.objects.get(pk=case.pk).is_open
