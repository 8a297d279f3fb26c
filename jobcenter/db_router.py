"""Reporting reads from a read replica (``DATABASE_REPLICA_URL``), everything else from the primary.

Only code that asks for it reads from the replica: a view decorated with ``replica_reads`` (the dashboard, its
drill-downs and exports, the carrier-flow report) runs its reads on the ``replica`` alias while it runs; every
write, every read inside a transaction on the primary (the statistics store's refresh, which writes what it
reads), every other view and every task stays on ``default``. Those reports are counts over months, so a replica a few
seconds behind shows the same figures, and a long report query no longer competes with the counter's writes.

The replica is used only while it is healthy: it answers, and it is at most ``DATABASE_REPLICA_MAX_LAG`` seconds
behind (its WAL replayed up to what it received, or else the age of the last replayed transaction,
``pg_last_xact_replay_timestamp()``). The verdict is cached per process for ``DATABASE_REPLICA_CHECK_SECONDS``;
when it says no, the reads go to the primary: the page is slower, never missing. Without ``DATABASE_REPLICA_URL``
the router sends everything to ``default``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
logger = logging.getLogger(__name__)

_wanted: ContextVar[bool] = ContextVar("replica_reads", default=False)
_verdict: dict[str, float | bool] = {"checked_at": float("-inf"), "usable": False}

P = ParamSpec("P")
R = TypeVar("R")

_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _check() -> bool:
    """Ask the replica whether it answers and how far it is behind."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            _in_recovery, lag = cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure of the replica means: read from the primary
        logger.warning("read replica unusable, reading from the primary: %s", error.__class__.__name__)
        connections[REPLICA].close()
        return False
    max_lag = float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 30))
    if float(lag) > max_lag:
        logger.warning("read replica %.1f s behind (limit %.0f s), reading from the primary", float(lag), max_lag)
        return False
    return True


def replica_usable() -> bool:
    """The cached verdict on the replica (checked again after ``DATABASE_REPLICA_CHECK_SECONDS``)."""
    if not configured():
        return False
    now = time.monotonic()
    if now - float(_verdict["checked_at"]) >= float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 5)):
        _verdict["usable"] = _check()
        _verdict["checked_at"] = now
    return bool(_verdict["usable"])


def forget_verdict() -> None:
    """Check the replica again on the next read (tests; after a failover)."""
    _verdict["checked_at"] = float("-inf")


@contextmanager
def reading_from_replica() -> Iterator[str]:
    """Inside: reads go to the replica when it is usable. Yields the alias the reads go to."""
    token = _wanted.set(True)
    try:
        yield REPLICA if replica_usable() else DEFAULT_DB_ALIAS
    finally:
        _wanted.reset(token)


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica (read-only reports; never a view that writes what it read)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading_from_replica():
            return view(*args, **kwargs)

    wrapper.reads_from_replica = True  # type: ignore[attr-defined]  # copied outwards by functools.wraps
    return wrapper


class ReplicaRouter:
    """``settings.DATABASE_ROUTERS``: reads inside ``reading_from_replica`` to a usable replica; the rest default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _wanted.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block and replica_usable():
            return REPLICA  # reads inside a transaction on the primary (e.g. reporting.store.refresh) stay there
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the replica holds the primary's data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db == DEFAULT_DB_ALIAS
