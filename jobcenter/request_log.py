"""Structured request logs: one JSON line per request, and a request id that follows the request.

``RequestLogMiddleware`` (the outermost middleware) gives every request an id — the incoming ``X-Request-ID``
when a proxy sent a sane one (letters, digits, ``.``, ``_``, ``-``, ``:``, at most 64 characters), otherwise a
new one — answers it in the ``X-Request-ID`` header and, when the response is known, writes one line to the
logger ``jobcenter.requests``::

    {"event": "request", "request_id": "…", "user_id": 7, "method": "GET", "route": "cases:client_detail",
     "status": 200, "duration_ms": 12.3}

No client data reaches the log: not the path (it may hold ids and, in a search, names), not the query string, not
a form field; only the URL's *name* (``route``; ``null`` for a path no URL matches, ``"static"`` for static files).
Gunicorn's own access log is off for the same reason (``scripts/web``).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("jobcenter.requests")

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
# The id of the request being handled in this thread (None outside a request): other log lines can carry it.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_from(header_value: str | None) -> str:
    """The proxy's request id when it is a sane token, otherwise a new random one."""
    if header_value and _SANE_ID.match(header_value):
        return header_value
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session or the database may be the reason the request failed
        return None


def _route(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_from(request.headers.get(HEADER))
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "request",
                extra={"fields": {
                    "request_id": request_id,
                    "user_id": _user_id(request),
                    "method": request.method,
                    "route": _route(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }},
            )
            return response
        finally:
            current_request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id and any ``extra={"fields": …}``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
