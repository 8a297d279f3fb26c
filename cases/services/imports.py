"""Taking over an office's clients from a file: the dry run and the all-or-nothing real run.

``check`` reads the file (``cases.import_io``) and applies the rules across rows and against the database,
writing nothing:

* **duplicates** by the intake's rule (``cases.services.clients``): a Kundennummer or Aktenzeichen that the
  office already holds, or that another person in the file holds, is an error (never overridable, as at
  registration); the same name normal form and date of birth as a client of the office or as another person in
  the file is a *suspected duplicate*: named in the dry run, imported only with a stated reason (stored on the
  client as at registration).
* rows of the **same client** (same name, date of birth and numbers) add benefits; their other client columns
  are empty or the same, and so are their case columns; benefits of the same kind must not overlap.
* the **case manager** is the user name of an active case manager of the office (one query for all rows).

``dry_run`` stores the file in the document store and an ``ImportRun`` with what the check found; a later upload
replaces it (the earlier file is deleted). ``execute`` runs the check again inside one transaction, holding the
intake's lock of the office, and writes every client, benefit and case with ``bulk_create`` only when nothing is
wrong: if anything fails, nothing is imported. Every row written is audited by the pghistory triggers with the
context ``import_run`` (and the acting user); the file is deleted afterwards, its checksum stays on the run.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pghistory
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.import_io import (
    CASE_COLUMNS,
    COLUMNS,
    IDENTITY_COLUMNS,
    BenefitRow,
    CaseRow,
    ImportRow,
    Parsed,
    Problem,
    Reader,
    short,
)
from cases.models import BenefitEntitlement, BenefitKind, Case, Client
from cases.models_import import ImportRun, ImportStatus
from cases.rules import target_group_on
from cases.services.clients import (
    ClientData,
    DuplicateIndex,
    duplicate_index,
    lock_registrations,
    number_duplicate_message,
)
from jobcenter import documents, sheets
from jobcenter.errors import DomainError
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_BYTES = 20 * 1024 * 1024
KEEP_CHECKED = timedelta(days=14)  # a checked file not imported by then is deleted (``discard_stale``)
STORED_PROBLEMS = 1000  # problems kept for the dry-run page (the counts are exact)
STORED_DUPLICATES = 1000
BATCH = 2000


class ClientImportError(DomainError):
    """The import was refused (nothing was written)."""


class ImportRefused(ClientImportError):
    """The real run found bad rows or unconfirmed duplicates; nothing was imported."""


@dataclass
class PlannedClient:
    row: int
    data: ClientData
    rows: list[int]
    benefits: list[tuple[int, BenefitRow]] = field(default_factory=list)  # (row in the file, benefit)
    case: CaseRow | None = None
    case_row: int = 0
    manager_id: int | None = None
    duplicate: bool = False


@dataclass(frozen=True)
class Duplicate:
    row: int
    name: str
    birth_date: date
    matches: list[dict[str, Any]]  # existing clients: {"id", "label"}
    file_row: int | None  # the earlier row of the file with the same person


@dataclass
class Check:
    data_rows: int
    problems: list[Problem]
    duplicates: list[Duplicate]
    clients: list[PlannedClient]
    bad_rows: int

    @property
    def benefits(self) -> int:
        return sum(len(client.benefits) for client in self.clients)

    @property
    def cases(self) -> int:
        return sum(1 for client in self.clients if client.case is not None)

    def findings(self) -> dict[str, Any]:
        return {
            "problems": [[p.row, short(p.column, 100), short(p.message, 1000)] for p in self.problems[:STORED_PROBLEMS]],
            "duplicates": [{"row": d.row, "name": d.name, "birth_date": d.birth_date.strftime("%d.%m.%Y"),
                            "matches": d.matches, "file_row": d.file_row}
                           for d in self.duplicates[:STORED_DUPLICATES]],
            "bad_rows": self.bad_rows,
        }


# --- the check ----------------------------------------------------------------------------------------------
def _identity(data: ClientData) -> tuple[str, date, str, str]:
    return data.search_name, data.birth_date, data.customer_number, data.file_number


def _label(client: Client) -> str:
    return f"{client.last_name}, {client.first_name} ({client.birth_date:%d.%m.%Y})"


def _case_managers(office: ContactPoint, names: set[str]) -> dict[str, int]:
    """User name (also in other case) → id, for the active case managers of ``office`` among ``names``."""
    if not names:
        return {}
    users = get_user_model().objects.filter(
        is_active=True, groups__name=Role.FALLMANAGER, staff_profile__contact_points=office,
    ).values_list("username", "id").distinct()
    found = {username: pk for username, pk in users}
    folded = {username.lower(): pk for username, pk in found.items()}
    return {name: found.get(name) or folded[name.lower()] for name in names
            if name in found or name.lower() in folded}


class _Checker:
    def __init__(self, office: ContactPoint, parsed: Parsed, index: DuplicateIndex) -> None:
        self.office = office
        self.parsed = parsed
        self.index = index
        self.problems = list(parsed.problems)
        self.bad_rows = set(parsed.bad_rows)
        self.duplicates: list[Duplicate] = []
        self.clients: dict[tuple[str, date, str, str], PlannedClient] = {}
        self.by_name: dict[tuple[str, date], PlannedClient] = {}
        self.numbers: dict[tuple[str, str], PlannedClient] = {}

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(row, COLUMNS.get(key, key), message))
        self.bad_rows.add(row)

    def run(self) -> Check:
        managers = _case_managers(self.office, {name for _row, name in self.parsed.case_managers})
        for number, name in self.parsed.case_managers:  # every row, also one with other errors
            if name not in managers:
                self.problem(number, "case_manager", _("%(name)s is not a case manager of %(office)s.")
                             % {"name": short(name), "office": self.office.name})
        for row in self.parsed.rows:
            self.add(row, managers)
        self.problems.sort(key=lambda p: (p.row, list(COLUMNS.values()).index(p.column)
                                          if p.column in COLUMNS.values() else -1))
        return Check(data_rows=self.parsed.data_rows, problems=self.problems, duplicates=self.duplicates,
                     clients=list(self.clients.values()), bad_rows=len(self.bad_rows))

    def add(self, row: ImportRow, managers: dict[str, int]) -> None:
        key = _identity(row.client)
        planned = self.clients.get(key)
        if planned is None:
            if not self._new_client(row):
                return
            planned = self.clients[key] = PlannedClient(row=row.row, data=row.client, rows=[row.row])
            self.register(planned)
        else:
            self._same_client(planned, row)
            planned.rows.append(row.row)
        if row.benefit is not None:
            self._benefit(planned, row.row, row.benefit)
        if row.case is not None:
            self._case(planned, row.row, row.case, managers)

    def _new_client(self, row: ImportRow) -> bool:
        data = row.client
        matches = self.index.matches(data)
        if matches.by_number:
            column, message = number_duplicate_message(matches.by_number, data)
            self.problem(row.row, column, message)  # as at registration; the number finds the client
            return False
        for number_key, number in (("customer_number", data.customer_number), ("file_number", data.file_number)):
            earlier = self.numbers.get((number_key, number)) if number else None
            if earlier is not None:
                self.problem(row.row, number_key, _("The same number as row %(row)s, but another person.")
                             % {"row": earlier.row})
                return False
        name_key = (data.search_name, data.birth_date)
        in_file = self.by_name.get(name_key)
        if matches.by_name or in_file is not None:
            self.duplicates.append(Duplicate(
                row=row.row, name=f"{data.last_name}, {data.first_name}", birth_date=data.birth_date,
                matches=[{"id": c.pk, "label": _label(c)} for c in matches.by_name],
                file_row=in_file.row if in_file is not None else None))
        return True

    def register(self, planned: PlannedClient) -> None:
        data = planned.data
        self.by_name.setdefault((data.search_name, data.birth_date), planned)
        for number_key, number in (("customer_number", data.customer_number), ("file_number", data.file_number)):
            if number:
                self.numbers[(number_key, number)] = planned

    def _same_client(self, planned: PlannedClient, row: ImportRow) -> None:
        first = asdict(planned.data)
        for key in row.given - set(IDENTITY_COLUMNS):
            value = getattr(row.client, key)
            if first[key] and value != first[key]:
                self.problem(row.row, key, _("Differs from row %(row)s of the same client; leave it empty or "
                                             "repeat the value.") % {"row": planned.row})
            elif not first[key]:
                first[key] = value
        planned.data = ClientData(**first)

    def _benefit(self, planned: PlannedClient, row: int, new: BenefitRow) -> None:
        for other_row, other in planned.benefits:
            if other.kind != new.kind:
                continue
            if (other.end is None or other.end >= new.start) and (new.end is None or new.end >= other.start):
                self.problem(row, "benefit_from", _("Overlaps with the %(benefit)s of row %(row)s.")
                             % {"benefit": BenefitKind(new.kind).label, "row": other_row})
                return
        planned.benefits.append((row, new))

    def _case(self, planned: PlannedClient, row: int, case: CaseRow, managers: dict[str, int]) -> None:
        if case.case_manager and case.case_manager not in managers:
            return  # reported for every row in ``run``
        if planned.case is not None:
            for key in CASE_COLUMNS:
                mine, theirs = getattr(case, key), getattr(planned.case, key)
                if mine and theirs and mine != theirs:
                    self.problem(row, key, _("Differs from row %(row)s of the same client; leave it empty or "
                                             "repeat the value.") % {"row": planned.case_row})
            return
        planned.case, planned.case_row = case, row
        planned.manager_id = managers.get(case.case_manager) if case.case_manager else None


def check(*, office: ContactPoint, raw: bytes, today: date | None = None) -> Check:
    """Everything the dry run reports, without writing: bad rows (row, column, message), suspected duplicates,
    and the clients, benefits and cases that would be imported."""
    parsed = Reader(today or timezone.localdate()).parse(raw)
    result = _Checker(office, parsed, duplicate_index(office, [row.client for row in parsed.rows])).run()
    duplicate_rows = {d.row for d in result.duplicates}
    for planned in result.clients:
        planned.duplicate = planned.row in duplicate_rows
    return result


# --- dry run ------------------------------------------------------------------------------------------------
def _apply(run: ImportRun, result: Check, seconds: float) -> None:
    run.rows, run.clients, run.benefits, run.cases = result.data_rows, len(result.clients), result.benefits, result.cases
    run.errors, run.duplicates = len(result.problems), len(result.duplicates)
    run.findings, run.check_seconds = result.findings(), round(seconds, 2)


def _discard_file(run: ImportRun) -> None:
    document = run.document
    run.document = None
    run.findings = {}
    run.save(update_fields=["document", "findings", "status"])
    if document is not None:
        documents.delete(document)


def dry_run(*, office: ContactPoint, raw: bytes, filename: str, by: User) -> ImportRun:
    """Check ``raw`` and keep it for the real run: the file in the document store, an ``ImportRun`` with the
    findings. Earlier unexecuted uploads of the office are replaced (their files deleted)."""
    if not raw:
        raise ClientImportError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise ClientImportError(_("The file is too large (at most %(limit)s MB).") % {"limit": MAX_BYTES // 2**20})
    started = time.monotonic()
    result = check(office=office, raw=raw)
    if result.data_rows == 0 and not result.problems:
        raise ClientImportError(_("The file has no data rows."))
    extension = "xlsx" if sheets.is_xlsx(raw) else "csv"
    with documents.removed_on_failure(), transaction.atomic():
        for earlier in ImportRun.objects.select_for_update().filter(contact_point=office,
                                                                    status=ImportStatus.CHECKED):
            earlier.status = ImportStatus.SUPERSEDED
            _discard_file(earlier)
        run = ImportRun(contact_point=office, filename=documents.safe_filename(filename), sha256=documents.sha256_of(raw),
                        size=len(raw), uploaded_by=by)
        _apply(run, result, time.monotonic() - started)
        run.save()
        run.document = documents.store(
            key=f"client_import:{run.pk}", kind="client_import", data=raw, filename=run.filename,
            content_type="text/csv" if extension == "csv" else "application/octet-stream", extension=extension,
            created_by=by)
        run.save(update_fields=["document"])
    return run


def discard_stale(*, now: datetime | None = None) -> int:
    """Delete the files and findings of checked runs older than ``KEEP_CHECKED`` (daily task); the run stays as
    "replaced", with its checksum and counts. Returns how many were discarded."""
    cutoff = (now or timezone.now()) - KEEP_CHECKED
    count = 0
    with transaction.atomic():
        for run in ImportRun.objects.select_for_update(skip_locked=True).filter(status=ImportStatus.CHECKED,
                                                                                uploaded_at__lt=cutoff):
            run.status = ImportStatus.SUPERSEDED
            _discard_file(run)
            count += 1
    return count


# --- the real run -------------------------------------------------------------------------------------------
# The maintained target group of a client (``cases.target_groups``), where the model has it: written with the new
# row, so that the benefit trigger finds it right and does not rewrite every client row once per benefit.
_MAINTAINED_GROUP = "current_target_group" in {f.name for f in Client._meta.concrete_fields}


def _write(office: ContactPoint, result: Check, reason: str) -> None:
    today = timezone.localdate()
    clients = []
    for planned in result.clients:
        client = Client(contact_point=office, duplicate_override_reason=reason if planned.duplicate else "",
                        **asdict(planned.data))
        if _MAINTAINED_GROUP:
            client.current_target_group = target_group_on([b for _row, b in planned.benefits], today).value
        clients.append(client)
    Client.objects.bulk_create(clients, batch_size=BATCH)
    benefits = [BenefitEntitlement(client=client, kind=benefit.kind, monthly_amount=benefit.monthly_amount,
                                   start=benefit.start, end=benefit.end, end_reason=benefit.end_reason)
                for client, planned in zip(clients, result.clients, strict=True) for _row, benefit in planned.benefits]
    BenefitEntitlement.objects.bulk_create(benefits, batch_size=BATCH)
    cases = [Case(client=client, contact_point=office, case_manager_id=planned.manager_id,
                  segment=planned.case.segment, opened_on=planned.case.opened_on or today)
             for client, planned in zip(clients, result.clients, strict=True) if planned.case is not None]
    Case.objects.bulk_create(cases, batch_size=BATCH)


def execute(*, run: ImportRun, by: User, sha256: str, duplicate_reason: str = "") -> ImportRun:
    """Import the checked file of ``run``: all rows in one transaction or none. Refused (``ImportRefused``, with
    the run's findings brought up to date) when a row is bad now, or when suspected duplicates were not
    confirmed with a reason."""
    reason = duplicate_reason.strip()
    refusal: str | None = None
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update(of=("self",)).select_related("contact_point", "document").get(
            pk=run.pk)
        if locked.status != ImportStatus.CHECKED or locked.document is None:
            raise ClientImportError(_("This file has already been imported or was replaced by a later upload."))
        if sha256 != locked.sha256:
            raise ClientImportError(_("The file does not match the checked one; upload it again."))
        try:
            raw = documents.read(locked.document)
        except documents.DocumentError as error:
            raise ClientImportError(error.message) from None
        office = locked.contact_point
        started = time.monotonic()
        lock_registrations(office)
        result = check(office=office, raw=raw)
        if result.problems:
            refusal = ngettext("Nothing was imported: %(count)s row has errors.",
                               "Nothing was imported: %(count)s rows have errors.", result.bad_rows) % {
                "count": result.bad_rows}
        elif result.duplicates and not reason:
            refusal = _("Nothing was imported: state why the suspected duplicates are different people.")
        else:
            try:
                with transaction.atomic(), pghistory.context(import_run=locked.pk, user=by.pk):
                    _write(office, result, reason)
            except IntegrityError as error:  # a constraint is the last line (e.g. a concurrent writer)
                raise ClientImportError(_("Nothing was imported: the database refused a row (%(error)s).")
                                   % {"error": str(error).splitlines()[0][:200]}) from None
            _apply(locked, result, locked.check_seconds)
            locked.status, locked.imported_by, locked.imported_at = ImportStatus.IMPORTED, by, timezone.now()
            locked.duplicate_reason = reason if result.duplicates else ""
            locked.import_seconds = round(time.monotonic() - started, 2)
            locked.save()
            _discard_file(locked)
            return locked
    # refused: keep the run checkable, with what the check finds now
    _apply(run, result, run.check_seconds)
    run.save(update_fields=["rows", "clients", "benefits", "cases", "errors", "duplicates", "findings"])
    raise ImportRefused(refusal)

