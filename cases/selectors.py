"""Reads of the cases app that scope, join and annotate. Writes live in ``cases/services/``."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Case as When_
from django.db.models import Exists, OuterRef, Q, QuerySet, Value, When

from cases.models import AKTENZEICHEN_RE, KUNDENNUMMER_RE, BenefitEntitlement, BenefitKind, Client
from cases.rules import TargetGroup, normalise_name

MIN_SEARCH_LENGTH = 3


def search_clients(queryset: QuerySet[Client], term: str) -> QuerySet[Client]:
    """Name search that ignores case and umlaut spelling (served by the trigram index on ``name_search``),
    or an exact Kundennummer / Aktenzeichen. Terms shorter than 3 characters match nothing."""
    term = term.strip()
    if len(term) < MIN_SEARCH_LENGTH:
        return queryset.none()
    number = term.upper()
    if re.match(KUNDENNUMMER_RE, number):
        return queryset.filter(customer_number=number)
    if re.match(AKTENZEICHEN_RE, term):
        return queryset.filter(file_number=term)
    condition = Q()
    for word in normalise_name(term).split():
        condition &= Q(name_search__contains=word)
    return queryset.filter(condition)



def with_target_group(queryset: QuerySet[Client], day: date, prefix: str = "") -> QuerySet:
    """Annotate ``target_group`` as in force on ``day``, computed in the database (same rule as
    ``cases.rules.target_group_on``). ``prefix`` is the path to the client, e.g. ``"client__"`` for cases."""
    pk = f"{prefix}pk" if prefix else "pk"

    def active(kinds: list[str]) -> Exists:
        return Exists(
            BenefitEntitlement.objects.filter(client=OuterRef(pk), kind__in=kinds, start__lte=day).filter(
                Q(end__isnull=True) | Q(end__gte=day)
            )
        )

    return queryset.annotate(
        _has_hlu=active([BenefitKind.HLU]),
        _has_alg_alhi=active([BenefitKind.ALG, BenefitKind.ALHI]),
        _has_alhi=active([BenefitKind.ALHI]),
    ).annotate(
        target_group=When_(
            When(_has_hlu=True, _has_alg_alhi=True, then=Value(TargetGroup.KOMBI)),
            When(_has_hlu=True, then=Value(TargetGroup.HLU)),
            When(_has_alhi=True, then=Value(TargetGroup.ALHI)),
            default=Value(TargetGroup.NONE),
        )
    )
