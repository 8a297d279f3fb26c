"""The document store in the database (``DOCUMENT_STORAGE=database``, ADR 0007): what one host stores, every other
host reads — two real workers in different working directories with different (empty) DOCUMENTS_ROOTs render, the
web process serves the same bytes; a changed blob is refused, never served."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from integration_plans.models import IntegrationPlan
from integration_plans.pdf import render_pdf
from integration_plans.services import plans as services
from integration_plans.tasks import render_agreement
from jobcenter import documents
from jobcenter.models_documents import StoredBlob, StoredDocument
from tests.conftest import _database_url, _wait, running_worker
from tests.integration_plans.factories import draft_plan, ensure_notices, full_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_database(settings, documents_root):  # type: ignore[no-untyped-def]
    settings.DOCUMENT_STORAGE = "database"
    return documents_root


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_stored_in_the_database_read_back_verified_and_no_file_written(in_database):
    first = documents.store(key="db:1", kind="test", data=b"%PDF-in the database", filename="a.pdf")
    again = documents.store(key="db:1", kind="test", data=b"%PDF-other", filename="b.pdf")
    shared = documents.store(key="db:2", kind="test", data=b"%PDF-in the database", filename="c.pdf")
    assert again.pk == first.pk and shared.path == first.path
    assert StoredBlob.objects.filter(path=first.path).count() == 1  # identical content kept once
    assert documents.read(shared) == b"%PDF-in the database"
    assert _files(in_database) == []


def test_a_changed_or_missing_blob_is_refused(in_database):
    document = documents.store(key="db:3", kind="test", data=b"%PDF-original", filename="a.pdf")
    StoredBlob.objects.filter(path=document.path).update(content=b"%PDF-tampered")
    with pytest.raises(documents.DocumentError, match="checksum"):
        documents.read(document)
    StoredBlob.objects.filter(path=document.path).delete()
    with pytest.raises(documents.DocumentError, match="missing"):
        documents.read(document)


def test_deleting_and_failing_transactions_take_unreferenced_blobs_with_them(
        in_database, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    one = documents.store(key="db:a", kind="test", data=b"%PDF-same", filename="a.pdf")
    two = documents.store(key="db:b", kind="test", data=b"%PDF-same", filename="b.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        documents.delete(one)
    assert StoredBlob.objects.filter(path=two.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        documents.delete(two)
    assert not StoredBlob.objects.exists()
    with pytest.raises(RuntimeError), documents.removed_on_failure(), transaction.atomic():
        documents.store(key="db:fresh", kind="test", data=b"%PDF-only here", filename="b.pdf")
        raise RuntimeError("the row could not be saved")
    assert not StoredBlob.objects.exists() and not StoredDocument.objects.exists()


def test_restore_file_puts_the_bytes_back_into_the_database(in_database):
    document = documents.store(key="db:r", kind="test", data=b"%PDF-restored", filename="a.pdf")
    StoredBlob.objects.all().delete()
    documents.restore_file(document.path, b"%PDF-restored")
    documents.restore_file(document.path, b"%PDF-restored")  # again: nothing changes
    assert documents.read(document) == b"%PDF-restored"
    assert StoredBlob.objects.count() == 1


@pytest.fixture
def web_host(transactional_db, tmp_path, settings) -> Path:  # type: ignore[no-untyped-def]
    """This (web) process: documents in the database, a DOCUMENTS_ROOT of its own that stays empty."""
    settings.DOCUMENT_STORAGE = "database"
    settings.DOCUMENTS_ROOT = tmp_path / "web" / "documents"
    return Path(settings.DOCUMENTS_ROOT)


@contextmanager
def _worker_on_host(host: Path, *, redis_url: str, worker_id: str) -> Iterator[None]:
    """A celery worker in ``host`` as its working directory with its own DOCUMENTS_ROOT; tasks go to it."""
    host.mkdir()
    with running_worker(prefix=f"shared-{host.name}", database_url=_database_url(), broker_url=redis_url,
                        worker_id=worker_id, cwd=host, conf={"task_always_eager": False},
                        env={"DOCUMENT_STORAGE": "database", "DOCUMENTS_ROOT": str(host / "documents")}):
        yield


def _rendered(plan: IntegrationPlan) -> StoredDocument:
    def ready() -> bool:
        return IntegrationPlan.objects.filter(pk=plan.pk, document__isnull=False).exists()

    _wait(ready, 60, "the worker to render the agreement")
    plan.refresh_from_db()
    assert plan.document is not None
    return plan.document


@pytest.mark.celery_worker
def test_documents_rendered_by_workers_on_two_hosts_are_served_by_the_web_process(
        web_host, redis_url, worker_id, tmp_path, hlu_case, fallmanager, client):  # type: ignore[no-untyped-def]
    ensure_notices()
    plans = [services.finalise(plan=draft_plan(hlu_case, fallmanager), by=fallmanager, render=False)]
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    with _worker_on_host(hosts[0], redis_url=redis_url, worker_id=worker_id):
        render_agreement.delay(plans[0].pk)
        first = _rendered(plans[0])
        plans.append(services.create_revision(plan=plans[0], by=fallmanager))
    plans[1] = services.finalise(
        plan=services.save_draft(plan=plans[1], expected_edit_count=plans[1].edit_count, by=fallmanager,
                                 **full_input(plans[1])),
        by=fallmanager, render=False)
    with _worker_on_host(hosts[1], redis_url=redis_url, worker_id=worker_id):
        render_agreement.delay(plans[1].pk)
        second = _rendered(plans[1])

    client.force_login(fallmanager)
    for plan, document in zip(plans, (first, second), strict=True):
        response = client.get(reverse("integration_plans:agreement_download", args=[plan.pk]))
        assert response.status_code == 200
        served = b"".join(response.streaming_content)
        assert hashlib.sha256(served).hexdigest() == document.sha256
        assert served == render_pdf(plan.content, plan.content_sha256)  # the very bytes the worker rendered
    assert [_files(root) for root in (*hosts, web_host)] == [[], [], []]  # no host kept a file of its own

    StoredBlob.objects.filter(path=first.path).update(content=b"%PDF-X" + b"0" * (first.size - 6))
    assert client.get(reverse("integration_plans:agreement_download", args=[plans[0].pk])).status_code == 404
