"""One letter rendered by a real Celery worker process: enqueued after the commit, claimed, rendered and stored
once, and the letter points at it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from integration_plans.models import DocumentState
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from letters.models import Letter
from letters.pdf import render_pdf
from letters.services import letters as services
from tests.conftest import _database_url, _wait, running_worker
from tests.letters.factories import appointment_on, case_of, ensure_invitation_notices, pdf_text


@pytest.fixture
def letter_worker(transactional_db, redis_url, documents_root, worker_id) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A worker writing into the test's documents directory."""
    with running_worker(prefix="letters", database_url=_database_url(), broker_url=redis_url, worker_id=worker_id,
                        env={"DOCUMENTS_ROOT": str(documents_root)},
                        conf={"task_always_eager": False}) as (nodename, _proc):
        yield nodename


@pytest.mark.celery_worker
def test_a_real_worker_renders_an_invitation_once(letter_worker, office, fallmanager):
    ensure_invitation_notices()  # a transactional test starts from an empty database
    case = case_of(office, fallmanager, ("alhi", datetime.date(2002, 1, 1), None), first_name="Ronny",
                   last_name="Öztürk")
    appointment = appointment_on(case, timezone.localdate() + datetime.timedelta(days=1), 9, 30)
    letter = services.issue_invitation(appointment=appointment, by=fallmanager)  # commits: the task is sent

    def rendered() -> bool:
        return Letter.objects.filter(pk=letter.pk, document__isnull=False).exists()

    _wait(rendered, 90, "the worker to render the letter")
    letter.refresh_from_db()
    assert (letter.document_state, letter.pdf_claim, letter.pdf_attempts) == (DocumentState.READY, "", 1)
    data = documents.read(letter.document)
    assert data == render_pdf(letter.content, letter.content_sha256)  # the worker's bytes, re-rendered here
    text = pdf_text(data)
    assert "Ronny Öztürk" in text and "09:30 Uhr" in text and "Meldepflicht" in text
    assert StoredDocument.objects.filter(key=f"letter:{letter.pk}").count() == 1
