"""The joint programme (Gemeinsames Programm, docs/domain.md §9): the plan of the year against the actual figures, and its
edit form for the team lead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter import exports, params
from jobcenter.authz import REPORTING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import active_office
from reporting import programme as programme_figures
from reporting import services
from reporting.forms import OfferLineFormSet, ProgrammePlanForm
from reporting.models import ProgrammePlan
from reporting.tables import as_export

FIRST_YEAR = 2000  # the first year of the joint programme; the last one is next year


def _year_allowed(year: int, today: date) -> bool:
    return FIRST_YEAR <= year <= today.year + 1


def _plan(request: AuthenticatedHttpRequest, year: int) -> ProgrammePlan | None:
    office = active_office(request)
    return (ProgrammePlan.objects.for_user(request.user).filter(office=office, year=year)
            .select_related("updated_by").prefetch_related("offers").first())


@role_required(*REPORTING)
def programme(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    today = timezone.localdate()
    year = params.get_int(request, "year", today.year, minimum=FIRST_YEAR, maximum=today.year + 1)
    plan = _plan(request, year)
    view = programme_figures.programme_view(office, year, today, plan)
    fmt = exports.requested_format(request, "")
    if fmt:  # ?format=csv or ?format=xlsx: the two tables of the page as a file
        return exports.response(as_export([view.monthly, view.offers], [office.name, str(year)], f"programm-{year}"),
                                fmt)
    return render(request, "reporting/programme.html", {
        "office": office, "year": year, "plan": plan, "view": view,
        "years": list(range(today.year + 1, today.year - 5, -1)),
    })


def _offer_initial(plan: ProgrammePlan | None) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [{"category": o.category, "agency_kind": o.agency_kind, "places": o.places, "budget": o.budget}
            for o in plan.offers.all()]


@role_required(*REPORTING)
def programme_edit(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    office = active_office(request)
    today = timezone.localdate()
    if not _year_allowed(year, today):
        return redirect("reporting:programme")
    plan = _plan(request, year)
    if request.method == "POST":
        form = ProgrammePlanForm(request.POST, instance=plan)
        offers = OfferLineFormSet(request.POST, prefix="offers")
        if form.is_valid() and offers.is_valid():
            lines = [services.OfferLine(o["category"], o["agency_kind"], o["places"], o.get("budget") or Decimal(0))
                     for o in offers.cleaned_data if o.get("category")]
            values = {field: form.cleaned_data[field] for field in ProgrammePlanForm.Meta.fields}
            try:
                services.save_programme(office=office, year=year, by=request.user, values=values, offers=lines)
            except services.ReportingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The programme for %(year)s has been saved.") % {"year": year})
                return redirect(f"{_programme_url()}?year={year}")
        else:
            messages.error(request, _("Please correct the marked fields."))
        status = 400
    else:
        form = ProgrammePlanForm(instance=plan)
        offers = OfferLineFormSet(prefix="offers", initial=_offer_initial(plan))
        status = 200
    return render(request, "reporting/programme_form.html",
                  {"office": office, "year": year, "form": form, "offers": offers, "plan": plan}, status=status)


def _programme_url() -> str:
    from django.urls import reverse

    return reverse("reporting:programme")
