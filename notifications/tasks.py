"""Notifications' one task: the daily, date-driven notifications (thin; safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from jobcenter.tasking import TRANSIENT_RETRY
from notifications import daily


@shared_task(**TRANSIENT_RETRY)
def create_daily_notifications() -> dict[str, int]:
    """Beat, daily ("daily-notifications" in ``CELERY_BEAT_SCHEDULE``): hearing deadlines passed, agreements
    expiring in 14 days. Made at most once each (``notification_once``), so an overlapping run does no harm."""
    return daily.create_daily_notifications()
