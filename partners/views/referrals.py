"""Referrals: choose an offer for a case, refer with consent, move through the statuses, record feedback;
the referral list; consent revocation; the client's disclosure log."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import client_page
from cases.models import Case, CaseStatus, Client
from cases.need_to_know import can_see_sensitive
from jobcenter import access_log
from jobcenter.authz import REFERRING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import querystring, sort_columns
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import active_office, refuse
from partners import selectors
from partners.errors import OfferFullError, PartnerError
from partners.forms import BoardFilterForm, FeedbackForm, ReferralFilterForm, ReferralForm, StatusForm
from partners.models import Consent, Offer, Referral, ReferralStatus
from partners.rules import (
    ALL_REFERRAL_MODULES,
    REFERRAL_TRANSITIONS,
    consent_required,
    default_shared_data,
    holds_sensitive_content,
    may_refer,
    referable_categories,
)
from partners.services.referrals import change_status, paying_decision, record_feedback, refer, revoke_consent
from partners.views.common import paginate, require_any_module

REFERRAL_COLUMNS = (
    ("date", gettext_lazy("Referral date")), ("client", gettext_lazy("Client")), ("", gettext_lazy("Offer")),
    ("status", gettext_lazy("Status")), ("feedback", gettext_lazy("Last news")), ("", gettext_lazy("Paid by")),
)
CHOOSE_COLUMNS = (
    ("title", gettext_lazy("Offer")), ("partner", gettext_lazy("Partner")), ("category", gettext_lazy("Category")),
    ("free", gettext_lazy("Free")), ("waiting", gettext_lazy("Waiting")), ("", gettext_lazy("Cost per month")),
)


# --- list ---------------------------------------------------------------------------------------------------
@role_required(*REFERRING)
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_any_module(request, ALL_REFERRAL_MODULES)
    office = active_office(request)
    form = ReferralFilterForm(request.GET or None)
    filters = form.filters()
    chosen: dict[str, Any] = {
        "user": request.user, "office": office, "day": timezone.localdate(), "status": filters["status"],
        "group": filters["group"], "overdue": filters["overdue"], "mine": filters["mine"],
        "client_id": filters["client"], "query": filters["q"],
    }
    referrals = selectors.referral_list(**chosen, sort=filters["sort"])
    client = Client.objects.for_user(request.user).filter(pk=filters["client"]).first() if filters["client"] else None
    # the same referrals, counted without the condition the client sort adds for its order
    page = paginate(request, referrals, counted=selectors.referral_list(**chosen))
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    return render(request, "partners/referral_list.html", {
        "form": form, "page": page, "query": querystring(filters), "client": client,
        "columns": sort_columns(REFERRAL_COLUMNS, filters, selectors.REFERRAL_SORTS, "-date"),
    })


# --- referring ----------------------------------------------------------------------------------------------
def _open_case(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    case = get_scoped_or_404(
        Case.objects.select_related("client", "contact_point__employment_agency", "contact_point__welfare_agency"),
        request.user, pk=case_pk,
    )
    require_any_module(request, ALL_REFERRAL_MODULES)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id)  # the pages name the client
    return case


@role_required(*REFERRING)
def referral_choose_offer(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Step 1: pick an offer of the case's office (the board, limited to the kinds the office refers to)."""
    case = _open_case(request, case_pk)
    if case.status == CaseStatus.CLOSED:
        messages.error(request, _("This case is closed; referrals need an open case."))
        return redirect("cases:client_detail", pk=case.client_id)
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    offers = selectors.board(
        user=request.user, office=case.contact_point, day=timezone.localdate(), group=filters["group"],
        category=filters["category"], query=filters["q"], free_only=filters["free"], sort=filters["sort"],
        categories=referable_categories(case.contact_point.enabled_modules),
    )
    return render(request, "partners/referral_choose.html", {
        "case": case, "form": form, "page": paginate(request, offers), "query": querystring(filters),
        "columns": sort_columns(CHOOSE_COLUMNS, filters, selectors.BOARD_SORTS, "-free"),
    })


def _referral_form(
    request: AuthenticatedHttpRequest, case: Case, offer: Offer, rule_label: str,
) -> ReferralForm:
    today = timezone.localdate()
    needed = consent_required(offer.category)
    shared = default_shared_data(offer.category)
    return ReferralForm(
        request.POST or None, offer=offer, consent_needed=needed, rule_label=rule_label,
        consents=selectors.valid_consents(client=case.client, partner=offer.partner, day=today),
        initial={"referred_on": today, "planned_months": 3, "shared_data": shared,
                 "consent_data": shared if needed else []},
    )


