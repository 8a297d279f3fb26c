"""Enqueue tasks only once the surrounding transaction has committed, and retry transient failures.

A task enqueued inside a transaction could otherwise run before its rows are visible, or for a write that is
rolled back. In the embedded default (eager mode) the task runs in-process, still after commit.

The broker being down never fails the request that enqueues: the row that asked for the work (a report in
"pending", a plan whose document is "pending") is already committed in PostgreSQL, the failed send is logged, and
a periodic sweep of each app re-enqueues what is still pending once the broker answers again
(``requeue_pending_*`` in ``integration_plans.tasks`` and ``reporting.tasks``). A view that wants to tell the
user wraps its service call in ``deferred_enqueues()``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import kombu.exceptions
import psycopg
import redis.exceptions
from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# The database went away: server restart or failover, a terminated backend, a dropped network connection, a
# deadlock or serialisation failure (also OperationalErrors). Django wraps psycopg's errors in its own; psycopg's
# are listed for code paths outside Django's wrapper.
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError,
)
# The broker (Redis) went away, as seen by redis-py or kombu (none of these is an OSError).
BROKER_ERRORS: tuple[type[Exception], ...] = (
    OSError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, kombu.exceptions.OperationalError,
)
# Everything a task retries: the failures that go away by themselves (OSError also covers disk and socket errors).
# Anything else is a bug or bad data and fails at once; it is not retried.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = DATABASE_ERRORS + BROKER_ERRORS

QUEUE_UNAVAILABLE = gettext_lazy(
    "The request is saved, but the task queue cannot be reached right now. The document will be generated "
    "automatically as soon as the queue is available again; there is nothing more to do."
)


def close_broken_connections() -> None:
    """Close this thread's database connections so the next query opens a fresh one. Connections inside an atomic
    block (a caller's transaction, or a test's) are left alone: closing them would break that transaction."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


class TransientRetryTask(Task):
    """The base of every task: before a retry caused by a database error, the broken connection is closed, so
    the retry reconnects instead of failing again on the dead socket."""

    abstract = True

    def retry(self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None,
              exc: Exception | None = None, *rest: Any, **options: Any) -> Any:
        if isinstance(exc, DATABASE_ERRORS):
            close_broken_connections()
        return super().retry(args, kwargs, exc, *rest, **options)


# The retry policy of every task (``@shared_task(**TRANSIENT_RETRY)``): retry TRANSIENT_ERRORS only, up to 8
# times, after a random delay between 0 and 3·2ⁿ seconds (full jitter), capped at 5 minutes: the first retries
# come within seconds, the last after up to 5 minutes; about 6 minutes in all on average, enough for a database
# or broker restart. Tasks are idempotent (a claim by conditional UPDATE, documents stored once under a key), so a
# retry or a re-enqueued duplicate does no harm.
TRANSIENT_RETRY: dict[str, Any] = {
    "base": TransientRetryTask,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 3,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}

# Tasks that could not be sent in the current ``deferred_enqueues()`` block (None outside one).
_deferred: ContextVar[list[str] | None] = ContextVar("tasking_deferred", default=None)


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` after the current transaction commits. When the broker cannot be reached, the send is logged
    and dropped: the caller's committed row stays pending and the sweep re-enqueues it."""
    transaction.on_commit(partial(_send, task, args, kwargs), robust=False)


def _send(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if task.app.conf.task_always_eager:  # in-process: errors are the task's own and propagate
        task.delay(*args, **kwargs)
        return
    try:
        task.delay(*args, **kwargs)
    except BROKER_ERRORS:
        name = str(getattr(task, "name", task))
        logger.warning("broker unreachable, %s%r not sent; the pending sweep will enqueue it", name, args,
                       exc_info=True)
        deferred = _deferred.get()
        if deferred is not None:
            deferred.append(name)


@contextmanager
def deferred_enqueues() -> Iterator[list[str]]:
    """Collect the tasks whose sending failed inside the block (after-commit sends run inside it when the block
    contains the commit); a view tells the user the work will be done later (``QUEUE_UNAVAILABLE``)."""
    deferred: list[str] = []
    token = _deferred.set(deferred)
    try:
        yield deferred
    finally:
        _deferred.reset(token)


# Test hook for the fault tests: with TESTING and this variable set to an advisory-lock key, a render waits on
# that lock (shared) after claiming its work. A test holding the lock exclusively stops the task right there,
# finds the worker's backend in pg_stat_activity and terminates it: deterministic, no sleeps.
TEST_GATE_ENV = "TASKS_TEST_GATE_LOCK"


def fault_gate() -> None:
    if settings.TESTING and (key := os.environ.get(TEST_GATE_ENV)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [int(key)])
