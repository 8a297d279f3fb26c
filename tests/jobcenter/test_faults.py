"""Faults with real processes: a private redis-server and a Celery worker of this module (the shared Redis is never
touched), the test database on the shared PostgreSQL.

* The worker's database connection is terminated (``pg_terminate_backend``) in the middle of a render: the task
  retries on a fresh connection and exactly one document exists. Deterministic: the worker waits on an advisory
  lock the test holds (``jobcenter.tasking.fault_gate``), the test finds that waiting backend in ``pg_locks`` and
  terminates it, then lets go.
* Redis is stopped: pages serve, a document request is stored and answered in German ("später"); once Redis is
  back, the periodic sweep sends it and the document is generated once.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from django.apps import apps
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

import integration_plans.tasks
import reporting.tasks
from cases.models import BenefitKind
from integration_plans.models import DocumentState, IntegrationPlan
from integration_plans.services import plans as plan_services
from integration_plans.services.documents import document_key
from integration_plans.tasks import render_agreement
from jobcenter import documents
from jobcenter.celery import app as celery_app
from jobcenter.models_documents import StoredDocument
from jobcenter.roles import Role
from jobcenter.tasking import TEST_GATE_ENV, TRANSIENT_ERRORS, TRANSIENT_RETRY
from reporting import services as report_services
from reporting.models import MonthlyReport, ReportStatus
from reporting.periods import Month, last_complete_month
from tests.conftest import _database_url, _free_port, _wait, running_worker
from tests.integration_plans.factories import case_with_benefits, draft_plan, ensure_notices

GATE_KEY = random.randint(10_000_000, 2_000_000_000)  # an advisory-lock key of this run  # noqa: S311
LATER = "Warteschlange ist gerade nicht erreichbar"  # the German message of QUEUE_UNAVAILABLE


# --- private services -----------------------------------------------------------------------------------------
@dataclass
class PrivateRedis:
    port: int
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the fault tests"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        _wait(self.answers, 10, f"private redis-server on {self.port}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None
        assert not self.answers()


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory) -> Iterator[PrivateRedis]:  # type: ignore[no-untyped-def]
    server = PrivateRedis(port=_free_port(), workdir=tmp_path_factory.mktemp("private-redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def module_documents(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return Path(tmp_path_factory.mktemp("fault-documents"))


@pytest.fixture(scope="module")
def fault_worker(django_db_setup, django_db_blocker, private_redis, module_documents,  # type: ignore[no-untyped-def]
                 worker_id) -> Iterator[str]:
    """A celery worker against the private Redis whose renders pass the advisory-lock gate ``GATE_KEY``."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    with running_worker(prefix="faults", database_url=database_url, broker_url=private_redis.url,
                        worker_id=worker_id,
                        env={"DOCUMENTS_ROOT": str(module_documents), TEST_GATE_ENV: str(GATE_KEY)}
                        ) as (nodename, _proc):
        yield nodename


@pytest.fixture
def worker(request, fault_worker, transactional_db, settings, module_documents) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Per test: tasks go to the module's worker; documents are read from the worker's directory."""
    assert request.node.get_closest_marker("celery_worker") is not None
    settings.DOCUMENTS_ROOT = module_documents
    celery_app.conf.task_always_eager = False
    yield fault_worker
    celery_app.conf.task_always_eager = True


# --- the gate -------------------------------------------------------------------------------------------------
@contextmanager
def gate_closed() -> Iterator[psycopg.Connection[Any]]:
    """Hold the gate's advisory lock on a connection of our own; renders wait on it until the block ends."""
    with psycopg.connect(_database_url(), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [GATE_KEY])
        try:
            yield conn
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [GATE_KEY])


def terminate_backend_waiting_at_gate(conn: psycopg.Connection[Any], timeout: float = 30) -> int:
    """The pid of the worker's backend waiting for the gate (in this database only), terminated."""
    found: list[int] = []

    def waiting() -> bool:
        row = conn.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.classid = 0 AND l.objid = %s"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND a.datname = current_database()",
            [GATE_KEY],
        ).fetchone()
        if row:
            found.append(int(row[0]))
        return bool(row)

    _wait(waiting, timeout, "the worker's backend to wait at the gate")
    (pid,) = found[-1:]
    assert conn.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    return pid


# --- the policy -----------------------------------------------------------------------------------------------
def test_every_task_retries_database_and_broker_errors_with_backoff():
    import django.db
    import kombu.exceptions

    transient = (django.db.OperationalError("server closed the connection"), django.db.InterfaceError("closed"),
                 psycopg.OperationalError("terminating connection"), redis.ConnectionError("refused"),
                 redis.TimeoutError("timeout"), kombu.exceptions.OperationalError("broker"), ConnectionResetError())
    for error in transient:
        assert isinstance(error, TRANSIENT_ERRORS), error
    assert not isinstance(ValueError("a bug"), TRANSIENT_ERRORS)
    for config in apps.get_app_configs():  # every app's tasks module, as the worker's autodiscovery finds them
        if importlib.util.find_spec(config.name) and importlib.util.find_spec(f"{config.name}.tasks"):
            importlib.import_module(f"{config.name}.tasks")
    tasks = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert len(tasks) >= 10, sorted(tasks)
    for name, task in tasks.items():
        assert isinstance(task, TRANSIENT_RETRY["base"]), name
        assert task.autoretry_for == TRANSIENT_ERRORS, name
        assert (task.retry_backoff, task.retry_backoff_max, task.retry_jitter, task.max_retries) == (3, 300, True, 8)


