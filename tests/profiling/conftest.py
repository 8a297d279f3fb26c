"""Fixtures of the profiling tests: an open case of the office's Fallmanager, the other roles, documents in a
temporary directory."""

from __future__ import annotations

import datetime

import pytest

from cases.models import BenefitEntitlement, BenefitKind
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def vermittler(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.ARBEITSVERMITTLER, office, "vermittler")


@pytest.fixture
def colleague(make_staff, office):  # type: ignore[no-untyped-def]
    """A second Fallmanager of the same office, not assigned to ``case``."""
    return make_staff(Role.FALLMANAGER, office, "fallmanager-kollege")


@pytest.fixture
def case(office, fallmanager):  # type: ignore[no-untyped-def]
    """An open case in intake (opened in 2002) of an HLU recipient, managed by the office's Fallmanager."""
    client = ClientFactory(contact_point=office, last_name="Meyer", first_name="Anna")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=300,
                                      start=datetime.date(2002, 1, 1))
    return CaseFactory(client=client, case_manager=fallmanager, opened_on=datetime.date(2002, 6, 1))


@pytest.fixture
def other_case(other_office, fallmanager_other_office):  # type: ignore[no-untyped-def]
    client = ClientFactory(contact_point=other_office, last_name="Fremd")
    return CaseFactory(client=client, case_manager=fallmanager_other_office, opened_on=datetime.date(2002, 6, 1))


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """``login(user)``: the Django test client logged in as ``user``."""
    def do(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return do
