"""``manage.py backup`` and ``manage.py restore``: the demo, backed up and restored into a fresh database, has every
table's row count and every document's SHA-256; a restore refuses a database that is not empty."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from jobcenter import documents
from jobcenter.backup import row_counts
from jobcenter.models_documents import StoredDocument
from tests.conftest import BASE_DIR, _database_url

pytestmark = pytest.mark.slow


@pytest.fixture
def fresh_database():  # type: ignore[no-untyped-def]
    """A new, empty database on the test server; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin_url = _database_url()
    parts = urlsplit(admin_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # type: ignore[index]  # noqa: S608
                for table in tables}


def _manage(*args: str, database_url: str, documents_root: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DOCUMENTS_ROOT": documents_root}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_demo_backed_up_restores_into_a_fresh_database_with_every_row_and_document(
        transactional_db, settings, tmp_path, fresh_database):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    call_command("seed_demo", verbosity=0)
    for number in range(3):
        documents.store(key=f"backup-test:{number}", kind="backup_test", data=b"%PDF-1.4 " + bytes([number]) * 500,
                        filename=f"dokument-{number}.pdf")
    expected_documents = {doc.key: doc.sha256 for doc in StoredDocument.objects.all()}
    assert len(expected_documents) >= 3

    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), verbosity=0)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    expected_counts = row_counts()
    assert manifest["tables"] == expected_counts
    assert {entry["key"]: entry["sha256"] for entry in manifest["documents"]} == expected_documents
    assert manifest["versions"]["postgresql_server"] and manifest["versions"]["migrations"]["jobcenter"]
    assert sum(expected_counts.values()) > 100  # the demo, not an empty shell

    restored_root = tmp_path / "restored-documents"
    result = _manage("restore", str(backup_dir), database_url=fresh_database, documents_root=str(restored_root))
    assert result.returncode == 0, result.stderr
    assert "Restored and verified" in result.stdout

    assert _counts(fresh_database) == expected_counts
    with psycopg.connect(fresh_database) as conn:
        rows = conn.execute("SELECT key, path, sha256 FROM jobcenter_storeddocument").fetchall()
    assert {key: sha for key, _path, sha in rows} == expected_documents
    for _key, path, sha in rows:
        assert hashlib.sha256((restored_root / path).read_bytes()).hexdigest() == sha

    # a second restore finds the database in use and refuses, changing nothing
    again = _manage("restore", str(backup_dir), database_url=fresh_database, documents_root=str(restored_root))
    assert again.returncode != 0 and "not empty" in again.stderr
    assert _counts(fresh_database) == expected_counts


def test_a_backup_goes_into_a_new_directory_and_a_tampered_document_fails_the_restore(
        transactional_db, settings, tmp_path, fresh_database):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    document = documents.store(key="backup-test:tamper", kind="backup_test", data=b"%PDF-1.4 original",
                               filename="x.pdf")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "something").write_text("x")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(occupied), verbosity=0)

    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), verbosity=0)
    (backup_dir / "documents" / document.path).write_bytes(b"%PDF-1.4 changed!")
    result = _manage("restore", str(backup_dir), database_url=fresh_database,
                     documents_root=str(tmp_path / "restored"))
    assert result.returncode != 0 and "does not match its checksum" in result.stderr
    assert _counts(fresh_database) == {}  # refused before a table was created
