"""Module Antragsannahme: benefit applications received at the office, forwarded to their agency, worklist.

Every view needs the module in the active office (404 otherwise); registers the navigation entry "Anträge" and
the client-page section "applications".
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import client_page, data_flows
from cases import selectors_contacts as selectors
from cases.forms.applications import ApplicationForm, ApplicationStatusForm, ForwardForm, WorklistFilterForm
from cases.models import BenefitApplication, Client
from cases.services import applications as services
from jobcenter import access_log, navigation, params
from jobcenter.authz import APPLICATIONS
from jobcenter.decorators import module_required, role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import paginate
from jobcenter.roles import Module
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import refuse

WORKLIST_PAGE_SIZE = 25
SECTION_LIMIT = 20


def _next(request: AuthenticatedHttpRequest, default: str) -> str:
    """Where to return: the worklist (keeping its filters) or the client page the action came from."""
    target = request.POST.get("next") or params.get_str(request, "next", max_length=2000)
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and safe else default


@module_required(Module.ANTRAGSANNAHME)
@role_required(*APPLICATIONS)
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Worklist: open applications, not yet forwarded first, oldest first; filtering and paging in the DB."""
    office = request.staff.office
    assert office is not None  # module_required answers 404 without an active office
    filters = WorklistFilterForm(request.GET or None)
    rows = selectors.application_worklist(
        request.user, office, today=timezone.localdate(), **filters.filters()
    )
    page = paginate(rows, params.get_page(request), WORKLIST_PAGE_SIZE)
    query = urlencode({key: value for key, value in filters.filters().items() if value})
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    return render(request, "cases/application_list.html",
                  {"page": page, "filters": filters, "query": query})


@module_required(Module.ANTRAGSANNAHME)
@role_required(*APPLICATIONS)
@require_http_methods(["GET", "POST"])
def application_create(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = get_scoped_or_404(Client, request.user, pk=client_pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_application(client=client, by=request.user, **form.cleaned_data)
        except services.ApplicationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Application recorded."))
            return HttpResponseRedirect(reverse("cases:client_detail", args=[client.pk]) + "#section-applications")
    return render(request, "cases/application_form.html", {"form": form, "client": client})


def _application(request: AuthenticatedHttpRequest, pk: int) -> BenefitApplication:
    return get_scoped_or_404(
        data_flows.with_recording_carrier(BenefitApplication.objects.select_related(
            "client", "forwarded_to", "received_by", "contact_point__employment_agency", "contact_point__welfare_agency"
        )),
        request.user, pk=pk,
    )


def _detail(
    request: AuthenticatedHttpRequest, application: BenefitApplication, *, forward_form: ForwardForm | None = None,
    status_form: ApplicationStatusForm | None = None,
) -> HttpResponse:
    """The application with what can be done next: forward it (received), decide or withdraw it (open)."""
    office = application.contact_point
    access_log.shown(request, client_id=application.client_id, office_id=application.client.contact_point_id,
                     application=application.pk)
    data_flows.applications_shown(request, application.client, [application])
    default = services.default_agency(kind=application.kind, office=office)
    context = {
        "application": application,
        "next": _next(request, reverse("cases:application_list")),
        "forward_form": forward_form or ForwardForm(office=office, initial={"forwarded_to": default}),
        "status_form": status_form or ApplicationStatusForm(current=application.status),
    }
    return render(request, "cases/application_detail.html", context)


@module_required(Module.ANTRAGSANNAHME)
@role_required(*APPLICATIONS)
@require_GET
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _application(request, pk))


@module_required(Module.ANTRAGSANNAHME)
@role_required(*APPLICATIONS)
@require_POST
def application_forward(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ForwardForm(request.POST, office=application.contact_point)
    if form.is_valid():
        try:
            services.forward_application(
                application=application, by=request.user, agency=form.cleaned_data["forwarded_to"],
                forwarded_on=form.cleaned_data["forwarded_on"],
            )
        except services.ApplicationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Application forwarded."))
            return HttpResponseRedirect(_next(request, reverse("cases:application_list")))
    return _detail(request, application, forward_form=form)


@module_required(Module.ANTRAGSANNAHME)
@role_required(*APPLICATIONS)
@require_POST
def application_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ApplicationStatusForm(request.POST, current=application.status)
    if form.is_valid():
        try:
            services.set_application_status(
                application=application, by=request.user, status=form.cleaned_data["status"]
            )
        except services.ApplicationError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Status of the application changed."))
            return HttpResponseRedirect(_next(request, reverse("cases:application_list")))
    return _detail(request, application, status_form=form)


def _applications_section(request: AuthenticatedHttpRequest, client: Client) -> dict[str, object]:
    rows = list(data_flows.with_recording_carrier(selectors.client_applications(request.user, client))
                [: SECTION_LIMIT + 1])
    data_flows.applications_shown(request, client, rows[:SECTION_LIMIT])
    return {"applications": rows[:SECTION_LIMIT], "has_more": len(rows) > SECTION_LIMIT}


urlpatterns = [
    path("antraege/", application_list, name="application_list"),
    path("antraege/<int:pk>/", application_detail, name="application_detail"),
    path("antraege/<int:pk>/weiterleiten/", application_forward, name="application_forward"),
    path("antraege/<int:pk>/status/", application_status, name="application_status"),
    path("kunden/<int:client_pk>/antraege/neu/", application_create, name="application_create"),
]


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    client_page.register(
        client_page.ClientSection(
            key="applications", title=gettext_lazy("Applications"), template="cases/_applications_section.html",
            context=_applications_section, order=70, roles=APPLICATIONS, module=Module.ANTRAGSANNAHME,
        )
    )
    navigation.register(
        navigation.NavItem(
            key="applications", label=gettext_lazy("Applications"), url_name="cases:application_list", icon="inbox",
            order=30, roles=APPLICATIONS, module=Module.ANTRAGSANNAHME,
        )
    )
