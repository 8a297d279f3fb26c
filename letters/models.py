"""Letters (Schriftverkehr): invitations to appointments, hearing letters (§ 24 SGB X) and commission letters to
partners, each printed from a frozen content snapshot by the worker into the document store.

* ``LetterTemplate`` — the office's wording of one kind of letter, one row per version. A Teamleitung edits it by
  adding a version (``letters.services.templates``); a printed letter keeps pointing at the version it printed,
  and the footer of the letter names it.
* ``Letter`` — one letter about one appointment, hearing or referral. Like a finalised plan, its printed content
  is a JSON snapshot (``letters.content``) with its SHA-256; the PDF is rendered from the snapshot alone, so a
  reprint gives the same bytes. The same source printed again with unchanged content is the same letter.
* ``LetterBatch`` — several invitations printed as one PDF ("Einladungen für morgen", or a selection).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, Case
from integration_plans.models import DocumentState, Hearing, LegalNotice
from jobcenter.models import ContactPoint
from jobcenter.models_documents import StoredDocument
from jobcenter.scoping import OfficeScopedManager
from partners.models import Referral


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    HEARING = "hearing", _("Hearing letter")
    REFERRAL = "referral", _("Commission letter to a partner")


# The source each kind of letter is about (the field of ``Letter`` that must be set).
SOURCE_FIELD: dict[str, str] = {
    LetterKind.INVITATION: "appointment", LetterKind.HEARING: "hearing", LetterKind.REFERRAL: "referral",
}


@pghistory.track()
class LetterTemplate(models.Model):
    """One version of an office's wording for one kind of letter. Rows are never changed: editing adds a version.
    The facts (date, place, deadline, data) are filled in by the letter; the template holds the texts around them.
    """

    office_path = "contact_point"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="letter_templates", verbose_name=_("contact point")
    )
    kind = models.CharField(_("kind of letter"), max_length=20, choices=LetterKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    subject = models.CharField(_("subject"), max_length=200)
    opening = models.TextField(_("opening"), help_text=_("The first paragraphs, before the facts of the letter."))
    details = models.TextField(_("details"), blank=True)
    closing = models.TextField(_("closing"), blank=True, help_text=_("Paragraphs after the facts, before the "
                                                                     "greeting."))
    reply_days = models.PositiveSmallIntegerField(
        _("days to reply"), default=14, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Hearing letters: the client's deadline; commission letters: when the partner should answer."),
    )
    is_example = models.BooleanField(
        _("example text"), default=False,
        help_text=_("Shipped example; the office must check and adapt it before using it with clients."),
    )
    change_note = models.CharField(_("what was changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["contact_point", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contact_point", "kind", "version"], name="letter_template_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, Fassung {self.version}"


@pghistory.track(exclude=["pdf_claim", "pdf_claimed_at", "pdf_attempts"])
class Letter(models.Model):
    office_path = "case__contact_point"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters", verbose_name=_("case"))
    kind = models.CharField(_("kind of letter"), max_length=20, choices=LetterKind.choices)
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="letters",
        verbose_name=_("appointment"),
    )
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="letters", verbose_name=_("hearing")
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="letters",
        verbose_name=_("referral"),
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("template version")
    )
    legal_notices = models.ManyToManyField(
        LegalNotice, blank=True, related_name="letters", verbose_name=_("legal notices printed")
    )
    letter_date = models.DateField(_("date of the letter"))
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    # a commission letter for an assessment carries the confidential question: need-to-know (cases.need_to_know)
    sensitive = models.BooleanField(_("confidential content"), default=False)
    content = models.JSONField(_("printed content"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(_("content checksum"), max_length=64, editable=False)
    # the checksum of the content without the letter's date: the same source printed again unchanged is reused
    source_sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("PDF")
    )
    document_state = models.CharField(
        _("PDF"), max_length=10, choices=DocumentState.choices, default=DocumentState.NONE, blank=True
    )
    pdf_claim = models.CharField(max_length=64, blank=True, editable=False)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-letter_date", "-id"]
        indexes = [
            models.Index(fields=["case", "letter_date"], name="letter_case_date_idx"),
            models.Index(fields=["document_state"], condition=models.Q(document_state="pending"),
                         name="letter_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="invitation", appointment__isnull=False, hearing__isnull=True, referral__isnull=True)
                    | models.Q(kind="hearing", hearing__isnull=False, appointment__isnull=True, referral__isnull=True)
                    | models.Q(kind="referral", referral__isnull=False, appointment__isnull=True, hearing__isnull=True)
                ),
                name="letter_names_its_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_date:%d.%m.%Y}"


class BatchScope(models.TextChoices):
    MINE = "mine", _("my appointments")
    OFFICE = "office", _("all appointments of the contact point")
    SELECTED = "selected", _("selected appointments")


@pghistory.track(exclude=["pdf_claim", "pdf_claimed_at", "pdf_attempts"])
class LetterBatch(models.Model):
    """Invitations printed together as one PDF. The letters keep their own content; the batch's PDF is their
    pages in order (appointment time, then client), rendered by one task."""

    office_path = "contact_point"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact point")
    )
    scope = models.CharField(_("appointments"), max_length=10, choices=BatchScope.choices)
    day = models.DateField(_("appointments on"), null=True, blank=True)
    letters = models.ManyToManyField(Letter, related_name="batches", verbose_name=_("letters"))
    size = models.PositiveIntegerField(_("number of letters"))
    printed_on = models.DateField(_("printed on"))
    content_sha256 = models.CharField(_("content checksum"), max_length=64, editable=False)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("PDF")
    )
    document_state = models.CharField(
        _("PDF"), max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING, blank=True
    )
    pdf_claim = models.CharField(max_length=64, blank=True, editable=False)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("printed by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("batch of invitations")
        verbose_name_plural = _("batches of invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.size})"
