"""Cooperation agreements: list, record, look at (with the history) and end. For Teamleitung and administrators
(``jobcenter.authz.COOPERATION``), each seeing the agreements of their own contact points' agencies."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter import params
from jobcenter.authz import COOPERATION
from jobcenter.cooperation import selectors
from jobcenter.cooperation.forms import AgreementForm, EndAgreementForm
from jobcenter.cooperation.services import AgreementError, create_agreement, end_agreement
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.models import CooperationAgreement
from jobcenter.shortcuts import refuse

PAGE_SIZE = 25


@role_required(*COOPERATION)
def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = params.get_choice(request, "status", selectors.STATUSES, "current")
    today = timezone.localdate()
    agreements = selectors.agreement_list(request.user, status=status, today=today)
    page = Paginator(agreements, PAGE_SIZE).get_page(params.get_page(request))
    return render(request, "jobcenter/agreement_list.html", {
        "page": page, "status": status, "today": today, "query": f"status={status}",
        "statuses": [("current", _("Current")), ("ended", _("Ended")), ("all", _("All"))],
    })


@role_required(*COOPERATION)
def agreement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = create_agreement(
                title=data["title"], scope=data["scope"], parties=list(data["parties"]),
                contact_points=list(data["contact_points"]), valid_from=data["valid_from"],
                valid_until=data["valid_until"], by=request.user)
        except AgreementError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The cooperation agreement has been recorded."))
            return redirect("agreement_detail", pk=agreement.pk)
    return render(request, "jobcenter/agreement_form.html", {"form": form}, status=400 if form.is_bound else 200)


def _detail(request: AuthenticatedHttpRequest, agreement: CooperationAgreement,
            end_form: EndAgreementForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    can_end = agreement.valid_until is None or agreement.valid_until > today
    return render(request, "jobcenter/agreement_detail.html", {
        "agreement": agreement, "today": today, "valid_today": agreement.valid_on(today),
        "history": selectors.agreement_history(agreement),
        "end_form": (end_form or EndAgreementForm()) if can_end else None,
    }, status=400 if end_form is not None else 200)


@role_required(*COOPERATION)
def agreement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_agreement_or_404(request.user, pk))


@require_POST
@role_required(*COOPERATION)
def agreement_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement_or_404(request.user, pk)
    form = EndAgreementForm(request.POST)
    if form.is_valid():
        try:
            end_agreement(agreement=agreement, until=form.cleaned_data["valid_until"],
                          reason=form.cleaned_data["reason"])
        except AgreementError as error:
            refuse(form, error)
        else:
            messages.success(request, _("The agreement has been ended."))
            return redirect("agreement_detail", pk=agreement.pk)
    return _detail(request, agreement, end_form=form)


urlpatterns = [
    path("kooperationen/", agreement_list, name="agreement_list"),
    path("kooperationen/neu/", agreement_create, name="agreement_create"),
    path("kooperationen/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("kooperationen/<int:pk>/beenden/", agreement_end, name="agreement_end"),
]
