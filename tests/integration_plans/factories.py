"""Factories and builders of the plans tests. Plans carry rules, so most tests make them through the services;
``draft_plan``/``final_plan`` do that in one call."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from cases.models import BenefitEntitlement, BenefitKind, Case
from integration_plans.models import (
    IntegrationPlan,
    LegalNotice,
    ObligationKind,
    ObligationPeriod,
    ServiceKind,
)
from integration_plans.services import plans as services
from integration_plans.services.plans import ObligationInput, PlanInput, ServiceInput, StepInput
from tests.cases.factories import CaseFactory, ClientFactory

EXAMPLE_NOTICES = {
    "bshg_25": "Wenn Sie eine vereinbarte Pflicht ohne wichtigen Grund nicht erfüllen, kann die Hilfe zum "
               "Lebensunterhalt um mindestens 25 Prozent des Regelsatzes gekürzt werden.",
    "sgb3_144": "Lehnen Sie eine zumutbare Arbeit ohne wichtigen Grund ab, tritt eine Sperrzeit ein.",
}


def ensure_notices(valid_from: datetime.date = datetime.date(2003, 1, 1)) -> dict[str, LegalNotice]:
    """Version 1 of both notices (the data migration's rows do not survive a transactional test's flush)."""
    result = {}
    for basis, text in EXAMPLE_NOTICES.items():
        result[basis], _ = LegalNotice.objects.get_or_create(
            basis=basis, version=1,
            defaults={"title": f"Rechtsfolgen {basis}", "text": text, "valid_from": valid_from, "is_example": True},
        )
    return result


def case_with_benefits(office: Any, manager: Any, *kinds: str, start: datetime.date = datetime.date(2002, 1, 1),
                       status: str = "profiling", **client: Any) -> Case:
    person = ClientFactory(contact_point=office, **client)
    for kind in kinds:
        BenefitEntitlement.objects.create(client=person, kind=kind, monthly_amount=Decimal("300"), start=start)
    return CaseFactory(client=person, case_manager=manager, opened_on=datetime.date(2002, 6, 1), status=status)


def full_input(plan: IntegrationPlan, **changes: Any) -> dict[str, Any]:
    """Everything a complete plan needs (keyword arguments of ``save_draft`` without plan and user)."""
    data = {
        "data": PlanInput(
            kind="agreement", goal="Sozialversicherungspflichtige Beschäftigung als Lagerist im Raum Leipzig",
            placement_efforts="Mindestens zwei Vermittlungsvorschläge im Monat.",
            valid_from=plan.valid_from, valid_until=plan.valid_until, review_on=plan.review_on),
        "steps": [StepInput(None, "Bewerbungsunterlagen überarbeiten", plan.valid_from + datetime.timedelta(days=14))],
        "services": [ServiceInput(None, ServiceKind.PLACEMENT, "Vermittlungsvorschläge für Lagertätigkeiten")],
        "obligations": [ObligationInput(None, ObligationKind.APPLICATIONS, "Bewerbungen auf Lagerstellen", 6,
                                        ObligationPeriod.MONTH, "Kopien der Anschreiben")],
    }
    data.update(changes)
    return data


def draft_plan(case: Case, by: Any, **changes: Any) -> IntegrationPlan:
    plan = services.create_plan(case=case, by=by)
    return services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=by, **full_input(plan, **changes))


def final_plan(case: Case, by: Any, **changes: Any) -> IntegrationPlan:
    ensure_notices()
    plan = draft_plan(case, by, **changes)
    return services.finalise(plan=plan, by=by)


__all__ = ["BenefitKind", "case_with_benefits", "draft_plan", "ensure_notices", "final_plan", "full_input"]
