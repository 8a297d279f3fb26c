"""The embedded PostgreSQL (no ``DATABASE_URL``): reading the settings starts nothing; the entry points (manage.py,
the test run) start it, and the last process using it stops it, also when interrupted or killed.

Every test runs real processes against a real server in a throwaway ``DATA_DIR`` (one ``initdb`` per module)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
CONNECT = "from django.db import connection; connection.ensure_connection(); "


def _server_pid(pgdata: Path) -> int | None:
    """The running postmaster's pid, or None."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) else None


def _wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.2)


def _stop_leftover(pgdata: Path) -> None:
    """A failed test must not leave its server behind (nor make the next test fail)."""
    if pid := _server_pid(pgdata):
        os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown
        _wait_for(lambda: _server_pid(pgdata) is None, 30, "the left-over server to stop")
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    """A throwaway DATA_DIR with a short path (a Unix socket path has at most 107 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="anl-pg-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def pgdata(data_dir: Path) -> Iterator[Path]:
    pgdata = data_dir / "postgres"
    yield pgdata
    _stop_leftover(pgdata)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The app's own settings on the embedded default, in ``data_dir``."""
    drop = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    return {**env, "DATA_DIR": str(data_dir), "DJANGO_DEBUG": "1", "PYTHONUNBUFFERED": "1", **extra}


def _default_signals() -> None:
    """In the child: the signals the tests send get their default handling back. A shell's background job
    ignores SIGINT, and ``nohup`` ignores SIGHUP; a child inherits that, Python then leaves Ctrl-C alone and the
    entry points leave an ignored SIGHUP ignored, so the process would not end: a test run started that way must
    not fail for it (it did: issue 17's repeated runs)."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _hold(data_dir: Path, code: str = "") -> subprocess.Popen[str]:
    """``manage.py shell`` that connects, says "ready" and then waits (for a signal)."""
    proc = subprocess.Popen(
        [*MANAGE, "shell", "--no-imports", "-c", CONNECT + code + "print('ready', flush=True); import time; time.sleep(300)"],
        env=_env(data_dir), cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=_default_signals,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", line + proc.stdout.read()
    return proc


def test_reading_the_settings_starts_no_server_and_installs_no_signal_handler(data_dir, pgdata):
    code = ("import signal, django; from django.conf import settings; django.setup(); "
            "print(settings.DATABASES['default']['HOST'], signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)")
    result = subprocess.run([sys.executable, "-c", code], env=_env(data_dir, DJANGO_SETTINGS_MODULE="jobcenter.settings"),
                            cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(pgdata), "True"]
    assert not pgdata.exists()


def test_manage_py_starts_the_server_and_stops_it_on_exit(data_dir, pgdata):
    result = subprocess.run([*MANAGE, "shell", "--no-imports", "-c", CONNECT + "print(connection.settings_dict['HOST'])"],
                            env=_env(data_dir), cwd=BASE_DIR, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == str(pgdata)
    assert (pgdata / "PG_VERSION").exists()
    assert _server_pid(pgdata) is None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_process_stops_its_server(data_dir, pgdata, signum):
    proc = _hold(data_dir)
    assert _server_pid(pgdata) is not None
    proc.send_signal(signum)
    proc.wait(60)
    assert _server_pid(pgdata) is None


def test_the_server_is_shared_and_the_last_process_stops_it(data_dir, pgdata):
    first = _hold(data_dir)
    second = _hold(data_dir)
    first.send_signal(signal.SIGINT)
    first.wait(60)
    assert _server_pid(pgdata) is not None, "stopped while the second process still used it"
    second.send_signal(signal.SIGINT)
    second.wait(60)
    assert _server_pid(pgdata) is None


def test_a_killed_process_does_not_keep_the_server_running(data_dir, pgdata):
    """A process killed without its exit hook (kill -9, a crashed xdist worker) stays on the wheel's list of users;
    the next process to leave strikes it off and stops the server."""
    killed = _hold(data_dir)
    killed.kill()
    killed.wait(10)
    assert _server_pid(pgdata) is not None
    result = subprocess.run([*MANAGE, "check", "--database", "default"], env=_env(data_dir), cwd=BASE_DIR,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _server_pid(pgdata) is None


HOLDING_TEST = '''
import os, time
from django.db import connection

def test_hold(django_db_modify_db_settings, django_db_blocker):
    with django_db_blocker.unblock():
        connection.ensure_connection()
    open(os.environ["READY_FILE"], "w").close()
    time.sleep(300)
'''


@pytest.mark.parametrize("workers", ["0", "1"])
def test_an_interrupted_test_run_stops_its_server(data_dir, pgdata, workers):
    """pytest with our conftest starts the server for a test that needs the database; SIGTERM to the run (with
    xdist: to the controller only) ends it, and the server with it."""
    hold = data_dir / "hold"
    hold.mkdir(exist_ok=True)
    (hold / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (hold / "test_hold.py").write_text(HOLDING_TEST)
    ready = data_dir / "ready"
    ready.unlink(missing_ok=True)
    env = _env(data_dir, DJANGO_SETTINGS_MODULE="jobcenter.settings_test", READY_FILE=str(ready))
    del env["DJANGO_DEBUG"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-c", str(BASE_DIR / "pyproject.toml"), "--rootdir", str(BASE_DIR),
         "--confcutdir", str(hold), "-p", "no:randomly", "-n", workers, "-q", str(hold / "test_hold.py")],
        env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=_default_signals,
    )
    try:
        _wait_for(lambda: ready.exists() or proc.poll() is not None, 120, "the test to hold the database")
        assert proc.poll() is None, proc.communicate()[0]
        assert _server_pid(pgdata) is not None
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
        assert proc.returncode != 0, output
        _wait_for(lambda: _server_pid(pgdata) is None, 30, "the server to stop")
    finally:
        if proc.poll() is None:
            proc.kill()
