"""The office kept on plans, obligations, hearings and referrals (issue 13): the database fills it from the case on
insert and moves it with the case in the hand-over, in the same transaction; the office's lists read it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.services.handover import hand_over
from integration_plans.models import Hearing, HearingReason, IntegrationPlan, Obligation
from jobcenter.models import CooperationAgreement
from partners.models import Referral
from tests.cases.factories import CaseFactory, ClientFactory
from tests.integration_plans.factories import final_plan
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _offices(model: type, **lookup: object) -> set[int | None]:
    return set(model.objects.filter(**lookup).values_list("office_id", flat=True))  # type: ignore[attr-defined]


def test_the_office_comes_from_the_case_and_moves_with_the_hand_over(  # type: ignore[no-untyped-def]
        office, other_office, fallmanager, teamleitung, client):
    person = ClientFactory(contact_point=office, last_name="Umzug")
    case = CaseFactory(client=person, case_manager=fallmanager, status=CaseStatus.IMPLEMENTATION,
                       opened_on=datetime.date(2002, 6, 1))
    plan = final_plan(case, fallmanager)
    assert plan.office_id == office.pk  # set by the service, kept by the database
    Hearing.objects.create(case=case, plan=plan, reason=HearingReason.NO_SHOW, breach="Termin versäumt",
                           opened_on=TODAY, opened_by=fallmanager)
    ReferralFactory(case=case, offer=OfferFactory(partner=PartnerFactory(contact_point=office)))
    for model, lookup in ((IntegrationPlan, {"case": case}), (Obligation, {"plan__case": case}),
                          (Hearing, {"case": case}), (Referral, {"case": case})):
        assert _offices(model, **lookup) <= {office.pk}, model.__name__
    assert Obligation.objects.filter(plan=plan).exists()
    # a write naming another office is corrected from the case
    with connection.cursor() as cursor:
        cursor.execute("UPDATE integration_plans_integrationplan SET office_id = %s WHERE id = %s",
                       [other_office.pk, plan.pk])
    assert _offices(IntegrationPlan, pk=plan.pk) == {office.pk}

    agreement = CooperationAgreement.objects.create(title="Kooperation", scope="Umzug",
                                                    valid_from=TODAY - datetime.timedelta(days=30))
    agreement.parties.set([office.welfare_agency, other_office.welfare_agency])
    agreement.contact_points.set([office, other_office])
    hand_over(client=person, to_office=other_office, on=TODAY, note="", by=teamleitung)

    assert Case.objects.get(pk=case.pk).contact_point_id == other_office.pk
    for model, lookup in ((IntegrationPlan, {"case": case}), (Obligation, {"plan__case": case}),
                          (Hearing, {"case": case}), (Referral, {"case": case})):
        assert _offices(model, **lookup) == {other_office.pk}, model.__name__

    client.force_login(teamleitung)  # the sending office's lists no longer show the plan
    page = client.get(reverse("integration_plans:plan_list"))
    assert plan not in page.context["page"].object_list
