"""The plan lifecycle through the services: create (pre-filled from the profiling), draft with optimistic locking,
finalise (rules, snapshot, legal notices by benefits on the day), approval, signature, Fortschreibung, diff."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.utils import timezone, translation

from cases.models import BenefitEntitlement, BenefitKind, CaseStatus
from integration_plans import content as plan_content
from integration_plans.diff import PlanDiff
from integration_plans.errors import EditConflict, FinaliseRefused, PlanError
from integration_plans.models import (
    DocumentState,
    IntegrationPlan,
    LegalNotice,
    ObligationKind,
    ObligationPeriod,
    PlanSettings,
    PlanStatus,
    ServiceKind,
)
from integration_plans.proposals import ServiceProposal
from integration_plans.rules import add_months
from integration_plans.services import plans as services
from integration_plans.services.plans import ObligationInput, ServiceInput, StepInput
from jobcenter.roles import Role
from tests.integration_plans.factories import case_with_benefits, draft_plan, final_plan, full_input
from tests.partners.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db


# --- create -------------------------------------------------------------------------------------------------
def test_a_new_plan_is_a_six_month_draft_prefilled_from_the_profiling(hlu_case, fallmanager, monkeypatch):
    monkeypatch.setattr(services, "latest_service_proposals", lambda case, by: [
        ServiceProposal("debt_counselling", "Schuldnerberatung", "Schulden: Vermittlungshemmnis", "debts"),
        ServiceProposal("unknown_kind", "ignored", "")])
    plan = services.create_plan(case=hlu_case, by=fallmanager)
    today = timezone.localdate()
    assert (plan.status, plan.version, plan.valid_from) == (PlanStatus.DRAFT, 1, today)
    assert (plan.valid_until - today).days in range(180, 185)
    (service,) = plan.services.all()
    assert (service.kind, service.from_profiling, service.paying_agency) == (
        "debt_counselling", True, hlu_case.contact_point.welfare_agency)
    assert service.description == "Unterstützung bei der Klärung Ihrer Schulden"  # for the client, no rating
    hlu_case.refresh_from_db()
    assert hlu_case.status == CaseStatus.PLANNING  # moved on through the cases app


def test_the_profiling_adapter_reads_the_latest_proposals(hlu_case, fallmanager):
    from integration_plans.proposals import latest_service_proposals

    assert latest_service_proposals(hlu_case) == []  # no profiling yet: nothing to pre-fill


def test_a_case_gets_one_plan_then_only_fortschreibungen(hlu_case, fallmanager):
    services.create_plan(case=hlu_case, by=fallmanager)
    with pytest.raises(PlanError, match="already has a plan"):
        services.create_plan(case=hlu_case, by=fallmanager)


# --- draft and locking --------------------------------------------------------------------------------------
def test_saving_a_draft_keeps_rows_updates_them_and_removes_the_missing_ones(hlu_case, fallmanager):
    plan = draft_plan(hlu_case, fallmanager)
    step = plan.steps.get()
    key = step.key
    plan = services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager, **full_input(
        plan, steps=[StepInput(step.pk, "Unterlagen überarbeitet", step.due_on, "done"),
                     StepInput(None, "Praktikum", None)]))
    steps = list(plan.steps.order_by("position"))
    assert [(s.description, s.status) for s in steps] == [("Unterlagen überarbeitet", "done"), ("Praktikum", "open")]
    assert steps[0].key == key  # the identity survives an edit
    plan = services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager,
                               **full_input(plan, steps=[]))
    assert not plan.steps.exists()


def test_a_second_save_from_an_older_form_is_refused_and_changes_nothing(hlu_case, fallmanager, teamleitung):
    plan = draft_plan(hlu_case, fallmanager)
    opened = plan.edit_count  # both open the editor now
    services.save_draft(plan=plan, expected_edit_count=opened, by=teamleitung,
                        **full_input(plan, data=replace(full_input(plan)["data"], goal="Ziel der Teamleitung")))
    with pytest.raises(EditConflict) as error:
        services.save_draft(plan=plan, expected_edit_count=opened, by=fallmanager,
                            **full_input(plan, data=replace(full_input(plan)["data"], goal="Ziel des Fallmanagers")))
    assert teamleitung.get_full_name() in error.value.message
    assert error.value.current == opened + 1
    plan.refresh_from_db()
    assert plan.goal == "Ziel der Teamleitung"


def test_a_service_with_an_override_needs_a_reason_and_names_its_row(hlu_case, fallmanager):
    plan = services.create_plan(case=hlu_case, by=fallmanager)
    rows = [ServiceInput(None, ServiceKind.PLACEMENT),
            ServiceInput(None, ServiceKind.QUALIFICATION, paying_override="arbeitsamt")]
    with pytest.raises(services.ItemError) as error:
        services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(plan, services=rows))
    assert (error.value.section, error.value.index, error.value.field) == ("services", 1, "override_reason")


def test_an_offer_of_another_office_cannot_be_planned(hlu_case, fallmanager, other_office):
    offer = OfferFactory(partner=PartnerFactory(contact_point=other_office, kind="qualification"))
    plan = services.create_plan(case=hlu_case, by=fallmanager)
    with pytest.raises(services.ItemError, match="another contact point"):
        services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(
            plan, services=[ServiceInput(None, "qualification", offer=offer)]))


def test_an_offer_without_an_estimate_is_costed_for_the_validity(hlu_case, fallmanager, office):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office, kind="qualification"), commissionable_by=["sozialhilfe"])
    plan = draft_plan(hlu_case, fallmanager, services=[ServiceInput(None, "qualification", offer=offer)])
    service = plan.services.get()
    assert service.estimated_cost == offer.cost_per_month * 6
    assert service.paying_agency == office.welfare_agency  # HLU only: Hilfe zur Arbeit


# --- finalise -----------------------------------------------------------------------------------------------
def test_finalising_is_refused_with_every_missing_item(hlu_case, fallmanager, notices):
    plan = draft_plan(hlu_case, fallmanager, services=[], obligations=[
        ObligationInput(None, ObligationKind.APPLICATIONS, "Regelmäßig bewerben")])
    with pytest.raises(FinaliseRefused) as error:
        services.finalise(plan=plan, by=fallmanager)
    assert error.value.problems == [
        "At least one service (what the agencies provide) is missing.",
        "Obligation 1 (“Regelmäßig bewerben”) is not concrete; missing: the quantity, the period and the form of "
        "proof.",
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_finalising_freezes_the_content_with_its_checksum_and_starts_the_pdf(
        hlu_case, fallmanager, notices, django_capture_on_commit_callbacks):
    plan = draft_plan(hlu_case, fallmanager)
    with django_capture_on_commit_callbacks() as callbacks:
        plan = services.finalise(plan=plan, by=fallmanager)
    assert len(callbacks) == 1  # the render task, enqueued after commit
    plan.refresh_from_db()
    assert (plan.status, plan.document_state) == (PlanStatus.FINAL, DocumentState.PENDING)
    assert plan.content_sha256 == plan_content.checksum(plan.content)
    assert plan.content["client"]["name"] == hlu_case.client.full_name
    assert plan.content["obligations"][0]["extent"] == "6× pro Monat"  # printed in German
    assert plan.obligations.get().next_check_on == add_months(plan.valid_from, 1) - datetime.timedelta(days=1)
    hlu_case.refresh_from_db()
    assert hlu_case.status == CaseStatus.IMPLEMENTATION
    with pytest.raises(PlanError):
        services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager, **full_input(plan))


def test_the_snapshot_does_not_follow_later_changes_of_the_client(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    hlu_case.client.street = "Neue Straße 1"
    hlu_case.client.save()
    plan.refresh_from_db()
    assert plan.content["client"]["street"] != "Neue Straße 1"
    assert plan_content.checksum(plan.content) == plan.content_sha256


def test_a_hlu_recipient_gets_the_bshg_notice_a_kombi_recipient_both(office, fallmanager, notices):
    hlu = final_plan(case_with_benefits(office, fallmanager, BenefitKind.HLU), fallmanager)
    kombi = final_plan(case_with_benefits(office, fallmanager, BenefitKind.ALHI, BenefitKind.HLU), fallmanager)
    alg = final_plan(case_with_benefits(office, fallmanager, BenefitKind.ALG), fallmanager)
    assert [n.basis for n in hlu.legal_notices.all()] == ["bshg_25"]
    assert sorted(n.basis for n in kombi.legal_notices.all()) == ["bshg_25", "sgb3_144"]
    assert [n["basis"] for n in kombi.content["legal_notices"]] == ["bshg_25", "sgb3_144"]
    assert [n.basis for n in alg.legal_notices.all()] == ["sgb3_144"]


def test_the_notice_versions_in_force_that_day_are_printed(hlu_case, fallmanager, notices):
    today = timezone.localdate()
    old = notices["bshg_25"]
    old.valid_until = today - datetime.timedelta(days=1)
    old.save()
    new = LegalNotice.objects.create(basis="bshg_25", version=2, title="Neu", text="Neuer Text", valid_from=today)
    plan = final_plan(hlu_case, fallmanager)
    assert list(plan.legal_notices.all()) == [new]
    assert plan.content["legal_notices"][0]["version"] == 2


def test_the_benefits_on_the_finalising_day_choose_the_notices(office, fallmanager, notices):
    today = timezone.localdate()
    case = case_with_benefits(office, fallmanager)
    BenefitEntitlement.objects.create(client=case.client, kind="alg", monthly_amount=500,
                                      start=datetime.date(2002, 1, 1), end=today - datetime.timedelta(days=1))
    BenefitEntitlement.objects.create(client=case.client, kind="hlu", monthly_amount=300, start=today)
    plan = final_plan(case, fallmanager)
    assert [n.basis for n in plan.legal_notices.all()] == ["bshg_25"]


def test_without_a_notice_in_force_the_plan_cannot_be_finalised(hlu_case, fallmanager):
    plan = draft_plan(hlu_case, fallmanager)
    LegalNotice.objects.filter(basis="bshg_25").delete()
    with pytest.raises(FinaliseRefused) as error:
        services.finalise(plan=plan, by=fallmanager)
    assert "No legal notice on consequences is in force for § 25 BSHG" in error.value.problems[0]


def test_a_decision_prints_its_reason_and_review_clause(hlu_case, fallmanager, notices):
    data = replace(full_input(services.create_plan(case=hlu_case, by=fallmanager))["data"], kind="decision",
                   decision_reason="Keine Einigung über die Bewerbungszahl.", review_clause="Nach drei Monaten.")
    plan = IntegrationPlan.objects.get(case=hlu_case)
    plan = services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager,
                               **full_input(plan, data=data))
    plan = services.finalise(plan=plan, by=fallmanager)
    assert plan.content["decision_reason"] == "Keine Einigung über die Bewerbungszahl."
    assert plan.content["kind_label"] == "Einseitige Festlegung (Verwaltungsakt)"


# --- approval -----------------------------------------------------------------------------------------------
def test_with_approval_required_the_case_manager_submits_and_the_team_lead_finalises(
        hlu_case, fallmanager, teamleitung, notices):
    PlanSettings.objects.create(contact_point=hlu_case.contact_point, approval_required=True)
    plan = draft_plan(hlu_case, fallmanager)
    with pytest.raises(PlanError, match="team lead approves"):
        services.finalise(plan=plan, by=fallmanager)
    plan = services.submit_for_approval(plan=plan, by=fallmanager)
    assert plan.status == PlanStatus.PENDING_APPROVAL
    with pytest.raises(PlanError):
        services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=fallmanager, **full_input(plan))
    plan = services.return_to_draft(plan=plan, by=teamleitung, note="Bitte Nachweis konkretisieren.")
    assert (plan.status, plan.return_note) == (PlanStatus.DRAFT, "Bitte Nachweis konkretisieren.")
    plan = services.submit_for_approval(plan=plan, by=fallmanager)
    plan = services.finalise(plan=plan, by=teamleitung)
    assert (plan.status, plan.approved_by) == (PlanStatus.FINAL, teamleitung)


def test_only_the_team_lead_returns_a_plan(hlu_case, fallmanager, notices):
    PlanSettings.objects.create(contact_point=hlu_case.contact_point, approval_required=True)
    plan = services.submit_for_approval(plan=draft_plan(hlu_case, fallmanager), by=fallmanager)
    with pytest.raises(PlanError, match="Only the team lead"):
        services.return_to_draft(plan=plan, by=fallmanager, note="x")


def test_submitting_an_incomplete_plan_names_what_is_missing(hlu_case, fallmanager, notices):
    PlanSettings.objects.create(contact_point=hlu_case.contact_point, approval_required=True)
    plan = draft_plan(hlu_case, fallmanager, obligations=[])
    with pytest.raises(FinaliseRefused) as error:
        services.submit_for_approval(plan=plan, by=fallmanager)
    assert error.value.problems == ["At least one obligation (what the client does) is missing."]


# --- signature, review ----------------------------------------------------------------------------------------
def test_a_signature_is_dated_between_finalising_and_today(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    today = timezone.localdate()
    with pytest.raises(PlanError, match="future"):
        services.record_signature(plan=plan, by=fallmanager, signed_on=today + datetime.timedelta(days=1))
    with pytest.raises(PlanError, match="before it was finalised"):
        services.record_signature(plan=plan, by=fallmanager, signed_on=today - datetime.timedelta(days=1))
    plan = services.record_signature(plan=plan, by=fallmanager, signed_on=today, note="In der Anlaufstelle")
    assert (plan.status, plan.signed_on, plan.signed_by) == (PlanStatus.SIGNED, today, fallmanager)
    with pytest.raises(PlanError, match="Only a finalised plan"):
        services.record_signature(plan=plan, by=fallmanager, signed_on=today)


def test_a_review_is_recorded_without_changing_the_printed_content(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    checksum = plan.content_sha256
    plan = services.record_review(plan=plan, by=fallmanager, reviewed_on=timezone.localdate(), note="Läuft.")
    plan.refresh_from_db()
    assert (plan.reviewed_on, plan.content_sha256) == (timezone.localdate(), checksum)


# --- Fortschreibung -----------------------------------------------------------------------------------------
def test_a_fortschreibung_is_version_n_plus_1_and_supersedes_n_when_finalised(hlu_case, fallmanager, notices):
    first = final_plan(hlu_case, fallmanager)
    second = services.create_revision(plan=first, by=fallmanager)
    assert (second.version, second.previous, second.status) == (2, first, PlanStatus.DRAFT)
    assert {s.key for s in second.steps.all()} == {s.key for s in first.steps.all()}
    first.refresh_from_db()
    assert first.status == PlanStatus.FINAL  # stays in force meanwhile
    with pytest.raises(PlanError, match="newer version"):
        services.create_revision(plan=first, by=fallmanager)
    second = services.finalise(plan=second, by=fallmanager)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    assert second.content["previous"] == {"version": 1, "finalised_on": first.content["finalised_on"],
                                          "checksum": first.content_sha256}


def test_the_fortschreibung_shows_added_removed_and_changed_items(hlu_case, fallmanager, notices):
    first = final_plan(hlu_case, fallmanager)
    second = services.create_revision(plan=first, by=fallmanager)
    obligation, step = second.obligations.get(), second.steps.get()
    data = replace(full_input(second)["data"], goal="Ausbildung als Fachkraft für Lagerlogistik")
    second = services.save_draft(plan=second, expected_edit_count=second.edit_count, by=fallmanager, data=data,
                                 steps=[StepInput(step.pk, step.description, step.due_on, "done")],
                                 services=[ServiceInput(None, ServiceKind.APPLICATION_COSTS, "Fahrtkosten")],
                                 obligations=[ObligationInput(obligation.pk, obligation.kind, obligation.description,
                                                              8, ObligationPeriod.MONTH, obligation.proof)])
    second = services.finalise(plan=second, by=fallmanager)
    with translation.override("de"):
        diff = PlanDiff.from_json(second.content["changes"])
    assert [(c.label, c.after) for c in diff.fields if c.label == "Eingliederungsziel"] == [
        ("Eingliederungsziel", "Ausbildung als Fachkraft für Lagerlogistik")]
    assert [i.summary for i in diff.added] == ["Übernahme von Bewerbungs- und Reisekosten: Fahrtkosten"]
    assert [i.summary for i in diff.removed] == [
        "Vermittlungsvorschläge durch das Arbeitsamt: Vermittlungsvorschläge für Lagertätigkeiten"]
    (changed,) = diff.changed
    assert changed.section == "obligations"
    assert [(f.before, f.after) for f in changed.fields] == [("6× pro Monat", "8× pro Monat")]
    assert step.key in {s.key for s in second.steps.all()}  # a step status is tracking, not content: no diff


def test_discarding_a_draft_leaves_the_previous_version_in_force(hlu_case, fallmanager, notices):
    first = final_plan(hlu_case, fallmanager)
    second = services.create_revision(plan=first, by=fallmanager)
    services.discard_draft(plan=second, by=fallmanager)
    assert list(IntegrationPlan.objects.filter(case=hlu_case)) == [first]
    with pytest.raises(PlanError):
        services.discard_draft(plan=first, by=fallmanager)


def test_plans_past_their_validity_expire(hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    assert services.expire_due_plans(today=plan.valid_until) == 0
    assert services.expire_due_plans(today=plan.valid_until + datetime.timedelta(days=1)) == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EXPIRED


def test_a_plan_agreed_on_paper_can_be_finalised_backdated_but_not_in_the_future(hlu_case, fallmanager, notices):
    today = timezone.localdate()
    plan = services.create_plan(case=hlu_case, by=fallmanager, valid_from=today - datetime.timedelta(days=10))
    plan = services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(plan))
    with pytest.raises(PlanError, match="future"):
        services.finalise(plan=plan, by=fallmanager, finalised_on=today + datetime.timedelta(days=1))
    plan = services.finalise(plan=plan, by=fallmanager, finalised_on=today - datetime.timedelta(days=10),
                             render=False)
    assert plan.content["finalised_on"] == (today - datetime.timedelta(days=10)).isoformat()
    assert plan.document_state == DocumentState.NONE


def test_roles_are_checked_by_office_for_the_team_lead(hlu_case, fallmanager, make_staff, other_office, notices):
    PlanSettings.objects.create(contact_point=hlu_case.contact_point, approval_required=True)
    plan = services.submit_for_approval(plan=draft_plan(hlu_case, fallmanager), by=fallmanager)
    foreign_lead = make_staff(Role.TEAMLEITUNG, other_office, "tl-sued")
    with pytest.raises(PlanError):
        services.finalise(plan=plan, by=foreign_lead)
