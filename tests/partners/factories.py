"""Factories of the partners app. Rows that carry a rule (referrals, proposals) are usually made through the
services in the tests; these factories set up the surroundings quickly."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from jobcenter.models import Agency
from jobcenter.roles import Role
from partners.models import (
    Consent,
    DataCategory,
    Offer,
    Partner,
    PartnerKind,
    PlacementProposal,
    Referral,
    ReferralStatus,
    Vacancy,
)
from tests.cases.factories import CaseFactory
from tests.factories import ContactPointFactory, UserFactory


def ensure_role_groups() -> None:
    """The role groups come from a data migration; a transactional test's flush removes them for the tests that
    follow. Journeys that log in with a role recreate them first."""
    from django.contrib.auth.models import Group

    for name in Role.values:
        Group.objects.get_or_create(name=name)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    contact_point = factory.SubFactory(ContactPointFactory)
    name = factory.Sequence(lambda n: f"Schuldnerberatung {n}")
    kind = PartnerKind.DEBT_COUNSELLING
    city = "Leipzig"


class EmployerFactory(PartnerFactory):
    name = factory.Sequence(lambda n: f"Spedition {n} GmbH")
    kind = PartnerKind.EMPLOYER


class OfferFactory(factory.django.DjangoModelFactory):
    """A running offer; the category follows the partner's kind."""

    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Angebot {n}")
    category = factory.SelfAttribute("partner.kind")
    places = 5
    cost_per_month = Decimal("100.00")
    commissionable_by = factory.LazyFunction(lambda: [Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE])
    valid_from = datetime.date(2002, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory("tests.cases.factories.ClientFactory")
    partner = factory.SubFactory(PartnerFactory, contact_point=factory.SelfAttribute("..client.contact_point"))
    given_on = datetime.date(2003, 1, 1)
    scope = "Schuldenregulierung"
    data_categories = factory.LazyFunction(lambda: [DataCategory.IDENTITY, DataCategory.FINANCES])
    recorded_by = factory.SubFactory(UserFactory)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral in any status without the service's checks (for occupancy and lists)."""

    class Meta:
        model = Referral

    offer = factory.SubFactory(OfferFactory)
    case = factory.SubFactory(CaseFactory, client__contact_point=factory.SelfAttribute("...offer.partner.contact_point"))
    referred_on = factory.LazyFunction(timezone.localdate)
    purpose = "Beratung"
    status = ReferralStatus.PROPOSED
    status_changed_on = factory.SelfAttribute("referred_on")
    monthly_cost = factory.SelfAttribute("offer.cost_per_month")
    paying_agency = factory.SelfAttribute("offer.partner.contact_point.welfare_agency")
    paying_basis = "bshg_17_18"
    shared_data = factory.LazyFunction(lambda: [DataCategory.IDENTITY])
    referred_by = factory.SubFactory(UserFactory)


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Lagerhelfer/in {n}")
    occupation = "Lagerwirtschaft"
    hours_per_week = 40
    location = "Leipzig"
    positions = 1
    acquired_on = factory.LazyFunction(timezone.localdate)
    acquired_by = factory.SubFactory(UserFactory)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementProposal

    vacancy = factory.SubFactory(VacancyFactory)
    case = factory.SubFactory(
        CaseFactory, client__contact_point=factory.SelfAttribute("...vacancy.employer.contact_point")
    )
    proposed_on = factory.LazyFunction(timezone.localdate)
    proposed_by = factory.SubFactory(UserFactory)
