"""Load benchmark (issue 13): gunicorn on loopback with production settings, N concurrent staff sessions of the
office seeded by ``seed_city_bench`` cycling the work mix — start page, case list, client search, client page, plans
list, today's appointments — for ``--duration`` seconds, then the same sessions on a trivial authenticated page
alone (by default the legal-notice list) for as long. Prints requests/s, p50, p95 and errors of both, per page of
the mix, and the ratio of the two throughputs.

Not a test: it prints figures to compare with the targets (20 sessions without think time: the mix reaches
≥ 50 % of the trivial page's throughput, p95 ≤ 500 ms, no errors; 100 sessions with 5 s think time: p95 ≤ 300 ms).

The sessions are real: Django's ``login()`` writes each into the session store (``Client.force_login``), and the
driver sends its cookie, as a browser behind an HTTPS proxy would (``X-Forwarded-Proto: https``). The driver is
threads with ``http.client``; each session waits ``--think`` seconds (± 50 %) between requests. gunicorn is started
and stopped by the command (``--workers``, default 4), with this process's settings module and database and
``DJANGO_DEBUG=0``; requests go only to 127.0.0.1.

Usage: DATABASE_URL=…/anl_bench_city SECRET_KEY=bench ALLOWED_HOSTS=localhost python manage.py bench_load \\
           [--sessions 20] [--duration 30] [--think 0] [--workers 4] [--output /tmp/load.md]
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client as TestClient
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from jobcenter.env import database_url_of
from jobcenter.models import ContactPoint
from reporting.management.commands.bench_pages import Command as PagesCommand
from reporting.management.commands.seed_city_bench import (
    FIRST_NAMES,
    LAST_NAMES,
    office_index,
    staff_username,
)

MIX_TARGET_RATIO = 0.5
P95_TARGET_MS = 500.0
P95_THINK_TARGET_MS = 300.0
MIX = ("start page", "case list", "search", "client page", "plans list", "today's appointments")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # ms of the requests answered 200
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    in_window: int = 0  # answered 200 before the phase ended
    seconds: float = 0.0  # the phase

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rate(self) -> float:
        """Requests answered 200 within the phase, per second (those still running at its end count for the
        latencies, not for the throughput)."""
        return self.in_window / self.seconds if self.seconds else 0.0


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def database_url() -> str:
    """This process's database as a URL, for the server's environment."""
    return database_url_of(connection.settings_dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn on 127.0.0.1 with production settings; stopped with SIGTERM (then SIGKILL after 30 s)."""

    def __init__(self, workers: int, port: int) -> None:
        self.port = port
        self.log = tempfile.NamedTemporaryFile(prefix="bench-load-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        env = {**os.environ, "DJANGO_DEBUG": "0", "DATABASE_URL": database_url(),
               "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "jobcenter.settings"),
               "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "jobcenter.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, host: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CommandError(f"gunicorn exited ({self.proc.returncode}): {self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", reverse("healthz"), headers={"Host": host, "X-Forwarded-Proto": "https"})
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {timeout:.0f} s: {self.tail()}")

    def tail(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@dataclass
class Session:
    cookie: str
    mix: list[tuple[str, list[str]]]  # (page name, the URLs it cycles through)


class Command(BaseCommand):
    help = "Drive gunicorn on loopback with concurrent staff sessions (work mix vs. a trivial page)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sessions", type=int, default=20)
        parser.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
        parser.add_argument("--think", type=float, default=0.0, help="seconds between a session's requests (± 50 %%)")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
        parser.add_argument("--office", type=int, help="office number N (staff bench-oN-…); default: the largest")
        parser.add_argument("--trivial", default="integration_plans:notice_list",
                            help="URL name of the trivial page (default: the legal-notice list)")
        parser.add_argument("--output", help="also write the Markdown to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        pages = PagesCommand()
        pages._check_setup()
        office = pages._office(options["office"])
        host = pages._host()
        sessions = self._sessions(office, options["sessions"])
        trivial_url = reverse(options["trivial"])
        load_before = os.getloadavg()
        server = Server(options["workers"], free_port())
        try:
            server.wait_ready(host)
            self._warm(server.port, host, sessions, trivial_url)
            mix = self._run(server.port, host, sessions, options["duration"], options["think"], None)
            trivial = self._run(server.port, host, sessions, options["duration"], options["think"], trivial_url)
        finally:
            server.stop()
        text = self._report(office, options, mix, trivial, load_before)
        self.stdout.write(text)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)

    # --- sessions -----------------------------------------------------------------------------------------
    def _sessions(self, office: ContactPoint, count: int) -> list[Session]:
        """``count`` logged-in sessions: the office's case managers in turn (every tenth session the team lead),
        each with its own clients to open and names to search for."""
        index = office_index(office)
        users = get_user_model().objects
        managers = list(users.filter(username__startswith=staff_username(index, "fallmanager") + "-")
                        .order_by("pk"))
        lead = users.filter(username=staff_username(index, "teamleitung")).first()
        if not managers or lead is None:
            raise CommandError(f"{office}: no staff of seed_city_bench")
        rng = random.Random(13)  # noqa: S311 - spreading benchmark requests, not security
        result = []
        for number in range(count):
            user = lead if number % 10 == 9 else managers[number % len(managers)]
            client = TestClient(secure=True, HTTP_X_FORWARDED_PROTO="https")
            client.force_login(user)
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            mine = Case.objects.filter(contact_point=office).exclude(status=CaseStatus.CLOSED)
            mine = mine.filter(case_manager=user) if user != lead else mine
            client_ids = list(mine.order_by("?").values_list("client_id", flat=True)[:20]) or [0]
            names = [f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}" for _ in range(10)]
            result.append(Session(cookie, [
                ("start page", [reverse("home")]),
                ("case list", [reverse("cases:case_list")]),
                ("search", [f"{reverse('cases:client_list')}?q={quote_plus(name)}" for name in names]),
                ("client page", [reverse("cases:client_detail", args=[pk]) for pk in client_ids]),
                ("plans list", [reverse("integration_plans:plan_list")]),
                ("today's appointments", [reverse("cases:my_day_list", args=["termine"])]),
            ]))
        return result

    # --- driving ------------------------------------------------------------------------------------------
    def _get(self, port: int, host: str, cookie: str, url: str) -> tuple[int, float]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.request("GET", url, headers={"Host": host, "X-Forwarded-Proto": "https", "Cookie": cookie,
                                              "Accept-Language": "de"})
            response = conn.getresponse()
            response.read()
            return response.status, (time.perf_counter() - started) * 1000
        finally:
            conn.close()

    def _warm(self, port: int, host: str, sessions: list[Session], trivial_url: str) -> None:
        """One request of every page of the mix and the trivial page in each worker's reach; a page that does not
        answer 200 here stops the benchmark."""
        first = sessions[0]
        for name, urls in [*first.mix, ("trivial", [trivial_url])]:
            for _ in range(2):
                status, _ms = self._get(port, host, first.cookie, urls[0])
                if status != 200:
                    raise CommandError(f"{name} ({urls[0]}) answered {status}")

    def _run(self, port: int, host: str, sessions: list[Session], duration: float, think: float,
             only_url: str | None) -> Stats:
        stats = Stats()
        lock = threading.Lock()
        start = threading.Event()
        stop_at = [0.0]

        def drive(number: int, session: Session) -> None:
            rng = random.Random(number)  # noqa: S311 - spreading benchmark requests, not security
            cycle = number % len(session.mix)  # the sessions start at different pages of the mix
            start.wait()
            if think:
                time.sleep(rng.uniform(0, think))  # the sessions do not start in step
            while time.monotonic() < stop_at[0]:
                if only_url:
                    name, url = "trivial", only_url
                else:
                    name, urls = session.mix[cycle % len(session.mix)]
                    url = urls[(cycle // len(session.mix)) % len(urls)]
                cycle += 1
                try:
                    status, ms = self._get(port, host, session.cookie, url)
                except OSError as error:
                    status, ms = 0, 0.0
                    detail = f"{type(error).__name__}: {error}"
                else:
                    detail = f"status {status}"
                with lock:
                    if status == 200:
                        stats.latencies.append(ms)
                        stats.in_window += time.monotonic() <= stop_at[0]
                        stats.per_page.setdefault(name, []).append(ms)
                    else:
                        stats.errors += 1
                        if len(stats.error_samples) < 5:
                            stats.error_samples.append(f"{name} {url}: {detail}")
                if think:
                    time.sleep(think * rng.uniform(0.5, 1.5))

        threads = [threading.Thread(target=drive, args=(n, s), daemon=True) for n, s in enumerate(sessions)]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        stop_at[0] = began + duration
        start.set()
        for thread in threads:
            thread.join(duration + 180)  # a request still running at the end is waited for (timeout 120 s)
        stats.seconds = duration
        return stats

    # --- output -------------------------------------------------------------------------------------------
    def _report(self, office: ContactPoint, options: dict[str, Any], mix: Stats, trivial: Stats,
                load_before: tuple[float, float, float]) -> str:
        load_after = os.getloadavg()
        think = options["think"]
        p95_target = P95_THINK_TARGET_MS if think else P95_TARGET_MS
        ratio = mix.rate / trivial.rate if trivial.rate else 0.0

        def row(label: str, stats: Stats) -> str:
            return (f"| {label} | {stats.requests} | {stats.rate:.1f} | {percentile(stats.latencies, 50):.0f} | "
                    f"{percentile(stats.latencies, 95):.0f} | {stats.errors} |")

        lines = [
            f"## Load ({timezone.localtime():%Y-%m-%d %H:%M}): {options['sessions']} sessions, think time {think:g} s, "
            f"{options['duration']:g} s per phase, gunicorn {options['workers']} workers on 127.0.0.1", "",
            f"* database `{connection.settings_dict['NAME']}`, office {office.name} (number {office_index(office)}); "
            f"DEBUG={settings.DEBUG} in this process, DJANGO_DEBUG=0 for gunicorn",
            f"* machine load (1/5/15 min) before {'/'.join(f'{x:.1f}' for x in load_before)}, after "
            f"{'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs (the driver runs on the same machine)",
            "",
            "Requests/s counts the answers within the phase; p50 and p95 include the requests still running at its "
            "end.", "",
            "| phase | requests | requests/s | p50 ms | p95 ms | errors |",
            "|---|---:|---:|---:|---:|---:|",
            row("work mix", mix),
            row(f"trivial page ({options['trivial']})", trivial),
            "",
            "| page of the mix | requests | p50 ms | p95 ms |",
            "|---|---:|---:|---:|",
            *(f"| {name} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} |"
              for name, values in sorted(mix.per_page.items(), key=lambda item: MIX.index(item[0]))),
            "",
            f"**work mix ÷ trivial page throughput: {ratio:.2f}**" + ("" if think else f" (target ≥ {MIX_TARGET_RATIO})")
            + f"; work mix p95 {percentile(mix.latencies, 95):.0f} ms (target ≤ {p95_target:.0f} ms); "
            f"errors {mix.errors + trivial.errors} (target 0)",
        ]
        misses = []
        if not think and ratio < MIX_TARGET_RATIO:
            misses.append(f"throughput ratio {ratio:.2f} < {MIX_TARGET_RATIO}")
        if percentile(mix.latencies, 95) > p95_target:
            misses.append(f"p95 {percentile(mix.latencies, 95):.0f} ms > {p95_target:.0f} ms")
        if mix.errors + trivial.errors:
            misses.append(f"{mix.errors + trivial.errors} errors: " + "; ".join(mix.error_samples + trivial.error_samples))
        lines.append("")
        lines += [f"- MISSES: {miss}" for miss in misses] or ["- all targets met"]
        return "\n".join(lines) + "\n"
