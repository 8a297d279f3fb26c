"""Profiling, Sozialanamnese and Tiefenprofiling/Assessment (docs/domain.md §5, §6: "Stärken-Schwächen-Analyse unter
Einsatz von Profiling und Assessment").

Rules live in ``profiling/rules.py`` (pure) and ``profiling/services/`` (writes); models hold data, constraints
and small derived properties only. Every model with client data is tracked by pghistory (writes); reads of the
sensitive parts go to the project's access log (``jobcenter.access_log``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from jobcenter.scoping import OfficeScopedManager
from partners.models import SERVICE_KINDS, PartnerKind, Referral
from profiling.rules import Dimension, ProfileCategory, Rating

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@pghistory.track()
class Profiling(models.Model):
    """A dated Stärken-Schwächen-Analyse of a case: one rating per dimension (``ProfilingRating``) and the
    profile category. ``derived_category`` is what the rule said when it was recorded; ``category`` is the one in
    force (different only with a written ``override_reason``). Confirming the category completes the profiling."""

    office_path = "case__contact_point"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="profilings", verbose_name=_("case"))
    profiled_on = models.DateField(_("profiling date"))
    summary = models.TextField(_("overall assessment"), blank=True)
    derived_category = models.CharField(
        _("category by the rule"), max_length=20, choices=ProfileCategory.choices
    )
    category = models.CharField(_("profile category"), max_length=20, choices=ProfileCategory.choices)
    override_reason = models.TextField(_("reason for deviating from the rule"), blank=True)
    confirmed_at = models.DateTimeField(_("category set at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("category set by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("profiling")
        verbose_name_plural = _("profilings")
        ordering = ["-profiled_on", "-id"]
        # the case's latest profiling (``profiling.selectors._latest``, a subquery per case on the start-page cards):
        # read from the index alone, in order, one entry
        indexes = [models.Index(fields=["case", "profiled_on", "id"], include=["category", "confirmed_at"],
                                name="profiling_case_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category=models.F("derived_category")) | ~models.Q(override_reason=""),
                name="profiling_override_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | models.Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="profiling_confirmation_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profiled_on:%d.%m.%Y} {self.get_category_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_overridden(self) -> bool:
        return self.category != self.derived_category


@pghistory.track()
class ProfilingRating(models.Model):
    office_path = "profiling__case__contact_point"

    profiling = models.ForeignKey(
        Profiling, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("profiling")
    )
    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    note = models.TextField(_("remark"), blank=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("profiling rating")
        verbose_name_plural = _("profiling ratings")
        ordering = ["profiling", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profiling", "dimension"], name="rating_once_per_dimension"),
        ]
        indexes = [models.Index(fields=["dimension", "rating"], name="rating_dimension_idx")]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.get_rating_display()}"


@pghistory.track()
class OfferSuggestion(models.Model):
    """The mapping "dimension rated need/obstacle → proposed integration offer", maintained by an administrator
    in the Django admin (defaults from a data migration). ``offer_category`` is a partners offer category, so a
    proposal can be matched to the offers of the office's partners."""

    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    offer_category = models.CharField(
        _("offer category"), max_length=30,
        choices=[(kind.value, kind.label) for kind in PartnerKind if kind in SERVICE_KINDS],
    )
    title = models.CharField(_("proposed offer"), max_length=200)
    on_need = models.BooleanField(_("propose for a need"), default=True)
    on_obstacle = models.BooleanField(_("propose for an obstacle"), default=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("offer suggestion")
        verbose_name_plural = _("offer suggestions")
        ordering = ["dimension", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "offer_category"], name="suggestion_once_per_category"),
            models.CheckConstraint(
                condition=models.Q(on_need=True) | models.Q(on_obstacle=True), name="suggestion_applies_somewhere"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} → {self.title}"


@pghistory.track()
class SocialHistory(models.Model):
    """Sozialanamnese of a case (module SOZIALANAMNESE). Sensitive: only the case's assigned case manager and the
    Teamleitung read it, and every reading is recorded in the access log. Changes are kept by pghistory."""

    office_path = "case__contact_point"

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="social_history", verbose_name=_("case")
    )
    recorded_on = models.DateField(_("date of the conversation"))
    household = models.TextField(_("household and family"), blank=True)
    housing = models.TextField(_("housing situation"), blank=True)
    health = models.TextField(_("health situation"), blank=True)
    debts = models.TextField(_("debts and finances"), blank=True)
    addiction = models.TextField(_("addiction"), blank=True)
    biography = models.TextField(_("biography"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("last changed by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    SECTIONS = ("household", "housing", "health", "debts", "addiction", "biography")

    class Meta:
        verbose_name = _("social history")
        verbose_name_plural = _("social histories")

    def __str__(self) -> str:
        return f"{self.case.client} ({self.recorded_on:%d.%m.%Y})"

    @classmethod
    def section_label(cls, name: str) -> StrOrPromise:
        """The verbose name of one of the ``SECTIONS``."""
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field)  # the sections are text fields, never a relation
        return field.verbose_name


class SocialHistoryDue(models.Model):
    """An open case that waits for its Sozialanamnese: its latest profiling puts the client in case management
    (Betreuungskunde) and the case has no social history yet. Written only by PostgreSQL triggers (ADR 0008,
    migration ``profiling/0007``) whenever a profiling, a social history or the case changes, so the start-page
    card and the worklist read the office's (or the case manager's) due cases in order from an index instead of
    looking up the latest profiling of every open case. Not tracked: a fact of the rows it is derived from."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="social_history_due",
        verbose_name=_("case"),
    )
    office = models.ForeignKey(
        "jobcenter.ContactPoint", on_delete=models.CASCADE, related_name="+", db_index=False,
        verbose_name=_("contact point"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        db_index=False, verbose_name=_("case manager"),
    )
    opened_on = models.DateField(_("opened on"))

    class Meta:
        verbose_name = _("social history due")
        verbose_name_plural = _("social histories due")
        indexes = [
            models.Index(fields=["office", "opened_on", "case"], name="social_history_due_office_idx"),
            models.Index(fields=["manager", "opened_on", "case"], name="social_history_due_manager_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"


@pghistory.track()
class Assessment(models.Model):
    """Tiefenprofiling / Assessment, commissioned from an assessment partner through a partners ``Referral``.
    Sensitive like the Sozialanamnese. The report is a PDF in the project's document store (``report``, a
    ``jobcenter.StoredDocument`` under the key ``assessment:<pk>:report``, holding the uploader's cleaned file name,
    size, SHA-256 and upload time)."""

    office_path = "referral__case__contact_point"

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="assessment", verbose_name=_("referral")
    )
    question = models.TextField(_("question for the assessment"))
    result_on = models.DateField(_("result received on"), null=True, blank=True)
    result_summary = models.TextField(_("summary of the result"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("result recorded by"),
    )
    report = models.ForeignKey(
        "jobcenter.StoredDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("stored report"),
    )
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("commissioned by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.referral.offer} ({self.referral.referred_on:%d.%m.%Y})"

    @property
    def has_result(self) -> bool:
        return self.result_on is not None

    @property
    def has_report(self) -> bool:
        return self.report_id is not None
