"""Take over an office's clients from a file, as the page "Kunden übernehmen" does (dry run, then the real run).

    python manage.py import_clients kunden.csv --office 3 --dry-run      # check only, nothing is stored
    python manage.py import_clients kunden.xlsx --office 3 --by teamleitung
    python manage.py import_clients /tmp/bench.csv --office 3 --sample 10000   # write a test file first

Prints what the dry run found and how long the dry run and the real run took. The real run is all or nothing;
``--duplicate-reason`` confirms suspected duplicates (as the page asks for).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation

from cases.import_io import COLUMNS
from cases.services import imports
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

SHOWN = 20


def sample_csv(office: ContactPoint, count: int) -> bytes:
    """``count`` made-up clients (every third with two benefits, every second with an open case) for a benchmark."""
    managers = list(get_user_model().objects.filter(
        groups__name=Role.FALLMANAGER, staff_profile__contact_points=office, is_active=True,
    ).values_list("username", flat=True).distinct()) or [""]
    lines = [";".join(COLUMNS.values())]
    for n in range(count):
        identity = [f"Muster{n:06d}", f"Vorname{n % 997}", f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1950 + n % 50}",
                    f"{n % 1000:03d}B{n:06d}", f"51-{n:06d}/03"]
        address = [f"Teststraße {n % 200 + 1}", f"{4000 + n % 5000:05d}", "Leipzig", "", ""]
        benefit = ["Alhi", f"{400 + n % 300},50", "01.01.2003", "", ""]
        case = [managers[n % len(managers)], "Betreuungskunde", "01.02.2003"] if n % 2 == 0 else ["", "", ""]
        lines.append(";".join(identity + address + benefit + case))
        if n % 3 == 0:
            lines.append(";".join(identity + [""] * 5 + ["HLU", "180,00", "01.03.2003", "", ""] + [""] * 3))
    return ("\n".join(lines) + "\n").encode("utf-8")


class Command(BaseCommand):
    help = "Import clients with their benefits and open cases from a CSV or xlsx file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", type=int, required=True, help="id of the contact point")
        parser.add_argument("--dry-run", action="store_true", help="only check the file; store nothing")
        parser.add_argument("--by", default="", help="user name of the importing Teamleitung or administrator")
        parser.add_argument("--duplicate-reason", default="", help="why suspected duplicates are other people")
        parser.add_argument("--sample", type=int, default=0, help="first write a made-up file with N clients")

    def handle(self, *args: Any, **options: Any) -> None:
        office = ContactPoint.objects.filter(pk=options["office"]).first()
        if office is None:
            raise CommandError(f"No contact point with id {options['office']}.")
        path: Path = options["file"]
        if options["sample"]:
            path.write_bytes(sample_csv(office, options["sample"]))
            self.stdout.write(f"wrote {options['sample']} made-up clients to {path}")
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        with translation.override("de"):
            self._run(office, path, raw, options)

    def _run(self, office: ContactPoint, path: Path, raw: bytes, options: dict[str, Any]) -> None:
        started = time.monotonic()
        if options["dry_run"]:
            result = imports.check(office=office, raw=raw)
            seconds = time.monotonic() - started
            self.stdout.write(f"dry run: {result.data_rows} rows, {len(result.clients)} clients, {result.benefits} "
                              f"benefits, {result.cases} open cases; {len(result.problems)} errors in "
                              f"{result.bad_rows} rows, {len(result.duplicates)} suspected duplicates "
                              f"({seconds:.2f} s)")
            for problem in result.problems[:SHOWN]:
                self.stdout.write(f"  row {problem.row} {problem.column}: {problem.message}")
            for duplicate in result.duplicates[:SHOWN]:
                self.stdout.write(f"  duplicate? row {duplicate.row}: {duplicate.name}")
            return
        by = self._user(office, options["by"])
        try:
            run = imports.dry_run(office=office, raw=raw, filename=path.name, by=by)
        except imports.ClientImportError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"dry run: {run.rows} rows, {run.clients} clients, {run.benefits} benefits, {run.cases} "
                          f"open cases; {run.errors} errors, {run.duplicates} suspected duplicates "
                          f"({run.check_seconds:.2f} s checking, {time.monotonic() - started:.2f} s with storing)")
        for row, column, message in run.findings.get("problems", [])[:SHOWN]:
            self.stdout.write(f"  row {row} {column}: {message}")
        if run.errors:
            raise CommandError("Nothing was imported: the file has errors.")
        started = time.monotonic()
        try:
            done = imports.execute(run=run, by=by, sha256=run.sha256, duplicate_reason=options["duplicate_reason"])
        except imports.ClientImportError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"imported: {done.clients} clients, {done.benefits} benefits, {done.cases} open cases "
                          f"({done.import_seconds:.2f} s in the transaction, {time.monotonic() - started:.2f} s "
                          f"in all); import run {done.pk}, SHA-256 {done.sha256}")

    def _user(self, office: ContactPoint, username: str) -> Any:
        users = get_user_model().objects.filter(
            Q(groups__name=Role.TEAMLEITUNG) | Q(groups__name=Role.ADMINISTRATOR),
            staff_profile__contact_points=office, is_active=True,
        ).distinct().order_by("pk")
        user = users.filter(username=username).first() if username else users.first()
        if user is None:
            raise CommandError("No active Teamleitung or administrator of the office"
                               + (f" named {username!r}." if username else "."))
        return user
