"""Effective-dated benefits (Leistungsbezug): adding and ending entitlements.

Periods include their first and last day. Two entitlements of the same kind of one client never overlap: the
service refuses that with a message, and the exclusion constraint ``benefit_no_overlap_same_kind`` is the last
line (its violation is translated into the same message).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import BenefitEntitlement, BenefitKind, Client
from jobcenter.errors import DomainError
from jobcenter.models import Agency, ContactPoint

OVERLAP_CONSTRAINT = "benefit_no_overlap_same_kind"


class BenefitError(DomainError):
    """A benefit change was refused."""


def paying_agency(kind: str, office: ContactPoint) -> Agency:
    """Alg and Alhi are paid by the office's Arbeitsamt, HLU by its Sozialhilfeträger."""
    return office.welfare_agency if kind == BenefitKind.HLU else office.employment_agency


def _overlap_error(kind: str) -> BenefitError:
    return BenefitError(
        _("%(benefit)s is already recorded for part of this period. Periods of the same benefit must not "
          "overlap; end the earlier entitlement first.") % {"benefit": BenefitKind(kind).label},
        field="start",
    )


def _check_period(*, client: Client, kind: str, start: date, end: date | None, end_reason: str,
                  exclude_pk: int | None = None) -> None:
    if end is not None and end < start:
        raise BenefitError(_("The end date must not be before the start date."), field="end")
    if end is not None and not end_reason:
        raise BenefitError(_("State why the benefit ends."), field="end_reason")
    if end is None and end_reason:
        raise BenefitError(_("An end reason needs an end date."), field="end")
    overlapping = BenefitEntitlement.objects.filter(client=client, kind=kind).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise _overlap_error(kind)


def _save(benefit: BenefitEntitlement) -> BenefitEntitlement:
    try:
        with transaction.atomic():
            benefit.save()
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == OVERLAP_CONSTRAINT:
            raise _overlap_error(benefit.kind) from error
        raise
    return benefit


def _lock(client: Client) -> None:
    """Serialise benefit changes of one client (others may still insert rows that reference it)."""
    Client.objects.select_for_update(no_key=True).filter(pk=client.pk).values_list("pk", flat=True).get()


@transaction.atomic
def add_benefit(
    *, client: Client, kind: str, monthly_amount: Decimal, start: date, end: date | None = None,
    end_reason: str = "",
) -> BenefitEntitlement:
    if kind not in BenefitKind.values:
        raise BenefitError(_("Unknown benefit."), field="kind")
    if monthly_amount < 0:
        raise BenefitError(_("The amount must not be negative."), field="monthly_amount")
    _lock(client)
    _check_period(client=client, kind=kind, start=start, end=end, end_reason=end_reason)
    return _save(BenefitEntitlement(
        client=client, kind=kind, monthly_amount=monthly_amount, start=start, end=end, end_reason=end_reason,
    ))


@transaction.atomic
def end_benefit(*, benefit: BenefitEntitlement, end: date, end_reason: str) -> BenefitEntitlement:
    """Set (or correct) the last day of an entitlement and why it ended."""
    _lock(benefit.client)
    _check_period(client=benefit.client, kind=benefit.kind, start=benefit.start, end=end, end_reason=end_reason,
                  exclude_pk=benefit.pk)
    benefit.end = end
    benefit.end_reason = end_reason
    return _save(benefit)
