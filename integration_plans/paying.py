"""Who pays for a plan service (docs/domain.md §7: financing stays with the statutory responsibilities).

The same rule as referrals: services that are partner offers (debt counselling, qualification, PSA, …) are
decided by ``partners.rules.decide_paying_agency`` (its table ``PAYING_RULES``). Plans also list services the
agencies give themselves, which have no partner category; this module adds their rows with their legal basis.
The whole table, read top to bottom per kind of service (first matching row decides; "Alg/Alhi" = the client
draws Alg or Alhi on the plan's first day):

    kind of service                           Alg/Alhi   paid by              legal basis
    placement proposals (employment office)   either     Arbeitsamt           § 35 SGB III
    application and travel costs              yes        Arbeitsamt           § 45 SGB III
    application and travel costs              no         Sozialhilfeträger    §§ 18–20 BSHG
    social services (debt, addiction, …)      either     Sozialhilfeträger    §§ 17, 18 BSHG   (partners)
    job-related services (qualification, …)   yes        Arbeitsamt           SGB III          (partners)
    job-related services                      no         Sozialhilfeträger    §§ 18–20 BSHG    (partners)
    PSA                                       either     Arbeitsamt           § 37c SGB III    (partners)
    employment company                        yes        Arbeitsamt           §§ 260 ff. SGB III (partners)
    employment company                        no         Sozialhilfeträger    § 19 BSHG        (partners)

With a partner offer, an offer only one agency may commission restricts the result to that agency. The case
manager may override the result with a written reason (the agency must be allowed to commission the offer).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integration_plans.models import ServiceKind
from jobcenter.models import Agency
from partners.models import GROUP_OF_KIND, PartnerGroup, PayingBasis
from partners.rules import (
    PAYING_BASIS,
    PAYING_RULES,
    PayingRuleError,
    decide_paying_agency,
    draws_unemployment_benefit,
)
from partners.rules import Period as BenefitPeriod

ARBEITSAMT = Agency.Kind.ARBEITSAMT
SOZIALHILFE = Agency.Kind.SOZIALHILFE
BOTH_AGENCIES = (ARBEITSAMT, SOZIALHILFE)


class OwnBasis(models.TextChoices):
    """Legal bases of the services the agencies give themselves (the partners' bases are ``PayingBasis``)."""

    SGB3_PLACEMENT = "sgb3_35", gettext_lazy("§ 35 SGB III (placement)")
    SGB3_APPLICATION_COSTS = "sgb3_45", gettext_lazy("§ 45 SGB III (application and travel costs)")


BASIS_LABELS: dict[str, str | Promise] = {**dict(PayingBasis.choices), **dict(OwnBasis.choices)}


def basis_label(value: str) -> str:
    return str(BASIS_LABELS.get(value, value))


@dataclass(frozen=True)
class OwnRule:
    kind: str
    draws_unemployment_benefit: bool | None
    agency_kind: str
    basis: str


OWN_RULES: tuple[OwnRule, ...] = (
    OwnRule(ServiceKind.PLACEMENT, None, ARBEITSAMT, OwnBasis.SGB3_PLACEMENT),
    OwnRule(ServiceKind.APPLICATION_COSTS, True, ARBEITSAMT, OwnBasis.SGB3_APPLICATION_COSTS),
    OwnRule(ServiceKind.APPLICATION_COSTS, False, SOZIALHILFE, PayingBasis.BSHG_WORK),
)
# The basis when the other agency pays for an own service after an override.
OWN_OVERRIDE_BASIS: dict[tuple[str, str], str] = {
    (ServiceKind.PLACEMENT, SOZIALHILFE): PayingBasis.BSHG_WORK,
    (ServiceKind.APPLICATION_COSTS, ARBEITSAMT): OwnBasis.SGB3_APPLICATION_COSTS,
    (ServiceKind.APPLICATION_COSTS, SOZIALHILFE): PayingBasis.BSHG_WORK,
}
OWN_KINDS = frozenset(rule.kind for rule in OWN_RULES)


@dataclass(frozen=True)
class ServicePaying:
    agency_kind: str
    basis: str
    derived_kind: str  # what the table says (equal to agency_kind unless overridden)
    overridden: bool = False
    reason: str = ""

    @property
    def basis_label(self) -> str:
        return basis_label(self.basis)


def is_partner_kind(kind: str) -> bool:
    return kind in GROUP_OF_KIND and GROUP_OF_KIND[kind] != PartnerGroup.LABOUR_MARKET


def decide_service_paying(
    *,
    kind: str,
    entitlements: Iterable[BenefitPeriod],
    day: date,
    commissionable_by: Collection[str] = BOTH_AGENCIES,
    override: str | None = None,
    reason: str = "",
) -> ServicePaying:
    """Who pays for a service of ``kind`` for a client with ``entitlements`` on ``day`` (see the table above).
    Raises ``PayingRuleError`` for an override without reason or to an agency that may not commission it."""
    periods = list(entitlements)
    if is_partner_kind(kind):
        derived = decide_paying_agency(category=kind, entitlements=periods, day=day,
                                       commissionable_by=commissionable_by)
        if not override or override == derived.agency_kind:
            return ServicePaying(derived.agency_kind, derived.basis, derived.agency_kind)
        decision = decide_paying_agency(category=kind, entitlements=periods, day=day,
                                        commissionable_by=commissionable_by, override=override, reason=reason)
        return ServicePaying(decision.agency_kind, decision.basis, derived.agency_kind, overridden=True,
                             reason=decision.reason)
    if kind not in OWN_KINDS:
        raise PayingRuleError(_("Unknown kind of service."), field="kind")
    draws = draws_unemployment_benefit(periods, day)
    rule = next(r for r in OWN_RULES if r.kind == kind and r.draws_unemployment_benefit in (None, draws))
    if not override or override == rule.agency_kind:
        return ServicePaying(rule.agency_kind, rule.basis, rule.agency_kind)
    if override not in BOTH_AGENCIES:
        raise PayingRuleError(_("This agency may not commission this offer."), field="paying_override")
    if not reason.strip():
        raise PayingRuleError(_("Give a reason for deviating from the paying-agency rule."), field="override_reason")
    return ServicePaying(override, OWN_OVERRIDE_BASIS[(kind, override)], rule.agency_kind, overridden=True,
                         reason=reason.strip())


@dataclass(frozen=True)
class TableRow:
    kind: str
    draws: bool | None
    agency_kind: str
    basis: str
    from_partners: bool


def paying_table() -> list[TableRow]:
    """The table as rows (for the editor's help panel), partner rows expanded per group."""
    rows = [TableRow(r.kind, r.draws_unemployment_benefit, r.agency_kind, r.basis, False) for r in OWN_RULES]
    for rule in PAYING_RULES:
        rows.append(TableRow(rule.group, rule.draws_unemployment_benefit, rule.agency_kind,
                             PAYING_BASIS[(rule.group, rule.agency_kind)], True))
    return rows
