"""Letters: print one from an appointment, hearing or referral (one click; the page shows "wird erstellt" and
then the download, polling like the agreement), the letter page and download, invitations in bulk (the next
working day's, or selected ones, as one PDF), and the office's templates (edited by the Teamleitung).

Who may do what is ``jobcenter.authz``: ``LETTERS`` (Fallmanager, Arbeitsvermittler, Teamleitung) print
invitations and commission letters and read letters; hearing letters follow the hearing (``PLAN_WRITE``);
``LETTER_TEMPLATES`` (Teamleitung) write templates. Everything is limited to the user's own contact points, and a
letter with confidential content (an assessment's commission) only to the case's case manager and the
Teamleitung (``cases.need_to_know``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Appointment, Client
from cases.need_to_know import can_see_sensitive, reads_all_of_office
from integration_plans.models import Hearing
from jobcenter import access_log, documents, params
from jobcenter.authz import LETTER_TEMPLATES, LETTERS, PLAN_WRITE
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, can, refuse
from jobcenter.tasking import QUEUE_UNAVAILABLE, deferred_enqueues
from letters import rules, selectors
from letters.defaults import EXAMPLES
from letters.errors import LetterError
from letters.forms import PrintForm, TemplateForm
from letters.models import Letter, LetterBatch, LetterKind, LetterTemplate
from letters.services import batches as batch_services
from letters.services import letters as services
from letters.services import templates as template_services
from partners.models import Referral
from partners.rules import may_refer


# --- helpers ------------------------------------------------------------------------------------------------
def _get_letter(request: AuthenticatedHttpRequest, pk: int) -> Letter:
    return get_scoped_or_404(
        Letter.objects.select_related("case__client", "template", "document", "created_by", "appointment",
                                      "hearing", "referral__offer__partner"),
        request.user, pk=pk)


def _may_read(request: AuthenticatedHttpRequest, letter: Letter) -> bool:
    return not letter.sensitive or can_see_sensitive(request.user, letter.case, roles=request.staff.roles)


def _status(request: AuthenticatedHttpRequest, letter: Letter, *, status: int = 200) -> HttpResponse:
    response = render(request, "letters/_letter_status.html", {
        "letter": letter, "readable": _may_read(request, letter), "stuck": services.is_stuck(letter)},
        status=status)
    response["Cache-Control"] = "no-store"
    return response


def _issued(request: AuthenticatedHttpRequest, issue: Any, back: str) -> HttpResponse:
    """Run ``issue()`` (a service call returning the letter) and answer: the status partial for htmx (it polls
    until the PDF is there), else the letter's page; a refusal as a message (htmx: an alert in place)."""
    try:
        with deferred_enqueues() as deferred:
            letter = issue()
    except LetterError as error:
        if request.htmx:
            return render(request, "letters/_letter_refused.html", {"message": error.message})
        refuse(request, error)
        return redirect(back)
    if deferred:
        messages.warning(request, QUEUE_UNAVAILABLE)
    if request.htmx:
        return _status(request, letter)
    return redirect("letters:letter_detail", pk=letter.pk)


# --- one click from the appointment, the hearing, the referral ----------------------------------------------
@require_POST
@role_required(*LETTERS)
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped_or_404(Appointment.objects.select_related("case"), request.user, pk=pk)
    return _issued(request, lambda: services.issue_invitation(appointment=appointment, by=request.user),
                   reverse("cases:client_detail", args=[appointment.case.client_id]))


@require_POST
@role_required(*PLAN_WRITE)
def hearing_letter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hearing = get_scoped_or_404(Hearing, request.user, pk=pk)
    return _issued(request, lambda: services.issue_hearing_letter(hearing=hearing, by=request.user),
                   reverse("integration_plans:hearing_detail", args=[hearing.pk]))


@require_POST
@role_required(*LETTERS)
def referral_letter_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_scoped_or_404(Referral.objects.select_related("offer"), request.user, pk=pk)
    office = request.staff.office
    if not may_refer(referral.offer.category, office.enabled_modules if office else []):
        raise Http404  # as the referral's own pages: its module is switched off here
    return _issued(request, lambda: services.issue_referral_letter(referral=referral, by=request.user),
                   reverse("partners:referral_detail", args=[referral.pk]))


# --- one letter ---------------------------------------------------------------------------------------------
@require_GET
@role_required(*LETTERS)
def letter_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = _get_letter(request, pk)
    access_log.shown(request, client_id=letter.case.client_id, office_id=letter.case.contact_point_id,
                     letter=letter.pk)
    return render(request, "letters/letter_detail.html", {
        "letter": letter, "client": letter.case.client, "readable": _may_read(request, letter),
        "stuck": services.is_stuck(letter), "batches": letter.batches.order_by("-created_at")[:5],
    })


@require_GET
@role_required(*LETTERS)
def letter_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status(request, _get_letter(request, pk))


@require_POST
@role_required(*LETTERS)
def letter_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    letter = _get_letter(request, pk)
    return _issued(request, lambda: services.request_letter(letter=letter, by=request.user),
                   reverse("letters:letter_detail", args=[letter.pk]))


