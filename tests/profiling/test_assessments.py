"""Assessments: commissioned through a partners referral; the result with an optional PDF report, checked before
anything is stored, kept in the project's document store outside the web root and handed out only to those who
may read it."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import CaseStatus
from jobcenter.models import AccessRecord
from jobcenter.models_documents import StoredDocument
from jobcenter.roles import Module
from partners.models import DisclosureRecord, PartnerKind, Referral, ReferralStatus
from profiling.errors import ProfilingError
from profiling.models import Assessment
from profiling.services.assessments import record_result
from tests.partners.factories import OfferFactory, PartnerFactory
from tests.profiling.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


@pytest.fixture
def assessment_offer(office):  # type: ignore[no-untyped-def]
    partner = PartnerFactory(contact_point=office, kind=PartnerKind.ASSESSMENT, name="DAA Assessment-Center")
    return OfferFactory(partner=partner, title="Assessment-Center (2 Wochen)", places=3)


@pytest.fixture
def assessment(case, fallmanager):  # type: ignore[no-untyped-def]
    """Commissioned, accepted by the partner: ready for the result."""
    return AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED,
                             referral__referred_on=datetime.date(2003, 1, 6), commissioned_by=fallmanager)


def _stored_files(documents_root: Path) -> list[Path]:
    return [p for p in documents_root.rglob("*") if p.is_file()] if documents_root.exists() else []


def _result(**extra):  # type: ignore[no-untyped-def]
    return {"result_on": "2003-01-20", "result_summary": "Belastbar für leichte Tätigkeiten.",
            "recommendations": "Staplerschein", **extra}


# --- commissioning ------------------------------------------------------------------------------------------
def test_commissioning_creates_the_referral_and_starts_the_profiling(fm_client, case, assessment_offer):
    url = reverse("profiling:assessment_create", args=[case.pk])
    page = fm_client.get(url).content.decode()
    assert "Assessment-Center (2 Wochen) – DAA Assessment-Center (3 frei)" in page
    response = fm_client.post(url, {"offer": assessment_offer.pk, "referred_on": "2003-01-06",
                                    "question": "Belastbarkeit für Lagerarbeit?", "planned_months": "1",
                                    "shared_data": ["identity", "career"]})
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("profiling:assessment_detail", args=[assessment.pk])
    referral = Referral.objects.get()
    assert (assessment.referral, referral.purpose, referral.status) == (
        referral, "Belastbarkeit für Lagerarbeit?", ReferralStatus.PROPOSED)
    assert DisclosureRecord.objects.filter(referral=referral).exists()  # the partners rules applied
    case.refresh_from_db()
    assert case.status == CaseStatus.PROFILING


def test_health_data_need_a_release(fm_client, case, assessment_offer):
    response = fm_client.post(reverse("profiling:assessment_create", args=[case.pk]), {
        "offer": assessment_offer.pk, "referred_on": "2003-01-06", "question": "Belastbarkeit?",
        "planned_months": "1", "shared_data": ["identity", "health"]})
    assert response.status_code == 400
    assert "Gesundheits-, Schulden- oder Familiendaten dürfen nur mit einer Schweigepflichtentbindung" in \
        response.content.decode()
    assert not Referral.objects.exists() and not Assessment.objects.exists()


def test_only_assessment_offers_can_be_commissioned(fm_client, case, office):
    other = OfferFactory(partner=PartnerFactory(contact_point=office))  # debt counselling
    response = fm_client.post(reverse("profiling:assessment_create", args=[case.pk]), {
        "offer": other.pk, "referred_on": "2003-01-06", "question": "?", "planned_months": "1",
        "shared_data": ["identity"]})
    assert response.status_code == 400 and not Assessment.objects.exists()


def test_a_colleague_cannot_commission_for_someone_elses_case(login, case, colleague, assessment_offer):
    response = login(colleague).get(reverse("profiling:assessment_create", args=[case.pk]))
    assert response.status_code == 302


def test_module_off_means_no_assessments(login, case, fallmanager, office, assessment):
    office.enabled_modules = [m for m in office.enabled_modules if m != Module.TIEFENPROFILING]
    office.save()
    client = login(fallmanager)
    for name, arg in (("assessment_create", case.pk), ("assessment_detail", assessment.pk),
                      ("assessment_report", assessment.pk)):
        assert client.get(reverse(f"profiling:{name}", args=[arg])).status_code == 404


# --- the result and its report ------------------------------------------------------------------------------
def test_result_with_report_is_stored_in_the_document_store_under_the_assessments_key(fm_client, assessment,
                                                                                       fallmanager, _documents):
    report = SimpleUploadedFile("Bericht Müller.pdf", PDF, content_type="application/pdf")
    response = fm_client.post(reverse("profiling:assessment_result", args=[assessment.pk]), _result(report=report))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.result_summary == "Belastbar für leichte Tätigkeiten."
    document = StoredDocument.objects.get()
    assert assessment.report == document and assessment.has_report
    assert (document.key, document.kind) == (f"assessment:{assessment.pk}:report", "assessment_report")
    assert (document.sha256, document.size) == (hashlib.sha256(PDF).hexdigest(), len(PDF))
    assert (document.filename, document.content_type, document.created_by) == (
        "Bericht Müller.pdf", "application/pdf", fallmanager)
    assert "Müller" not in document.path and document.path.startswith("assessment_report/")
    stored = _stored_files(_documents)
    assert stored == [Path(_documents) / document.path] and stored[0].read_bytes() == PDF
    page = fm_client.get(reverse("profiling:assessment_detail", args=[assessment.pk])).content.decode()
    assert 'data-testid="download-report"' in page and "Bericht Müller.pdf" in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bericht.pdf", b"MZ\x90\x00 this is an exe", "Es können nur PDF-Dateien hochgeladen werden; diese Datei ist kein PDF."),
    ("bericht.pdf", b"<html>%PDF-1.4</html>", "Es können nur PDF-Dateien hochgeladen werden"),
    ("bericht.pdf", PDF + b"x" * 3000, "Die Datei ist zu groß (höchstens 2,0\xa0KB)."),
])
def test_bad_uploads_are_refused_in_german_and_nothing_is_stored(
    fm_client, assessment, settings, _documents, name, content, message
):
    settings.ASSESSMENT_UPLOAD_MAX_BYTES = 2048
    report = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = fm_client.post(reverse("profiling:assessment_result", args=[assessment.pk]), _result(report=report))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page, page[page.find("invalid-feedback") - 200:][:600]
    assert "Belastbar für leichte Tätigkeiten." in page  # what was typed stays
    assert _stored_files(_documents) == [] and not StoredDocument.objects.exists()
    assessment.refresh_from_db()
    assert not assessment.has_result and not assessment.has_report


def test_the_assessment_size_limit_applies_not_the_stores_default(fm_client, assessment, settings):
    settings.ASSESSMENT_UPLOAD_MAX_BYTES = 4096
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024
    report = SimpleUploadedFile("bericht.pdf", PDF + b"x" * 2000, content_type="application/pdf")
    response = fm_client.post(reverse("profiling:assessment_result", args=[assessment.pk]), _result(report=report))
    assert response.status_code == 302 and StoredDocument.objects.get().size == len(PDF) + 2000


@pytest.mark.parametrize(("name", "filename"), [
    ("../../etc/bericht<1>.pdf", "bericht_1_.pdf"),
    ("bericht.exe", "bericht.exe.pdf"),
    (".pdf", "pdf.pdf"),
    ("b" * 200 + ".pdf", "b" * 146 + ".pdf"),
])
def test_the_file_name_is_made_safe_for_the_download(assessment, fallmanager, name, filename):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile(name, PDF))
    assert StoredDocument.objects.get().filename == filename


def test_the_service_checks_the_upload_too(assessment, fallmanager, _documents):
    with pytest.raises(ProfilingError, match="kein PDF") as refused:
        record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                      recommendations="", by=fallmanager,
                      report=SimpleUploadedFile("a.pdf", b"GIF89a", content_type="application/pdf"))
    assert refused.value.field == "report"
    assert _stored_files(_documents) == [] and not StoredDocument.objects.exists()


def test_a_file_is_removed_when_the_row_cannot_be_saved(assessment, fallmanager, _documents, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database gone")

    monkeypatch.setattr(Assessment, "save", broken)  # after the document was stored, inside the transaction
    with pytest.raises(RuntimeError):
        record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                      recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    assert _stored_files(_documents) == [] and not StoredDocument.objects.exists()


def test_a_new_report_replaces_the_old_one_and_its_file_after_the_commit(assessment, fallmanager, _documents,
                                                                        django_capture_on_commit_callbacks):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    first = Assessment.objects.get().report
    with django_capture_on_commit_callbacks(execute=True):
        record_result(assessment=assessment, result_on=datetime.date(2003, 1, 21), result_summary="y",
                      recommendations="", by=fallmanager, report=SimpleUploadedFile("b.pdf", PDF + b"2"))
    second = Assessment.objects.get().report
    assert second is not None and first is not None and first.pk != second.pk
    assert list(StoredDocument.objects.all()) == [second]
    assert (second.key, second.filename, second.sha256) == (
        f"assessment:{assessment.pk}:report", "b.pdf", hashlib.sha256(PDF + b"2").hexdigest())
    assert _stored_files(_documents) == [Path(_documents) / second.path]


def test_a_result_without_a_report_keeps_the_stored_one(assessment, fallmanager):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    document = Assessment.objects.get().report
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 21), result_summary="korrigiert",
                  recommendations="", by=fallmanager)
    assert Assessment.objects.get().report == document and StoredDocument.objects.count() == 1


def test_no_result_before_the_partner_accepted(fm_client, assessment):
    Referral.objects.filter(pk=assessment.referral_id).update(status=ReferralStatus.PROPOSED)
    response = fm_client.post(reverse("profiling:assessment_result", args=[assessment.pk]), _result())
    assert response.status_code == 302
    follow = fm_client.get(response["Location"]).content.decode()
    assert "sobald der Partner den Auftrag angenommen hat" in follow
    assert not Assessment.objects.get().has_result


# --- reading and downloading --------------------------------------------------------------------------------
def test_download_is_an_attachment_for_the_assigned_case_manager_and_recorded(fm_client, assessment, fallmanager):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    response = fm_client.get(reverse("profiling:assessment_report", args=[assessment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    record = AccessRecord.objects.get(kind=AccessRecord.Kind.DOWNLOAD)
    assert record.what == f"Assessment-Bericht (PDF) {assessment.pk}, Fall {assessment.referral.case_id}"
    assert (record.user, record.client_id) == (fallmanager, assessment.referral.case.client_id)
    assert AccessRecord.objects.count() == 1


def test_the_team_lead_may_download_the_report_too(login, assessment, fallmanager, teamleitung):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    response = login(teamleitung).get(reverse("profiling:assessment_report", args=[assessment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AccessRecord.objects.get(kind=AccessRecord.Kind.DOWNLOAD).user == teamleitung


def test_without_a_report_or_its_file_the_download_says_so_and_records_nothing(fm_client, assessment, fallmanager,
                                                                              _documents):
    url = reverse("profiling:assessment_report", args=[assessment.pk])
    response = fm_client.get(url, follow=True)
    assert "Zu diesem Assessment gibt es keinen Bericht." in response.content.decode()
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="x",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    (Path(_documents) / StoredDocument.objects.get().path).write_bytes(PDF + b"changed")
    response = fm_client.get(url)
    assert response.status_code == 302 and not hasattr(response, "streaming_content")
    assert not AccessRecord.objects.filter(kind=AccessRecord.Kind.DOWNLOAD).exists()


def test_others_see_that_an_assessment_exists_but_not_its_content(login, assessment, fallmanager, colleague,
                                                                  vermittler):
    record_result(assessment=assessment, result_on=datetime.date(2003, 1, 20), result_summary="Geheim",
                  recommendations="", by=fallmanager, report=SimpleUploadedFile("a.pdf", PDF))
    for user in (colleague, vermittler):
        client = login(user)
        page = client.get(reverse("profiling:assessment_detail", args=[assessment.pk])).content.decode()
        assert "Geheim" not in page and assessment.question not in page
        assert 'data-testid="assessment-restricted"' in page
        download = client.get(reverse("profiling:assessment_report", args=[assessment.pk]))
        assert download.status_code == 302 and not hasattr(download, "streaming_content")
    assert not AccessRecord.objects.filter(what__startswith="Assessment").exists()
    page = login(fallmanager).get(reverse("profiling:assessment_detail", args=[assessment.pk])).content.decode()
    assert "Geheim" in page
    assert AccessRecord.objects.filter(what__startswith="Assessment-Ergebnis").count() == 1
