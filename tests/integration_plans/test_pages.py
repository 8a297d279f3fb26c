"""The plan pages: editor (rows, no-JS add, locking), finalise errors, PDF status polling and download, signature
with scan upload, office scoping, roles, query counts, worklists, legal-notice usage, referral from a service."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import BenefitKind
from integration_plans.models import DocumentState, IntegrationPlan, PlanService, PlanStatus
from integration_plans.rules import check_periods
from integration_plans.services import documents as plan_documents
from integration_plans.services import plans as services
from integration_plans.services import tracking
from integration_plans.services.plans import ObligationInput, ServiceInput, StepInput
from jobcenter.roles import Role
from partners.models import Referral
from tests.helpers import assert_other_office_refused
from tests.integration_plans.factories import (
    case_with_benefits,
    draft_plan,
    ensure_notices,
    final_plan,
    full_input,
)
from tests.partners.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%scan\n"


def url(name: str, *args: Any) -> str:
    return reverse(f"integration_plans:{name}", args=args)


def editor_data(plan: IntegrationPlan, **changes: Any) -> dict[str, Any]:
    """The editor form as the browser would post it for ``plan`` (one row per item), with ``changes``."""
    data: dict[str, Any] = {
        "edit_count": plan.edit_count, "kind": plan.kind, "goal": plan.goal,
        "placement_efforts": plan.placement_efforts, "valid_from": plan.valid_from.isoformat(),
        "valid_until": plan.valid_until.isoformat(), "review_on": plan.review_on.isoformat(),
        "decision_reason": plan.decision_reason, "review_clause": plan.review_clause,
    }
    sections = {
        "steps": [{"id": s.pk, "description": s.description, "due_on": s.due_on.isoformat() if s.due_on else "",
                   "status": s.status} for s in plan.steps.all()],
        "services": [{"id": s.pk, "kind": s.kind, "offer": s.offer_id or "", "description": s.description,
                      "estimated_cost": s.estimated_cost or "", "paying_override": "", "override_reason": ""}
                     for s in plan.services.all()],
        "obligations": [{"id": o.pk, "kind": o.kind, "quantity": o.quantity or "", "period": o.period,
                         "proof": o.proof, "description": o.description} for o in plan.obligations.all()],
    }
    for section, rows in sections.items():
        data[f"{section}-TOTAL_FORMS"] = len(rows)
        data[f"{section}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{section}-{index}-{name}"] = value
    data.update(changes)
    return data


# --- editor -------------------------------------------------------------------------------------------------
def test_the_client_page_offers_a_plan_and_creating_opens_the_editor(fm_client, hlu_case):
    page = fm_client.get(reverse("cases:client_detail", args=[hlu_case.client_id])).content.decode()
    assert 'data-testid="section-integration_plans"' in page and "Hilfeplan erstellen" in page
    response = fm_client.post(url("plan_create", hlu_case.pk))
    plan = IntegrationPlan.objects.get(case=hlu_case)
    assert response.url == url("plan_edit", plan.pk)
    editor = fm_client.get(response.url).content.decode()
    assert "Ziel und Gültigkeit" in editor and 'id="steps-empty"' in editor


def test_saving_the_editor_writes_every_row(fm_client, hlu_case, fallmanager):
    plan = draft_plan(hlu_case, fallmanager)
    data = editor_data(plan, **{"goal": "Neues Ziel", "steps-TOTAL_FORMS": 2, "steps-1-description": "Praktikum",
                                "steps-1-status": "open", "obligations-0-quantity": 8})
    response = fm_client.post(url("plan_edit", plan.pk), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.goal == "Neues Ziel" and plan.steps.count() == 2 and plan.obligations.get().quantity == 8


def test_an_added_row_left_empty_is_ignored_and_a_removed_row_is_deleted(fm_client, hlu_case, fallmanager):
    plan = draft_plan(hlu_case, fallmanager)
    data = editor_data(plan, **{"steps-TOTAL_FORMS": 2, "steps-1-status": "open", "steps-0-DELETE": "on"})
    assert fm_client.post(url("plan_edit", plan.pk), data).status_code == 302
    assert not plan.steps.exists()


def test_adding_a_row_without_javascript_keeps_the_input(fm_client, hlu_case, fallmanager):
    plan = draft_plan(hlu_case, fallmanager)
    data = editor_data(plan, goal="Noch nicht gespeichert", add="services")
    response = fm_client.post(url("plan_edit", plan.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Noch nicht gespeichert" in html and 'name="services-1-kind"' in html
    plan.refresh_from_db()
    assert plan.goal != "Noch nicht gespeichert"  # nothing saved until "save"


def test_a_second_save_is_refused_with_the_input_shown_again(fm_client, hlu_case, fallmanager, teamleitung):
    plan = draft_plan(hlu_case, fallmanager)
    stale = editor_data(plan, goal="Meine Fassung")
    services.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=teamleitung,
                        **full_input(plan))
    response = fm_client.post(url("plan_edit", plan.pk), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="edit-conflict"' in html and "Meine Fassung" in html
    plan.refresh_from_db()
    assert plan.goal != "Meine Fassung"
    assert f'name="edit_count" value="{plan.edit_count}"' in html  # saving again now overwrites deliberately
    again = editor_data(plan, goal="Meine Fassung")
    assert fm_client.post(url("plan_edit", plan.pk), again).status_code == 302
    plan.refresh_from_db()
    assert plan.goal == "Meine Fassung"


def test_finalising_from_the_editor_names_what_is_missing_then_succeeds(
        fm_client, hlu_case, fallmanager, notices, django_capture_on_commit_callbacks):
    plan = draft_plan(hlu_case, fallmanager)
    vague = editor_data(plan, action="finalise", **{"obligations-0-quantity": "", "obligations-0-proof": ""})
    response = fm_client.post(url("plan_edit", plan.pk), vague)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="finalise-problems"' in html
    assert "ist nicht konkret; es fehlt: die Anzahl und die Form des Nachweises." in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.obligations.get().quantity is None  # the draft was saved
    fixed = editor_data(plan, action="finalise", **{"obligations-0-quantity": 6,
                                                    "obligations-0-proof": "Kopien der Anschreiben"})
    with django_capture_on_commit_callbacks(execute=True):
        response = fm_client.post(url("plan_edit", plan.pk), fixed)
    assert response.url == url("plan_detail", plan.pk)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL and plan.document_state == DocumentState.READY  # eager task ran


def test_a_finalised_plan_cannot_be_edited(fm_client, hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    response = fm_client.post(url("plan_edit", plan.pk), editor_data(plan, goal="x"))
    assert response.url == url("plan_detail", plan.pk)
    plan.refresh_from_db()
    assert plan.goal != "x"


# --- PDF status and downloads ---------------------------------------------------------------------------------
def test_the_pdf_status_polls_while_pending_and_stops_when_ready(fm_client, hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    pending = fm_client.get(url("document_status", plan.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Das PDF wird erstellt" in pending
    page = fm_client.get(url("plan_detail", plan.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    plan_documents.generate_agreement(plan_id=plan.pk, token="t")
    ready = fm_client.get(url("document_status", plan.pk)).content.decode()
    assert "hx-trigger" not in ready and url("agreement_download", plan.pk) in ready


def test_a_plan_without_pdf_offers_to_generate_it(fm_client, hlu_case, fallmanager, notices,
                                                  django_capture_on_commit_callbacks):
    plan = services.finalise(plan=draft_plan(hlu_case, fallmanager), by=fallmanager, render=False)
    assert 'data-testid="document-request"' in fm_client.get(url("plan_detail", plan.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fm_client.post(url("document_request", plan.pk))
    plan.refresh_from_db()
    assert plan.document_id is not None


def test_the_agreement_downloads_as_an_attachment_the_same_file_each_time(fm_client, hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    plan_documents.generate_agreement(plan_id=plan.pk, token="t")
    first = fm_client.get(url("agreement_download", plan.pk))
    second = fm_client.get(url("agreement_download", plan.pk))
    assert first["Content-Type"] == "application/pdf" and first["X-Content-Type-Options"] == "nosniff"
    assert first["Content-Disposition"] == (
        f'attachment; filename="Eingliederungsvereinbarung-Fall-{hlu_case.pk}-Version-1.pdf"')
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)


# --- signature ------------------------------------------------------------------------------------------------
def test_a_scan_that_is_not_a_pdf_is_refused_and_nothing_is_signed(fm_client, hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    fake = SimpleUploadedFile("scan.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = fm_client.post(url("plan_sign", plan.pk), {"signed_on": timezone.localdate().isoformat(),
                                                         "scan": fake})
    assert response.status_code == 400
    assert "diese Datei ist kein PDF" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL and plan.scan_id is None


def test_recording_the_signature_with_a_scan(fm_client, hlu_case, fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    scan = SimpleUploadedFile("unterschrieben.pdf", PDF, content_type="application/pdf")
    response = fm_client.post(url("plan_sign", plan.pk), {"signed_on": timezone.localdate().isoformat(),
                                                         "note": "In der Anlaufstelle", "scan": scan})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED and plan.signed_by == fallmanager
    download = fm_client.get(url("scan_download", plan.pk))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_second_scan_for_a_plan_that_has_one_is_refused_with_a_visible_message(fm_client, hlu_case, fallmanager,
                                                                                  notices):
    plan = final_plan(hlu_case, fallmanager)
    fm_client.post(url("plan_sign", plan.pk), {"signed_on": timezone.localdate().isoformat(),
                                               "scan": SimpleUploadedFile("a.pdf", PDF)})
    first = IntegrationPlan.objects.get(pk=plan.pk).scan_id
    # e.g. from a second browser tab that still shows the upload form
    response = fm_client.post(url("plan_scan", plan.pk), {"scan": SimpleUploadedFile("b.pdf", PDF + b"2")})
    assert response.status_code == 400
    assert "bereits einen unterschriebenen Scan" in response.content.decode()
    assert IntegrationPlan.objects.get(pk=plan.pk).scan_id == first


def test_returning_a_plan_that_is_not_awaiting_approval_says_why(client, hlu_case, fallmanager, make_staff, notices):
    plan = final_plan(hlu_case, fallmanager)
    client.force_login(make_staff(Role.TEAMLEITUNG, office=hlu_case.contact_point))
    response = client.post(url("plan_return", plan.pk), {"note": "Bitte Ziele konkretisieren"})
    assert response.status_code == 400
    assert "Nur ein zur Freigabe vorgelegter Hilfeplan" in response.content.decode()
    assert IntegrationPlan.objects.get(pk=plan.pk).status == PlanStatus.FINAL


# --- scoping and roles ----------------------------------------------------------------------------------------
def test_another_offices_plan_is_refused_everywhere(client, office, other_office, fallmanager,
                                                    fallmanager_other_office, notices):
    own = final_plan(case_with_benefits(office, fallmanager, BenefitKind.HLU), fallmanager)
    foreign = final_plan(case_with_benefits(other_office, fallmanager_other_office, BenefitKind.HLU),
                         fallmanager_other_office)
    plan_documents.generate_agreement(plan_id=foreign.pk, token="t")
    client.force_login(fallmanager)
    obligation = foreign.obligations.get()
    for name, args, own_args in [
        ("plan_detail", [foreign.pk], [own.pk]), ("document_status", [foreign.pk], [own.pk]),
        ("agreement_download", [foreign.pk], None), ("plan_edit", [foreign.pk], None),
        ("plan_finalise", [foreign.pk], None), ("plan_sign", [foreign.pk], None), ("plan_revise", [foreign.pk], None),
        ("check_create", [obligation.pk], [own.obligations.get().pk]),
        ("service_refer", [foreign.pk, foreign.services.get().pk], None),
        ("hearing_open_no_show", [foreign.case_id], None), ("plan_create", [foreign.case_id], None),
    ]:
        assert_other_office_refused(client, url(name, *args), own_url=url(name, *own_args) if own_args else None)
    assert IntegrationPlan.objects.get(pk=foreign.pk).status == PlanStatus.FINAL


def test_reception_sees_no_plans_and_placement_officers_read_only(client, make_staff, office, hlu_case,
                                                                   fallmanager, notices):
    plan = final_plan(hlu_case, fallmanager)
    client.force_login(make_staff(Role.EMPFANG, office))
    assert client.get(url("plan_list")).status_code == 403
    assert client.get(url("plan_detail", plan.pk)).status_code == 403
    client.force_login(make_staff(Role.ARBEITSVERMITTLER, office))
    assert client.get(url("plan_detail", plan.pk)).status_code == 200
    assert client.post(url("plan_revise", plan.pk)).status_code == 403


# --- query counts -------------------------------------------------------------------------------------------
def _plans(office: Any, manager: Any, count: int) -> list[IntegrationPlan]:
    return [final_plan(case_with_benefits(office, manager, BenefitKind.HLU), manager) for _ in range(count)]


def test_the_plan_list_costs_the_same_for_few_and_many(fm_client, office, fallmanager, notices,
                                                       django_assert_max_num_queries):
    _plans(office, fallmanager, 2)
    with django_assert_max_num_queries(20) as few:
        assert fm_client.get(url("plan_list")).status_code == 200
    _plans(office, fallmanager, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = fm_client.get(url("plan_list"))
    assert page.content.decode().count('data-testid="plan-row"') == 12


def test_the_plan_page_costs_the_same_for_a_small_and_a_large_plan(fm_client, office, fallmanager, notices,
                                                                   django_assert_max_num_queries):
    small = final_plan(case_with_benefits(office, fallmanager, BenefitKind.HLU), fallmanager)
    large = final_plan(case_with_benefits(office, fallmanager, BenefitKind.HLU), fallmanager,
                       steps=[StepInput(None, f"Schritt {i}") for i in range(8)],
                       services=[ServiceInput(None, "placement", f"Leistung {i}") for i in range(8)],
                       obligations=[ObligationInput(None, "applications", f"P {i}", 2, "week", "Kopien")
                                    for i in range(8)])
    with django_assert_max_num_queries(40) as few:
        assert fm_client.get(url("plan_detail", small.pk)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fm_client.get(url("plan_detail", large.pk)).status_code == 200


def test_the_start_page_and_client_page_cost_the_same_for_few_and_many_plans(
        fm_client, office, fallmanager, notices, django_assert_max_num_queries):
    plans = _plans(office, fallmanager, 1)
    client_id = plans[0].case.client_id
    with django_assert_max_num_queries(80) as few_home:
        assert fm_client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(80) as few_client:
        assert fm_client.get(reverse("cases:client_detail", args=[client_id])).status_code == 200
    _plans(office, fallmanager, 8)
    with django_assert_max_num_queries(len(few_home.captured_queries)):
        assert fm_client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(len(few_client.captured_queries)):
        assert fm_client.get(reverse("cases:client_detail", args=[client_id])).status_code == 200


# --- worklists ----------------------------------------------------------------------------------------------
def test_mein_tag_shows_reviews_expiry_checks_and_hearings(fm_client, office, fallmanager, notices):
    today = timezone.localdate()
    case = case_with_benefits(office, fallmanager, BenefitKind.HLU, last_name="Vogel")
    plan = services.create_plan(case=case, by=fallmanager, valid_from=today - datetime.timedelta(days=170))
    plan = services.save_draft(plan=plan, expected_edit_count=0, by=fallmanager, **full_input(plan))
    plan = services.finalise(plan=plan, by=fallmanager, finalised_on=plan.valid_from, render=False)
    first = check_periods("month", plan.valid_from, plan.valid_until)[0]
    tracking.record_check(obligation=plan.obligations.get(), by=fallmanager, period_start=first.start,
                          fulfilled=None, achieved=1, note="Zu wenig")
    html = fm_client.get(reverse("home")).content.decode()
    for key in ("plans_reviews", "plans_expiring", "plans_checks", "plans_hearings"):
        assert f'data-testid="home-{key}"' in html
        assert f'data-testid="home-{key}-total">1<' in html, key
    assert "Vogel" in html
    worklist = fm_client.get(url("worklist", "anhoerungen")).content.decode()
    assert 'data-testid="worklist-item"' in worklist


def test_a_case_manager_sees_only_their_cases_a_team_lead_the_office(client, office, fallmanager, make_staff,
                                                                     teamleitung, notices):
    colleague = make_staff(Role.FALLMANAGER, office, "kollegin")
    today = timezone.localdate()
    case = case_with_benefits(office, colleague, BenefitKind.HLU)
    plan = services.create_plan(case=case, by=colleague, valid_from=today - datetime.timedelta(days=170))
    plan = services.save_draft(plan=plan, expected_edit_count=0, by=colleague, **full_input(plan))
    services.finalise(plan=plan, by=colleague, finalised_on=plan.valid_from, render=False)
    client.force_login(fallmanager)
    assert 'data-testid="home-plans_expiring-total">0<' in client.get(reverse("home")).content.decode()
    client.force_login(teamleitung)
    assert 'data-testid="home-plans_expiring-total">1<' in client.get(reverse("home")).content.decode()


# --- legal notices --------------------------------------------------------------------------------------------
def test_the_usage_page_lists_every_agreement_of_the_office_that_printed_a_version(
        fm_client, office, other_office, fallmanager, fallmanager_other_office):
    notices = ensure_notices()
    own = final_plan(case_with_benefits(office, fallmanager, BenefitKind.HLU, last_name="Eigen"), fallmanager)
    final_plan(case_with_benefits(other_office, fallmanager_other_office, BenefitKind.HLU, last_name="Fremd"),
               fallmanager_other_office)
    html = fm_client.get(url("notice_detail", notices["bshg_25"].pk)).content.decode()
    assert html.count('data-testid="notice-plan"') == 1
    assert "Eigen" in html and "Fremd" not in html and url("plan_detail", own.pk) in html
    overview = fm_client.get(url("notice_list")).content.decode()
    assert "Beispieltext" in overview


# --- referral from a service --------------------------------------------------------------------------------
def test_a_referral_is_started_from_a_service_in_one_step(fm_client, office, hlu_case, fallmanager, notices):
    offer = OfferFactory(partner=PartnerFactory(contact_point=office, kind="qualification", name="Bildungswerk"))
    plan = final_plan(hlu_case, fallmanager, services=[ServiceInput(None, "qualification", "Staplerschein",
                                                                    offer=offer)])
    service = plan.services.get()
    form = fm_client.get(url("service_refer", plan.pk, service.pk)).content.decode()
    # the purpose names the offer and the plan; the service's text (written for the client) is not copied
    assert f"Teilnahme an „{offer.title}“ wie im Hilfeplan (Version 1) vereinbart." in form
    response = fm_client.post(url("service_refer", plan.pk, service.pk), {
        "referred_on": timezone.localdate().isoformat(), "purpose": "Staplerschein", "planned_months": 3,
        "shared_data": ["identity", "contact"], "paying_override": "", "override_reason": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert PlanService.objects.get(pk=service.pk).referral == referral
    assert referral.case == hlu_case and referral.offer == offer
