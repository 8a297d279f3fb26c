"""Demo notifications: unread ones for ``fallmanager`` and ``teamleitung`` (and the second office's), so the inbox
and the menu's count have something to show.

Run last by ``seed_demo`` (``DEMO_APPS``), after the apps whose rows they are about; it reads those rows through
``apps.get_model`` (this app imports none of them) and makes the notifications with the real service. The daily
ones (agreements expiring, hearing deadlines passed) come from the real daily run. Idempotent: a notification
about the same subject (kind and subject) is not made twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from notifications import daily
from notifications.models import Kind, Notification
from notifications.rules import subject_for
from notifications.services import Notice, notify_many, reference

if TYPE_CHECKING:
    from jobcenter.demo import DemoOrganisation


def _case_manager_notices(user: Any, office: Any) -> list[Notice]:
    from django.utils.translation import gettext_lazy as _

    cases = (apps.get_model("cases", "Case").objects.filter(contact_point=office, case_manager=user)
             .exclude(status="closed").select_related("client").order_by("-opened_on", "-pk")[:3])
    notices = [Notice(recipient_id=user.pk, office_id=office.pk, kind=Kind.CASE_ASSIGNED,
                      subject=subject_for(str(case.client), reference(_("case %(number)s"), number=case.pk)),
                      url=reverse("cases:client_detail", args=[case.client_id]), subject_key=f"case:{case.pk}",
                      client_id=case.client_id) for case in cases]
    plan = (apps.get_model("integration_plans", "IntegrationPlan").objects
            .filter(case__contact_point=office, case__case_manager=user, status__in=("final", "signed"))
            .select_related("case__client").order_by("-pk").first())
    if plan is not None:
        notices.append(Notice(
            recipient_id=user.pk, office_id=office.pk, kind=Kind.PLAN_APPROVED,
            subject=subject_for(str(plan.case.client), reference(_("help plan %(plan)s, version %(version)s"),
                                                                 plan=plan.pk, version=plan.version)),
            url=reverse("integration_plans:plan_detail", args=[plan.pk]), subject_key=f"plan:{plan.pk}",
            client_id=plan.case.client_id))
    referral = (apps.get_model("partners", "Referral").objects
                .filter(case__contact_point=office, case__case_manager=user, last_feedback_on__isnull=False)
                .select_related("case__client").order_by("-last_feedback_on", "-pk").first())
    if referral is not None:
        notices.append(Notice(
            recipient_id=user.pk, office_id=office.pk, kind=Kind.FEEDBACK_RECEIVED,
            subject=subject_for(str(referral.case.client), reference(_("referral %(number)s"), number=referral.pk)),
            url=reverse("partners:referral_detail", args=[referral.pk]), subject_key=f"referral:{referral.pk}",
            client_id=referral.case.client_id))
    return notices


def _team_lead_notices(user: Any, office: Any) -> list[Notice]:
    from django.utils.translation import gettext_lazy as _

    reports = apps.get_model("reporting", "MonthlyReport").objects.filter(office=office).order_by("-month")[:2]
    return [Notice(recipient_id=user.pk, office_id=office.pk, kind=Kind.REPORT_READY,
                   subject=reference(_("Monthly report %(month)s"), month=f"{report.month:%m/%Y}"),
                   url=reverse("reporting:report_list"), subject_key=f"report:{report.pk}") for report in reports]


def seed(organisation: DemoOrganisation) -> str:
    users = get_user_model().objects
    made = 0
    for index, office in enumerate(organisation.offices[:2]):
        suffix = "" if index == 0 else "2"
        for username, build in ((f"fallmanager{suffix}", _case_manager_notices),
                                (f"teamleitung{suffix}", _team_lead_notices)):
            user = users.filter(username=username).first()
            if user is None:
                continue
            known = set(Notification.objects.filter(recipient=user).values_list("kind", "subject_key"))
            new = [notice for notice in build(user, office) if (notice.kind, notice.subject_key) not in known]
            if not new:
                continue
            made += notify_many(new)
            if len(new) > 1:  # the oldest of them read, so the inbox shows both
                oldest = Notification.objects.filter(recipient=user, contact_point=office).order_by("pk").first()
                Notification.objects.filter(pk=getattr(oldest, "pk", None)).update(read_at=timezone.now())
    made += sum(daily.create_daily_notifications().values())
    return f"{made} notifications"
