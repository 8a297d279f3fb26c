"""Issue 16, part 1: joint sign-off of help plans by both agencies (docs/domain.md §4 "beide Träger zusammenwirken",
§7 financing stays with the responsible agency).

A plan whose services commit both agencies needs a representative of each; a plan committing one agency only that
one; one person signs for both only where the office allows it; a refusal returns the plan with a reason and
voids the sign-offs; every sign-off is in the audit trail; representatives find the plans on their start page; the
plan page and the agreement show who signed off for which agency and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from integration_plans import rules
from integration_plans.errors import PlanError
from integration_plans.models import (
    IntegrationPlan,
    PlanSettings,
    PlanSignatory,
    PlanSignoff,
    PlanStatus,
    ServiceKind,
)
from integration_plans.pdf import render_html
from integration_plans.selectors import awaiting_my_approval
from integration_plans.services import plans as services
from integration_plans.services.plans import ServiceInput
from integration_plans.services.signoff import sign_off
from jobcenter.models import Agency
from jobcenter.roles import Role
from tests.integration_plans.factories import draft_plan

pytestmark = pytest.mark.django_db

AA, SH = Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE
BOTH = [ServiceInput(None, ServiceKind.PLACEMENT, "Vermittlungsvorschläge"),
        ServiceInput(None, ServiceKind.DEBT_COUNSELLING, "Schuldnerberatung")]  # Arbeitsamt + Sozialhilfeträger
WELFARE_ONLY = [ServiceInput(None, ServiceKind.DEBT_COUNSELLING, "Schuldnerberatung")]


def configure(office: Any, *, aa_role: str = Role.TEAMLEITUNG, sh_role: str = "", sh_named: tuple[Any, ...] = (),
              both: bool = False) -> PlanSettings:
    config, _ = PlanSettings.objects.update_or_create(contact_point=office, defaults={
        "joint_signoff_required": True, "employment_signer_role": aa_role, "welfare_signer_role": sh_role,
        "one_person_signs_both": both})
    for user in sh_named:
        PlanSignatory.objects.create(plan_settings=config, agency_kind=SH, user=user)
    return config


@pytest.fixture
def leistung(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.LEISTUNG, office, "leistung")


@pytest.fixture
def joint(office, leistung):  # type: ignore[no-untyped-def]
    """Arbeitsamt: the role Teamleitung; Sozialhilfeträger: the benefits officer by name."""
    return configure(office, sh_named=(leistung,))


def submitted(case: Any, by: Any, services_: list[ServiceInput]) -> IntegrationPlan:
    return services.submit_for_approval(plan=draft_plan(case, by, services=services_), by=by)


# --- the pure rule ----------------------------------------------------------------------------------------------
def test_the_rule_asks_only_the_committed_agencies_and_two_people_unless_allowed():
    one = rules.Signoffs(required=frozenset({SH}), signed={})
    assert rules.signoff_refusal(one, kind=SH, user_id=1, may_sign=frozenset({SH}), one_person_signs_both=False) is None
    assert "no services of this agency" in rules.signoff_refusal(
        one, kind=AA, user_id=1, may_sign=frozenset({AA}), one_person_signs_both=False)
    two = rules.Signoffs(required=frozenset({AA, SH}), signed={AA: 1})
    assert not two.complete and two.missing == {SH}
    assert "already been signed off" in rules.signoff_refusal(
        two, kind=AA, user_id=2, may_sign=frozenset({AA}), one_person_signs_both=False)
    assert "not a representative" in rules.signoff_refusal(
        two, kind=SH, user_id=2, may_sign=frozenset({AA}), one_person_signs_both=False)
    assert "two people" in rules.signoff_refusal(
        two, kind=SH, user_id=1, may_sign=frozenset({AA, SH}), one_person_signs_both=False)
    assert rules.signoff_refusal(two, kind=SH, user_id=1, may_sign=frozenset({AA, SH}), one_person_signs_both=True) is None
    assert rules.Signoffs(required=frozenset({AA, SH}), signed={AA: 1, SH: 2}).complete


# --- services ---------------------------------------------------------------------------------------------------
def test_a_two_agency_plan_needs_two_signoffs_and_the_second_finalises_it(
        hlu_case, fallmanager, teamleitung, leistung, joint, notices):
    plan = submitted(hlu_case, fallmanager, BOTH)
    assert plan.status == PlanStatus.PENDING_APPROVAL

    plan = sign_off(plan=plan, agency_kind=AA, by=teamleitung)
    assert plan.status == PlanStatus.PENDING_APPROVAL and not plan.content
    plan = sign_off(plan=plan, agency_kind=SH, by=leistung)

    plan.refresh_from_db()
    assert (plan.status, plan.finalised_by, plan.approved_by) == (PlanStatus.FINAL, leistung, leistung)
    signed = {s.agency.kind: s.signed_by for s in PlanSignoff.objects.filter(plan=plan)}
    assert signed == {AA: teamleitung, SH: leistung}
    assert set(plan.content["signoffs"]) == {AA, SH}
    assert plan.content["signoffs"][AA]["by"] == teamleitung.get_full_name()


def test_a_plan_committing_one_agency_needs_only_that_signoff(hlu_case, fallmanager, teamleitung, leistung, joint,
                                                             notices):
    plan = submitted(hlu_case, fallmanager, WELFARE_ONLY)
    with pytest.raises(PlanError, match="no services of this agency"):
        sign_off(plan=plan, agency_kind=AA, by=teamleitung)
    plan = sign_off(plan=plan, agency_kind=SH, by=leistung)
    assert plan.status == PlanStatus.FINAL
    assert list(plan.content["signoffs"]) == [SH]


def test_one_person_signs_for_both_only_where_the_office_allows_it(office, hlu_case, fallmanager, teamleitung,
                                                                   notices):
    configure(office, aa_role=Role.TEAMLEITUNG, sh_role=Role.TEAMLEITUNG, both=False)
    plan = sign_off(plan=submitted(hlu_case, fallmanager, BOTH), agency_kind=AA, by=teamleitung)
    with pytest.raises(PlanError, match="two people"):
        sign_off(plan=plan, agency_kind=SH, by=teamleitung)
    assert IntegrationPlan.objects.get(pk=plan.pk).status == PlanStatus.PENDING_APPROVAL

    PlanSettings.objects.filter(contact_point=office).update(one_person_signs_both=True)
    plan = sign_off(plan=plan, agency_kind=SH, by=teamleitung)
    assert plan.status == PlanStatus.FINAL


def test_only_representatives_sign_and_a_plan_is_not_finalised_without_them(
        hlu_case, fallmanager, teamleitung, leistung, make_staff, office, joint, notices):
    plan = draft_plan(hlu_case, fallmanager, services=BOTH)
    with pytest.raises(PlanError, match="Submit the plan for sign-off"):
        services.finalise(plan=plan, by=teamleitung)  # not even the team lead finalises directly
    plan = services.submit_for_approval(plan=plan, by=fallmanager)
    with pytest.raises(PlanError, match="not a representative"):
        sign_off(plan=plan, agency_kind=SH, by=fallmanager)
    with pytest.raises(PlanError, match="not a representative"):
        sign_off(plan=plan, agency_kind=AA, by=leistung)
    other_lead = make_staff(Role.TEAMLEITUNG, office, "tl2")  # everyone holding the role at the office may sign
    sign_off(plan=plan, agency_kind=AA, by=other_lead)
    with pytest.raises(PlanError, match="already been signed off"):
        sign_off(plan=plan, agency_kind=AA, by=teamleitung)
    plan = sign_off(plan=plan, agency_kind=SH, by=leistung)
    with pytest.raises(PlanError, match="Only a plan submitted"):
        sign_off(plan=plan, agency_kind=SH, by=leistung)


def test_a_representative_of_another_office_cannot_sign(hlu_case, fallmanager, teamleitung, leistung, joint,
                                                        other_office, make_staff, notices):
    plan = submitted(hlu_case, fallmanager, BOTH)
    stranger = make_staff(Role.TEAMLEITUNG, other_office, "tl-sued")
    with pytest.raises(PlanError, match="not a representative"):
        sign_off(plan=plan, agency_kind=AA, by=stranger)


def test_refusal_returns_the_plan_with_the_reason_and_voids_the_signoffs(
        hlu_case, fallmanager, teamleitung, leistung, joint, notices):
    plan = sign_off(plan=submitted(hlu_case, fallmanager, BOTH), agency_kind=AA, by=teamleitung)
    with pytest.raises(PlanError, match="Only the team lead or a representative"):
        services.return_to_draft(plan=plan, by=fallmanager, note="x")
    with pytest.raises(PlanError, match="Write what should be changed"):
        services.return_to_draft(plan=plan, by=leistung, note=" ")
    plan = services.return_to_draft(plan=plan, by=leistung, note="Die Kosten der Schuldnerberatung fehlen.")
    assert (plan.status, plan.return_note) == (PlanStatus.DRAFT, "Die Kosten der Schuldnerberatung fehlen.")
    assert not PlanSignoff.objects.filter(plan=plan, voided_at__isnull=True).exists()
    assert PlanSignoff.objects.filter(plan=plan, voided_at__isnull=False).count() == 1

    # resubmitted, it needs both sign-offs again
    plan = services.submit_for_approval(plan=plan, by=fallmanager)
    plan = sign_off(plan=plan, agency_kind=SH, by=leistung)
    assert plan.status == PlanStatus.PENDING_APPROVAL
    assert sign_off(plan=plan, agency_kind=AA, by=teamleitung).status == PlanStatus.FINAL


def test_submitting_is_refused_while_nobody_may_sign_for_a_committed_agency(office, hlu_case, fallmanager,
                                                                            teamleitung, notices):
    configure(office, aa_role=Role.TEAMLEITUNG, sh_role="")
    with pytest.raises(PlanError, match="Nobody at this contact point may sign off plans for Sozialamt"):
        submitted(hlu_case, fallmanager, BOTH)


def test_every_signoff_is_in_the_audit_trail(hlu_case, fallmanager, teamleitung, leistung, joint, notices):
    plan = sign_off(plan=submitted(hlu_case, fallmanager, BOTH), agency_kind=AA, by=teamleitung)
    services.return_to_draft(plan=plan, by=leistung, note="Bitte ergänzen")
    events = list(PlanSignoff.pgh_event_model.objects.filter(pgh_obj__plan=plan).order_by("pgh_id")
                  .values_list("pgh_label", "pgh_context__metadata__user", "voided_at"))
    assert [(label, user) for label, user, _voided in events] == [("insert", teamleitung.pk), ("update", leistung.pk)]
    assert events[-1][2] is not None


# --- worklist -----------------------------------------------------------------------------------------------------
def test_representatives_see_the_plans_waiting_for_their_signoff(
        office, other_office, hlu_case, fallmanager, teamleitung, leistung, joint, make_staff, notices):
    plan = submitted(hlu_case, fallmanager, BOTH)
    roles_tl, roles_l = frozenset({Role.TEAMLEITUNG}), frozenset({Role.LEISTUNG})
    assert list(awaiting_my_approval(teamleitung, roles_tl, office, None)) == [plan]  # type: ignore[arg-type]
    assert list(awaiting_my_approval(leistung, roles_l, office, None)) == [plan]  # type: ignore[arg-type]
    sign_off(plan=plan, agency_kind=AA, by=teamleitung)
    assert list(awaiting_my_approval(teamleitung, roles_tl, office, None)) == []  # type: ignore[arg-type]
    assert list(awaiting_my_approval(leistung, roles_l, office, None)) == [plan]  # type: ignore[arg-type]
    assert list(awaiting_my_approval(fallmanager, frozenset({Role.FALLMANAGER}), office, None)) == []  # type: ignore[arg-type]
    # another office's representative sees none of it
    configure(other_office)
    stranger = make_staff(Role.TEAMLEITUNG, other_office, "tl-sued")
    assert list(awaiting_my_approval(stranger, roles_tl, other_office, None)) == []  # type: ignore[arg-type]


# --- pages ------------------------------------------------------------------------------------------------------
def test_the_plan_page_offers_the_signoff_and_the_start_page_lists_it(
        client, hlu_case, fallmanager, teamleitung, leistung, joint, notices):
    plan = submitted(hlu_case, fallmanager, BOTH)
    client.force_login(teamleitung)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert 'data-testid="home-plans_approvals"' in home.content.decode() and "Meyer" in home.content.decode()
    page = client.get(reverse("integration_plans:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="plan-signoff-arbeitsamt"' in body and 'data-testid="plan-signoff-sozialhilfe"' not in body
    assert 'data-testid="signoff-panel"' in body

    response = client.post(reverse("integration_plans:plan_signoff", args=[plan.pk]), {"agency": AA})
    assert response.status_code == 302
    client.force_login(leistung)
    listing = client.get(reverse("integration_plans:approval_list"))
    assert listing.status_code == 200 and "Meyer" in listing.content.decode()
    response = client.post(reverse("integration_plans:plan_signoff", args=[plan.pk]), {"agency": SH}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Abgeschlossen" in body and "freigegeben" in body
    assert IntegrationPlan.objects.get(pk=plan.pk).status == PlanStatus.FINAL


def test_a_representative_returns_the_plan_from_its_page(client, hlu_case, fallmanager, teamleitung, leistung, joint,
                                                         notices):
    plan = submitted(hlu_case, fallmanager, BOTH)
    client.force_login(leistung)
    refused = client.post(reverse("integration_plans:plan_return", args=[plan.pk]), {"note": ""})
    assert refused.status_code == 400
    response = client.post(reverse("integration_plans:plan_return", args=[plan.pk]),
                           {"note": "Bitte die Kosten angeben."})
    assert response.status_code == 302
    client.force_login(fallmanager)
    page = client.get(reverse("integration_plans:plan_detail", args=[plan.pk])).content.decode()
    assert "Bitte die Kosten angeben." in page and "Zurückgegeben von" in page


def test_the_agreement_prints_both_signoffs(hlu_case, fallmanager, teamleitung, leistung, joint, notices):
    plan = sign_off(plan=submitted(hlu_case, fallmanager, BOTH), agency_kind=AA, by=teamleitung)
    plan = sign_off(plan=plan, agency_kind=SH, by=leistung)
    html = render_html(plan.content, plan.content_sha256)
    assert f"Freigegeben von {teamleitung.get_full_name()}" in html
    assert f"Freigegeben von {leistung.get_full_name()}" in html


def test_offices_without_joint_signoff_work_as_before(hlu_case, fallmanager, notices):
    plan = services.finalise(plan=draft_plan(hlu_case, fallmanager, services=BOTH), by=fallmanager)
    assert plan.status == PlanStatus.FINAL and "signoffs" not in plan.content
