"""Issuing letters and rendering their PDFs (the same road as the agreement, ``docs/architecture.md`` §5).

Issuing (in the request): the source row (appointment, hearing, referral) is locked, the rules are checked, the
printed content is frozen into a snapshot with its checksums. If the same source was printed before and nothing
printed has changed (template version, notices, address, facts — everything but the date), that letter is
returned: printing twice stores once. Otherwise a new letter is created in "pending" and its render is enqueued
after the commit (``jobcenter.tasking.enqueue_on_commit``).

Rendering (in the worker): claim by one conditional UPDATE (the task id; a stale claim may be taken over),
render the snapshot outside any transaction, store the bytes once under ``letter:<id>``
(``jobcenter.documents.store``), point the letter at the document with another conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Appointment
from cases.need_to_know import can_see_sensitive
from integration_plans.models import DocumentState, Hearing, HearingStatus, LegalBasis, LegalNotice
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from jobcenter.tasking import enqueue_on_commit, fault_gate
from letters import content as letter_content
from letters import rules
from letters.errors import LetterError
from letters.models import Letter, LetterBatch, LetterKind, LetterTemplate
from letters.pdf import render_pdf
from letters.services.templates import current_template
from partners.models import Referral, ReferralStatus
from partners.rules import consent_required, holds_sensitive_content

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User
    from django.contrib.auth.models import User as DjangoUser  # the project's user model

DOCUMENT_KIND = "letter"
FILENAME_PREFIX = {LetterKind.INVITATION: "Einladung", LetterKind.HEARING: "Anhoerung",
                   LetterKind.REFERRAL: "Beauftragung"}
# A commission letter can be printed while the referral is still running.
PRINTABLE_REFERRAL = frozenset({ReferralStatus.PROPOSED, ReferralStatus.WAITING, ReferralStatus.ACCEPTED,
                                ReferralStatus.STARTED})

M = TypeVar("M", bound=models.Model)


def stale_claim() -> timedelta:
    return timedelta(seconds=2 * int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300)))


def document_key(letter_id: int) -> str:
    return f"letter:{letter_id}"


def letter_filename(letter: Letter) -> str:
    return f"{FILENAME_PREFIX[LetterKind(letter.kind)]}-Fall-{letter.case_id}-{letter.letter_date:%Y-%m-%d}-{letter.pk}.pdf"


# --- issuing ------------------------------------------------------------------------------------------------
def _notices_in_force(day: date, cache: dict[date, dict[str, LegalNotice]]) -> dict[str, LegalNotice]:
    """The invitation notices in force on ``day``, by basis (one query per day)."""
    if day not in cache:
        bases = [LegalBasis.BSHG_25_INVITATION, LegalBasis.SGB3_309]
        cache[day] = {notice.basis: notice for notice in LegalNotice.objects.filter(
            basis__in=bases, valid_from__lte=day).exclude(valid_until__lt=day)}
    return cache[day]


def notices_for_invitation(appointment: Appointment,
                           cache: dict[date, dict[str, LegalNotice]] | None = None) -> list[LegalNotice]:
    """The legal notes in force on the appointment's day for the client's benefits that day; refused when a
    basis has no notice in force (an administrator must add one first)."""
    day = timezone.localtime(appointment.starts_at).date()
    bases = rules.invitation_bases_on(appointment.case.client.benefits.all(), day)
    found = _notices_in_force(day, {} if cache is None else cache)
    missing = [basis for basis in bases if basis not in found]
    if missing:
        raise LetterError(_("No legal notice on consequences is in force for %(basis)s on %(day)s; an "
                            "administrator must add one.")
                          % {"basis": LegalBasis(missing[0]).label, "day": day.strftime("%d.%m.%Y")})
    return [found[basis] for basis in bases]


def _issue(*, kind: str, source: dict[str, Any], template: LetterTemplate, content: dict[str, Any],
           letter_date: date, reply_by: date | None, by: User, notices: Sequence[LegalNotice] = (),
           sensitive: bool = False, render: bool = True) -> Letter:
    """The letter of this content: the existing one when the same source was printed with the same content,
    else a new one. ``render``: enqueue its PDF (a batch renders its own)."""
    source_sha = letter_content.source_checksum(content)
    existing = (Letter.objects.filter(kind=kind, source_sha256=source_sha, **source)
                .select_related("document").order_by("-id").first())
    if existing is not None:
        if render:
            _request(existing)
        return existing
    case = next(iter(source.values())).case
    letter = Letter.objects.create(
        case=case, kind=kind, template=template, letter_date=letter_date, reply_by=reply_by, sensitive=sensitive,
        content=content, content_sha256=letter_content.checksum(content), source_sha256=source_sha,
        document_state=DocumentState.PENDING if render else DocumentState.NONE, created_by=by, **source,
    )
    if notices:
        letter.legal_notices.set(notices)
    if render:
        _enqueue(letter)
    return letter


def _enqueue(letter: Letter) -> None:
    from letters.tasks import render_letter

    enqueue_on_commit(render_letter, letter.pk)


def _request(letter: Letter) -> None:
    """Ask for the PDF of a letter that has none and is not being rendered."""
    if letter.document_id is None and letter.document_state != DocumentState.PENDING:
        Letter.objects.filter(pk=letter.pk).update(document_state=DocumentState.PENDING)
        letter.document_state = DocumentState.PENDING
        _enqueue(letter)


def _locked(model: type[M], pk: int) -> M:
    return model._default_manager.select_for_update(of=("self",)).get(pk=pk)


@transaction.atomic
def issue_invitation(*, appointment: Appointment, by: User, render: bool = True) -> Letter:
    """The invitation to an upcoming appointment without an outcome."""
    return issue_invitations(appointment_ids=[appointment.pk], by=by, render=render)[0]


def _check_invitable(appointment: Appointment, now: datetime) -> None:
    if appointment.outcome:
        raise LetterError(_("This appointment already has an outcome; there is nobody to invite any more."))
    if appointment.starts_at <= now:
        raise LetterError(_("This appointment has already begun; an invitation can only be sent for a coming "
                            "appointment."))


@transaction.atomic
def issue_invitations(*, appointment_ids: Sequence[int], by: User, render: bool = True,
                      name_refused: bool = False) -> list[Letter]:
    """The invitations to upcoming appointments without an outcome, in the order of ``appointment_ids``: an
    unchanged one printed before is reused, the others are created together (a constant number of queries
    however many appointments: a batch of 200 is one request). All or nothing; with ``name_refused`` the refusal
    names the appointment and client it is about."""
    locked = list(Appointment.objects.select_for_update(of=("self",)).filter(pk__in=appointment_ids)
                  .values_list("pk", flat=True))
    rows = {a.pk: a for a in Appointment.objects.filter(pk__in=locked).select_related(
        "case__client", "case__case_manager", "case__contact_point__employment_agency",
        "case__contact_point__welfare_agency", "with_user").prefetch_related("case__client__benefits")}
    now, today = timezone.now(), timezone.localdate()
    notice_cache: dict[date, dict[str, LegalNotice]] = {}
    templates: dict[int, LetterTemplate] = {}
    planned: list[tuple[Appointment, LetterTemplate, list[LegalNotice], dict[str, Any], str]] = []
    for pk in appointment_ids:
        appointment = rows[pk]
        try:
            _check_invitable(appointment, now)
            notices = notices_for_invitation(appointment, notice_cache)
        except LetterError as error:
            if not name_refused:
                raise
            local = timezone.localtime(appointment.starts_at)
            raise LetterError(_("Nothing was printed. Appointment %(when)s with %(client)s: %(reason)s") % {
                "when": local.strftime("%d.%m.%Y %H:%M"), "client": appointment.case.client.full_name,
                "reason": error.message}) from error
        office = appointment.case.contact_point
        if office.pk not in templates:
            templates[office.pk] = current_template(office, LetterKind.INVITATION)
        content = letter_content.invitation_content(appointment=appointment, template=templates[office.pk],
                                                    notices=notices, letter_date=today)
        planned.append((appointment, templates[office.pk], notices, content, letter_content.source_checksum(content)))
    existing: dict[tuple[int, str], Letter] = {}
    for letter in (Letter.objects.filter(kind=LetterKind.INVITATION, appointment_id__in=appointment_ids,
                                         source_sha256__in=[sha for *_rest, sha in planned])
                   .order_by("id")):
        existing[(letter.appointment_id or 0, letter.source_sha256)] = letter
    state = DocumentState.PENDING if render else DocumentState.NONE
    new = [Letter(case=appointment.case, kind=LetterKind.INVITATION, appointment=appointment, template=template,
                  letter_date=today, content=content, content_sha256=letter_content.checksum(content),
                  source_sha256=sha, document_state=state, created_by=cast("DjangoUser", by))
           for appointment, template, _notices, content, sha in planned if (appointment.pk, sha) not in existing]
    created = {letter.appointment_id: letter for letter in Letter.objects.bulk_create(new)}
    Letter.legal_notices.through.objects.bulk_create([
        Letter.legal_notices.through(letter_id=created[appointment.pk].pk, legalnotice_id=notice.pk)
        for appointment, _template, notices, _content, _sha in planned if appointment.pk in created
        for notice in notices])
    result = []
    for appointment, _template, _notices, _content, sha in planned:
        letter = existing.get((appointment.pk, sha)) or created[appointment.pk]
        if render:
            if appointment.pk in created:
                _enqueue(letter)
            else:
                _request(letter)
        result.append(letter)
    return result


@transaction.atomic
def issue_hearing_letter(*, hearing: Hearing, by: User) -> Letter:
    """The hearing letter (§ 24 SGB X) of an open hearing: the facts, the intended consequence by the client's
    benefits today, the deadline (the template's days, off a weekend) and how to reply."""
    hearing = _locked(Hearing, hearing.pk)
    hearing = Hearing.objects.select_related(
        "case__client", "case__case_manager", "case__contact_point__employment_agency",
        "case__contact_point__welfare_agency").get(pk=hearing.pk)
    if hearing.status != HearingStatus.OPEN:
        raise LetterError(_("This hearing has been decided; a hearing letter is written before the decision."))
    case = hearing.case
    template = current_template(case.contact_point, LetterKind.HEARING)
    today = timezone.localdate()
    reply_by = rules.reply_deadline(today, template.reply_days)
    consequences = rules.intended_consequences(case.client.benefits.all(), today)
    content = letter_content.hearing_content(hearing=hearing, template=template, consequences=consequences,
                                             letter_date=today, reply_by=reply_by)
    return _issue(kind=LetterKind.HEARING, source={"hearing": hearing}, template=template, content=content,
                  letter_date=today, reply_by=reply_by, by=by)


@transaction.atomic
def issue_referral_letter(*, referral: Referral, by: User) -> Letter:
    """The commission letter to the partner. It carries only the data the referral passed on and a release in
    force today covers; without a release in force it is refused where one is needed (social services, or
    health, debt or family data). A letter about an assessment carries its confidential question: only the
    case's case manager or a Teamleitung may print it (need-to-know)."""
    referral = _locked(Referral, referral.pk)
    referral = Referral.objects.select_related(
        "case__client", "case__contact_point__employment_agency", "case__contact_point__welfare_agency",
        "offer__partner", "paying_agency", "consent", "referred_by").get(pk=referral.pk)
    if referral.status not in PRINTABLE_REFERRAL:
        raise LetterError(_("This referral has ended (%(status)s); no commission letter is printed for it.")
                          % {"status": referral.get_status_display()})
    case = referral.case
    sensitive = holds_sensitive_content(referral.offer.category)
    if sensitive and not can_see_sensitive(by, case):
        raise LetterError(_("This commission carries confidential content; only the assigned case manager or the "
                            "team lead prints its letter."))
    today = timezone.localdate()
    consent = referral.consent
    in_force = consent is not None and consent.is_valid_on(today)
    disclosure = rules.disclosable(
        shared=referral.shared_data, consent_needed=consent_required(referral.offer.category, referral.shared_data),
        consent_categories=consent.data_categories if consent is not None and in_force else None,
    )
    if disclosure.refused:
        raise LetterError(_("No release from confidentiality (Schweigepflichtentbindung) is in force today for this "
                            "referral; a commission letter needs one for social services and whenever health, debt "
                            "or family data are passed on. Record a new release with the client first."))
    template = current_template(case.contact_point, LetterKind.REFERRAL)
    reply_by = rules.reply_deadline(today, template.reply_days)
    content = letter_content.referral_content(
        referral=referral, template=template, categories=disclosure.categories,
        consent_given_on=consent.given_on if consent is not None and in_force else None,
        letter_date=today, reply_by=reply_by)
    return _issue(kind=LetterKind.REFERRAL, source={"referral": referral}, template=template, content=content,
                  letter_date=today, reply_by=reply_by, by=by, sensitive=sensitive)


@transaction.atomic
def request_letter(*, letter: Letter, by: User) -> Letter:
    """Ask (again) for the PDF of a letter without one: printed in a batch only, or a render that never ended."""
    locked = _locked(Letter, letter.pk)
    if locked.sensitive and not can_see_sensitive(by, locked.case):
        raise LetterError(_("This letter carries confidential content; only the assigned case manager or the team "
                            "lead prints it."))
    if locked.document_id is None:
        if locked.document_state == DocumentState.PENDING and not is_stuck(locked):
            return locked
        Letter.objects.filter(pk=locked.pk).update(document_state=DocumentState.PENDING, pdf_claim="")
        locked.document_state = DocumentState.PENDING
        _enqueue(locked)
    return locked


# --- rendering ----------------------------------------------------------------------------------------------
def claim(model: type[Letter] | type[LetterBatch], pk: int, token: str) -> bool:
    """Mark the row as being rendered by ``token`` (one conditional UPDATE): only while it has no document and
    nobody else holds a fresh claim; the same token (a redelivered message) may claim again."""
    now = timezone.now()
    return bool(
        model._default_manager.filter(pk=pk, document__isnull=True)
        .filter(Q(pdf_claim="") | Q(pdf_claim=token) | Q(pdf_claimed_at__lt=now - stale_claim()))
        .update(pdf_claim=token, pdf_claimed_at=now, pdf_attempts=F("pdf_attempts") + 1,
                document_state=DocumentState.PENDING)
    )


def generate_letter(*, letter_id: int, token: str) -> StoredDocument | None:
    """Render and store the PDF of a letter once. Returns the document, or None when another run holds the
    claim or the letter is gone."""
    letter = Letter.objects.filter(pk=letter_id).select_related("document").first()
    if letter is None or letter.content is None:
        return None
    if letter.document is not None:
        return letter.document
    existing = StoredDocument.objects.filter(key=document_key(letter_id)).first()
    if existing is None:
        if not claim(Letter, letter_id, token):
            return None
        fault_gate()
        data = render_pdf(letter.content, letter.content_sha256)
        existing = documents.store(key=document_key(letter_id), kind=DOCUMENT_KIND, data=data,
                                   filename=letter_filename(letter))
    with transaction.atomic():
        Letter.objects.filter(pk=letter_id, document__isnull=True).update(
            document=existing, document_state=DocumentState.READY, pdf_claim="")
    return existing


# A render that failed this often is left to the "try again" button instead of the sweep.
SWEEP_MAX_ATTEMPTS = 10


def requeue_pending_letters() -> int:
    """The sweep (beat): enqueue the render of every pending letter no run holds."""
    ids = list(Letter.objects.filter(document__isnull=True, document_state=DocumentState.PENDING).filter(
        Q(pdf_claim="") | Q(pdf_claimed_at__lt=timezone.now() - stale_claim(), pdf_attempts__lt=SWEEP_MAX_ATTEMPTS)
    ).order_by("pk").values_list("pk", flat=True))
    from letters.tasks import render_letter

    for letter_id in ids:
        enqueue_on_commit(render_letter, letter_id)
    return len(ids)


def is_stuck(row: Letter | LetterBatch) -> bool:
    """Requested long ago and still no document: the page offers to try again."""
    if row.document_id or row.document_state != DocumentState.PENDING:
        return False
    since = row.pdf_claimed_at or row.created_at
    return since is not None and since < timezone.now() - stale_claim()
