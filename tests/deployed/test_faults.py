"""Faults of the deployed shape, with real processes (issue 15). Two beat processes at once — a second started by
mistake, or an old one not yet stopped during an upgrade — still give one monthly report per office and month.

(A worker killed with SIGKILL mid-task: ``tests/integration_plans/test_worker.py`` — the render is delivered again
and exactly one document exists.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobcenter.models import ContactPoint, StoredDocument
from reporting.models import MonthlyReport, ReportStatus
from reporting.periods import last_complete_month
from tests.deployed.stack import Stack, wait_for

pytestmark = pytest.mark.slow


def test_two_beat_processes_at_once_still_make_one_monthly_report_per_office_and_month(stack: Stack, demo) -> None:  # type: ignore[no-untyped-def]
    from django_celery_beat.models import PeriodicTask

    stack.start("worker", "worker")
    stack.start("beat-1", "beat", BEAT_PIDFILE=str(stack.workdir / "beat-1.pid"))
    stack.start("beat-2", "beat", BEAT_PIDFILE=str(stack.workdir / "beat-2.pid"))
    wait_for(lambda: PeriodicTask.objects.filter(name="monthly-reports").exists(), 60, "beat's schedule in the DB")
    wait_for(lambda: all("Schedule changed" in stack.log(name) or "beat: Starting" in stack.log(name)
                         for name in ("beat-1", "beat-2")), 60, "both beats running")
    entry = PeriodicTask.objects.get(name="monthly-reports")
    entry.last_run_at = timezone.now() - timedelta(days=62)  # due now, for both
    entry.save()
    offices = ContactPoint.objects.count()
    month = last_complete_month(timezone.localdate()).start

    def both_sent_and_done() -> bool:
        for name in ("worker", "beat-1", "beat-2"):
            stack.alive(name)
        # both beats may send it (each has its own copy of the schedule until it syncs); at least one must
        sent = any("Sending due task monthly-reports" in stack.log(name) for name in ("beat-1", "beat-2"))
        done = MonthlyReport.objects.filter(month=month, status=ReportStatus.DONE).count() == offices
        return sent and done

    wait_for(both_sent_and_done, 120, "both beats to send monthly-reports and the reports to be done")
    # and the duplicate for certain: the message the other beat sends when it has not synced yet
    from jobcenter.celery import app as celery_app

    with celery_app.connection_for_write(stack.redis_url) as connection:
        celery_app.send_task("reporting.tasks.queue_monthly_reports", queue=stack.queue, connection=connection)
    wait_for(lambda: stack.log("worker").count("reporting.tasks.queue_monthly_reports[") >= 4, 60,
             "two queue_monthly_reports runs (received + succeeded each)")
    assert MonthlyReport.objects.filter(month=month).count() == offices
    keys = StoredDocument.objects.filter(key__startswith="monthly_report:").values_list("key", flat=True)
    assert {int(key.split(":")[1]) for key in keys} == set(MonthlyReport.objects.values_list("pk", flat=True))
    assert stack.stop_all() == {"worker": 0, "beat-1": 0, "beat-2": 0}
