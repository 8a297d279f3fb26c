"""Fixtures of the letters tests: documents in a temporary directory, the example legal notices, a client with an
appointment tomorrow."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.letters.factories import ensure_invitation_notices


@pytest.fixture(autouse=True)
def _english_messages():  # type: ignore[no-untyped-def]
    """Service messages are asserted in English (the msgids); letters are printed in German."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture(autouse=True)
def notices(db):  # type: ignore[no-untyped-def]
    return ensure_invitation_notices()


@pytest.fixture
def tl_client(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client
