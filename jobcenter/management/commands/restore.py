"""``manage.py restore DIR``: restore a backup into an empty database and verify it (``jobcenter/backup.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobcenter.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore the backup in DIR into the configured database, which must be empty, and the document store; "
            "then check every table's row count and every document's SHA-256 against the manifest.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="A directory written by `manage.py backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored and verified: {len(manifest['tables'])} tables, {len(manifest['documents'])} documents."))
