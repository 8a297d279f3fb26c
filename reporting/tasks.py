"""Thin tasks: take ids, call a service, safe to run twice (the report is claimed with a conditional UPDATE)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from jobcenter.tasking import TRANSIENT_RETRY
from reporting import services
from reporting.periods import last_complete_month


@shared_task(**TRANSIENT_RETRY)
def generate_monthly_report(report_id: int) -> bool:
    return services.generate_report(report_id=report_id)


@shared_task(**TRANSIENT_RETRY)
def queue_monthly_reports() -> int:
    """Beat, on the 1st of each month: queue last month's report of every office."""
    return services.request_monthly_reports(month=last_complete_month(timezone.localdate()))


@shared_task(**TRANSIENT_RETRY)
def rebuild_reporting_stores() -> int:
    """Beat, nightly: recompute the derived rows of every office (catches anything a refresh could miss), then
    the dashboard figures of its current month (``reporting.snapshots``), so the first view of the day is fast."""
    from jobcenter.models import ContactPoint
    from reporting import snapshots, store
    from reporting.periods import Month

    today = timezone.localdate()
    offices = list(ContactPoint.objects.order_by("pk"))
    for office in offices:
        store.rebuild(office.pk)
        snapshots.compute(office, Month.of(today), today)
    return len(offices)


@shared_task(**TRANSIENT_RETRY)
def requeue_pending_reports() -> int:
    """Beat, every 10 minutes: enqueue reports still pending (e.g. requested while the broker was down)."""
    return services.requeue_pending_reports()
