"""The plans app's part of the retention rule (``cases.retention``): when a client is anonymised, the free texts
of plans, steps, services, obligations, checks and hearings go (in the rows and their audit-trail copies), the
content snapshots are emptied and the agreement PDFs and signed scans are deleted. Kinds, dates, statuses,
quantities and consequences stay for statistics; so does the content checksum (it reveals nothing)."""

from __future__ import annotations

from cases.retention import Registration, RetentionPolicy, delete_documents, scrub
from integration_plans.models import (
    Hearing,
    IntegrationPlan,
    Obligation,
    ObligationCheck,
    PlanService,
    PlanStep,
)

POLICIES = (
    RetentionPolicy("plans", IntegrationPlan, "case__client_id", {
        "goal": "", "placement_efforts": "", "decision_reason": "", "review_clause": "", "return_note": "",
        "review_note": "", "signature_note": "", "content": None,
    }, kept={
        "content_sha256": "the SHA-256 of the printed content: reveals nothing once the content is gone",
        "pdf_claim": "a random token of the worker rendering the PDF, no client data",
    }),
    RetentionPolicy("plan_steps", PlanStep, "plan__case__client_id", {"description": ""}),
    RetentionPolicy("plan_services", PlanService, "plan__case__client_id",
                    {"description": "", "paying_override_reason": ""},
                    kept={"legal_basis": "the legal basis from the paying-agency table (e.g. '§ 37 SGB III'), "
                                         "needed for the cost statistics"}),
    RetentionPolicy("obligations", Obligation, "plan__case__client_id", {"description": "", "proof": ""}),
    RetentionPolicy("obligation_checks", ObligationCheck, "obligation__plan__case__client_id", {"note": ""}),
    RetentionPolicy("hearings", Hearing, "case__client_id", {"breach": "", "statement": "", "decision": ""}),
)


def delete_plan_documents(client_ids: list[int]) -> dict[str, int]:
    """The agreement PDFs and signed scans of the clients' plans leave the document store (references first)."""
    plans = IntegrationPlan.objects.filter(case__client_id__in=client_ids)
    document_ids = [pk for pair in plans.values_list("document_id", "scan_id") for pk in pair if pk]
    scrub(IntegrationPlan, {"case__client_id__in": client_ids}, {"document": None, "scan": None})
    return {"plan_documents": delete_documents(document_ids)}


def anonymise(client_ids: list[int]) -> dict[str, int]:
    """Everything this app does when clients are anonymised (what the retention run does for it)."""
    return Registration("integration_plans", POLICIES, delete_plan_documents).run(client_ids)
