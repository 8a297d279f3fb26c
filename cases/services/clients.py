"""Registering and editing clients (Erhebung von Personendaten) with the duplicate check of docs/domain.md §2.

A possible duplicate is a client of the same office with the same normalised name and birth date (overridable
with a stated reason) or with the same Kundennummer / Aktenzeichen (never overridable). The check runs here,
inside the transaction that writes, and the partial unique constraints on the numbers are the last line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Client
from cases.rules import normalise_name
from jobcenter.errors import DomainError
from jobcenter.models import ContactPoint

# First key of the advisory lock that serialises registrations per office (second key: the office id).
_INTAKE_LOCK_CLASS = 310_002


class IntakeError(DomainError):
    """A registration or edit was refused; ``matches`` are the clients it collides with, if any."""

    def __init__(self, message: str, *, field: str | None = None, matches: Sequence[Client] = ()) -> None:
        super().__init__(message, field=field)
        self.matches = list(matches)


class DuplicateNumberError(IntakeError):
    """Another client of the office holds the same Kundennummer or Aktenzeichen: saving is blocked."""


class PossibleDuplicateError(IntakeError):
    """A client with the same name and birth date exists: saving needs a stated reason."""


@dataclass(frozen=True)
class ClientData:
    first_name: str
    last_name: str
    birth_date: date
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    customer_number: str = ""
    file_number: str = ""
    household_size: int = 1
    children_under_15: int = 0

    @property
    def search_name(self) -> str:
        return normalise_name(f"{self.last_name} {self.first_name}")


@dataclass(frozen=True)
class Duplicates:
    by_name: list[Client]
    by_number: list[Client]


def find_duplicates(*, office: ContactPoint, data: ClientData, exclude_pk: int | None = None) -> Duplicates:
    """Clients of ``office`` that may be the same person (two indexed queries, at most a handful of rows)."""
    clients = Client.objects.for_office(office.pk)
    if exclude_pk is not None:
        clients = clients.exclude(pk=exclude_pk)
    by_name = list(clients.filter(birth_date=data.birth_date, name_search=data.search_name))
    numbers = Q()
    if data.customer_number:
        numbers |= Q(customer_number=data.customer_number)
    if data.file_number:
        numbers |= Q(file_number=data.file_number)
    by_number = list(clients.filter(numbers)) if numbers else []
    return Duplicates(by_name=by_name, by_number=by_number)


def _number_duplicate_error(matches: Sequence[Client], data: ClientData) -> DuplicateNumberError:
    field = (
        "customer_number"
        if data.customer_number and any(m.customer_number == data.customer_number for m in matches)
        else "file_number"
    )
    message = (
        _("This customer number is already registered in this contact point.")
        if field == "customer_number"
        else _("This file number is already registered in this contact point.")
    )
    return DuplicateNumberError(message, field=field, matches=matches)


def _check(office: ContactPoint, data: ClientData, duplicate_reason: str, *, exclude_pk: int | None,
           check_name: bool) -> str:
    """Raise on a duplicate that blocks; return the override reason to store ("" when no name match)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_INTAKE_LOCK_CLASS, office.pk])
    duplicates = find_duplicates(office=office, data=data, exclude_pk=exclude_pk)
    if duplicates.by_number:
        raise _number_duplicate_error(duplicates.by_number, data)
    if check_name and duplicates.by_name:
        if not duplicate_reason.strip():
            raise PossibleDuplicateError(
                _("A client with the same name and date of birth is already registered. Check the matches; "
                  "if this is a different person, confirm and state why."),
                field="duplicate_reason", matches=duplicates.by_name,
            )
        return duplicate_reason.strip()
    return ""


def _save(client: Client, data: ClientData) -> Client:
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as error:
        # A concurrent registration won the race for the number; the constraint is the last line.
        matches = find_duplicates(office=client.contact_point, data=data, exclude_pk=client.pk).by_number
        raise _number_duplicate_error(matches, data) from error
    return client


