"""Stored documents: generated PDFs and uploaded scans, written once under ``settings.DOCUMENTS_ROOT``.

A row describes one file: where it lies (``path``, relative to DOCUMENTS_ROOT and named by the content's SHA-256,
so two rows with identical content share one file), its SHA-256 and size, and a ``key`` that names what it is for
(e.g. ``integration_plan:17:agreement``). The key is unique, so the same document is stored at most once however
often a task runs; a file is never rewritten (see ``jobcenter.documents``).
The row holds no personal data: who may download it is decided by the app that owns the key.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


@pghistory.track()
class StoredDocument(models.Model):
    key = models.CharField(_("document key"), max_length=200, unique=True)
    kind = models.CharField(_("document kind"), max_length=60, db_index=True)
    path = models.CharField(_("storage path"), max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$")], db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class StoredBlob(models.Model):
    """A document's bytes kept in PostgreSQL (``DOCUMENT_STORAGE=database``), so every web and worker host reads
    the same store and ``pg_dump`` takes them with the rows (ADR 0007). Keyed like a file: by the storage path
    ``<kind>/<aa>/<sha256>.<ext>`` a ``StoredDocument`` names, so identical content is kept once. Write-once and not
    tracked by pghistory (its bytes would be copied into the audit trail; the ``StoredDocument`` row is tracked)."""

    path = models.CharField(_("storage path"), max_length=300, unique=True)
    content = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$")])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored document content")
        verbose_name_plural = _("stored document contents")

    def __str__(self) -> str:
        return f"{self.path} ({self.size} B)"
