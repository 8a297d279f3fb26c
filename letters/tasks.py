"""Tasks of letters: thin wrappers that take ids and call a service; safe to run twice."""

from __future__ import annotations

from celery import Task, shared_task

from jobcenter.tasking import TRANSIENT_RETRY
from letters.services import batches, letters


@shared_task(bind=True, acks_late=True, **TRANSIENT_RETRY)
def render_letter(self: Task[[int], int | None], letter_id: int) -> int | None:
    """Render and store one letter's PDF once (claimed by the task id)."""
    document = letters.generate_letter(letter_id=letter_id, token=self.request.id or f"local-{letter_id}")
    return document.pk if document else None


@shared_task(bind=True, acks_late=True, **TRANSIENT_RETRY)
def render_batch(self: Task[[int], int | None], batch_id: int) -> int | None:
    """Render a batch of invitations into one PDF and store it once."""
    document = batches.generate_batch(batch_id=batch_id, token=self.request.id or f"local-batch-{batch_id}")
    return document.pk if document else None


@shared_task(**TRANSIENT_RETRY)
def requeue_pending_letters() -> int:
    """Beat, every 10 minutes: enqueue letters and batches still pending (e.g. requested while the broker was
    down)."""
    return letters.requeue_pending_letters() + batches.requeue_pending_batches()
