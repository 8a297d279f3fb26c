"""The demo seeder makes plans in every status (idempotently); anonymisation removes the plans' free texts and
documents."""

from __future__ import annotations

import pytest
from django.db.models import Count

from cases import retention
from integration_plans import retention as plans_retention
from integration_plans.models import Hearing, IntegrationPlan, PlanStatus
from integration_plans.services import documents as plan_documents
from jobcenter.models_documents import StoredDocument
from tests.integration_plans.factories import ensure_notices, final_plan

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_in_every_status_and_is_idempotent(monkeypatch):
    from cases import demo as cases_demo
    from integration_plans import demo
    from jobcenter.demo import seed_organisation
    from partners import demo as partners_demo

    monkeypatch.setattr(cases_demo, "CLIENTS_PER_OFFICE", 120)
    ensure_notices()
    organisation = seed_organisation()
    cases_demo.seed(organisation)
    partners_demo.seed(organisation)
    assert "plan versions" in demo.seed(organisation)
    statuses = set(IntegrationPlan.objects.values_list("status", flat=True))
    assert statuses == set(PlanStatus.values)
    assert IntegrationPlan.objects.filter(version=2).count() >= 4  # several Fortschreibungen
    assert IntegrationPlan.objects.filter(status=PlanStatus.SIGNED).count() >= 6
    assert 1 <= StoredDocument.objects.count() <= 4  # only a handful rendered
    assert Hearing.objects.values("status").annotate(n=Count("id")).count() == 2  # open and decided
    counts = IntegrationPlan.objects.count(), Hearing.objects.count()
    assert demo.seed(organisation) == ""
    assert (IntegrationPlan.objects.count(), Hearing.objects.count()) == counts


def test_anonymisation_empties_the_plans_and_deletes_their_documents(
        hlu_case, fallmanager, notices, documents_root, django_capture_on_commit_callbacks):
    plan = final_plan(hlu_case, fallmanager)
    document = plan_documents.generate_agreement(plan_id=plan.pk, token="t")
    path = documents_root / document.path
    with django_capture_on_commit_callbacks(execute=True):
        counts = plans_retention.anonymise([hlu_case.client_id])
    assert retention._REGISTRY["integration_plans"].policies == plans_retention.POLICIES  # registered with cases
    plan.refresh_from_db()
    assert (plan.goal, plan.content, plan.document_id) == ("", None, None)
    assert plan.content_sha256  # the checksum stays
    assert not plan.steps.exclude(description="").exists()
    assert counts["plan_documents"] == 1 and not path.exists()
    assert not IntegrationPlan.pgh_event_model.objects.filter(goal__contains="Lagerist").exists()
