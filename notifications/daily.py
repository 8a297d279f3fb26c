"""The date-driven notifications, made once a day by the beat task ``notifications.tasks.create_daily_notifications``.

Apps register *sources* in their ``AppConfig.ready`` (this app imports none of them): a source takes the day and
returns the notices due on it, e.g. ``integration_plans`` the agreements that expire within 14 days and the
hearings whose deadline for the client's statement has passed. Registering the same key again replaces the source
(a higher app may refine one, e.g. take a hearing's deadline from its printed letter).

Every notice carries its date (``due_on``: the expiry day, the deadline); the unique constraint
``notification_once`` on (recipient, kind, subject, date) makes each at most once, however often the task runs —
twice on one day, or again after a day it missed (sources look back, not only at "today").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from notifications.services import Notice, notify_many

Source = Callable[[date], Iterable[Notice]]

_SOURCES: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    _SOURCES[key] = source


def registered() -> dict[str, Source]:
    return dict(_SOURCES)


@transaction.atomic
def create_daily_notifications(*, today: date | None = None) -> dict[str, int]:
    """Ask every source for the notices due on ``today`` and make the new ones. Returns {source: made}."""
    day = today or timezone.localdate()
    return {key: notify_many(source(day)) for key, source in sorted(_SOURCES.items())}
