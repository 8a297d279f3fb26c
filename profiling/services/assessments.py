"""Tiefenprofiling / Assessment: commissioned from an assessment partner through a partners referral (consent,
disclosure log, capacity and paying agency follow the partners rules), then the partner's result and report.

``record_result`` checks a report (``jobcenter.documents.check_pdf_upload``) before anything is stored, then in
one transaction stores it in the project's document store under ``assessment:<pk>:report`` and points the
assessment at it; a replaced report is deleted (its file after the commit). Should the transaction fail after the
file was written, the store removes the file again (``documents.removed_on_failure``). So a refused upload never
leaves a file or a row behind, and a stored file always has its row.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from jobcenter import documents
from jobcenter.roles import Module
from partners.errors import PartnerError
from partners.models import Consent, Offer, PartnerKind, ReferralStatus
from partners.services.referrals import ConsentInput, refer
from profiling.errors import ProfilingError
from profiling.models import Assessment
from profiling.services.common import locked_case, require_sensitive_access, start_profiling

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

# The partner must have taken the assignment on before it can report a result.
RESULT_STATUSES = frozenset(
    {ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED, ReferralStatus.ABORTED}
)
# partners' form fields → ours (the rest have the same names)
_FIELD_OF_PARTNER_FIELD = {"purpose": "question"}
REPORT_KIND = "assessment_report"


def report_max_bytes() -> int:
    """The size limit of an assessment report (``ASSESSMENT_UPLOAD_MAX_BYTES``, else the store's default)."""
    return int(getattr(settings, "ASSESSMENT_UPLOAD_MAX_BYTES", 0) or documents.upload_max_bytes())


def report_key(assessment: Assessment) -> str:
    return f"assessment:{assessment.pk}:report"


def report_filename(name: str | None, assessment: Assessment) -> str:
    """The download name: the uploader's file name made safe (no path or special characters), ending in .pdf."""
    cleaned = documents.safe_filename(name or f"assessment-{assessment.pk}.pdf")
    return cleaned if cleaned.lower().endswith(".pdf") else f"{cleaned[:146]}.pdf"


def check_report(report: UploadedFile) -> bytes:
    """The report's bytes after the store's PDF check with the assessment size limit; refuses as a form error."""
    try:
        return documents.check_pdf_upload(report, max_bytes=report_max_bytes())
    except documents.DocumentError as error:
        raise ProfilingError(error.message, field="report") from error


@transaction.atomic
def commission_assessment(
    *,
    case: Case,
    offer: Offer,
    question: str,
    shared_data: Collection[str],
    by: User,
    referred_on: date | None = None,
    planned_months: int = 1,
    consent: Consent | None = None,
    new_consent: ConsentInput | None = None,
) -> Assessment:
    """Refer the client to an assessment offer (``partners.services.referrals.refer``) with the question as the
    referral's purpose, and keep the question for the result. A case still in intake moves to "profiling"."""
    locked = locked_case(case)
    require_sensitive_access(by, locked)
    if not locked.contact_point.has_module(Module.TIEFENPROFILING):
        raise ProfilingError(_("In-depth profiling is not switched on at this contact point."))
    if offer.category != PartnerKind.ASSESSMENT:
        raise ProfilingError(_("Choose an assessment offer."), field="offer")
    question = question.strip()
    if not question:
        raise ProfilingError(_("State the question the assessment should answer."), field="question")
    try:
        referral = refer(
            case=locked, offer=offer, purpose=question, shared_data=shared_data, by=by, referred_on=referred_on,
            planned_months=planned_months, consent=consent, new_consent=new_consent,
        )
    except PartnerError as error:
        raise ProfilingError(error.message, field=_FIELD_OF_PARTNER_FIELD.get(error.field or "", error.field)) from error
    with pghistory.context(user=by.pk):
        assessment = Assessment.objects.create(referral=referral, question=question, commissioned_by=by)
    start_profiling(locked, by=by)
    return assessment


def _check_result(assessment: Assessment, *, result_on: date, summary: str, by: User) -> None:
    case = assessment.referral.case
    if not case.is_open:
        raise ProfilingError(_("This case is closed. Open a new case to continue working with the client."))
    require_sensitive_access(by, case)
    if assessment.referral.status not in RESULT_STATUSES:
        raise ProfilingError(
            _("A result can be recorded once the partner has accepted the assignment (status now: %(status)s).")
            % {"status": assessment.referral.get_status_display()}
        )
    if not summary.strip():
        raise ProfilingError(_("Summarise the result of the assessment."), field="result_summary")
    if result_on > timezone.localdate():
        raise ProfilingError(_("The result cannot be dated in the future."), field="result_on")
    if result_on < assessment.referral.referred_on:
        raise ProfilingError(_("The result cannot be dated before the assessment was commissioned."),
                             field="result_on")


def record_result(
    *,
    assessment: Assessment,
    result_on: date,
    result_summary: str,
    recommendations: str,
    by: User,
    report: UploadedFile | None = None,
) -> Assessment:
    """Record (or correct) the partner's result, optionally with the report as PDF (replacing an earlier one)."""
    current = Assessment.objects.select_related("referral__case").get(pk=assessment.pk)
    _check_result(current, result_on=result_on, summary=result_summary, by=by)  # before anything is stored
    data = check_report(report) if report is not None else None
    with documents.removed_on_failure():
        return _save_result(assessment=current, result_on=result_on, result_summary=result_summary,
                            recommendations=recommendations, by=by, data=data,
                            filename=report.name if report is not None else None)


@transaction.atomic
def _save_result(
    *, assessment: Assessment, result_on: date, result_summary: str, recommendations: str, by: User,
    data: bytes | None, filename: str | None,
) -> Assessment:
    locked = Assessment.objects.select_for_update(of=("self",)).select_related("referral__case").get(pk=assessment.pk)
    _check_result(locked, result_on=result_on, summary=result_summary, by=by)  # again, under the lock
    locked.result_on = result_on
    locked.result_summary = result_summary.strip()
    locked.recommendations = recommendations.strip()
    locked.result_recorded_by = by
    fields = ["result_on", "result_summary", "recommendations", "result_recorded_by", "updated_at"]
    with pghistory.context(user=by.pk):
        if data is not None:
            replaced = locked.report
            if replaced is not None:  # frees the key; the old file goes after the commit
                Assessment.objects.filter(pk=locked.pk).update(report=None)
                documents.delete(replaced)
            locked.report = documents.store(key=report_key(locked), kind=REPORT_KIND, data=data,
                                            filename=report_filename(filename, locked), created_by=by)
            fields.append("report")
        locked.save(update_fields=fields)
    return locked
