"""Retention: clients whose cases all closed more than ``RETENTION_YEARS`` ago are anonymised, irreversibly.

What is removed: names, address, contact data, numbers and every free text about the client — in the current
rows, in the audit-trail rows (pghistory events) that copy them, also of rows deleted since, and in the titles
of the admin's change log. What stays, so that statistics of past months do not change: the client row itself
(id, office, birth date for the Jugendliche sub-group), benefit periods and amounts, cases with status, dates,
outcome and segment.

Each app declares, per model, which fields are scrubbed and which text fields are kept and why
(``RetentionPolicy``), and registers its policies with ``register`` (higher apps from their ``AppConfig.ready``);
the run applies exactly what is declared, so ``tests/security/test_data_subject_completeness.py`` can check that
every text field of every model with client data is either scrubbed or kept for a stated reason.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import (
    AnonymisationRun,
    Appointment,
    BenefitApplication,
    Case,
    CaseStatus,
    Client,
    ClosureRequest,
    ContactNote,
)
from cases.models_handover import HandOver
from jobcenter.models import AccessRecord
from notifications.models import Notification

ANONYMISED = "Anonymisiert"

# An anonymiser takes the ids of the clients being anonymised and returns {kind: rows changed}.
Anonymiser = Callable[[list[int]], dict[str, int]]


@dataclass(frozen=True)
class RetentionPolicy:
    """What anonymisation does to one model. ``client`` is the lookup from the model to the client's id (e.g.
    ``"case__client_id"``); ``scrubbed`` maps each removed field to the value it is overwritten with; ``kept`` maps
    each text field that stays to the reason it may stay. ``kind`` names the count in the run's details."""

    kind: str
    model: type[models.Model]
    client: str
    scrubbed: Mapping[str, object]
    kept: Mapping[str, str] = field(default_factory=dict)

    def apply(self, client_ids: list[int]) -> int:
        return scrub(self.model, {f"{self.client}__in": client_ids}, dict(self.scrubbed), client_lookup=self.client)


@dataclass(frozen=True)
class Registration:
    key: str
    policies: tuple[RetentionPolicy, ...]
    after: Anonymiser | None = None

    def run(self, client_ids: list[int]) -> dict[str, int]:
        """Apply the policies in order, then ``after``; {kind: rows changed}."""
        counts = {policy.kind: policy.apply(client_ids) for policy in self.policies}
        if self.after is not None:
            counts.update(self.after(client_ids))
        return counts


_REGISTRY: dict[str, Registration] = {}


def register(key: str, policies: Sequence[RetentionPolicy] = (), *, after: Anonymiser | None = None) -> None:
    """An app's part of the retention run: its ``policies`` are applied in order, then ``after`` runs (for what
    is not a field, e.g. deleting stored documents)."""
    _REGISTRY[key] = Registration(key, tuple(policies), after)


def registered_policies() -> list[RetentionPolicy]:
    return [policy for registration in _REGISTRY.values() for policy in registration.policies]


def scrub(
    model: type[models.Model], filter_kwargs: dict[str, object], values: dict[str, object], *, client_lookup: str = ""
) -> int:
    """Overwrite ``values`` in the rows of ``model`` and in every audit-trail event model that copies them (a
    model may have several, e.g. cases: the full trail and the reassignments). With ``client_lookup`` the
    events of rows deleted since are found too (through the foreign keys the events copy), and the titles of
    the rows in the admin's change log are replaced."""
    rows = model._default_manager.filter(**filter_kwargs)
    ids = list(rows.values_list("pk", flat=True))
    changed = rows.update(**values)
    for event_model in _event_models(model):
        copied = {name: value for name, value in values.items() if _has_field(event_model, name)}
        if not copied:
            continue
        events = Q(pgh_obj_id__in=ids)
        if client_lookup and _has_field(event_model, client_lookup.split("__")[0]):
            events |= Q(**filter_kwargs)
        event_model._default_manager.filter(events).update(**copied)  # pghistory's Event.objects
    if client_lookup:
        _scrub_admin_log(model, ids)
    return changed


def _scrub_admin_log(model: type[models.Model], ids: list[object]) -> None:
    """The admin's change log keeps each changed row's ``str()`` (e.g. a client's name)."""
    if not ids or not apps.is_installed("django.contrib.admin"):
        return
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=ANONYMISED)


