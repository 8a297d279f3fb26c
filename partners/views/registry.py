"""The partner registry: list, page, create and edit partners and offers; the free-places board; CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobcenter import access_log, exports, params
from jobcenter.authz import ALL_STAFF, EMPLOYER_SERVICE, PARTNER_UPKEEP, REFERRING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import querystring, sort_columns
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, can, refuse
from partners import csv_io, selectors
from partners.errors import PartnerError
from partners.forms import (
    BoardFilterForm,
    EmployerContactForm,
    ImportForm,
    OfferForm,
    PartnerFilterForm,
    PartnerForm,
)
from partners.models import Offer, Partner
from partners.rules import EMPLOYER_CONTACT_MODULE, VACANCY_MODULE, may_refer
from partners.services.placement import log_employer_contact
from partners.services.registry import (
    ImportRefused,
    PartnerData,
    create_offer,
    create_partner,
    import_partners,
    update_offer,
    update_partner,
)
from partners.views.common import paginate

PARTNER_COLUMNS = (
    ("name", gettext_lazy("Name")), ("kind", gettext_lazy("Kind")), ("city", gettext_lazy("Town")),
    ("", gettext_lazy("Contact")), ("", gettext_lazy("Contract")), ("", gettext_lazy("Active offers")),
)
BOARD_COLUMNS = (
    ("title", gettext_lazy("Offer")), ("partner", gettext_lazy("Partner")), ("category", gettext_lazy("Category")),
    ("", gettext_lazy("Places")), ("", gettext_lazy("Taken")), ("free", gettext_lazy("Free")),
    ("waiting", gettext_lazy("Waiting")), ("", gettext_lazy("Cost per month")),
)


# --- registry -----------------------------------------------------------------------------------------------
@role_required(*ALL_STAFF)
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = PartnerFilterForm(request.GET or None)
    filters = form.filters()
    partners = selectors.partner_list(
        user=request.user, office=office, query=filters["q"], group=filters["group"], kind=filters["kind"],
        active=filters["active"], sort=filters["sort"],
    )
    return render(request, "partners/partner_list.html", {
        "form": form, "page": paginate(request, partners), "query": querystring(filters),
        "columns": sort_columns(PARTNER_COLUMNS, filters, selectors.PARTNER_SORTS, "name"),
        "can_maintain": can(request, PARTNER_UPKEEP),
    })


def _get_partner(request: AuthenticatedHttpRequest, pk: int) -> Partner:
    return get_scoped_or_404(Partner.objects.select_related("contract_agency", "contact_point"), request.user, pk=pk)


@role_required(*ALL_STAFF)
def partner_detail(
    request: AuthenticatedHttpRequest, pk: int, contact_form: EmployerContactForm | None = None,
) -> HttpResponse:
    partner = _get_partner(request, pk)
    staff = request.staff
    show_vacancies = partner.is_employer and staff.has_module(VACANCY_MODULE) and can(request, REFERRING)
    show_contacts = partner.is_labour_market and staff.has_module(EMPLOYER_CONTACT_MODULE) and can(
        request, EMPLOYER_SERVICE)
    context: dict[str, Any] = {
        "partner": partner,
        "offers": paginate(request, selectors.partner_offers(partner), "offers") if not partner.is_labour_market
        else None,
        "stats": selectors.partner_stats(partner),
        "can_maintain": can(request, PARTNER_UPKEEP),
        "vacancies": paginate(request, selectors.vacancy_list(
            user=request.user, office=partner.contact_point, status="all", employer_id=partner.pk), "vacancies")
        if show_vacancies else None,
        "can_add_vacancy": show_vacancies and can(request, EMPLOYER_SERVICE) and partner.active,
        "contacts": paginate(request, selectors.employer_contacts(partner), "contacts") if show_contacts else None,
        "contact_form": contact_form or (EmployerContactForm() if show_contacts else None),
    }
    return render(request, "partners/partner_detail.html", context, status=400 if contact_form else 200)


def _partner_form_page(
    request: AuthenticatedHttpRequest, form: PartnerForm, partner: Partner | None,
) -> HttpResponse:
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner},
                  status=400 if form.is_bound else 200)


@role_required(*PARTNER_UPKEEP)
def partner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = PartnerForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            partner = create_partner(office=office, data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Partner “%(name)s” added.") % {"name": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
    return _partner_form_page(request, form, None)


@role_required(*PARTNER_UPKEEP)
def partner_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = _get_partner(request, pk)
    initial = {name: getattr(partner, name) for name in PartnerData.__dataclass_fields__}
    form = PartnerForm(request.POST or None, office=partner.contact_point, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_partner(partner=partner, data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners:partner_detail", pk=partner.pk)
    return _partner_form_page(request, form, partner)


@require_POST
@role_required(*EMPLOYER_SERVICE)
def employer_contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = _get_partner(request, pk)
    if not (partner.is_labour_market and request.staff.has_module(EMPLOYER_CONTACT_MODULE)):
        raise Http404
    form = EmployerContactForm(request.POST)
    if form.is_valid():
        try:
            log_employer_contact(partner=partner, by=request.user, **form.cleaned_data)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Contact logged."))
            return redirect(reverse("partners:partner_detail", args=[partner.pk]) + "#contacts")
    return partner_detail(request, pk, contact_form=form)


# --- offers -------------------------------------------------------------------------------------------------
def _get_offer(request: AuthenticatedHttpRequest, pk: int) -> Offer:
    return get_scoped_or_404(
        Offer.objects.select_related("partner__contact_point__employment_agency",
                                     "partner__contact_point__welfare_agency"),
        request.user, pk=pk,
    )


def _offer_form_page(
    request: AuthenticatedHttpRequest, form: OfferForm, partner: Partner, offer: Offer | None,
) -> HttpResponse:
    return render(request, "partners/offer_form.html", {"form": form, "partner": partner, "offer": offer},
                  status=400 if form.is_bound else 200)


@role_required(*PARTNER_UPKEEP)
def offer_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = _get_partner(request, pk)
    office = partner.contact_point
    if partner.is_labour_market:
        messages.error(request, _("Labour-market partners have no offers; record vacancies instead."))
        return redirect("partners:partner_detail", pk=partner.pk)
    form = OfferForm(request.POST or None, office=office, initial={
        "category": partner.kind, "valid_from": timezone.localdate(), "active": True,
        "commissionable_by": [office.employment_agency.kind, office.welfare_agency.kind],
    })
    if request.method == "POST" and form.is_valid():
        try:
            offer = create_offer(partner=partner, data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Offer “%(title)s” added.") % {"title": offer.title})
            return redirect("partners:offer_detail", pk=offer.pk)
    return _offer_form_page(request, form, partner, None)


@role_required(*PARTNER_UPKEEP)
def offer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _get_offer(request, pk)
    fields = ("title", "category", "places", "cost_per_month", "commissionable_by", "valid_from", "valid_until",
              "description", "active")
    form = OfferForm(request.POST or None, office=offer.partner.contact_point,
                     initial={name: getattr(offer, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            update_offer(offer=offer, data=form.to_data(), by=request.user)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("partners:offer_detail", pk=offer.pk)
    return _offer_form_page(request, form, offer.partner, offer)


@role_required(*ALL_STAFF)
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.occupancy(_get_offer(request, pk))
    show_referrals = can(request, REFERRING)
    view = params.get_choice(request, "view", selectors.OFFER_REFERRAL_FILTERS, "current")
    staff = request.staff
    referrals = paginate(request, selectors.offer_referrals(offer, view)) if show_referrals else None
    if referrals is not None:  # the referred clients
        access_log.shown_many(request, office_id=offer.partner.contact_point_id, rows=referrals.object_list)
    return render(request, "partners/offer_detail.html", {
        "offer": offer,
        "view": view,
        "referrals": referrals,
        "can_maintain": can(request, PARTNER_UPKEEP),
        "referable": staff.office is not None and may_refer(offer.category, staff.office.enabled_modules),
        "agency_names": {a.kind: a.name for a in offer.partner.contact_point.agencies},
    })


# --- free-places board --------------------------------------------------------------------------------------
@role_required(*ALL_STAFF)
def offer_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    offers = selectors.board(
        user=request.user, office=office, day=timezone.localdate(), group=filters["group"],
        category=filters["category"], free_only=filters["free"], query=filters["q"], sort=filters["sort"],
    )
    return render(request, "partners/offer_board.html", {
        "form": form, "page": paginate(request, offers), "query": querystring(filters),
        "columns": sort_columns(BOARD_COLUMNS, filters, selectors.BOARD_SORTS, "-free"),
    })


# --- CSV ----------------------------------------------------------------------------------------------------
@role_required(*PARTNER_UPKEEP)
def partner_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The registry as CSV, or as Excel with ``?format=xlsx`` (same rows, German headers)."""
    office = active_office(request)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    table = csv_io.export_table(selectors.export_partners(user=request.user, office=office),
                                f"partner-{office.pk}-{stamp}")
    return exports.response(table, exports.requested_format(request))


@role_required(*PARTNER_UPKEEP)
def partner_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        parsed = csv_io.parse_file(form.cleaned_data["file"].read(), office)
        try:
            summary = import_partners(office=office, rows=parsed.rows, by=request.user, parse_errors=parsed.errors)
        except ImportRefused as error:
            row_errors = error.errors
            form.add_error(None, error.message)
        except PartnerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Import complete: %(created)s partners added, %(updated)s updated.")
                             % {"created": summary.created, "updated": summary.updated})
            return redirect("partners:partner_list")
    return render(request, "partners/partner_import.html", {"form": form, "row_errors": row_errors},
                  status=400 if form.is_bound else 200)
