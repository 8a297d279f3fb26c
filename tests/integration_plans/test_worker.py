"""The agreement is rendered by a real Celery worker; a worker process killed mid-render leaves no document, the
message is redelivered (acks_late, reject on worker lost) and the document then exists exactly once."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import psutil
import pytest

from integration_plans.models import DocumentState, IntegrationPlan
from integration_plans.services import plans as services
from integration_plans.services.documents import TEST_DELAY_ENV, document_key
from integration_plans.tasks import render_agreement
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from tests.conftest import _database_url, _wait, running_worker
from tests.integration_plans.factories import draft_plan, ensure_notices

RENDER_DELAY = 4.0


@pytest.fixture
def slow_worker(transactional_db, redis_url, documents_root, worker_id) -> Iterator[psutil.Process]:  # type: ignore[no-untyped-def]
    """A celery worker (one pool process) whose renders pause ``RENDER_DELAY`` seconds after claiming."""
    with running_worker(prefix="plans", database_url=_database_url(), broker_url=redis_url, worker_id=worker_id,
                        env={"DOCUMENTS_ROOT": str(documents_root), TEST_DELAY_ENV: str(RENDER_DELAY)},
                        conf={"task_always_eager": False}) as (_nodename, proc):
        yield psutil.Process(proc.pid)


@pytest.mark.celery_worker
def test_a_worker_killed_mid_render_leaves_exactly_one_document_after_the_retry(slow_worker, hlu_case, fallmanager):
    ensure_notices()
    plan = services.finalise(plan=draft_plan(hlu_case, fallmanager), by=fallmanager, render=False)
    render_agreement.delay(plan.pk)

    def claimed() -> bool:
        return IntegrationPlan.objects.filter(pk=plan.pk).exclude(pdf_claim="").exists()

    _wait(claimed, 30, "the worker to claim the render")
    (child,) = slow_worker.children()  # the pool process, sleeping inside the render
    child.send_signal(signal.SIGKILL)
    assert not StoredDocument.objects.filter(key=document_key(plan.pk)).exists()

    def rendered() -> bool:
        return IntegrationPlan.objects.filter(pk=plan.pk, document__isnull=False).exists()

    _wait(rendered, 90, "the redelivered render to finish")
    plan.refresh_from_db()
    assert StoredDocument.objects.filter(key=document_key(plan.pk)).count() == 1
    assert plan.pdf_attempts == 2  # claimed by the killed run and again by the redelivery (same task id)
    assert (plan.document_state, plan.pdf_claim) == (DocumentState.READY, "")
    assert documents.read(plan.document).startswith(b"%PDF-")
    time.sleep(0.5)
    assert StoredDocument.objects.count() == 1