def delete_documents(document_ids: Sequence[int]) -> int:
    """Delete stored documents of anonymised clients (reports, agreements, scans): first their file names go
    from the rows and the audit-trail copies (an uploaded name may hold the client's name), then the rows, and
    the files after the commit. Callers first drop their references to the rows."""
    from jobcenter import documents
    from jobcenter.models_documents import StoredDocument

    scrub(StoredDocument, {"pk__in": list(document_ids)}, {"filename": "anonymisiert.pdf"})
    stored = list(StoredDocument.objects.filter(pk__in=list(document_ids)))
    for document in stored:
        documents.delete(document)
    return len(stored)


def _event_models(model: type[models.Model]) -> set[type[models.Model]]:
    return set(getattr(model, "pgh_event_models", {}).values())


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def cutoff_date(today: date | None = None) -> date:
    today = today or timezone.localdate()
    years = getattr(settings, "RETENTION_YEARS", 5)
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def clients_due(cutoff: date) -> models.QuerySet[Client]:
    """Not yet anonymised, at least one case closed before ``cutoff``, and no case open or closed since."""
    cases = Case.objects.filter(client=OuterRef("pk"))
    return (
        Client.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(cases.filter(status=CaseStatus.CLOSED, closed_on__lt=cutoff)))
        .exclude(Exists(cases.filter(Q(closed_on__gte=cutoff) | ~Q(status=CaseStatus.CLOSED))))
    )


CASES_POLICIES = (
    RetentionPolicy("clients", Client, "id", {
        "first_name": ANONYMISED, "last_name": ANONYMISED, "street": "", "postal_code": "", "city": "",
        "phone": "", "email": "", "customer_number": "", "file_number": "", "duplicate_override_reason": "",
    }),
    RetentionPolicy("notes", ContactNote, "case__client_id", {"text": ""}),
    RetentionPolicy("appointments", Appointment, "case__client_id",
                    {"purpose": "", "outcome_note": "", "move_reason": ""}),
    RetentionPolicy("applications", BenefitApplication, "client_id", {"note": ""}),
    RetentionPolicy("cases", Case, "client_id", {"outcome_note": ""}, kept={
        "client_name": "not written here: the database copies the client's name in its sort form onto the case "
                       "(cases/0014), so the client's anonymisation above rewrites it in the same statement",
    }),
    RetentionPolicy("closure_requests", ClosureRequest, "case__client_id", {"note": "", "refusal_reason": ""}),
    RetentionPolicy("handovers", HandOver, "client_id", {"note": ""}),
    RetentionPolicy("accesses", AccessRecord, "client_id", {"reason": ""}, kept={
        "what": "names the page or document that was looked at, written by the application (e.g. 'Kundenseite', "
                "'Hilfeplan 12'), never typed; the access log itself stays as the record of who looked when",
    }),
    RetentionPolicy("notifications", Notification, "client_id", {"subject": ANONYMISED}, kept={
        "url": "a path of the application with ids only (e.g. '/kunden/17/'), written by the application; the "
               "page behind it shows the anonymised client",
        "subject_key": "the kind and id of the object the notification was about (e.g. 'case:17'), written by "
                       "the application, never typed",
    }),
)


def register_cases_policies() -> None:
    """The cases app's own policies (called from ``CasesConfig.ready``)."""
    register("cases", CASES_POLICIES)


@transaction.atomic
def anonymise_due_clients(*, today: date | None = None, triggered_by: str = "retention task") -> AnonymisationRun:
    """Anonymise every client due on ``today``; safe to run twice (anonymised clients are skipped)."""
    cutoff = cutoff_date(today)
    ids = list(clients_due(cutoff).select_for_update(skip_locked=True).values_list("pk", flat=True))
    details: dict[str, int] = {}
    if ids:
        for registration in _REGISTRY.values():
            for kind, count in registration.run(ids).items():
                details[f"{registration.key}.{kind}"] = count
        Client.objects.filter(pk__in=ids).update(anonymised_at=timezone.now())
    return AnonymisationRun.objects.create(
        cutoff=cutoff, clients=len(ids), details=details, triggered_by=triggered_by[:150]
    )
