"""Closure approval: where the office wants it (``CaseSettings.closure_confirmation_required``), closing a case
without an integration (moved, transferred, no cooperation, other reason) is requested by the case manager and
confirmed or refused by the Teamleitung; until then the case stays open and shows "Abschluss beantragt".
Written by ``cases.services.closures``; imported by ``cases.models`` so that Django finds the models."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Outcome
from jobcenter.models import ContactPoint
from jobcenter.scoping import OfficeScopedManager


@pghistory.track()
class CaseSettings(models.Model):
    """Per contact point: settings of the case work (edited in the admin)."""

    office_path = "contact_point"

    contact_point = models.OneToOneField(
        ContactPoint, on_delete=models.CASCADE, related_name="case_settings", verbose_name=_("contact point")
    )
    closure_confirmation_required = models.BooleanField(
        _("team lead confirms closing without integration"), default=False,
        help_text=_("When set, a case manager's closing of a case as not integrated (moved, transferred, no "
                    "cooperation, other reason) waits for the team lead's confirmation; the case stays open until "
                    "then. Integrations close directly."),
    )

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("case settings of a contact point")
        verbose_name_plural = _("case settings of contact points")

    def __str__(self) -> str:
        return str(self.contact_point)


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    SUPERSEDED = "superseded", _("Settled otherwise")  # the case was closed or integrated another way


@pghistory.track()
class ClosureRequest(models.Model):
    """A case manager's request to close a case without an integration, and the Teamleitung's decision on it."""

    office_path = "case__contact_point"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests", verbose_name=_("case"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note / reason"), blank=True)
    closed_on = models.DateField(_("to be closed on"))
    status = models.CharField(_("status"), max_length=12, choices=ClosureStatus.choices,
                              default=ClosureStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="closure_request_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="closure_request_one_pending_per_case"),
            models.CheckConstraint(condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                                   name="closure_request_refusal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.get_status_display()})"
