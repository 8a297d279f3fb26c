"""Retention: clients whose cases all closed more than ``RETENTION_YEARS`` ago are anonymised, irreversibly.

What is removed: names, address, contact data, numbers, the free texts of notes, appointments, applications and
outcome notes — in the current rows and in the audit-trail rows (pghistory events) that copy them. What stays,
so that statistics of past months do not change: the client row itself (id, office, birth date for the
Jugendliche sub-group), benefit periods and amounts, cases with status, dates, outcome and segment. Higher apps
(partners, profiling, plans) register their own anonymiser with ``register`` from their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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
    ContactNote,
)

# An anonymiser takes the ids of the clients being anonymised and returns {kind: rows changed}.
Anonymiser = Callable[[list[int]], dict[str, int]]
_ANONYMISERS: dict[str, Anonymiser] = {}


def register(key: str, anonymiser: Anonymiser) -> None:
    _ANONYMISERS[key] = anonymiser


def scrub(model: type[models.Model], filter_kwargs: dict[str, object], values: dict[str, object]) -> int:
    """Overwrite ``values`` in the rows of ``model`` and in every audit-trail event model that copies them (a
    model may have several, e.g. cases: the full trail and the reassignments)."""
    changed = model._default_manager.filter(**filter_kwargs).update(**values)
    ids = model._default_manager.filter(**filter_kwargs).values("pk")
    for event_model in _event_models(model):
        copied = {name: value for name, value in values.items() if _has_field(event_model, name)}
        if copied:
            event_model.objects.filter(pgh_obj_id__in=ids).update(**copied)
    return changed


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


def _anonymise_cases_app(client_ids: list[int]) -> dict[str, int]:
    clients = scrub(Client, {"pk__in": client_ids}, {
        "first_name": "Anonymisiert", "last_name": "Anonymisiert", "street": "", "postal_code": "", "city": "",
        "phone": "", "email": "", "customer_number": "", "file_number": "", "duplicate_override_reason": "",
    })
    return {
        "clients": clients,
        "notes": scrub(ContactNote, {"case__client_id__in": client_ids}, {"text": ""}),
        "appointments": scrub(Appointment, {"case__client_id__in": client_ids}, {"purpose": "", "outcome_note": ""}),
        "applications": scrub(BenefitApplication, {"client_id__in": client_ids}, {"note": ""}),
        "cases": scrub(Case, {"client_id__in": client_ids}, {"outcome_note": ""}),
    }


register("cases", _anonymise_cases_app)


@transaction.atomic
def anonymise_due_clients(*, today: date | None = None, triggered_by: str = "retention task") -> AnonymisationRun:
    """Anonymise every client due on ``today``; safe to run twice (anonymised clients are skipped)."""
    cutoff = cutoff_date(today)
    ids = list(clients_due(cutoff).select_for_update(skip_locked=True).values_list("pk", flat=True))
    details: dict[str, int] = {}
    if ids:
        for key, anonymiser in _ANONYMISERS.items():
            for kind, count in anonymiser(ids).items():
                details[f"{key}.{kind}"] = count
        Client.objects.filter(pk__in=ids).update(anonymised_at=timezone.now())
    return AnonymisationRun.objects.create(
        cutoff=cutoff, clients=len(ids), details=details, triggered_by=triggered_by[:150]
    )
