"""Vacancies (Stellenakquisition) and placement proposals (Vermittlungsvorschläge), module Vermittlung."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import closing_checklist
from cases.models import Case, Client
from cases.search import MIN_SEARCH_LENGTH
from jobcenter import access_log, params
from jobcenter.authz import EMPLOYER_SERVICE, REFERRING
from jobcenter.decorators import module_required, role_required
from jobcenter.forms import reject_control_characters
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import querystring, sort_columns
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, can, refuse
from partners import selectors
from partners.errors import PartnerError
from partners.forms import ProposalResultForm, VacancyFilterForm, VacancyForm
from partners.models import Partner, PlacementProposal, ProposalResult, Vacancy
from partners.rules import VACANCY_MODULE
from partners.services.placement import (
    create_vacancy,
    propose,
    record_result,
    update_vacancy,
    withdraw_vacancy,
)
from partners.views.common import paginate

VACANCY_COLUMNS = (
    ("title", gettext_lazy("Job")), ("employer", gettext_lazy("Employer")), ("", gettext_lazy("Place of work")),
    ("", gettext_lazy("Hours")), ("", gettext_lazy("Positions")), ("proposals", gettext_lazy("Proposals")),
    ("date", gettext_lazy("Acquired on")), ("", gettext_lazy("Status")),
)


@module_required(VACANCY_MODULE)
@role_required(*REFERRING)
def vacancy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = VacancyFilterForm(request.GET or None)
    filters = form.filters()
    vacancies = selectors.vacancy_list(
        user=request.user, office=office, status=filters["status"], query=filters["q"],
        without_proposals=filters["without"], sort=filters["sort"],
    )
    return render(request, "partners/vacancy_list.html", {
        "form": form, "page": paginate(request, vacancies), "query": querystring(filters),
        "columns": sort_columns(VACANCY_COLUMNS, filters, selectors.VACANCY_SORTS, "-date"),
        "can_add": can(request, EMPLOYER_SERVICE),
    })


def _get_vacancy(request: AuthenticatedHttpRequest, pk: int) -> Vacancy:
    return get_scoped_or_404(Vacancy.objects.select_related("employer__contact_point", "acquired_by"),
                             request.user, pk=pk)


def _employer(request: AuthenticatedHttpRequest, form: VacancyForm) -> Partner:
    return form.cleaned_data["employer"]


@module_required(VACANCY_MODULE)
@role_required(*EMPLOYER_SERVICE)
def vacancy_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    employers = selectors.employers(office)
    initial: dict[str, Any] = {}
    if (employer_pk := params.get_pk(request, "arbeitgeber")) is not None:
        initial["employer"] = employer_pk  # preselected only if it is one of the office's employers
    form = VacancyForm(request.POST or None, employers=employers, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = create_vacancy(employer=_employer(request, form), data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Vacancy “%(title)s” recorded.") % {"title": vacancy.title})
            return redirect("partners:vacancy_detail", pk=vacancy.pk)
    return render(request, "partners/vacancy_form.html", {"form": form, "vacancy": None},
                  status=400 if form.is_bound else 200)


@module_required(VACANCY_MODULE)
@role_required(*EMPLOYER_SERVICE)
def vacancy_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vacancy = _get_vacancy(request, pk)
    fields = ("employer", "title", "occupation", "hours_per_week", "location", "positions", "acquired_on",
              "description")
    form = VacancyForm(request.POST or None, employers=selectors.employers(vacancy.employer.contact_point),
                       initial={name: getattr(vacancy, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            update_vacancy(vacancy=vacancy, employer=_employer(request, form), data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Vacancy saved."))
            return redirect("partners:vacancy_detail", pk=vacancy.pk)
    return render(request, "partners/vacancy_form.html", {"form": form, "vacancy": vacancy},
                  status=400 if form.is_bound else 200)


@require_POST
@module_required(VACANCY_MODULE)
@role_required(*EMPLOYER_SERVICE)
def vacancy_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vacancy = _get_vacancy(request, pk)
    try:
        withdraw_vacancy(vacancy=vacancy, by=request.user)
    except PartnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vacancy withdrawn."))
    return redirect("partners:vacancy_detail", pk=vacancy.pk)


def _render_vacancy(request: AuthenticatedHttpRequest, vacancy: Vacancy, *, status: int = 200,
                    result_forms: dict[int, ProposalResultForm] | None = None) -> HttpResponse:
    query = params.get_str(request, "q", max_length=100)
    counts = selectors.with_proposal_counts(Vacancy.objects.filter(pk=vacancy.pk)).values(
        "proposal_count", "hires", "pending").get()
    page = paginate(request, selectors.vacancy_proposals(vacancy))
    forms = result_forms or {}
    candidates = selectors.vacancy_candidates(user=request.user, vacancy=vacancy, query=query) \
        if query and vacancy.is_open else []
    access_log.shown_many(request, office_id=vacancy.employer.contact_point_id, rows=page.object_list)
    access_log.shown_many(request, office_id=vacancy.employer.contact_point_id, rows=candidates)
    for proposal in page.object_list:
        proposal.result_form = forms.get(proposal.pk) or ProposalResultForm(prefix=f"p{proposal.pk}")
    return render(request, "partners/vacancy_detail.html", {
        "vacancy": vacancy, "counts": counts, "page": page, "q": query,
        "candidates": candidates,
        "search_too_short": bool(query) and len(query) < MIN_SEARCH_LENGTH,
        "can_edit": can(request, EMPLOYER_SERVICE) and vacancy.is_open,
    }, status=status)


@module_required(VACANCY_MODULE)
@role_required(*REFERRING)
def vacancy_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_vacancy(request, _get_vacancy(request, pk))


@require_POST
@module_required(VACANCY_MODULE)
@role_required(*REFERRING)
def proposal_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vacancy = _get_vacancy(request, pk)
    try:
        case_pk = int(request.POST.get("case", ""))
    except ValueError:  # the form always sends a case; only a tampered request lacks it
        messages.error(request, _("Choose the client to propose."))
        return redirect(reverse("partners:vacancy_detail", args=[vacancy.pk]) + "#proposals")
    case = get_scoped_or_404(Case.objects.select_related("client"), request.user, pk=case_pk)
    note = request.POST.get("note", "")[:2000]
    try:
        reject_control_characters(note)
        propose(case=case, vacancy=vacancy, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PartnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(client)s proposed to the employer.") % {"client": case.client})
    return redirect(reverse("partners:vacancy_detail", args=[vacancy.pk]) + "#proposals")


@require_POST
@module_required(VACANCY_MODULE)
@role_required(*REFERRING)
def proposal_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = get_scoped_or_404(PlacementProposal.objects.select_related("vacancy", "case__client"),
                                 request.user, pk=pk)
    form = ProposalResultForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_result(proposal=proposal, result=data["result"], by=request.user, on=data["result_on"],
                          note=data["note"], starts_on=data["starts_on"])
        except PartnerError as error:
            refuse(form, error)
        else:
            proposal.case.refresh_from_db()
            if data["result"] == ProposalResult.HIRED and proposal.case.in_follow_up:
                messages.success(request, closing_checklist.follow_up_message(proposal.case, request.user))
            else:
                messages.success(request, _("Result recorded."))
            return redirect(reverse("partners:vacancy_detail", args=[proposal.vacancy_id]) + "#proposals")
    vacancy = _get_vacancy(request, proposal.vacancy_id)
    return _render_vacancy(request, vacancy, status=400, result_forms={proposal.pk: form})


def client_proposal_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    """Client-page section "Placement proposals"."""
    rows = list(selectors.client_proposals(client)[:11])
    return {"proposals": rows[:10], "more": len(rows) > 10}