@role_required(*REFERRING)
def referral_create(request: AuthenticatedHttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    """Step 2: the details, the release from confidentiality (asked for social services) and who pays."""
    case = _open_case(request, case_pk)
    offer = get_scoped_or_404(Offer.objects.select_related("partner__contact_point"), request.user, pk=offer_pk)
    if offer.partner.contact_point_id != case.contact_point_id or not may_refer(
        offer.category, case.contact_point.enabled_modules
    ):
        raise Http404
    decision, agency = paying_decision(case=case, offer=offer, day=timezone.localdate())
    form = _referral_form(request, case, offer, agency.name)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = refer(
                case=case, offer=offer, purpose=data["purpose"], shared_data=data["shared_data"], by=request.user,
                referred_on=data["referred_on"], planned_months=data["planned_months"],
                consent=data.get("consent"), new_consent=form.new_consent(),
                paying_override=data["paying_override"] or None, override_reason=data["override_reason"],
            )
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Referral recorded; the data passed on are in the disclosure log."))
            return redirect("partners:referral_detail", pk=referral.pk)
    return render(request, "partners/referral_form.html", {
        "case": case, "offer": selectors.occupancy(offer), "form": form, "decision": decision, "agency": agency,
        "consent_needed": consent_required(offer.category),
    }, status=400 if form.is_bound else 200)


# --- one referral -------------------------------------------------------------------------------------------
def _get_referral(request: AuthenticatedHttpRequest, pk: int) -> Referral:
    referral = get_scoped_or_404(
        Referral.objects.select_related("case__client", "offer__partner", "paying_agency", "consent", "referred_by"),
        request.user, pk=pk,
    )
    office = request.staff.office
    if not may_refer(referral.offer.category, office.enabled_modules if office else []):
        raise Http404
    return referral


def _render_referral(request: AuthenticatedHttpRequest, referral: Referral, *, status: int = 200,
                     full_error: str = "", feedback_form: FeedbackForm | None = None) -> HttpResponse:
    next_statuses = [(value, label) for value, label in ReferralStatus.choices
                     if value in REFERRAL_TRANSITIONS[referral.status]]
    access_log.shown(request, client_id=referral.case.client_id, office_id=referral.case.contact_point_id,
                     referral=referral.pk)
    confidential = holds_sensitive_content(referral.offer.category) and not can_see_sensitive(
        request.user, referral.case, roles=request.staff.roles)
    return render(request, "partners/referral_detail.html", {
        "referral": referral, "confidential": confidential,
        "offer": selectors.occupancy(referral.offer),
        "next_statuses": next_statuses,
        "full_error": full_error,
        "feedback": paginate(request, selectors.referral_feedback(referral, masked=confidential)),
        "feedback_form": feedback_form or FeedbackForm(),
        "disclosures": list(referral.disclosures.select_related("consent").order_by("-disclosed_on", "-pk")),
        "today": timezone.localdate(),
    }, status=status)


@role_required(*REFERRING)
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_referral(request, _get_referral(request, pk))


@require_POST
@role_required(*REFERRING)
def referral_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral(request, pk)
    form = StatusForm(request.POST, current=referral.status)
    if not form.is_valid():
        messages.error(request, _("This status change is not allowed."))
        return redirect("partners:referral_detail", pk=referral.pk)
    try:
        change_status(referral=referral, status=form.cleaned_data["status"], by=request.user,
                      on=form.cleaned_data["on"])
    except OfferFullError as error:
        return _render_referral(request, referral, status=409, full_error=error.message)
    except PartnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status changed."))
    return redirect("partners:referral_detail", pk=referral.pk)


@require_POST
@role_required(*REFERRING)
def referral_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            record_feedback(referral=referral, by=request.user, **form.cleaned_data)
        except PartnerError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect(reverse("partners:referral_detail", args=[referral.pk]) + "#feedback")
    return _render_referral(request, referral, status=400, feedback_form=form)


# --- consent and disclosure log -----------------------------------------------------------------------------
@require_POST
@role_required(*REFERRING)
def consent_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = get_scoped_or_404(Consent, request.user, pk=pk)
    try:
        revoke_consent(consent=consent, by=request.user)
    except PartnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The release has been revoked; it no longer covers new referrals."))
    return redirect(reverse("cases:client_detail", args=[consent.client_id]) + "#section-disclosures")


@role_required(*REFERRING)
def disclosure_log(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client, request.user, pk=client_pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    return render(request, "partners/disclosure_log.html", {
        "client": client, "page": paginate(request, selectors.client_disclosures(client)),
    })


def client_referral_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    """Client-page section "Referrals"."""
    staff_request = cast(AuthenticatedHttpRequest, request)  # client-page sections are for staff with a role
    staff = staff_request.staff
    enabled = any(staff.has_module(module) for module in ALL_REFERRAL_MODULES)
    open_case = client_page.cases_of(staff_request, client).open
    rows = list(selectors.client_referrals(client)[:11]) if enabled else []
    return {"enabled": enabled, "open_case": open_case, "referrals": rows[:10], "more": len(rows) > 10}


def client_disclosure_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    """Client-page section "Disclosures and releases"."""
    disclosures = list(selectors.client_disclosures(client)[:11])
    return {
        "consents": list(selectors.client_consents(client)[:10]),
        "disclosures": disclosures[:10], "more": len(disclosures) > 10, "today": timezone.localdate(),
    }
