"""The data migration that moves the old assessment report files (``assessments/<hex>.pdf``, named in
``Assessment.report_name``) into the project's document store."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import logging
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jobcenter.models_documents import StoredDocument
from partners.models import ReferralStatus
from profiling.models import Assessment
from tests.profiling.factories import AssessmentFactory
from tests.profiling.test_assessments import PDF

migration = importlib.import_module("profiling.migrations.0004_move_assessment_reports")
BEFORE = [("profiling", "0003_assessment_report_document"), ("jobcenter", "0005_stored_documents")]
UPLOADED = datetime.datetime(2003, 1, 20, 10, 30, tzinfo=datetime.UTC)


def _old_file(documents_root: Path, content: bytes = PDF) -> str:
    name = f"assessments/{uuid.uuid4().hex}.pdf"
    path = documents_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name


@pytest.mark.django_db
def test_one_old_file_is_copied_into_the_store_under_the_assessments_key(_documents, fallmanager):
    name = _old_file(_documents)
    document = migration.copy_report(
        StoredDocument, assessment_id=17, report_name=name, original_name="Bericht <Müller>.pdf",
        sha256=hashlib.sha256(PDF).hexdigest(), uploaded_at=UPLOADED, created_by_id=fallmanager.pk)
    document = StoredDocument.objects.get(pk=document.pk)
    assert (document.key, document.kind, document.filename) == (
        "assessment:17:report", "assessment_report", "Bericht _Müller_.pdf")
    assert (document.sha256, document.size, document.created_at) == (hashlib.sha256(PDF).hexdigest(), len(PDF),
                                                                     UPLOADED)
    assert document.created_by == fallmanager
    assert (_documents / document.path).read_bytes() == PDF
    assert (_documents / name).exists()  # the old file goes only after the migration committed
    again = migration.copy_report(StoredDocument, assessment_id=17, report_name=name, original_name="x.pdf")
    assert again == document and StoredDocument.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["missing", "foreign name", "changed", "empty"])
def test_a_file_that_cannot_be_taken_over_is_logged_and_skipped(_documents, caplog, case):
    name = _old_file(_documents, b"" if case == "empty" else PDF)
    if case == "missing":
        (_documents / name).unlink()
    report_name = "../../etc/passwd" if case == "foreign name" else name
    sha256 = hashlib.sha256(b"other").hexdigest() if case == "changed" else ""
    with caplog.at_level(logging.WARNING, logger="profiling.migrations"):
        document = migration.copy_report(StoredDocument, assessment_id=5, report_name=report_name,
                                         original_name="a.pdf", sha256=sha256)
    assert document is None and not StoredDocument.objects.exists()
    assert "Assessment 5" in caplog.text and "skipped" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_old_reports_and_keeps_going_past_a_missing_file(_documents, fallmanager, case):
    moved = AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED, commissioned_by=fallmanager,
                              result_recorded_by=fallmanager)
    lost = AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED, commissioned_by=fallmanager)
    untouched = AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED, commissioned_by=fallmanager)
    old_name = _old_file(_documents)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        OldAssessment = old_apps.get_model("profiling", "Assessment")
        OldAssessment.objects.filter(pk=moved.pk).update(
            report_name=old_name, report_original_name="Gutachten.pdf", report_size=len(PDF),
            report_sha256=hashlib.sha256(PDF).hexdigest(), report_uploaded_at=timezone.now())
        OldAssessment.objects.filter(pk=lost.pk).update(
            report_name=f"assessments/{uuid.uuid4().hex}.pdf", report_size=3, report_sha256="0" * 64)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    document = Assessment.objects.get(pk=moved.pk).report
    assert document is not None
    assert (document.key, document.filename, document.sha256) == (
        f"assessment:{moved.pk}:report", "Gutachten.pdf", hashlib.sha256(PDF).hexdigest())
    assert (_documents / document.path).read_bytes() == PDF
    assert not (_documents / old_name).exists()  # removed after the commit
    assert Assessment.objects.get(pk=lost.pk).report is None
    assert Assessment.objects.get(pk=untouched.pk).report is None
    events = Assessment.pgh_event_model.objects.filter(pgh_obj_id=moved.pk)
    assert events.filter(report=document).exists()  # the audit trail keeps which report it was
