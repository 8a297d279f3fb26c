"""Shared pieces of the plan views: the role matrix, fetching through the office scope, showing errors.

Role matrix (always limited to the user's own contact points):
    read plans, agreements, hearings, legal-notice usage ... Fallmanager, Teamleitung, Arbeitsvermittler,
                                                             Leistungssachbearbeiter (they act on breaches)
    write plans, sign, checks, hearings, referrals ......... Fallmanager, Teamleitung
    approve / return a submitted plan ...................... Teamleitung
Reception (Empfang) and administrators (no client work) see no plans; administrators maintain the legal notices
and the office setting in the admin.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest

from integration_plans.errors import PlanError
from integration_plans.models import Hearing, IntegrationPlan, Obligation, PlanService, PlanStep
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from jobcenter.scoping import get_scoped_or_404

READ_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG, Role.ARBEITSVERMITTLER, Role.LEISTUNG)
WRITE_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)
LEAD_ROLES = (Role.TEAMLEITUNG,)


def can(request: HttpRequest, roles: tuple[str, ...]) -> bool:
    staff = request.staff  # type: ignore[attr-defined]
    return bool(staff and staff.has_role(*roles))  # no superuser bypass (see ``role_required``)


def active_office(request: HttpRequest) -> ContactPoint:
    office = request.staff.office  # type: ignore[attr-defined]
    if office is None:
        raise Http404
    return office  # type: ignore[no-any-return]


def get_plan(request: HttpRequest, pk: int) -> IntegrationPlan:
    return get_scoped_or_404(
        IntegrationPlan.objects.select_related(
            "case__client", "case__contact_point__employment_agency", "case__contact_point__welfare_agency",
            "document", "scan", "previous",
        ),
        request.user, pk=pk,
    )


def get_step(request: HttpRequest, plan: IntegrationPlan, pk: int) -> PlanStep:
    return get_scoped_or_404(PlanStep.objects.filter(plan=plan), request.user, pk=pk)


def get_service(request: HttpRequest, plan: IntegrationPlan, pk: int) -> PlanService:
    return get_scoped_or_404(PlanService.objects.filter(plan=plan).select_related("offer__partner"),
                             request.user, pk=pk)


def get_obligation(request: HttpRequest, pk: int) -> Obligation:
    return get_scoped_or_404(Obligation.objects.select_related("plan__case__client"), request.user, pk=pk)


def get_hearing(request: HttpRequest, pk: int) -> Hearing:
    return get_scoped_or_404(
        Hearing.objects.select_related("case__client", "plan", "opened_by", "decided_by", "check_record"),
        request.user, pk=pk,
    )


def refuse(form: forms.Form, error: PlanError) -> None:
    """Show a broken rule at its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def post_int(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None
