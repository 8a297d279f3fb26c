"""Shared pieces of the plan views: fetching through the office scope.

Who may do what is ``jobcenter.authz`` (always limited to the user's own contact points): ``PLAN_READ`` reads
plans, agreements, hearings and legal-notice usage (Fallmanager, Teamleitung, Arbeitsvermittler,
Leistungssachbearbeiter: they act on breaches); ``PLAN_WRITE`` writes plans, signs, checks, hearings, referrals
(Fallmanager, Teamleitung); ``TEAM_LEAD`` approves or returns a submitted plan. Reception (Empfang) and
administrators (no client work) see no plans; administrators maintain the legal notices and the office setting in
the admin.
"""

from __future__ import annotations

from django.http import HttpRequest

from integration_plans.models import Hearing, IntegrationPlan, Obligation, PlanService, PlanStep
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404


def get_plan(request: AuthenticatedHttpRequest, pk: int) -> IntegrationPlan:
    return get_scoped_or_404(
        IntegrationPlan.objects.select_related(
            "case__client", "case__contact_point__employment_agency", "case__contact_point__welfare_agency",
            "document", "scan", "previous",
        ),
        request.user, pk=pk,
    )


def get_step(request: AuthenticatedHttpRequest, plan: IntegrationPlan, pk: int) -> PlanStep:
    return get_scoped_or_404(PlanStep.objects.filter(plan=plan), request.user, pk=pk)


def get_service(request: AuthenticatedHttpRequest, plan: IntegrationPlan, pk: int) -> PlanService:
    return get_scoped_or_404(PlanService.objects.filter(plan=plan).select_related("offer__partner"),
                             request.user, pk=pk)


def get_obligation(request: AuthenticatedHttpRequest, pk: int) -> Obligation:
    return get_scoped_or_404(Obligation.objects.select_related("plan__case__client"), request.user, pk=pk)


def get_hearing(request: AuthenticatedHttpRequest, pk: int) -> Hearing:
    return get_scoped_or_404(
        Hearing.objects.select_related("case__client", "plan", "opened_by", "decided_by", "check_record"),
        request.user, pk=pk,
    )


def post_int(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None
