"""Taking over an office's clients (Kundenübernahme): upload → dry run → "Import ausführen". For the Teamleitung
and the administrator of the office; the rules are in ``cases.services.imports``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from cases import import_io
from cases.forms.imports import ImportRunForm, ImportUploadForm
from cases.models import ImportRun
from cases.services import imports
from jobcenter import access_log, exports, params, sheets
from jobcenter.authz import CASE_WORK, CLIENT_IMPORT
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, can, refuse

PROBLEMS_PER_PAGE = 100
RECENT_RUNS = 10


# --- upload (dry run) ---------------------------------------------------------------------------------------
@csrf_exempt  # the upload is kept in memory (below); the CSRF check runs in ``_upload`` (csrf_protect)
@role_required(*CLIENT_IMPORT)
def client_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The upload page; a POST checks the file (dry run) and shows its result on the run's page. The file is held
    in memory, never written to a temporary file: it is stored only in the document store."""
    request.upload_handlers = [sheets.MemoryUploadHandler(request, max_bytes=imports.MAX_BYTES)]
    return _upload(request)


@csrf_protect
def _upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    posted = request.method == "POST"  # bound also when a stopped upload left the POST empty
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        valid = form.is_valid()
        if any(getattr(handler, "too_large", False) for handler in request.upload_handlers):
            form.errors.pop("file", None)  # not "choose a file": the upload was stopped
            form.add_error("file", _("The file is too large (at most %(limit)s MB).")
                           % {"limit": max(imports.MAX_BYTES // 2**20, 1)})
        elif valid:
            upload = form.cleaned_data["file"]
            try:
                run = imports.dry_run(office=office, raw=upload.read(), filename=upload.name or "kunden.csv",
                                      by=request.user)
            except imports.ClientImportError as error:
                refuse(form, error, renamed={"": "file"})
            else:
                return redirect("cases:client_import_detail", run.pk)
    runs = ImportRun.objects.for_user(request.user).filter(contact_point=office).select_related(
        "uploaded_by", "imported_by")[:RECENT_RUNS]
    return render(request, "cases/import_upload.html", {
        "form": form, "office": office, "runs": runs, "columns": import_io.COLUMNS.values(),
    }, status=400 if form.is_bound and form.errors else 200)


@role_required(*CLIENT_IMPORT)
def client_import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The template file with the German column names and an example client (``?format=xlsx`` for Excel)."""
    content, content_type, filename = import_io.template(exports.requested_format(request))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the dry run's result, and the real run -----------------------------------------------------------------
def _detail_page(request: AuthenticatedHttpRequest, run: ImportRun, form: ImportRunForm, status: int = 200
                 ) -> HttpResponse:
    problems = [{"row": row, "column": column, "message": message}
                for row, column, message in run.findings.get("problems", [])]
    duplicates = run.findings.get("duplicates", [])
    reads_clients = can(request, CASE_WORK)
    matched = {match["id"] for duplicate in duplicates for match in duplicate["matches"]}
    if reads_clients:  # the registered clients a suspected duplicate matches, by name and date of birth
        access_log.shown_many(request, office_id=run.contact_point_id, rows=len(matched), run=run.pk)
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(params.get_page(request))
    return render(request, "cases/import_detail.html", {
        "run": run, "form": form, "problems": page, "duplicates": duplicates,
        "stored_problems": len(problems), "more_problems": max(run.errors - len(problems), 0),
        "more_duplicates": max(run.duplicates - len(duplicates), 0),
        "bad_rows": run.findings.get("bad_rows", 0), "can_open_clients": reads_clients,
    }, status=status)


@role_required(*CLIENT_IMPORT)
def client_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_scoped_or_404(ImportRun.objects.select_related("uploaded_by", "imported_by"), request.user, pk=pk)
    form = ImportRunForm(initial={"sha256": run.sha256}, duplicates=run.duplicates)
    return _detail_page(request, run, form)


@require_POST
@role_required(*CLIENT_IMPORT)
def client_import_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """"Import ausführen": all rows or none."""
    run = get_scoped_or_404(ImportRun.objects.select_related("uploaded_by", "imported_by"), request.user, pk=pk)
    form = ImportRunForm(request.POST, duplicates=run.duplicates)
    if not form.is_valid():
        if "sha256" in form.errors:  # a hidden field: said above the page
            messages.error(request, " ".join(str(message) for message in form.errors["sha256"]))
            return redirect("cases:client_import_detail", run.pk)
        return _detail_page(request, run, form, status=400)  # the reason is marked at its field
    try:
        done = imports.execute(run=run, by=request.user, sha256=form.cleaned_data["sha256"],
                               duplicate_reason=form.cleaned_data.get("duplicate_reason", ""))
    except imports.ClientImportError as error:
        messages.error(request, error.message)
        return redirect("cases:client_import_detail", run.pk)
    messages.success(request, _("Import complete: %(clients)s clients, %(benefits)s benefits and %(cases)s open "
                                "cases.") % {"clients": done.clients, "benefits": done.benefits, "cases": done.cases})
    return redirect("cases:client_import_detail", run.pk)


def register_extensions() -> None:
    from jobcenter import navigation

    # The key names the task, not client data: the administrator, who reads no client records, has this entry
    # too (tests/security/test_no_superuser_bypass.py); the page shows them only what their file holds.
    navigation.register(navigation.NavItem(
        key="stock_takeover", label=gettext_lazy("Take over clients"), url_name="cases:client_import",
        icon="box-arrow-in-down", roles=CLIENT_IMPORT, order=95,
    ))

urlpatterns = [
    path("kundenuebernahme/", client_import, name="client_import"),
    path("kundenuebernahme/vorlage/", client_import_template, name="client_import_template"),
    path("kundenuebernahme/<int:pk>/", client_import_detail, name="client_import_detail"),
    path("kundenuebernahme/<int:pk>/ausfuehren/", client_import_run, name="client_import_run"),
]
