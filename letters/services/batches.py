"""Invitations printed together: "Einladungen für morgen" (all open appointments of the next working day, of a
case manager or, for a Teamleitung, of the office) or the appointments selected on the page, as ONE PDF.

One transaction: every appointment gets its invitation (an unchanged one is reused, so a letter is never
printed twice into the file store), the batch row lists them, and one task renders the combined PDF after the
commit. If one appointment cannot be invited (e.g. no legal notice in force), nothing is printed and the message
names the appointment. Printing the same letters again the same day returns the same batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Appointment
from cases.need_to_know import reads_all_of_office
from cases.selectors_contacts import todays_appointments
from integration_plans.models import DocumentState
from jobcenter import documents
from jobcenter.models import ContactPoint
from jobcenter.models_documents import StoredDocument
from jobcenter.tasking import enqueue_on_commit, fault_gate
from letters.errors import LetterError
from letters.models import BatchScope, Letter, LetterBatch
from letters.pdf import render_batch_pdf
from letters.services.letters import claim, issue_invitations

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

DOCUMENT_KIND = "letter_batch"
# A batch is one printout; more than this is split by the user: the one task must end within its time limit
# (200 invitations: 21 s, and 130 s on a heavily loaded 2-core machine, README "Performance"; the limit is 300 s).
MAX_BATCH = 300


def document_key(batch_id: int) -> str:
    return f"letter_batch:{batch_id}"


def appointments_of_day(user: User, roles: Collection[str], office: ContactPoint, day: date
                        ) -> QuerySet[Appointment]:
    """The open appointments of ``day``: the user's own (those with them, or of their cases with nobody in
    particular); every one of the office for a Teamleitung (the rule of "Mein Tag", ``todays_appointments``)."""
    return todays_appointments(user, frozenset(roles), office, day).filter(starts_at__gt=timezone.now())


def _ordered(letters: list[Letter]) -> list[Letter]:
    """Appointment time, then the client's name (the order the reception hands them out)."""
    def key(letter: Letter) -> tuple[str, str, str, str, int]:
        appointment = (letter.content or {}).get("appointment") or {}  # no content: anonymised since
        return (str(appointment.get("date", "")), str(appointment.get("time", "")), letter.case.client.last_name,
                letter.case.client.first_name, letter.pk)

    return sorted(letters, key=key)


def batch_checksum(letters: list[Letter], printed_on: date) -> str:
    joined = "\n".join([printed_on.isoformat(), *(letter.content_sha256 for letter in letters)])
    return hashlib.sha256(joined.encode()).hexdigest()


@transaction.atomic
def print_invitations(*, office: ContactPoint, by: User, roles: Collection[str], day: date | None = None,
                      appointment_ids: Collection[int] | None = None) -> LetterBatch:
    """The batch of invitations for the appointments of ``day`` (the user's or, for a Teamleitung, the
    office's), or for the selected ``appointment_ids`` (open, coming, in the office, visible to the user)."""
    if appointment_ids is not None:
        scope = BatchScope.SELECTED
        appointments = (Appointment.objects.for_user(by)
                        .filter(pk__in=list(appointment_ids), case__contact_point=office)
                        .select_related("case__client").order_by("starts_at", "id"))
        found = list(appointments)
        if len(found) != len(set(appointment_ids)):
            raise LetterError(_("Some of the selected appointments are not (or no longer) at this contact point."))
    else:
        if day is None:
            raise LetterError(_("Choose the day whose appointments are to be invited."))
        scope = BatchScope.OFFICE if reads_all_of_office(roles) else BatchScope.MINE
        found = list(appointments_of_day(by, roles, office, day))
    if not found:
        raise LetterError(_("There are no open appointments to invite to."))
    if len(found) > MAX_BATCH:
        raise LetterError(_("At most %(max)s invitations are printed at once; choose fewer appointments.")
                          % {"max": MAX_BATCH})
    issued = issue_invitations(appointment_ids=[appointment.pk for appointment in found], by=by, render=False,
                               name_refused=True)
    letters = _ordered(list(Letter.objects.filter(pk__in=[letter.pk for letter in issued])
                            .select_related("case__client")))
    today = timezone.localdate()
    checksum = batch_checksum(letters, today)
    existing = LetterBatch.objects.filter(contact_point=office, content_sha256=checksum).order_by("-id").first()
    if existing is not None:
        return existing
    batch = LetterBatch.objects.create(
        contact_point=office, scope=scope, day=day if appointment_ids is None else None, size=len(letters),
        printed_on=today, content_sha256=checksum, document_state=DocumentState.PENDING, created_by=by)
    batch.letters.set(letters)
    from letters.tasks import render_batch

    enqueue_on_commit(render_batch, batch.pk)
    return batch


def batch_letters(batch: LetterBatch) -> list[Letter]:
    return _ordered(list(batch.letters.select_related("case__client")))


def batch_filename(batch: LetterBatch) -> str:
    day = batch.day or batch.printed_on
    return f"Einladungen-{day:%Y-%m-%d}-Sammeldruck-{batch.pk}.pdf"


def generate_batch(*, batch_id: int, token: str) -> StoredDocument | None:
    """Render the batch's letters into one PDF and store it once (claimed like a letter)."""
    batch = LetterBatch.objects.filter(pk=batch_id).select_related("document").first()
    if batch is None:
        return None
    if batch.document is not None:
        return batch.document
    existing = StoredDocument.objects.filter(key=document_key(batch_id)).first()
    if existing is None:
        if not claim(LetterBatch, batch_id, token):
            return None
        fault_gate()
        contents = [(letter.content, letter.content_sha256) for letter in batch_letters(batch)
                    if letter.content is not None]
        if not contents:  # every client of the batch was anonymised since
            return None
        title = _("Invitations of %(day)s") % {"day": (batch.day or batch.printed_on).strftime("%d.%m.%Y")}
        data = render_batch_pdf(contents, batch_sha256=batch.content_sha256, title=title)
        existing = documents.store(key=document_key(batch_id), kind=DOCUMENT_KIND, data=data,
                                   filename=batch_filename(batch))
    with transaction.atomic():
        LetterBatch.objects.filter(pk=batch_id, document__isnull=True).update(
            document=existing, document_state=DocumentState.READY, pdf_claim="")
    return existing


def requeue_pending_batches() -> int:
    """The sweep (beat): enqueue the render of every pending batch no run holds."""
    from django.db.models import Q

    from letters.services.letters import SWEEP_MAX_ATTEMPTS, stale_claim
    from letters.tasks import render_batch

    ids = list(LetterBatch.objects.filter(document__isnull=True, document_state=DocumentState.PENDING).filter(
        Q(pdf_claim="") | Q(pdf_claimed_at__lt=timezone.now() - stale_claim(), pdf_attempts__lt=SWEEP_MAX_ATTEMPTS)
    ).order_by("pk").values_list("pk", flat=True))
    for batch_id in ids:
        enqueue_on_commit(render_batch, batch_id)
    return len(ids)


@transaction.atomic
def request_batch(*, batch: LetterBatch) -> LetterBatch:
    """Try the render of a stuck batch again."""
    locked = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.document_id is None:
        LetterBatch.objects.filter(pk=locked.pk).update(document_state=DocumentState.PENDING, pdf_claim="")
        from letters.tasks import render_batch

        enqueue_on_commit(render_batch, locked.pk)
    return locked
