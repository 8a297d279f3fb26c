"""Taking over an office's client stock: one ``ImportRun`` per uploaded file (docs/domain.md §2). Written by
``cases.services.imports``; imported by ``cases.models`` so that Django finds the model.

The uploaded file stays in the document store (``document``) between the dry run and the real run and is
deleted after the real run or when a later upload replaces it; its SHA-256 stays here. ``findings`` holds what
the dry run found (bad rows and suspected duplicates, with names from the file) and is emptied with the file;
it is not copied into the audit trail."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.models import ContactPoint
from jobcenter.models_documents import StoredDocument
from jobcenter.scoping import OfficeScopedManager


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked (dry run)")
    IMPORTED = "imported", _("Imported")
    SUPERSEDED = "superseded", _("Discarded (replaced or not imported in time)")


@pghistory.track(exclude=["findings"])
class ImportRun(models.Model):
    """One uploaded client file of an office: its dry run and, once executed, the real run."""

    office_path = "contact_point"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="import_runs", verbose_name=_("contact point")
    )
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    document = models.ForeignKey(
        StoredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded file"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("data rows"), default=0)
    clients = models.PositiveIntegerField(_("clients"), default=0)
    benefits = models.PositiveIntegerField(_("benefits"), default=0)
    cases = models.PositiveIntegerField(_("open cases"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    duplicates = models.PositiveIntegerField(_("suspected duplicates"), default=0)
    findings = models.JSONField(_("findings of the dry run"), default=dict, blank=True)
    check_seconds = models.FloatField(_("duration of the dry run (s)"), default=0)
    duplicate_reason = models.TextField(_("reason for importing suspected duplicates"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    import_seconds = models.FloatField(_("duration of the import (s)"), default=0)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="imported") | models.Q(imported_at__isnull=False, errors=0),
                name="import_run_imported_has_time_and_no_errors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%d.%m.%Y %H:%M})"

    @property
    def can_run(self) -> bool:
        return self.status == ImportStatus.CHECKED and self.errors == 0 and self.document_id is not None
