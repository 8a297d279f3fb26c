"""The agreement PDF: requested when a plan is finalised (or on demand), rendered by a Celery task, stored once.

Idempotent generation, in three steps:
  1. claim — one conditional UPDATE marks the plan as being rendered by this task run (``pdf_claim`` = the task
     id). It succeeds only while the plan has no document and nobody else holds a fresh claim; a redelivered
     message (same task id, e.g. after the worker was killed mid-render; ``acks_late`` is on) may re-claim, and
     so may anyone once a claim is older than ``STALE_CLAIM`` (the task time limit, twice).
  2. render — outside any transaction, from the frozen content snapshot only.
  3. store — ``jobcenter.documents.store`` under the key ``integration_plan:<id>:agreement`` (unique): however
     often steps 1–2 run, one document exists; the plan is then pointed at it with another conditional UPDATE.
A signed agreement's file is never replaced: once a plan has a document, nothing here writes again.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_plans import notices
from integration_plans.errors import PlanError
from integration_plans.models import FROZEN_STATUSES, DocumentState, IntegrationPlan
from integration_plans.pdf import render_pdf
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from jobcenter.tasking import enqueue_on_commit, fault_gate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DOCUMENT_KIND = "integration_plan_agreement"
# Test hook: seconds to sleep between claiming and rendering, so a test can kill the worker mid-render.
TEST_DELAY_ENV = "PLANS_TEST_RENDER_DELAY"


def stale_claim() -> timedelta:
    return timedelta(seconds=2 * int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300)))


def document_key(plan_id: int) -> str:
    return f"integration_plan:{plan_id}:agreement"


def agreement_filename(plan: IntegrationPlan) -> str:
    prefix = "Bescheid" if plan.is_decision else "Eingliederungsvereinbarung"
    return f"{prefix}-Fall-{plan.case_id}-Version-{plan.version}.pdf"


def _claim(plan_id: int, token: str) -> bool:
    now = timezone.now()
    return bool(
        IntegrationPlan.objects.filter(pk=plan_id, document__isnull=True, status__in=FROZEN_STATUSES)
        .filter(Q(pdf_claim="") | Q(pdf_claim=token) | Q(pdf_claimed_at__lt=now - stale_claim()))
        .update(pdf_claim=token, pdf_claimed_at=now, pdf_attempts=F("pdf_attempts") + 1,
                document_state=DocumentState.PENDING)
    )


def _test_delay() -> None:
    if settings.TESTING and (delay := float(os.environ.get(TEST_DELAY_ENV) or 0)):
        time.sleep(delay)
    fault_gate()


def generate_agreement(*, plan_id: int, token: str) -> StoredDocument | None:
    """Render and store the agreement of a finalised plan once (see the module docstring). Returns the document,
    or None when there is nothing to do (another run holds the claim, or the plan is not finalised)."""
    plan = IntegrationPlan.objects.filter(pk=plan_id).select_related("document").first()
    if plan is None or plan.status not in FROZEN_STATUSES:
        return None
    if plan.document is not None:
        return plan.document
    existing = StoredDocument.objects.filter(key=document_key(plan_id)).first()
    if existing is None:
        if not _claim(plan_id, token):
            return None
        _test_delay()
        data = render_pdf(plan.content or {}, plan.content_sha256)
        existing = documents.store(key=document_key(plan_id), kind=DOCUMENT_KIND, data=data,
                                   filename=agreement_filename(plan))
    with transaction.atomic():
        attached = IntegrationPlan.objects.filter(pk=plan_id, document__isnull=True).update(
            document=existing, document_state=DocumentState.READY, pdf_claim="", updated_at=timezone.now())
        if attached:  # this run attached it: told once, with the attachment
            notices.agreement_ready(IntegrationPlan.objects.select_related("case__client").get(pk=plan_id))
    return existing


@transaction.atomic
def request_agreement(*, plan: IntegrationPlan, by: User) -> IntegrationPlan:
    """Ask for the PDF of a finalised plan that has none yet (demo plans, or a render that never finished).
    A fresh claim of a running render is respected; the task itself decides."""
    locked = IntegrationPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status not in FROZEN_STATUSES:
        raise PlanError(_("The agreement can be printed once the plan is finalised."))
    if locked.document_id:
        return locked
    locked.document_state = DocumentState.PENDING
    locked.save(update_fields=["document_state"])
    from integration_plans.tasks import render_agreement

    enqueue_on_commit(render_agreement, locked.pk)
    return locked


# A render that failed this often is left to the "try again" button instead of the sweep.
SWEEP_MAX_ATTEMPTS = 10


def requeue_pending_agreements() -> int:
    """The sweep (beat): enqueue the render of every finalised plan whose document is pending and that no run
    holds (never claimed: its message was not sent because the broker was down, or was lost; or a claim gone
    stale). Duplicates are harmless: the claim lets one run render."""
    ids = list(IntegrationPlan.objects.filter(
        status__in=FROZEN_STATUSES, document__isnull=True, document_state=DocumentState.PENDING,
    ).filter(
        Q(pdf_claim="") | Q(pdf_claimed_at__lt=timezone.now() - stale_claim(), pdf_attempts__lt=SWEEP_MAX_ATTEMPTS)
    ).order_by("pk").values_list("pk", flat=True))
    from integration_plans.tasks import render_agreement

    for plan_id in ids:
        enqueue_on_commit(render_agreement, plan_id)
    return len(ids)


def is_stuck(plan: IntegrationPlan) -> bool:
    """Requested long ago and still no document: the page offers to try again."""
    if plan.document_id or plan.document_state != DocumentState.PENDING:
        return False
    since = plan.pdf_claimed_at or plan.finalised_at
    return since is not None and since < timezone.now() - stale_claim()