@transaction.atomic
def register_client(*, office: ContactPoint, data: ClientData, duplicate_reason: str = "") -> Client:
    """Register a client at ``office`` after the duplicate check.

    Raises ``DuplicateNumberError`` when the Kundennummer or Aktenzeichen is taken in the office and
    ``PossibleDuplicateError`` when name and birth date match another client and no reason was given.
    """
    reason = _check(office, data, duplicate_reason, exclude_pk=None, check_name=True)
    client = Client(contact_point=office, duplicate_override_reason=reason, **asdict(data))
    return _save(client, data)


@transaction.atomic
def update_client(*, client: Client, data: ClientData, duplicate_reason: str = "") -> Client:
    """Change a client's data. Numbers must stay unique in the office; a change of name or birth date that
    makes the client look like another one needs a reason, as at registration."""
    # Compare with the stored row: a bound model form has already copied its input onto ``client``.
    stored = Client.objects.select_for_update(no_key=True, of=("self",)).select_related("contact_point").get(
        pk=client.pk
    )
    identity_changed = (
        normalise_name(f"{stored.last_name} {stored.first_name}") != data.search_name
        or stored.birth_date != data.birth_date
    )
    reason = _check(stored.contact_point, data, duplicate_reason, exclude_pk=stored.pk,
                    check_name=identity_changed)
    for field, value in asdict(data).items():
        setattr(stored, field, value)
    if reason:
        stored.duplicate_override_reason = reason
    return _save(stored, data)


# --- the same rule for many rows at once (the client import) ----------------------------------------------
def lock_registrations(office: ContactPoint) -> None:
    """Serialise with every registration of ``office`` until the transaction ends (the intake's lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_INTAKE_LOCK_CLASS, office.pk])


@dataclass(frozen=True)
class DuplicateIndex:
    """The office's clients by the keys of ``find_duplicates`` (one query): name normal form and birth date
    (a possible duplicate) and each number (a blocking duplicate)."""

    by_name: dict[tuple[str, date], list[Client]]
    by_customer_number: dict[str, Client]
    by_file_number: dict[str, Client]

    def matches(self, data: ClientData) -> Duplicates:
        by_number = [client for client in (self.by_customer_number.get(data.customer_number) if data.customer_number
                                           else None,
                                           self.by_file_number.get(data.file_number) if data.file_number else None)
                     if client is not None]
        return Duplicates(by_name=list(self.by_name.get((data.search_name, data.birth_date), ())),
                          by_number=list({client.pk: client for client in by_number}.values()))


def duplicate_index(office: ContactPoint, candidates: Sequence[ClientData]) -> DuplicateIndex:
    """The clients of ``office`` that share a name normal form or a number with one of ``candidates`` (indexed
    lookups in chunks; the work grows with the file, not with the office)."""
    index = DuplicateIndex(by_name={}, by_customer_number={}, by_file_number={})
    names = sorted({data.search_name for data in candidates})
    customer_numbers = sorted({data.customer_number for data in candidates if data.customer_number})
    file_numbers = sorted({data.file_number for data in candidates if data.file_number})
    chunk = 5000
    lookups = [Q(name_search__in=names[i:i + chunk]) for i in range(0, len(names), chunk)]
    lookups += [Q(customer_number__in=customer_numbers[i:i + chunk]) for i in range(0, len(customer_numbers), chunk)]
    lookups += [Q(file_number__in=file_numbers[i:i + chunk]) for i in range(0, len(file_numbers), chunk)]
    seen: set[int] = set()
    for lookup in lookups:
        clients = Client.objects.for_office(office.pk).filter(lookup).only(
            "id", "first_name", "last_name", "birth_date", "customer_number", "file_number", "name_search")
        for client in clients:
            if client.pk in seen:
                continue
            seen.add(client.pk)
            index.by_name.setdefault((client.name_search, client.birth_date), []).append(client)
            if client.customer_number:
                index.by_customer_number[client.customer_number] = client
            if client.file_number:
                index.by_file_number[client.file_number] = client
    return index


def number_duplicate_message(matches: Sequence[Client], data: ClientData) -> tuple[str, str]:
    """(field, message) of a blocking number duplicate, worded as at registration."""
    error = _number_duplicate_error(matches, data)
    return error.field or "customer_number", error.message
