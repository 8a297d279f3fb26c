"""Strict readers for configuration from the environment.

Every helper raises ``ImproperlyConfigured`` with the variable's name and what was wrong, so a bad value stops
start-up with a clear message instead of surfacing later, deep in a request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string; ``NAME_FILE`` (a path to a file holding the value) is read when ``NAME`` is unset."""
    value = os.environ.get(name)
    if value is None and (path := os.environ.get(f"{name}_FILE")):
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.strerror}") from exc
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_time(name: str, default: str) -> time:
    """A time of day written ``HH:MM`` (e.g. ``07:30``)."""
    raw = os.environ.get(name, default)
    problem = ImproperlyConfigured(f"{name}={raw!r} is not a time of day; write it as HH:MM, e.g. 07:30.")
    if not re.fullmatch(r"\d\d:\d\d", raw.strip()):
        raise problem
    try:
        return time.fromisoformat(raw.strip())
    except ValueError:
        raise problem from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseUrl:
    name: str
    user: str
    password: str
    host: str
    port: str

    def as_django(self) -> dict[str, object]:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }


def parse_database_url(name: str, raw: str) -> DatabaseUrl:
    """Parse ``postgresql://user:pass@host:port/db`` (a socket directory may be given as ``?host=/path``)."""
    parts = urlsplit(raw)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL URL like postgresql://user:password@host:5432/dbname "
            f"(PostgreSQL is the only supported database); got scheme {parts.scheme or 'none'!r}."
        )
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ImproperlyConfigured(f"{name} names no database: add /dbname after the host.")
    query = parse_qs(parts.query)
    try:
        port = query.get("port", [str(parts.port or "")])[0]
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port.") from None
    if port and not port.isdigit():
        raise ImproperlyConfigured(f"{name} has an invalid port {port!r}.")
    host = query.get("host", [parts.hostname or ""])[0]
    return DatabaseUrl(
        name=database,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=host,
        port=port,
    )


def database_url_of(settings_dict: Mapping[str, Any]) -> str:
    """The inverse of ``parse_database_url``: a Django connection's settings as a URL, to hand the database this
    process uses (the test database under pytest) to a child process such as a worker, gunicorn or pg_dump."""
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict["HOST"] or ""
    port = settings_dict.get("PORT") or ""
    name = settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{name}?host={quote(host)}" + (f"&port={port}" if port else "")
    return f"postgresql://{user}{password}@{host}{':' + str(port) if port else ''}/{name}"


def check_redis_url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"redis", "rediss", "redis+socket", "unix"} or not (parts.hostname or parts.path):
        raise ImproperlyConfigured(f"{name} must be a Redis URL like redis://127.0.0.1:6379/0; got {raw!r}.")
    return raw
