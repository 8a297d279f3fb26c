"""Monthly reports: the list with download links and who generated them, generating on demand, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter import documents
from jobcenter.authz import REPORTING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office
from jobcenter.tasking import QUEUE_UNAVAILABLE, deferred_enqueues
from reporting import selectors, services
from reporting.forms import ReportRequestForm
from reporting.models import MonthlyReport


@role_required(*REPORTING)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    reports = list(selectors.reports(request.user, office))
    form = ReportRequestForm(today=timezone.localdate())
    pending = any(report.status in ("pending", "running") for report in reports)
    return render(request, "reporting/report_list.html",
                  {"office": office, "reports": reports, "form": form, "pending": pending})


@require_POST
@role_required(*REPORTING)
def report_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = ReportRequestForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        messages.error(request, _("Choose a month that is over."))
        return redirect("reporting:report_list")
    try:
        with deferred_enqueues() as deferred:
            report, queued = services.request_report(office=office, month=form.cleaned_data["month"],
                                                     by=request.user)
    except services.ReportingError as error:
        messages.error(request, error.message)
        return redirect("reporting:report_list")
    month = form.cleaned_data["month"].label
    if deferred:  # the broker is down: the report is stored as pending, the sweep sends it later
        messages.warning(request, QUEUE_UNAVAILABLE)
    elif queued:
        messages.success(request, _("The report for %(month)s is being generated.") % {"month": month})
    else:
        messages.info(request, _("The report for %(month)s already exists; it is generated only once.")
                      % {"month": month})
    return redirect("reporting:report_list")


@role_required(*REPORTING)
def report_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> FileResponse:
    """The report's PDF, CSV or Excel file, only for the team lead of its office (other offices: 404; a report
    generated before the Excel file existed has none: 404)."""
    report = get_scoped_or_404(MonthlyReport.objects.select_related("pdf", "csv", "xlsx"), request.user, pk=pk)
    document = {"pdf": report.pdf, "csv": report.csv, "xlsx": report.xlsx}.get(kind)
    return documents.download_response(request, document, allowed=True)
