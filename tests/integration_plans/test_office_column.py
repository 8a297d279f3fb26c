"""The office kept on plans, obligations, hearings and referrals (issue 13): the database fills it from the case on
insert and moves it with the case in the hand-over, in the same transaction; the office's lists read it. Likewise
the case manager on plans, obligations and hearings: filled on insert, carried along by a reassignment."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.services.bulk import reassign_cases
from cases.services.cases import assign_case_manager
from cases.services.handover import hand_over
from integration_plans import selectors
from integration_plans.models import Hearing, HearingReason, IntegrationPlan, Obligation
from jobcenter.models import CooperationAgreement
from jobcenter.roles import Role
from partners import selectors as partner_selectors
from partners.models import Referral
from partners.rules import ACTIVE_STATUSES
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


KEPT = ("IntegrationPlan", "Obligation", "Hearing", "Referral")


def _managers(case: Case) -> dict[str, set[int | None]]:
    return {model.__name__: set(model.objects.filter(**{path: case}).values_list("manager_id", flat=True))
            for model, path in ((IntegrationPlan, "case"), (Obligation, "plan__case"), (Hearing, "case"),
                                (Referral, "case"))}


def test_the_referral_index_covers_the_running_statuses() -> None:
    (index,) = [index for index in Referral._meta.indexes if index.name == "referral_manager_running_idx"]
    assert index.condition == Q(status__in=sorted(ACTIVE_STATUSES))


def test_the_case_manager_comes_from_the_case_and_follows_every_reassignment(  # type: ignore[no-untyped-def]
        office, fallmanager, teamleitung, make_staff):
    colleague = make_staff(Role.FALLMANAGER, office, "kollege")
    case = CaseFactory(client=ClientFactory(contact_point=office), case_manager=fallmanager,
                       status=CaseStatus.IMPLEMENTATION, opened_on=datetime.date(2002, 6, 1))
    plan = final_plan(case, fallmanager)
    Hearing.objects.create(case=case, plan=plan, reason=HearingReason.NO_SHOW, breach="Termin versäumt",
                           opened_on=TODAY, opened_by=fallmanager)
    ReferralFactory(case=case, offer=OfferFactory(partner=PartnerFactory(contact_point=office)),
                    referred_by=teamleitung)
    assert Obligation.objects.filter(plan=plan).exists()
    assert _managers(case) == dict.fromkeys(KEPT, {fallmanager.pk})

    def hearings(user):  # type: ignore[no-untyped-def]
        return set(selectors.open_hearings(user, frozenset({Role.FALLMANAGER}), office, TODAY))

    assert hearings(fallmanager) != set() and hearings(colleague) == set()

    assign_case_manager(case=case, case_manager=colleague, by=teamleitung)  # the case page's assignment
    assert _managers(case) == dict.fromkeys(KEPT, {colleague.pk})
    assert hearings(fallmanager) == set() and hearings(colleague) != set()
    mine = partner_selectors.referral_list(user=colleague, office=office, day=TODAY, mine=True)
    assert [referral.case_id for referral in mine] == [case.pk]  # the colleague's now, though referred by the lead

    reassign_cases(office=office, case_ids=[case.pk], case_manager=fallmanager, by=teamleitung)  # the Teamleitung's bulk action
    assert _managers(case) == dict.fromkeys(KEPT, {fallmanager.pk})

    Case.objects.filter(pk=case.pk).update(case_manager=None)  # any other write (admin, import): the same
    assert _managers(case) == dict.fromkeys(KEPT, {None})
    with connection.cursor() as cursor:  # a write naming another manager is corrected from the case
        cursor.execute("UPDATE integration_plans_hearing SET manager_id = %s WHERE case_id = %s",
                       [colleague.pk, case.pk])
    assert _managers(case)["Hearing"] == {None}
