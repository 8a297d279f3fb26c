"""The deployed shape as separate processes: the entry points of ``scripts/`` (the same ones the Dockerfile and
docker-compose.yml run) with production settings (``jobcenter.settings``, ``DJANGO_DEBUG=0``) against a real
PostgreSQL database and Redis. Each process is stopped with SIGTERM and must exit by itself with status 0."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ARTIFACTS, BASE_DIR

SCRIPTS = BASE_DIR / "scripts"
# The ports of the processes started here: the first free one of this range, else any free one.
PORT_RANGE = range(8140, 8150)


def free_port(preferred: range = PORT_RANGE) -> int:
    for port in [*preferred, 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes, dict[str, str]]:
    """A plain HTTP GET that does not follow redirects: (status, body, headers)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@dataclass
class Stack:
    """The environment every process of one deployment shares, and the processes started so far."""

    database_url: str
    redis_url: str
    workdir: Path
    port: int = field(default_factory=free_port)
    queue: str = field(default_factory=lambda: f"stack-{uuid.uuid4().hex[:10]}")
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def documents_root(self) -> Path:
        return self.workdir / "documents"

    @property
    def static_root(self) -> Path:
        return self.workdir / "static"

    def env(self, **overrides: str) -> dict[str, str]:
        """Production settings: what docker-compose.yml's ``x-app`` and .env give a container."""
        keep = {key: value for key, value in os.environ.items()
                if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")}
        return {
            **keep,
            "PYTHON": sys.executable,
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "jobcenter.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": self._secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The TLS proxy's origin; here the browser talks to gunicorn directly and sends X-Forwarded-Proto itself.
            "CSRF_TRUSTED_ORIGINS": self.url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_QUEUE": self.queue,
            "DATA_DIR": str(self.workdir / "data"),
            "DOCUMENTS_ROOT": str(self.documents_root),
            "STATIC_ROOT": str(self.static_root),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "WORKER_CONCURRENCY": "1",
            "WORKER_NAME": f"{self.queue}@%h",
            "BEAT_PIDFILE": str(self.workdir / "beat.pid"),
            **self.extra_env,
            **overrides,
        }

    def __post_init__(self) -> None:
        self._secret_key = secrets.token_urlsafe(50)
        self.workdir.mkdir(parents=True, exist_ok=True)

    def run(self, script: str, timeout: float = 300) -> None:
        """A one-off entry point (collectstatic, migrate) that must succeed."""
        result = subprocess.run([str(SCRIPTS / script)], env=self.env(), cwd=BASE_DIR, capture_output=True,
                                timeout=timeout)
        assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()

    def start(self, name: str, script: str, *, cwd: Path | None = None, **env: str) -> subprocess.Popen[bytes]:
        ARTIFACTS.mkdir(exist_ok=True)
        log_path = self.log_path(name)
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([str(SCRIPTS / script)], env=self.env(**env), cwd=cwd or BASE_DIR,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = proc
        return proc

    def log_path(self, name: str) -> Path:
        return ARTIFACTS / f"deployed-{self.queue}-{name}.log"

    def log(self, name: str) -> str:
        return self.log_path(name).read_text(encoding="utf-8", errors="replace")

    def alive(self, name: str) -> bool:
        proc = self.processes[name]
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)[-3000:]}")
        return True

    def wait_web(self, timeout: float = 90) -> None:
        def answers() -> bool:
            self.alive("web")
            try:
                return get(self.url + "/healthz", timeout=2)[0] == 200
            except OSError:
                return False

        wait_for(answers, timeout, "gunicorn /healthz")

    def stop(self, name: str, timeout: float = 30) -> int:
        """SIGTERM, wait for a clean exit; returns the exit status (killed after ``timeout``: an error)."""
        proc = self.processes.pop(name)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
                raise AssertionError(f"{name} did not stop within {timeout}s after SIGTERM") from None
        return int(proc.returncode)

    def stop_all(self) -> dict[str, int]:
        return {name: self.stop(name) for name in list(self.processes)}
