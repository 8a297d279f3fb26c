"""Factories of the profiling app. Profilings with a rule (the category) are usually made through the service;
``make_profiling`` writes one directly (any date, any state) for lists, comparisons and query counts."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from partners.models import PartnerKind
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory
from profiling.rules import DIMENSIONS, Rating, derive_category
from profiling.services.profilings import RatingInput
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

NOTE = "Beschreibung"


def ratings(**chosen: str) -> list[RatingInput]:
    """All twelve dimensions, neutral unless named: ``ratings(debts="obstacle", german="need")``; needs and
    obstacles get a note."""
    return [
        RatingInput(d, chosen.get(d, Rating.NEUTRAL), NOTE if chosen.get(d) in (Rating.NEED, Rating.OBSTACLE) else "")
        for d in DIMENSIONS
    ]


def make_profiling(case, by, *, day: datetime.date | None = None, confirmed: bool = False, **chosen: str) -> Profiling:  # type: ignore[no-untyped-def]
    values = {item.dimension: item.rating for item in ratings(**chosen)}
    category = derive_category(values).category
    profiling = Profiling.objects.create(
        case=case, profiled_on=day or timezone.localdate(), derived_category=category, category=category,
        recorded_by=by, confirmed_at=timezone.now() if confirmed else None, confirmed_by=by if confirmed else None,
    )
    ProfilingRating.objects.bulk_create(
        ProfilingRating(profiling=profiling, dimension=item.dimension, rating=item.rating, note=item.note)
        for item in ratings(**chosen)
    )
    return profiling


class SocialHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialHistory

    case = factory.SubFactory(CaseFactory)
    recorded_on = datetime.date(2003, 1, 15)
    household = "Alleinerziehend, zwei Kinder."
    debts = "Schulden bei drei Gläubigern."
    recorded_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("recorded_by")


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment on a referral to an assessment offer of the case's office (pass ``referral__case``)."""

    class Meta:
        model = Assessment

    referral = factory.SubFactory(
        ReferralFactory,
        offer=factory.SubFactory(
            OfferFactory, partner=factory.SubFactory(
                PartnerFactory, kind=PartnerKind.ASSESSMENT, name=factory.Sequence(lambda n: f"Assessment-Center {n}"),
                contact_point=factory.SelfAttribute("...case.contact_point"),
            ),
        ),
    )
    question = "Ist der Kunde für Lagerarbeit belastbar?"
    commissioned_by = factory.SubFactory(UserFactory)
