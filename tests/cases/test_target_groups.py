"""Target-group derivation (docs/domain.md §2): HLU-Bezieher, Kombibezieher, Alhi-Bezieher, none; sub-group Jugendliche."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import BenefitEntitlement, BenefitKind, Client
from cases.rules import GroupSpan, TargetGroup, is_youth, target_group_history, target_group_on
from cases.selectors import with_target_group
from tests.cases.factories import ClientFactory


@dataclass
class P:
    kind: str
    start: date
    end: date | None = None


HLU = BenefitKind.HLU
ALG = BenefitKind.ALG
ALHI = BenefitKind.ALHI


def test_no_benefits_means_no_target_group():
    assert target_group_on([], date(2003, 6, 1)) == TargetGroup.NONE
    assert target_group_history([]) == []


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([P(HLU, date(2003, 1, 1))], TargetGroup.HLU),
        ([P(HLU, date(2003, 1, 1)), P(ALG, date(2003, 1, 1))], TargetGroup.KOMBI),
        ([P(HLU, date(2003, 1, 1)), P(ALHI, date(2003, 1, 1))], TargetGroup.KOMBI),
        ([P(ALHI, date(2003, 1, 1))], TargetGroup.ALHI),
        ([P(ALG, date(2003, 1, 1))], TargetGroup.NONE),  # Alg alone is no target group
        ([P(ALG, date(2003, 1, 1)), P(ALHI, date(2003, 1, 1))], TargetGroup.ALHI),
    ],
)
def test_group_follows_the_benefits_in_force(periods, expected):
    assert target_group_on(periods, date(2003, 6, 1)) == expected


def test_first_and_last_day_of_a_period_are_inclusive():
    periods = [P(HLU, date(2003, 3, 1), date(2003, 3, 31))]
    assert target_group_on(periods, date(2003, 2, 28)) == TargetGroup.NONE
    assert target_group_on(periods, date(2003, 3, 1)) == TargetGroup.HLU
    assert target_group_on(periods, date(2003, 3, 31)) == TargetGroup.HLU
    assert target_group_on(periods, date(2003, 4, 1)) == TargetGroup.NONE


def test_kombi_only_while_both_benefits_overlap():
    periods = [P(HLU, date(2003, 1, 1), date(2003, 12, 31)), P(ALHI, date(2003, 5, 1), date(2003, 5, 31))]
    assert target_group_on(periods, date(2003, 4, 30)) == TargetGroup.HLU
    assert target_group_on(periods, date(2003, 5, 1)) == TargetGroup.KOMBI
    assert target_group_on(periods, date(2003, 5, 31)) == TargetGroup.KOMBI
    assert target_group_on(periods, date(2003, 6, 1)) == TargetGroup.HLU


def test_history_lists_each_change_once():
    periods = [
        P(ALHI, date(2003, 1, 1), date(2003, 6, 30)),
        P(HLU, date(2003, 4, 1), date(2003, 9, 30)),
        P(HLU, date(2003, 10, 1)),  # follow-up approval: no change of group
    ]
    assert target_group_history(periods) == [
        GroupSpan(TargetGroup.ALHI, date(2003, 1, 1), date(2003, 3, 31)),
        GroupSpan(TargetGroup.KOMBI, date(2003, 4, 1), date(2003, 6, 30)),
        GroupSpan(TargetGroup.HLU, date(2003, 7, 1), None),
    ]


def test_young_people_are_under_25_on_the_day():
    born = date(1980, 3, 15)
    assert is_youth(born, date(2005, 3, 14))
    assert not is_youth(born, date(2005, 3, 15))


@pytest.mark.django_db
def test_database_annotation_agrees_with_the_rule(office):
    cases_ = {
        TargetGroup.HLU: [(HLU, date(2003, 1, 1), None)],
        TargetGroup.KOMBI: [(HLU, date(2003, 1, 1), None), (ALG, date(2003, 6, 1), date(2003, 6, 1))],
        TargetGroup.ALHI: [(ALHI, date(2002, 1, 1), date(2003, 6, 1))],
        TargetGroup.NONE: [(HLU, date(2003, 6, 2), None)],
    }
    for expected, periods in cases_.items():
        client = ClientFactory(contact_point=office, last_name=str(expected))
        for kind, start, end in periods:
            BenefitEntitlement.objects.create(client=client, kind=kind, monthly_amount=100, start=start, end=end)
    annotated = with_target_group(Client.objects.all(), date(2003, 6, 1))
    assert {c.last_name: c.target_group for c in annotated} == {str(k): k for k in cases_}


@pytest.mark.django_db
def test_client_page_shows_current_group_youth_badge_and_history(fm_client, office):
    client = ClientFactory(contact_point=office, birth_date=timezone.localdate().replace(year=timezone.localdate().year - 20, day=1))
    BenefitEntitlement.objects.create(client=client, kind=ALHI, monthly_amount=400, start=date(2020, 1, 1),
                                      end=date(2020, 12, 31), end_reason="moved")
    BenefitEntitlement.objects.create(client=client, kind=HLU, monthly_amount=300, start=date(2020, 7, 1))
    page = fm_client.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert 'data-testid="target-group">HLU-Bezieher<' in page
    assert "Jugendliche (&lt; 25)" in page
    assert "Verlauf der Zielgruppe" in page
    assert "01.01.2020 – 30.06.2020: <strong>Alhi-Bezieher</strong>" in page
    assert "01.07.2020 – 31.12.2020: <strong>Kombibezieher (Alg/Alhi + HLU)</strong>" in page
    assert "01.01.2021 – heute: <strong>HLU-Bezieher</strong>" in page


@pytest.mark.django_db
def test_no_youth_badge_without_a_target_group(fm_client, office):
    client = ClientFactory(contact_point=office, birth_date=date(2005, 1, 1))
    page = fm_client.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert "keine Zielgruppe" in page
    assert 'data-testid="youth-badge"' not in page
