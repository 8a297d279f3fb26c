"""The printed content of a plan version as a JSON snapshot, and its checksum.

When a plan is finalised, everything the agreement prints is written into ``IntegrationPlan.content``: the office
and both agencies, the client (name, birth date, address, customer and file numbers, client id), the case id, the
plan version and form, goal, placement efforts, steps, services with paying agency and legal basis, obligations,
validity and review date, the decision texts of a one-sided decision, the legal notices in force (text and
version), the changes against the previous version and the previous version's checksum, and (joint sign-off)
who signed the plan off for which agency and when. Labels are stored in German, as printed. The PDF is rendered from this snapshot only, so a reprint never picks up later changes of
the client's address or a partner's name.

The checksum printed in the PDF footer is the SHA-256 of the canonical JSON of that snapshot (keys sorted, no
insignificant whitespace, UTF-8). It covers every variable text of the agreement; it does not cover the fixed
wording and layout of the template, page numbers, or the footer line itself (a PDF cannot contain its own file
hash; the file's SHA-256 is kept separately in ``StoredDocument.sha256``). Anyone holding the plan's data can
recompute it; since it includes the previous version's checksum, the versions of a plan form a chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integration_plans.diff import diff_contents
from integration_plans.models import IntegrationPlan, LegalNotice, ObligationPeriod, PlanKind, PlanSignoff
from integration_plans.paying import basis_label

if TYPE_CHECKING:
    from integration_plans.models import Obligation, PlanService, PlanStep

CONTENT_SCHEMA = 1


def canonical_json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def checksum(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def obligation_extent(quantity: int | None, period: str) -> str:
    """"6 per month" as printed (German labels come from the active language)."""
    if not quantity or not period:
        return ""
    if period == ObligationPeriod.VALIDITY:
        return _("%(quantity)s× during the validity") % {"quantity": quantity}
    return f"{quantity}× {ObligationPeriod(period).label}"


def step_content(step: PlanStep) -> dict[str, Any]:
    return {"key": str(step.key), "description": step.description, "due_on": _iso(step.due_on)}


def service_content(service: PlanService) -> dict[str, Any]:
    offer = service.offer
    return {
        "key": str(service.key),
        "kind": service.kind,
        "kind_label": str(service.get_kind_display()),
        "description": service.description,
        "offer": offer.title if offer else "",
        "partner": offer.partner.name if offer else "",
        "paying_agency": service.paying_agency.name,
        "legal_basis": service.legal_basis,
        "legal_basis_label": basis_label(service.legal_basis),
        "override_reason": service.paying_override_reason,
        "estimated_cost": _money(service.estimated_cost),
    }


def obligation_content(obligation: Obligation) -> dict[str, Any]:
    return {
        "key": str(obligation.key),
        "kind": obligation.kind,
        "kind_label": str(obligation.get_kind_display()) if obligation.kind else "",
        "description": obligation.description,
        "quantity": obligation.quantity,
        "period": obligation.period,
        "extent": obligation_extent(obligation.quantity, obligation.period),
        "proof": obligation.proof,
    }


def signoff_contents(plan: IntegrationPlan) -> dict[str, Any]:
    """The agencies' sign-offs (joint sign-off), by kind of agency: who signed off for it and when."""
    signoffs = (PlanSignoff.objects.filter(plan_id=plan.pk, voided_at__isnull=True)
                .select_related("agency", "signed_by").order_by("signed_at", "id"))
    return {s.agency.kind: {"agency": s.agency.name, "by": _person(s.signed_by),
                            "on": timezone.localdate(s.signed_at).isoformat(),
                            "time": timezone.localtime(s.signed_at).strftime("%H:%M")}
            for s in signoffs}


def notice_content(notice: LegalNotice) -> dict[str, Any]:
    return {
        "id": notice.pk, "basis": notice.basis, "basis_label": str(notice.get_basis_display()),
        "version": notice.version, "title": notice.title, "text": notice.text,
        "valid_from": _iso(notice.valid_from), "is_example": notice.is_example,
    }


def build_content(
    plan: IntegrationPlan,
    *,
    notices: list[LegalNotice],
    finalised_on: date | None,
    finalised_by: Any = None,
) -> dict[str, Any]:
    """The snapshot of ``plan`` as it would be printed now (items must be prefetched for a constant cost).
    Built in German: the agreement is a German document whatever the user's language."""
    with translation.override("de"):
        case = plan.case
        client = case.client
        office = case.contact_point
        previous = plan.previous
        content: dict[str, Any] = {
            "schema": CONTENT_SCHEMA,
            "plan_id": plan.pk,
            "version": plan.version,
            "kind": plan.kind,
            "kind_label": str(PlanKind(plan.kind).label),
            "office": {"name": office.name, "address": office.address},
            "agencies": {"employment": office.employment_agency.name, "welfare": office.welfare_agency.name},
            "client": {
                "id": client.pk, "name": client.full_name, "birth_date": _iso(client.birth_date),
                "street": client.street, "postal_code": client.postal_code, "city": client.city,
                "customer_number": client.customer_number, "file_number": client.file_number,
            },
            "case": {"id": case.pk, "case_manager": _person(case.case_manager)},
            "goal": plan.goal,
            "placement_efforts": plan.placement_efforts,
            "valid_from": _iso(plan.valid_from),
            "valid_until": _iso(plan.valid_until),
            "review_on": _iso(plan.review_on),
            "decision_reason": plan.decision_reason if plan.kind == PlanKind.DECISION else "",
            "review_clause": plan.review_clause if plan.kind == PlanKind.DECISION else "",
            "steps": [step_content(step) for step in plan.steps.all()],
            "services": [service_content(service) for service in plan.services.all()],
            "obligations": [obligation_content(obligation) for obligation in plan.obligations.all()],
            "legal_notices": [notice_content(notice) for notice in notices],
            "finalised_on": _iso(finalised_on),
            "finalised_by": _person(finalised_by),
            "previous": None,
            "changes": None,
        }
        signoffs = signoff_contents(plan) if plan.pk else {}
        if signoffs:  # only plans signed off by the agencies carry the key (older snapshots stay as they were)
            content["signoffs"] = signoffs
        if previous is not None and previous.content:
            content["previous"] = {
                "version": previous.version, "finalised_on": previous.content.get("finalised_on"),
                "checksum": previous.content_sha256,
            }
            content["changes"] = diff_contents(previous.content, content).as_json()
    return content
