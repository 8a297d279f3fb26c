"""Anonymisation removes the free texts and the reports; the demo seeder is idempotent and shows comparisons."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from cases import retention
from cases.services.cases import close_case
from jobcenter.models_documents import StoredDocument
from partners.models import ReferralStatus
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory
from profiling.services.assessments import record_result
from tests.profiling.factories import AssessmentFactory, SocialHistoryFactory, make_profiling
from tests.profiling.test_assessments import PDF

pytestmark = pytest.mark.django_db


def test_anonymisation_scrubs_profiling_texts_and_deletes_reports(case, fallmanager, _documents,
                                                                   django_capture_on_commit_callbacks):
    profiling = make_profiling(case, fallmanager, debts="obstacle")
    Profiling.objects.filter(pk=profiling.pk).update(summary="Privat")
    SocialHistoryFactory(case=case, recorded_by=fallmanager)
    assessment = AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED,
                                   referral__referred_on=datetime.date(2003, 1, 6))
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="Geheim",
                  recommendations="Mehr", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    close_case(case=case, outcome="moved", by=fallmanager, closed_on=datetime.date(2003, 1, 31))
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.anonymise_due_clients(today=datetime.date(2026, 1, 1))
    assert run.clients == 1 and run.details["profiling.reports"] == 1
    assert Profiling.objects.get().summary == ""
    assert set(ProfilingRating.objects.values_list("note", flat=True)) == {""}
    assert ProfilingRating.objects.get(dimension="debts").rating == "obstacle"  # statistics stay
    history = SocialHistory.objects.get()
    assert (history.household, history.debts) == ("", "")
    assessment = Assessment.objects.get()
    assert (assessment.question, assessment.result_summary, assessment.report) == ("", "", None)
    assert not StoredDocument.objects.exists()
    assert not Assessment.pgh_event_model.objects.filter(report__isnull=False).exists()  # audit copies too
    assert [p for p in Path(_documents).rglob("*") if p.is_file()] == []
    assert not SocialHistory.pgh_event_model.objects.filter(debts__contains="Gläubiger").exists()  # audit copies too


def test_demo_seeder_is_idempotent_and_shows_comparisons(monkeypatch):
    from cases import demo as cases_demo
    from jobcenter.demo import seed_organisation
    from partners import demo as partners_demo
    from profiling import demo

    monkeypatch.setattr(cases_demo, "CLIENTS_PER_OFFICE", 100)  # enough for every kind of row, and quick
    organisation = seed_organisation()
    cases_demo.seed(organisation)
    partners_demo.seed(organisation)
    summary = demo.seed(organisation)
    assert "assessments" in summary
    counts = Profiling.objects.count(), SocialHistory.objects.count(), Assessment.objects.count()
    assert counts[0] > 80 and counts[1] > 5 and 1 <= counts[2] <= 4
    assert Profiling.objects.values("case").annotate(n=Count("id")).filter(n=2).count() > 5
    assert Profiling.objects.exclude(override_reason="").exists()
    assert Assessment.objects.filter(report__isnull=False).count() == 1
    demo.seed(organisation)
    assert (Profiling.objects.count(), SocialHistory.objects.count(), Assessment.objects.count()) == counts