@require_GET
@role_required(*LETTERS)
def letter_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A reprint is the same stored file, byte for byte."""
    letter = _get_letter(request, pk)
    response = documents.download_response(request, letter.document, allowed=_may_read(request, letter))
    access_log.shown(request, client_id=letter.case.client_id, office_id=letter.case.contact_point_id,
                     letter=letter.pk)
    return response


@require_GET
@role_required(*LETTERS)
def client_letters(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client, request.user, pk=client_pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    page = Paginator(selectors.client_letters(request.user, client), selectors.PAGE_SIZE).get_page(
        params.get_page(request))
    return render(request, "letters/client_letters.html", {"client": client, "page": page})


# --- invitations in bulk --------------------------------------------------------------------------------------
@require_GET
@role_required(*LETTERS)
def invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open appointments of a day (the next working day unless chosen) to print invitations for."""
    office = active_office(request)
    today = timezone.localdate()
    day = params.get_date(request, "tag", rules.next_working_day(today))
    appointments = list(selectors.with_invitation_flag(batch_services.appointments_of_day(
        request.user, request.staff.roles, office, day)).select_related("case__client", "with_user")
        [:batch_services.MAX_BATCH])
    access_log.shown_many(request, office_id=office.pk, rows=appointments)
    batches = list(selectors.recent_batches(request.user, office)[:8])
    return render(request, "letters/invitations.html", {
        "day": day, "appointments": appointments, "office_wide": reads_all_of_office(request.staff.roles),
        "is_next_working_day": day == rules.next_working_day(today), "batches": batches,
        "max_batch": batch_services.MAX_BATCH, "tabs": _tabs("invitations"),
    })


@require_POST
@role_required(*LETTERS)
def invitations_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = PrintForm(request.POST)
    day = rules.next_working_day(timezone.localdate())
    if not form.is_valid():
        for errors in form.errors.values():  # a day out of range or no appointment selected
            for error in errors:
                messages.error(request, str(error))
        return redirect(reverse("letters:invitations") + f"?tag={form.cleaned_data.get('day') or day:%Y-%m-%d}")
    chosen_day = form.cleaned_data["day"] or day
    selected = form.cleaned_data["appointment"] if form.cleaned_data["selected"] else None
    try:
        with deferred_enqueues() as deferred:
            batch = batch_services.print_invitations(office=office, by=request.user, roles=request.staff.roles,
                                                     day=chosen_day, appointment_ids=selected)
    except LetterError as error:
        refuse(request, error)
        return redirect(reverse("letters:invitations") + f"?tag={chosen_day:%Y-%m-%d}")
    if deferred:
        messages.warning(request, QUEUE_UNAVAILABLE)
    return redirect("letters:batch_detail", pk=batch.pk)


def _get_batch(request: AuthenticatedHttpRequest, pk: int) -> LetterBatch:
    return get_scoped_or_404(LetterBatch.objects.select_related("document", "created_by"), request.user, pk=pk)


def _batch_status(request: AuthenticatedHttpRequest, batch: LetterBatch) -> HttpResponse:
    response = render(request, "letters/_batch_status.html", {"batch": batch, "stuck": services.is_stuck(batch)})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(*LETTERS)
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    letters = batch_services.batch_letters(batch)
    access_log.shown_many(request, office_id=batch.contact_point_id, rows=letters)
    return render(request, "letters/batch_detail.html", {
        "batch": batch, "letters": letters, "stuck": services.is_stuck(batch)})


@require_GET
@role_required(*LETTERS)
def batch_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _batch_status(request, _get_batch(request, pk))


@require_POST
@role_required(*LETTERS)
def batch_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = batch_services.request_batch(batch=_get_batch(request, pk))
    if request.htmx:
        return _batch_status(request, batch)
    return redirect("letters:batch_detail", pk=batch.pk)


@require_GET
@role_required(*LETTERS)
def batch_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    batch = _get_batch(request, pk)
    response = documents.download_response(request, batch.document, allowed=True)
    access_log.shown_many(request, office_id=batch.contact_point_id, rows=batch.size)
    return response


# --- templates ----------------------------------------------------------------------------------------------
def _tabs(active: str) -> list[dict[str, object]]:
    """The letters pages' tab bar (``partials/tabs.html``)."""
    return [{"url": reverse(url_name), "label": label, "icon": icon, "active": key == active}
            for key, label, url_name, icon in (
                ("invitations", _("Invitations"), "letters:invitations", "envelope-paper"),
                ("templates", _("Letter templates"), "letters:template_list", "file-earmark-text"))]


@require_GET
@role_required(*LETTERS)
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    kinds = []
    for kind in LetterKind:
        current = template_services.versions(office, kind).first()
        kinds.append({"kind": kind, "current": current, "example": EXAMPLES[kind] if current is None else None})
    return render(request, "letters/template_list.html", {
        "kinds": kinds, "editor": can(request, LETTER_TEMPLATES), "tabs": _tabs("templates")})


@require_http_methods(["GET", "POST"])
@role_required(*LETTER_TEMPLATES)
def template_edit(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in LetterKind.values:
        raise Http404
    office = active_office(request)
    current = template_services.current_or_example(office, kind)  # writes nothing before the save
    form = TemplateForm(request.POST or None, kind=kind, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = template_services.save_template(
                office=office, kind=kind, by=request.user, expected_version=data["version"],
                data=template_services.TemplateInput(
                    subject=data["subject"], opening=data["opening"], details=data["details"],
                    closing=data["closing"], reply_days=data["reply_days"], change_note=data["change_note"]))
        except LetterError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Version %(version)s saved; letters printed from now on use it. Letters "
                                        "printed before keep their version.") % {"version": saved.version})
            return redirect("letters:template_list")
    history = template_services.versions(office, kind).select_related("created_by")
    return render(request, "letters/template_edit.html", {
        "form": form, "kind": LetterKind(kind), "current": current, "history": history,
    }, status=400 if form.is_bound and form.errors else 200)


@require_GET
@role_required(*LETTERS)
def template_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = get_scoped_or_404(LetterTemplate.objects.select_related("created_by"), request.user, pk=pk)
    return render(request, "letters/template_version.html", {
        "template": template, "kind": LetterKind(template.kind), "editor": can(request, LETTER_TEMPLATES),
        "used": template.letters.count()})
