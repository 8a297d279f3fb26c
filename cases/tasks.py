from __future__ import annotations

from celery import shared_task

from cases import retention, target_groups
from cases.services import imports
from jobcenter.tasking import TRANSIENT_RETRY


@shared_task(**TRANSIENT_RETRY)
def anonymise_due_clients() -> int:
    """Daily: anonymise clients whose retention period ended; records an AnonymisationRun either way."""
    return retention.anonymise_due_clients(triggered_by="retention task").clients


@shared_task(**TRANSIENT_RETRY)
def refresh_target_groups() -> int:
    """Nightly, just after midnight: today's target group of every client whose group changed only because the date
    moved on (a benefit started or ended); idempotent (``cases.target_groups``)."""
    return target_groups.refresh_target_groups()


@shared_task(**TRANSIENT_RETRY)
def discard_stale_client_imports() -> int:
    """Daily: client files checked but not imported within ``imports.KEEP_CHECKED`` are deleted with what their
    dry run found (they hold personal data); idempotent."""
    return imports.discard_stale()
