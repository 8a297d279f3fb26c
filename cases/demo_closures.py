"""Demo of closure approval (issue 16): the first demo office has the Teamleitung confirm closings without
integration; one closing awaits the confirmation of ``teamleitung`` (on the start page, "Abschlüsse zu
bestätigen"), one was refused with a reason. Made through the services; idempotent (an office that already has
closure requests is left alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from cases.models import Case, CaseSettings, CaseStatus, ClosureRequest, Outcome
from cases.services.closures import refuse_closure, request_closure

if TYPE_CHECKING:
    from jobcenter.demo import DemoOrganisation


def seed(organisation: DemoOrganisation) -> str:
    office = organisation.offices[0]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["fallmanager", "teamleitung"])}
    manager, lead = users.get("fallmanager"), users.get("teamleitung")
    if manager is None or lead is None:
        return ""
    CaseSettings.objects.update_or_create(contact_point=office, defaults={"closure_confirmation_required": True})
    if ClosureRequest.objects.filter(case__contact_point=office).exists():
        return ""
    # the newest cases in implementation: the help-plan demo takes the oldest ones
    cases = list(Case.objects.filter(contact_point=office, case_manager=manager, status=CaseStatus.IMPLEMENTATION,
                                     integrated_on__isnull=True).order_by("-id")[:2])
    if len(cases) < 2:
        return ""
    pending, refused = cases
    request_closure(case=pending, outcome=Outcome.NO_COOPERATION, by=manager,
                    note="Drei Einladungen ohne Rückmeldung, telefonisch nicht erreichbar, Anhörung ohne Antwort.")
    request_closure(case=refused, outcome=Outcome.MOVED, by=manager, note="Laut Nachbar nach Halle verzogen.")
    refuse_closure(case=refused, by=lead, reason="Der Umzug ist nicht belegt: bitte die Ummeldung beim "
                                                 "Einwohnermeldeamt erfragen, dann erneut beantragen.")
    return "2 closure requests (one awaiting the team lead, one refused)"
