"""Tasks of help plans: thin wrappers that take ids and call a service; safe to run twice."""

from __future__ import annotations

from celery import Task, shared_task

from integration_plans.services import documents, plans
from jobcenter.tasking import TRANSIENT_RETRY


@shared_task(bind=True, acks_late=True, **TRANSIENT_RETRY)
def render_agreement(self: Task[[int], int | None], plan_id: int) -> int | None:
    """Render and store the agreement PDF of a finalised plan once (claimed by the task id, see the service)."""
    document = documents.generate_agreement(plan_id=plan_id, token=self.request.id or f"local-{plan_id}")
    return document.pk if document else None


@shared_task(**TRANSIENT_RETRY)
def expire_plans() -> int:
    """Plans whose validity ended become "expired" (a conditional UPDATE; overlapping runs do no harm).
    Scheduled daily in ``CELERY_BEAT_SCHEDULE`` ("expire-integration-plans")."""
    return plans.expire_due_plans()


@shared_task(**TRANSIENT_RETRY)
def requeue_pending_agreements() -> int:
    """Beat, every 10 minutes: enqueue agreements still pending (e.g. requested while the broker was down)."""
    return documents.requeue_pending_agreements()
