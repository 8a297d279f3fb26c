"""``manage.py backup DIR``: one consistent backup of the database and the documents (``jobcenter/backup.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobcenter.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write one consistent backup of the database and the documents, with a manifest, into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A new or empty directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {options['directory']}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['documents'])} documents."))
