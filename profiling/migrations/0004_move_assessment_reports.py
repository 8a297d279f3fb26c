"""Move the assessment reports into the project's document store.

Until now a report lay under ``DOCUMENTS_ROOT/assessments/<32 hex>.pdf`` (``Assessment.report_name``), with its
original name, size, SHA-256 and upload time in columns of the assessment. Each one is now stored like
``jobcenter.documents.store`` does it (``assessment_report/<aa>/<sha256>.pdf``, written atomically, a
``StoredDocument`` row under the key ``assessment:<pk>:report``) and ``Assessment.report`` points at it; the audit
trail rows that named the same file get the reference too. A file that is missing, unreadable, empty or does not
match its recorded SHA-256 is logged and skipped (the assessment keeps no report); the old files go only after
the migration has committed. The reverse puts the files back under their old names.
"""

import logging
import re
import uuid

from django.db import migrations, transaction

from jobcenter.documents import _write_atomically, root, safe_filename, sha256_of

logger = logging.getLogger("profiling.migrations")

OLD_NAME = re.compile(r"^assessments/[0-9a-f]{32}\.pdf$")
KIND = "assessment_report"


def report_key(assessment_id):
    return f"assessment:{assessment_id}:report"


def report_filename(name, assessment_id):
    """The download name: the uploader's file name made safe, always ending in .pdf."""
    cleaned = safe_filename(name or f"assessment-{assessment_id}.pdf")
    return cleaned if cleaned.lower().endswith(".pdf") else f"{cleaned[:146]}.pdf"


def old_path(name):
    """The file of an old ``report_name``, or None for anything that is not one of the generated names."""
    if not OLD_NAME.match(name or ""):
        return None
    base = root().resolve()
    path = (base / name).resolve()
    return path if base in path.parents else None


def copy_report(stored_document_model, *, assessment_id, report_name, original_name, sha256="", uploaded_at=None,
                created_by_id=None):
    """Store one old report file as a document (once per key) and return the row, or None when the file cannot
    be taken over (logged). The old file is left in place."""
    key = report_key(assessment_id)
    existing = stored_document_model.objects.filter(key=key).first()
    if existing is not None:
        return existing
    path = old_path(report_name)
    if path is None:
        logger.warning("Assessment %s: report name %r is not a stored report; skipped.", assessment_id, report_name)
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        logger.warning("Assessment %s: report file %s cannot be read (%s); skipped.", assessment_id, path, error)
        return None
    digest = sha256_of(data)
    if not data or (sha256 and digest != sha256):
        logger.warning("Assessment %s: report file %s is empty or does not match its SHA-256; skipped.",
                       assessment_id, path)
        return None
    relative = f"{KIND}/{digest[:2]}/{digest}.pdf"
    target = root() / relative
    if not (target.exists() and target.stat().st_size == len(data) and sha256_of(target.read_bytes()) == digest):
        _write_atomically(target, data)
    document = stored_document_model.objects.create(
        key=key, kind=KIND, path=relative, filename=report_filename(original_name, assessment_id),
        content_type="application/pdf", size=len(data), sha256=digest, created_by_id=created_by_id,
    )
    if uploaded_at is not None:  # keep the upload time (created_at is set on insert)
        stored_document_model.objects.filter(pk=document.pk).update(created_at=uploaded_at)
    return document


def move_reports(apps, schema_editor):
    Assessment = apps.get_model("profiling", "Assessment")
    AssessmentEvent = apps.get_model("profiling", "AssessmentEvent")
    StoredDocument = apps.get_model("jobcenter", "StoredDocument")
    moved = []
    for assessment in Assessment.objects.exclude(report_name="").filter(report__isnull=True).order_by("pk"):
        document = copy_report(
            StoredDocument, assessment_id=assessment.pk, report_name=assessment.report_name,
            original_name=assessment.report_original_name, sha256=assessment.report_sha256,
            uploaded_at=assessment.report_uploaded_at, created_by_id=assessment.result_recorded_by_id,
        )
        if document is None:
            continue
        Assessment.objects.filter(pk=assessment.pk).update(report=document)
        AssessmentEvent.objects.filter(pgh_obj_id=assessment.pk, report_name=assessment.report_name).update(
            report=document)
        moved.append(old_path(assessment.report_name))

    def remove_old_files():
        for path in moved:
            path.unlink(missing_ok=True)

    transaction.on_commit(remove_old_files)


def restore_reports(apps, schema_editor):
    """Reverse: write each moved report back under a generated old-style name and fill the old columns."""
    Assessment = apps.get_model("profiling", "Assessment")
    StoredDocument = apps.get_model("jobcenter", "StoredDocument")
    removed = []
    for assessment in Assessment.objects.filter(report__key__startswith="assessment:").select_related("report"):
        document = assessment.report
        try:
            data = (root() / document.path).read_bytes()
        except OSError as error:
            logger.warning("Assessment %s: document file %s cannot be read (%s); left in the store.",
                           assessment.pk, document.path, error)
            continue
        name = f"assessments/{uuid.uuid4().hex}.pdf"
        _write_atomically(root() / name, data)
        Assessment.objects.filter(pk=assessment.pk).update(
            report=None, report_name=name, report_original_name=document.filename[:150], report_size=len(data),
            report_sha256=sha256_of(data), report_uploaded_at=document.created_at,
        )
        removed.append(document.path)
        document.delete()

    def remove_store_files():
        for path in removed:
            if not StoredDocument.objects.filter(path=path).exists():
                (root() / path).unlink(missing_ok=True)

    transaction.on_commit(remove_store_files)


class Migration(migrations.Migration):

    dependencies = [
        ("jobcenter", "0005_stored_documents"),
        ("profiling", "0003_assessment_report_document"),
    ]

    operations = [
        migrations.RunPython(move_reports, restore_reports),
    ]
