"""The document store and the agreement PDF: write once with SHA-256, idempotent generation, deterministic
rendering, every required part in the PDF's text, scan upload validation."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from cases.models import BenefitKind
from integration_plans.models import DocumentState, IntegrationPlan, PlanKind, PlanStatus
from integration_plans.pdf import render_pdf
from integration_plans.services import documents as plan_documents
from integration_plans.services import plans as services
from integration_plans.tasks import render_agreement
from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from tests.integration_plans.factories import case_with_benefits, final_plan, full_input

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- the store ----------------------------------------------------------------------------------------------
def test_a_document_is_stored_once_under_its_key_with_its_sha256(documents_root):
    first = documents.store(key="test:1", kind="test", data=b"%PDF-first", filename="a.pdf")
    again = documents.store(key="test:1", kind="test", data=b"%PDF-other content", filename="b.pdf")
    assert again.pk == first.pk and again.sha256 == hashlib.sha256(b"%PDF-first").hexdigest()
    path = documents_root / first.path
    assert path.read_bytes() == b"%PDF-first"
    assert first.path == f"test/{first.sha256[:2]}/{first.sha256}.pdf"
    assert not list(path.parent.glob(".tmp-*"))  # written atomically, nothing left behind
    assert documents.read(first) == b"%PDF-first"


def test_a_changed_or_missing_file_is_refused_on_reading(documents_root):
    document = documents.store(key="test:2", kind="test", data=b"%PDF-original", filename="a.pdf")
    (documents_root / document.path).write_bytes(b"%PDF-tampered")
    with pytest.raises(documents.DocumentError, match="checksum"):
        documents.read(document)
    (documents_root / document.path).unlink()
    with pytest.raises(documents.DocumentError, match="missing"):
        documents.read(document)


def test_a_path_outside_the_documents_root_is_refused(documents_root):
    document = StoredDocument(path="../../etc/passwd", size=1, sha256="0" * 64)
    with pytest.raises(documents.DocumentError):
        documents.read(document)


def test_deleting_keeps_a_file_another_document_shares(documents_root, django_capture_on_commit_callbacks):
    one = documents.store(key="test:a", kind="test", data=b"%PDF-same", filename="a.pdf")
    two = documents.store(key="test:b", kind="test", data=b"%PDF-same", filename="b.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        documents.delete(one)
    assert (documents_root / two.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        documents.delete(two)
    assert not (documents_root / two.path).exists()


def test_a_failed_transaction_takes_the_files_it_stored_with_it(documents_root):
    kept = documents.store(key="test:kept", kind="test", data=b"%PDF-shared", filename="a.pdf")
    with pytest.raises(RuntimeError), documents.removed_on_failure(), transaction.atomic():
        fresh = documents.store(key="test:fresh", kind="test", data=b"%PDF-only here", filename="b.pdf")
        documents.store(key="test:shared", kind="test", data=b"%PDF-shared", filename="c.pdf")
        raise RuntimeError("the row could not be saved")
    assert not (documents_root / fresh.path).exists()
    assert (documents_root / kept.path).exists()  # another document still points at it
    assert list(StoredDocument.objects.values_list("key", flat=True)) == ["test:kept"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"<html>not a pdf</html>", "not a PDF"),
    (b"MZ\x90\x00 pretending.pdf", "not a PDF"),
])
def test_only_real_pdfs_are_accepted_as_uploads(content, message):  # type: ignore[no-untyped-def]
    with pytest.raises(documents.DocumentError, match=message):
        documents.check_pdf_upload(SimpleUploadedFile("scan.pdf", content, content_type="application/pdf"))


def test_an_upload_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 100
    with pytest.raises(documents.DocumentError, match="too large"):
        documents.check_pdf_upload(SimpleUploadedFile("scan.pdf", PDF + b"x" * 200))
    assert documents.check_pdf_upload(SimpleUploadedFile("scan.pdf", PDF)) == PDF


def test_a_download_is_an_attachment_with_nosniff(rf, fallmanager, office, documents_root):
    # the access log of downloads: tests/security/test_access_log_coverage.py (every download URL)
    document = documents.store(key="test:3", kind="test", data=PDF, filename='evil"\r\nname.pdf')
    request = rf.get("/")
    request.user = fallmanager
    response = documents.download_response(request, document, allowed=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        documents.download_response(request, document, allowed=False)


# --- the agreement ------------------------------------------------------------------------------------------
def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_generating_twice_stores_one_document(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)  # in a test transaction: the on-commit render did not run
    render_agreement.apply(args=[plan.pk])
    render_agreement.apply(args=[plan.pk])
    plan.refresh_from_db()
    assert StoredDocument.objects.filter(key=f"integration_plan:{plan.pk}:agreement").count() == 1
    assert (plan.document_state, plan.pdf_claim) == (DocumentState.READY, "")
    assert plan.pdf_attempts == 1  # the second run found the document and did not render again


def test_a_fresh_claim_by_another_run_is_respected(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    IntegrationPlan.objects.filter(pk=plan.pk).update(pdf_claim="other-task", pdf_claimed_at=timezone.now())
    assert plan_documents.generate_agreement(plan_id=plan.pk, token="me") is None
    assert plan_documents.generate_agreement(plan_id=plan.pk, token="other-task") is not None  # its redelivery


def test_a_stale_claim_is_taken_over(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    IntegrationPlan.objects.filter(pk=plan.pk).update(
        pdf_claim="dead-worker", pdf_claimed_at=timezone.now() - plan_documents.stale_claim() * 2)
    assert plan_documents.generate_agreement(plan_id=plan.pk, token="me") is not None


def test_a_draft_is_never_rendered(hlu_case, fallmanager, notices):
    plan = services.create_plan(case=hlu_case, by=fallmanager)
    assert plan_documents.generate_agreement(plan_id=plan.pk, token="x") is None
    assert not StoredDocument.objects.exists()


def test_rendering_is_deterministic_byte_for_byte(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    first = render_pdf(plan.content, plan.content_sha256)
    second = render_pdf(plan.content, plan.content_sha256)
    assert first == second


def test_a_signed_agreements_file_never_changes(hlu_case, fallmanager, notices, documents_root):
    plan = final_plan(hlu_case, fallmanager)
    document = plan_documents.generate_agreement(plan_id=plan.pk, token="t1")
    plan = services.record_signature(plan=plan, by=fallmanager, signed_on=timezone.localdate())
    before = (documents_root / document.path).read_bytes()
    plan_documents.request_agreement(plan=plan, by=fallmanager)
    assert plan_documents.generate_agreement(plan_id=plan.pk, token="t2") == document
    assert (documents_root / document.path).read_bytes() == before
    assert StoredDocument.objects.count() == 1


def test_regenerating_a_final_agreement_yields_the_same_file(hlu_case, fallmanager, notices, documents_root):
    plan = final_plan(hlu_case, fallmanager)
    document = plan_documents.generate_agreement(plan_id=plan.pk, token="t1")
    assert render_pdf(plan.content, plan.content_sha256) == documents.read(document)


def test_the_pdf_contains_every_required_part(office, fallmanager, notices):
    case = case_with_benefits(office, fallmanager, BenefitKind.ALHI, BenefitKind.HLU, last_name="Krause",
                              first_name="Ümit", customer_number="073A123456", file_number="50-123456/03")
    plan = final_plan(case, fallmanager)
    text = _text(render_pdf(plan.content, plan.content_sha256))
    flat = re.sub(r"\s+", " ", text)
    for part in [
        office.name, office.employment_agency.name, office.welfare_agency.name,  # letterhead with both agencies
        "Ümit Krause", "073A123456", "50-123456/03", f"Fall-Nr. {case.pk}",
        "Eingliederungsvereinbarung", "Eingliederungsziel", "Sozialversicherungspflichtige Beschäftigung als Lagerist",
        "Schritte", "Bewerbungsunterlagen überarbeiten",
        "Leistungen der Träger", "Vermittlungsvorschläge durch das Arbeitsamt", office.employment_agency.name,
        "§ 35 SGB III (Vermittlung)",
        "Ihre Pflichten", "Bewerbungen", "6× pro Monat", "Kopien der Anschreiben",
        "Gültigkeit und Überprüfung", plan.valid_from.strftime("%d.%m.%Y"), plan.valid_until.strftime("%d.%m.%Y"),
        plan.review_on.strftime("%d.%m.%Y"),
        "Rechtsfolgenbelehrung", "§ 25 BSHG (Hilfe zum Lebensunterhalt) – Fassung 1",
        "§ 144 SGB III (Sperrzeit bei Alg/Alhi) – Fassung 1",  # a Kombibezieher gets both
        "Unterschrift des Kunden / der Kundin", "Für das Arbeitsamt", "Für den Träger der Sozialhilfe",
        "Seite 1 von", "Version 1", plan.content_sha256,
    ]:
        assert part in flat, part
    assert len(PdfReader(io.BytesIO(render_pdf(plan.content, plan.content_sha256))).pages) >= 2
    assert "Kunden-Nr. (Anlaufstelle)" not in flat  # our internal record id is not the client's business


def test_the_pdf_of_a_fortschreibung_lists_the_changes(hlu_case, fallmanager, notices):
    first = final_plan(hlu_case, fallmanager)
    second = services.create_revision(plan=first, by=fallmanager)
    from dataclasses import replace

    data = replace(full_input(second)["data"], goal="Ausbildung zur Fachkraft für Lagerlogistik")
    inputs = full_input(second, data=data)
    second = services.save_draft(plan=second, expected_edit_count=second.edit_count, by=fallmanager, **inputs)
    second = services.finalise(plan=second, by=fallmanager)
    flat = re.sub(r"\s+", " ", _text(render_pdf(second.content, second.content_sha256)))
    assert "Änderungen gegenüber Version 1" in flat
    assert "Geändert: Eingliederungsziel" in flat
    assert "Fortschreibung der Version 1" in flat


def test_the_pdf_of_a_decision_has_no_client_signature_but_a_right_to_object(hlu_case, fallmanager, notices):
    plan = services.create_plan(case=hlu_case, by=fallmanager)
    from dataclasses import replace

    data = replace(full_input(plan)["data"], kind=PlanKind.DECISION, decision_reason="Keine Einigung.",
                   review_clause="Überprüfung nach drei Monaten.")
    plan = services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(plan, data=data))
    plan = services.finalise(plan=plan, by=fallmanager)
    flat = re.sub(r"\s+", " ", _text(render_pdf(plan.content, plan.content_sha256)))
    assert "Festlegung der Eingliederungsleistungen und Pflichten" in flat
    assert "Rechtsbehelfsbelehrung" in flat and "Keine Einigung." in flat
    assert "Unterschrift des Kunden" not in flat
    assert plan.status == PlanStatus.FINAL
