"""Notifications about monthly reports (``notifications``): "Monatsbericht bereit".

Told, in the transaction that marks the report done: whoever requested it, or, for the monthly schedule's
reports, every Teamleitung of the office. The subject is the month; a report holds figures, no client.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenter.roles import Role
from notifications.models import Kind
from notifications.rules import check_subject
from notifications.services import Notice, notify_many, reference
from reporting.models import MonthlyReport


def report_ready(report: MonthlyReport) -> int:
    if report.requested_by_id is not None:
        recipients = [report.requested_by_id]
    else:
        recipients = list(get_user_model().objects.filter(
            is_active=True, groups__name=Role.TEAMLEITUNG, staff_profile__contact_points=report.office_id,
        ).distinct().order_by("pk").values_list("pk", flat=True))
    subject = check_subject(reference(_("Monthly report %(month)s"), month=f"{report.month:%m/%Y}"))
    return notify_many(Notice(
        recipient_id=recipient, office_id=report.office_id, kind=Kind.REPORT_READY, subject=subject,
        url=reverse("reporting:report_list"), subject_key=f"report:{report.pk}",
    ) for recipient in recipients)
