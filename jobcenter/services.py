"""Writes of the organisation app."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobcenter.models import WorkerHeartbeat


@transaction.atomic
def record_heartbeat(*, token: str, hostname: str | None = None) -> WorkerHeartbeat:
    """Idempotent: the same token records one heartbeat, however often the task runs."""
    beat, _ = WorkerHeartbeat.objects.get_or_create(
        token=token, defaults={"hostname": hostname or socket.gethostname()}
    )
    return beat


def prune_heartbeats(*, older_than: timedelta = timedelta(days=7)) -> int:
    deleted, _ = WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
