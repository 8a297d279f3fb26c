from __future__ import annotations

from celery import shared_task

from jobcenter import services
from jobcenter.tasking import TRANSIENT_RETRY


@shared_task(bind=True, **TRANSIENT_RETRY)
def record_worker_heartbeat(self, token: str | None = None) -> int:
    """Record that a worker ran a task; the token makes a redelivered message a no-op."""
    beat = services.record_heartbeat(token=token or self.request.id or "manual", hostname=self.request.hostname)
    return beat.pk


@shared_task(**TRANSIENT_RETRY)
def prune_worker_heartbeats() -> int:
    return services.prune_heartbeats()
