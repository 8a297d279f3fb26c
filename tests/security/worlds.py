"""One "world" per contact point for the authorisation matrix: one object of every kind a URL can point at.

``build_world`` returns the objects by kind (the ``obj`` names of ``jobcenter.authz.MATRIX``). A new kind of
object (a plan, an assessment …) is one more line here, made with its app's factories.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Model

from cases.models import BenefitEntitlement, BenefitKind
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, BenefitApplicationFactory, CaseFactory, ClientFactory
from tests.factories import UserFactory
from tests.partners.factories import (
    ConsentFactory,
    EmployerFactory,
    OfferFactory,
    PartnerFactory,
    ProposalFactory,
    ReferralFactory,
    VacancyFactory,
)
from tests.profiling.factories import AssessmentFactory, make_profiling


def build_world(office: ContactPoint, marker: str) -> dict[str, Model]:
    """Every kind of object in ``office``; names carry ``marker`` so a page showing them can be caught."""
    manager = UserFactory(username=f"fm-{marker.lower()}-{office.pk}", roles=[Role.FALLMANAGER], offices=[office])
    client = ClientFactory(contact_point=office, last_name=f"{marker}mann")
    benefit = BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=Decimal(300),
                                                start=datetime.date(2002, 1, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=datetime.date(2002, 6, 1))
    partner = PartnerFactory(contact_point=office, name=f"{marker} Schuldnerberatung")
    offer = OfferFactory(partner=partner, title=f"{marker} Budgetberatung")
    consent = ConsentFactory(client=client, partner=partner, recorded_by=manager)
    employer = EmployerFactory(contact_point=office, name=f"{marker} Spedition GmbH")
    vacancy = VacancyFactory(employer=employer, title=f"{marker} Lagerhelfer/in", acquired_by=manager)
    return {
        "client": client,
        "benefit": benefit,
        "case": case,
        "appointment": AppointmentFactory(case=case, with_user=manager),
        "application": BenefitApplicationFactory(client=client, received_by=manager),
        "partner": partner,
        "offer": offer,
        "consent": consent,
        "referral": ReferralFactory(offer=offer, case=case, consent=consent, referred_by=manager),
        "employer": employer,
        "vacancy": vacancy,
        "proposal": ProposalFactory(vacancy=vacancy, case=case, proposed_by=manager),
        "profiling": make_profiling(case, manager, debts="obstacle"),
        "assessment": AssessmentFactory(referral__case=case, referral__status="accepted", commissioned_by=manager),
    }
