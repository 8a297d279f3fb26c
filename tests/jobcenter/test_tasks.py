import time

import pytest
from django.db import transaction

from jobcenter.models import WorkerHeartbeat
from jobcenter.tasking import enqueue_on_commit
from jobcenter.tasks import record_worker_heartbeat


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_enqueued_on_commit_runs_in_the_worker_and_writes_to_postgres(celery_worker):
    with transaction.atomic():
        enqueue_on_commit(record_worker_heartbeat, token="on-commit-1")
        assert not WorkerHeartbeat.objects.filter(token="on-commit-1").exists()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(token="on-commit-1").exists():
        time.sleep(0.2)
    beat = WorkerHeartbeat.objects.get(token="on-commit-1")
    assert beat.hostname == celery_worker  # written by the worker process, not in-process


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_worker_heartbeat, token="rolled-back")
        raise RuntimeError("abort")
    assert not WorkerHeartbeat.objects.filter(token="rolled-back").exists()


@pytest.mark.django_db
def test_heartbeat_task_is_idempotent():
    record_worker_heartbeat.apply(kwargs={"token": "same"})
    record_worker_heartbeat.apply(kwargs={"token": "same"})
    assert WorkerHeartbeat.objects.filter(token="same").count() == 1
