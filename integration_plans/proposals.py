"""Adapter to the profiling app: the offer proposals of a case's latest profiling, to pre-fill a new plan.

Plans depend on profiling (never the other way round) but only through this function, so a profiling without
proposals — or an installation without the selector — simply pre-fills nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from cases.models import Case


@dataclass(frozen=True)
class ServiceProposal:
    offer_category: str  # a partners offer category = a ServiceKind value
    title: str
    reason: str  # internal ("Schulden: Vermittlungshemmnis"): for staff pages, never for the client or a partner
    dimension: str = ""  # the profiling dimension it was proposed for (a profiling.rules.Dimension value)


def latest_service_proposals(case: Case, by: AbstractBaseUser | None = None) -> list[ServiceProposal]:
    """The proposals ``by`` may see: a health, addiction or debt rating proposes an offer only to the assigned case
    manager and the Teamleitung (need-to-know)."""
    try:
        from profiling.selectors import latest_proposals
    except ImportError:  # pragma: no cover - profiling without the selector
        return []
    result = []
    for proposal in latest_proposals(case, user=by):
        result.append(ServiceProposal(
            offer_category=str(getattr(proposal, "offer_category", "")),
            title=str(getattr(proposal, "title", "") or ""),
            reason=str(getattr(proposal, "reason", "") or ""),
            dimension=str(getattr(proposal, "dimension", "") or ""),
        ))
    return result
