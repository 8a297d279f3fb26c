"""Fixtures of the partners tests: an Arbeitsvermittler and a Teamleitung client, a client with an open case."""

from __future__ import annotations

import datetime

import pytest

from cases.models import BenefitEntitlement, BenefitKind
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory


@pytest.fixture
def vermittler(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.ARBEITSVERMITTLER, office, "vermittler")


@pytest.fixture
def tl_client(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client


@pytest.fixture
def open_case(office, fallmanager):  # type: ignore[no-untyped-def]
    """An open case of an HLU recipient (opened in 2002) managed by the office's Fallmanager."""
    client = ClientFactory(contact_point=office, last_name="Meyer", first_name="Anna")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=300,
                                      start=datetime.date(2002, 1, 1))
    return CaseFactory(client=client, case_manager=fallmanager, opened_on=datetime.date(2002, 6, 1))
