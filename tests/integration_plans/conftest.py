"""Fixtures of the plans tests: documents in a temporary directory, a HLU client's case in profiling."""

from __future__ import annotations

import pytest
from django.utils import translation

from cases.models import BenefitKind
from tests.integration_plans.factories import case_with_benefits, ensure_notices


@pytest.fixture(autouse=True)
def _english_messages():  # type: ignore[no-untyped-def]
    """Service messages are asserted in English (the msgids); pages and PDFs are checked in German."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def notices(db):  # type: ignore[no-untyped-def]
    return ensure_notices()


@pytest.fixture
def hlu_case(office, fallmanager):  # type: ignore[no-untyped-def]
    """An HLU recipient's case in "profiling", managed by the office's Fallmanager."""
    return case_with_benefits(office, fallmanager, BenefitKind.HLU, last_name="Meyer", first_name="Anna",
                              customer_number="", file_number="50-123456/03")


@pytest.fixture
def tl_client(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client
