"""The plans app's part of the retention rule (``cases.retention``): when a client is anonymised, the free texts
of plans, steps, services, obligations, checks and hearings go (in the rows and their audit-trail copies), the
content snapshots are emptied and the agreement PDFs and signed scans are deleted. Kinds, dates, statuses,
quantities and consequences stay for statistics; so does the content checksum (it reveals nothing)."""

from __future__ import annotations

from cases.retention import scrub
from integration_plans.models import (
    Hearing,
    IntegrationPlan,
    Obligation,
    ObligationCheck,
    PlanService,
    PlanStep,
)
from jobcenter import documents
from jobcenter.models_documents import StoredDocument


def anonymise(client_ids: list[int]) -> dict[str, int]:
    plans = IntegrationPlan.objects.filter(case__client_id__in=client_ids)
    document_ids = [pk for pair in plans.values_list("document_id", "scan_id") for pk in pair if pk]
    counts = {
        "plans": scrub(IntegrationPlan, {"case__client_id__in": client_ids}, {
            "goal": "", "placement_efforts": "", "decision_reason": "", "review_clause": "", "return_note": "",
            "review_note": "", "signature_note": "", "content": None, "document": None, "scan": None,
        }),
        "plan_steps": scrub(PlanStep, {"plan__case__client_id__in": client_ids}, {"description": ""}),
        "plan_services": scrub(PlanService, {"plan__case__client_id__in": client_ids},
                               {"description": "", "paying_override_reason": ""}),
        "obligations": scrub(Obligation, {"plan__case__client_id__in": client_ids},
                             {"description": "", "proof": ""}),
        "obligation_checks": scrub(ObligationCheck, {"obligation__plan__case__client_id__in": client_ids},
                                   {"note": ""}),
        "hearings": scrub(Hearing, {"case__client_id__in": client_ids},
                          {"breach": "", "statement": "", "decision": ""}),
    }
    stored = list(StoredDocument.objects.filter(pk__in=document_ids))
    for document in stored:
        documents.delete(document)
    counts["plan_documents"] = len(stored)
    return counts
