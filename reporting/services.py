"""Writes of the reporting app: requesting and generating monthly reports, saving the joint programme."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobcenter import documents, exports
from jobcenter.errors import DomainError
from jobcenter.models import ContactPoint
from jobcenter.tasking import TRANSIENT_ERRORS, close_broken_connections, enqueue_on_commit, fault_gate
from reporting.figures import Figures
from reporting.models import MonthlyReport, ProgrammeOffer, ProgrammePlan, ReportStatus
from reporting.notices import report_ready
from reporting.periods import Month

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


class ReportingError(DomainError):
    """A report or programme change was refused."""


# --- monthly reports ------------------------------------------------------------------------------------------
def _generation_task() -> Any:
    from reporting.tasks import generate_monthly_report

    return generate_monthly_report


@transaction.atomic
def request_report(*, office: ContactPoint, month: Month, by: User | None) -> tuple[MonthlyReport, bool]:
    """Ask for the report of ``office`` for ``month`` (a month that is over). One report per office and month:
    an existing one is returned as it is (``False``); a failed one is queued again. Generation runs in a worker
    after commit."""
    if month.end >= timezone.localdate():
        raise ReportingError(_("A monthly report can only be generated once the month is over."))
    report, created = MonthlyReport.objects.get_or_create(
        office=office, month=month.start, defaults={"requested_by": by},
    )
    queued = created
    if not created:
        queued = bool(MonthlyReport.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.PENDING, error="", requested_by=by, requested_at=timezone.now(),
        ))
    if queued:
        enqueue_on_commit(_generation_task(), report.pk)
        report.refresh_from_db()
    return report, queued


def request_monthly_reports(*, month: Month) -> int:
    """The monthly schedule: queue the report of every office for ``month``. Safe to run twice."""
    queued = 0
    for office in ContactPoint.objects.order_by("pk"):
        _, new = request_report(office=office, month=month, by=None)
        queued += int(new)
    return queued


def requeue_pending_reports() -> int:
    """The sweep (beat): enqueue every report still waiting (its message was never sent because the broker was
    down, or was lost) and every one whose worker died. A duplicate message is harmless: only one run can claim a
    report (``claim_report``)."""
    ids = list(MonthlyReport.objects.filter(
        Q(status=ReportStatus.PENDING) | Q(status=ReportStatus.RUNNING, started_at__lt=_stale_before()),
    ).order_by("pk").values_list("pk", flat=True))
    for report_id in ids:
        enqueue_on_commit(_generation_task(), report_id)
    return len(ids)


def _stale_before() -> Any:
    """A claim older than the task time limit belongs to a worker that died: it may be taken over."""
    return timezone.now() - timedelta(seconds=int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300)) + 60)


def claim_report(report_id: int) -> bool:
    """Move a queued report (or one whose worker died) to running; exactly one caller wins (conditional
    UPDATE). False: someone else has it, or it is done."""
    return bool(MonthlyReport.objects.filter(
        Q(status=ReportStatus.PENDING) | Q(status=ReportStatus.RUNNING, started_at__lt=_stale_before()),
        pk=report_id,
    ).update(status=ReportStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1))


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    csv: bytes
    xlsx: bytes


def render_report(report: MonthlyReport, today: Any = None) -> RenderedReport:
    """Compute the figures of the report's month and render PDF, CSV and xlsx (in German, the office's
    language)."""
    from reporting import pdf

    by = report.requested_by
    generated_by = (by.get_full_name() or by.get_username()) if by else ""
    with translation.override("de"):
        figures = Figures(office=report.office, month=Month.of(report.month), today=today or timezone.localdate())
        tables = pdf.report_tables(figures)
        generated_by = generated_by or _("monthly schedule")
        return RenderedReport(pdf=pdf.render_pdf(figures, tables, generated_by),
                              csv=pdf.render_report_csv(figures, tables),
                              xlsx=pdf.render_report_xlsx(figures, tables))


def generate_report(*, report_id: int) -> bool:
    """Claim, render and store the report; a second run for the same report does nothing. Returns whether this
    call generated it. Documents are stored write-once under a key per report."""
    if not claim_report(report_id):
        return False
    report = MonthlyReport.objects.select_related("office__employment_agency", "office__welfare_agency",
                                                  "requested_by").get(pk=report_id)
    try:
        fault_gate()
        rendered = render_report(report)
        stem = f"erfolgsmessung-{report.office_id}-{report.month:%Y-%m}"
        pdf_doc = documents.store(key=f"monthly_report:{report.pk}:pdf", kind="monthly_report", data=rendered.pdf,
                                  filename=f"{stem}.pdf", created_by=report.requested_by)
        csv_doc = documents.store(key=f"monthly_report:{report.pk}:csv", kind="monthly_report", data=rendered.csv,
                                  filename=f"{stem}.csv", content_type="text/csv; charset=utf-8", extension="csv",
                                  created_by=report.requested_by)
        xlsx_doc = documents.store(key=f"monthly_report:{report.pk}:xlsx", kind="monthly_report", data=rendered.xlsx,
                                   filename=f"{stem}.xlsx", content_type=exports.XLSX_CONTENT_TYPE, extension="xlsx",
                                   created_by=report.requested_by)
    except TRANSIENT_ERRORS:
        # transient (disk, database, broker): back to the queue on a fresh connection; the task retries with
        # backoff. Should the database still be away, the report stays "running" until its claim is stale and
        # the sweep (requeue_pending_reports) hands it on.
        close_broken_connections()
        with contextlib.suppress(*TRANSIENT_ERRORS):
            MonthlyReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
                status=ReportStatus.PENDING)
        raise
    except Exception as error:
        logger.exception("monthly report %s failed", report_id)
        MonthlyReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            status=ReportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now())
        return False
    with transaction.atomic():  # done and told together: the notification commits with the documents
        done = MonthlyReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            status=ReportStatus.DONE, pdf=pdf_doc, csv=csv_doc, xlsx=xlsx_doc, finished_at=timezone.now(), error="")
        if done:
            report_ready(report)
    return True


# --- joint programme ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferLine:
    category: str
    agency_kind: str
    places: int
    budget: Decimal


@transaction.atomic
def save_programme(
    *, office: ContactPoint, year: int, by: User, values: dict[str, Any], offers: list[OfferLine],
) -> ProgrammePlan:
    """Create or replace the programme of ``office`` for ``year``: the figures and the complete list of planned
    offers (lines not given are removed). One line per category and paying agency."""
    keys = [(line.category, line.agency_kind) for line in offers]
    if len(keys) != len(set(keys)):
        raise ReportingError(_("Each offer category may appear only once per paying agency."))
    if values.get("expected_youth", 0) > sum(values.get(k, 0) for k in ("expected_hlu", "expected_kombi",
                                                                         "expected_alhi")):
        raise ReportingError(_("The young people under 25 are part of the three target groups and cannot "
                               "outnumber them."))
    plan, _created = ProgrammePlan.objects.select_for_update().get_or_create(office=office, year=year,
                                                                             defaults={"updated_by": by})
    for field, value in values.items():
        setattr(plan, field, value)
    plan.updated_by = by
    plan.save()
    plan.offers.exclude(
        pk__in=[o.pk for o in plan.offers.all() if (o.category, o.agency_kind) in keys]
    ).delete()
    for line in offers:
        ProgrammeOffer.objects.update_or_create(
            plan=plan, category=line.category, agency_kind=line.agency_kind,
            defaults={"places": line.places, "budget": line.budget},
        )
    return plan
