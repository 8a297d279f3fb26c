from __future__ import annotations

from celery import shared_task

from cases import retention
from jobcenter.tasking import TRANSIENT_RETRY


@shared_task(**TRANSIENT_RETRY)
def anonymise_due_clients() -> int:
    """Daily: anonymise clients whose retention period ended; records an AnonymisationRun either way."""
    return retention.anonymise_due_clients(triggered_by="retention task").clients
