"""A notification: one staff member is told that something happened, in one contact point.

What a notification may say (need-to-know, SECURITY.md): the kind of event (a fixed, translated sentence per
``Kind``) and a ``subject`` — a client's name with a case or plan number, or a month for a report. Never the
content behind it: no health, addiction or debt, no benefit amounts, no note text, no reason for a decision
(``notifications.rules.check_subject`` refuses what looks like it). The ``url`` leads to the page where the usual
permission checks apply; a notification grants nothing.

The subject is referenced generically (this app imports only ``jobcenter``): ``subject_key`` names it
("case:17", "plan:5", "hearing:3", "report:2"), ``client_id`` is the client's id as a plain number (like
``jobcenter.AccessRecord``) for the Auskunft and retention.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenter.models import ContactPoint
from jobcenter.scoping import OfficeScopedManager


class Kind(models.TextChoices):
    CASE_ASSIGNED = "case_assigned", _("Case assigned to you")
    PLAN_APPROVED = "plan_approved", _("Help plan approved")
    PLAN_RETURNED = "plan_returned", _("Help plan returned for changes")
    FEEDBACK_RECEIVED = "feedback_received", _("Partner feedback received")
    HEARING_DEADLINE_PASSED = "hearing_deadline", _("Hearing: deadline for the statement has passed")
    AGREEMENT_EXPIRING = "agreement_expiring", _("Agreement expires within 14 days")
    DOCUMENT_READY = "document_ready", _("Document ready")
    REPORT_READY = "report_ready", _("Monthly report ready")


# Kinds created by the daily task for a date: at most one per recipient, subject and date (``notification_once``).
DATED_KINDS = frozenset({Kind.HEARING_DEADLINE_PASSED, Kind.AGREEMENT_EXPIRING})

# What the date of a dated kind means, shown beside it in the inbox.
DUE_LABELS = {Kind.AGREEMENT_EXPIRING: _("valid until"), Kind.HEARING_DEADLINE_PASSED: _("deadline was")}

KIND_ICONS = {
    Kind.CASE_ASSIGNED: "person-plus", Kind.PLAN_APPROVED: "check2-circle", Kind.PLAN_RETURNED: "arrow-return-left",
    Kind.FEEDBACK_RECEIVED: "chat-left-text", Kind.HEARING_DEADLINE_PASSED: "hourglass-bottom",
    Kind.AGREEMENT_EXPIRING: "calendar-x", Kind.DOCUMENT_READY: "file-earmark-pdf", Kind.REPORT_READY: "graph-up",
}


@pghistory.track()
class Notification(models.Model):
    office_path = "contact_point"

    recipient = models.ForeignKey(  # indexed by the two indexes below, which start with it
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient"),
        db_index=False,
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact point")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=120, help_text=_("A name and a number; never content."))
    url = models.CharField(_("link"), max_length=300)
    subject_key = models.CharField(_("subject reference"), max_length=40)
    client_id = models.BigIntegerField(_("client number"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("for the date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the navigation's unread count: an index-only count of the few unread rows
            models.Index(fields=["recipient", "contact_point"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread_idx"),
            models.Index(fields=["recipient", "contact_point", "-created_at", "-id"], name="notification_inbox_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "due_on"], condition=models.Q(due_on__isnull=False),
                name="notification_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(Kind(self.kind), "bell")

    @property
    def due_label(self) -> str:
        return str(DUE_LABELS.get(Kind(self.kind), ""))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
