"""Readiness (``/readyz``): can this instance do its work? Liveness (``/healthz``) only asks the database.

Each check answers ``(ok, detail)``; the detail is a short English text for operators, never client data.

* ``database``: ``SELECT 1`` on the default database.
* ``broker``: ``PING`` to Redis (``REDIS_URL``); without a broker (embedded default) tasks run in-process: ok.
* ``worker``: the newest ``WorkerHeartbeat`` (written by the periodic ``record_worker_heartbeat`` task that beat
  sends and a worker runs) is younger than ``WORKER_HEARTBEAT_MAX_AGE``; so it proves worker *and* beat alive.
  Without a broker: ok.
* ``migrations``: no migration is pending on the default database.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

Check = Callable[[], tuple[bool, str]]


def check_database() -> tuple[bool, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "answers"


def check_broker() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "none configured: tasks run in-process"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return True, "answers"


def check_worker() -> tuple[bool, str]:
    from jobcenter.models import WorkerHeartbeat

    if not settings.REDIS_URL:
        return True, "none needed: tasks run in-process"
    newest = WorkerHeartbeat.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None:
        return False, "no heartbeat yet"
    age = timezone.now() - newest
    seconds = int(age.total_seconds())
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        return False, f"last heartbeat {seconds} s ago"
    return True, f"last heartbeat {seconds} s ago"


def check_migrations() -> tuple[bool, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, f"{len(plan)} pending"
    return True, "none pending"


CHECKS: dict[str, Check] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "migrations": check_migrations,
}


def report() -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check; one that raises counts as failed with the exception's class as detail."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as error:  # a check must not take the endpoint down
            ok, detail = False, f"{type(error).__name__}"
        results[name] = {"ok": ok, "detail": detail}
    return all(bool(item["ok"]) for item in results.values()), results
