"""Hand-overs: a client moved, with the case and its documents, from one contact point to another under a
cooperation agreement (docs/domain.md §3a). Written by ``cases.services.handover.hand_over``; imported by
``cases.models`` so that Django finds the model."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Client
from jobcenter.models import ContactPoint, CooperationAgreement


@pghistory.track()
class HandOver(models.Model):
    """One hand-over, kept on both sides: the sending office sees it in its list after the client has left, the
    receiving office on the client's page and in its list. ``case`` is the open case that went along (none when
    the client had no open case); the numbers say what moved or was called off with it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("client"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers",
                             verbose_name=_("case"))
    from_office = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("handed over by"))
    to_office = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("handed over to"))
    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("cooperation agreement"))
    handed_over_on = models.DateField(_("handed over on"))
    note = models.TextField(_("note for the receiving office"), blank=True)
    cases_moved = models.PositiveSmallIntegerField(_("cases moved"), default=0)
    applications_moved = models.PositiveSmallIntegerField(_("applications moved"), default=0)
    appointments_cancelled = models.PositiveSmallIntegerField(_("appointments called off"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("handed over by (staff)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-handed_over_on", "-id"]
        indexes = [
            models.Index(fields=["from_office", "handed_over_on"], name="handover_from_idx"),
            models.Index(fields=["to_office", "handed_over_on"], name="handover_to_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_office=models.F("to_office")),
                                   name="handover_between_two_offices"),
        ]

    def __str__(self) -> str:
        return f"{self.handed_over_on:%d.%m.%Y} {self.from_office} → {self.to_office}"