# --- (a) the worker's database connection is killed mid-render ------------------------------------------------
@pytest.mark.celery_worker
def test_a_render_whose_database_connection_is_killed_retries_and_stores_one_document(worker, office, make_staff):
    manager = make_staff(Role.FALLMANAGER, office)
    ensure_notices()
    case = case_with_benefits(office, manager, BenefitKind.HLU, last_name="Meyer", first_name="Anna")
    plan = plan_services.finalise(plan=draft_plan(case, manager), by=manager, render=False)
    with gate_closed() as conn:
        render_agreement.delay(plan.pk)
        terminate_backend_waiting_at_gate(conn)
        assert not StoredDocument.objects.filter(key=document_key(plan.pk)).exists()

    _wait(lambda: IntegrationPlan.objects.filter(pk=plan.pk, document__isnull=False).exists(), 30,
          "the retried render")
    plan.refresh_from_db()
    assert (plan.document_state, plan.pdf_claim, plan.pdf_attempts) == (DocumentState.READY, "", 2)
    assert StoredDocument.objects.filter(key=document_key(plan.pk)).count() == 1
    assert documents.read(plan.document).startswith(b"%PDF-")


@pytest.mark.celery_worker
def test_a_report_whose_database_connection_is_killed_retries_and_is_stored_once(worker, office, make_staff):
    lead = make_staff(Role.TEAMLEITUNG, office)
    with gate_closed() as conn:
        report, queued = report_services.request_report(office=office, month=Month(2003, 3), by=lead)
        assert queued
        terminate_backend_waiting_at_gate(conn)

    def done() -> bool:
        return MonthlyReport.objects.filter(pk=report.pk, status__in=[ReportStatus.DONE, ReportStatus.FAILED]).exists()

    _wait(done, 30, "the retried report")
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == (ReportStatus.DONE, "", 2)
    assert StoredDocument.objects.filter(key__startswith=f"monthly_report:{report.pk}:").count() == 3  # PDF, CSV, Excel
    assert documents.read(report.pdf).startswith(b"%PDF-")


# --- (b) Redis is down ----------------------------------------------------------------------------------------
@pytest.mark.celery_worker
def test_with_redis_down_pages_serve_and_document_requests_are_generated_once_it_is_back(
    worker, private_redis, office, make_staff,
):
    lead, manager = make_staff(Role.TEAMLEITUNG, office), make_staff(Role.FALLMANAGER, office)
    ensure_notices()
    case = case_with_benefits(office, manager, BenefitKind.HLU, last_name="Meyer", first_name="Anna")
    plan = plan_services.finalise(plan=draft_plan(case, manager), by=manager, render=False)
    month = last_complete_month(timezone.localdate())
    lead_browser, manager_browser = HttpClient(), HttpClient()
    manager_browser.force_login(manager)

    private_redis.stop()
    try:
        login = lead_browser.post(reverse("login"), {"username": lead.username, "password": "pw-for-tests"})
        assert login.status_code == 302, login.content.decode()[:500]
        for browser, url in [(lead_browser, reverse("home")), (lead_browser, reverse("reporting:report_list")),
                             (manager_browser, reverse("integration_plans:plan_detail", args=[plan.pk])),
                             (manager_browser, reverse("cases:client_detail", args=[case.client_id]))]:
            assert browser.get(url).status_code == 200, url

        started = time.monotonic()
        asked = lead_browser.post(reverse("reporting:report_request"), {"month": month.key}, follow=True)
        assert asked.status_code == 200
        assert LATER in asked.content.decode()
        printed = manager_browser.post(reverse("integration_plans:document_request", args=[plan.pk]), follow=True)
        assert printed.status_code == 200
        assert LATER in printed.content.decode()
        assert time.monotonic() - started < 10  # a down broker costs a request about a second, not a timeout
    finally:
        private_redis.start()

    report = MonthlyReport.objects.get(office=office, month=month.start)
    assert report.status == ReportStatus.PENDING  # stored, waiting for the sweep
    assert IntegrationPlan.objects.filter(pk=plan.pk, document_state=DocumentState.PENDING, pdf_claim="").exists()

    def reconnected() -> bool:
        try:
            return bool(celery_app.control.ping(destination=[worker], timeout=0.5))
        except TRANSIENT_ERRORS:
            return False

    _wait(reconnected, 30, "the worker to reconnect")
    reporting.tasks.requeue_pending_reports.delay()  # as beat sends them every 10 minutes
    integration_plans.tasks.requeue_pending_agreements.delay()

    def generated() -> bool:
        return (MonthlyReport.objects.filter(pk=report.pk, status=ReportStatus.DONE).exists()
                and IntegrationPlan.objects.filter(pk=plan.pk, document__isnull=False).exists())

    _wait(generated, 40, "the report and the agreement after Redis came back")
    assert StoredDocument.objects.filter(key__startswith=f"monthly_report:{report.pk}:").count() == 3  # PDF, CSV, Excel
    assert StoredDocument.objects.filter(key=document_key(plan.pk)).count() == 1
    assert MonthlyReport.objects.count() == 1
