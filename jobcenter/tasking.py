"""Enqueue tasks only once the surrounding transaction has committed.

A task enqueued inside a transaction could otherwise run before its rows are visible, or for a write that is
rolled back. In the embedded default (eager mode) the task runs in-process, still after commit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import Task
from django.db import transaction


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(task.delay, *args, **kwargs), robust=False)


# Retry policy for transient failures (database restarts, broker hiccups): backoff with jitter and a cap.
TRANSIENT_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}
