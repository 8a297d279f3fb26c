"""Issue 16 journey: joint sign-off of a help plan by both agencies. The case manager submits a plan with services
of the Arbeitsamt and of the Sozialamt; the Arbeitsamt's representative (the team lead, by her role) finds it on
her start page and signs off; the Sozialamt's (the benefits officer, named in the plan settings) does the same,
which finalises the plan; the agreement PDF prints both sign-offs. Every page state passes the axe gate."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import BenefitEntitlement, BenefitKind, CaseStatus
from integration_plans.models import IntegrationPlan, PlanSettings, PlanSignatory, PlanStatus, ServiceKind
from integration_plans.services.plans import ServiceInput
from jobcenter.models import Agency
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory
from tests.e2e.conftest import login, wait_until_ready
from tests.integration_plans.factories import draft_plan, ensure_notices
from tests.partners.factories import ensure_role_groups


@pytest.fixture
def two_agency_draft(demo, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The first demo office signs plans off jointly (Arbeitsamt: role Teamleitung; Sozialamt: the benefits officer
    by name); a complete draft with a placement (Arbeitsamt) and debt counselling (Sozialamt)."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    ensure_role_groups()
    ensure_notices()
    office, manager = demo.offices[0], demo.staff["fallmanager"]
    config = PlanSettings.objects.create(contact_point=office, joint_signoff_required=True,
                                         employment_signer_role=Role.TEAMLEITUNG)
    PlanSignatory.objects.create(plan_settings=config, agency_kind=Agency.Kind.SOZIALHILFE,
                                 user=demo.staff["leistung"])
    client = ClientFactory(contact_point=office, first_name="Karin", last_name="Lorenz", customer_number="",
                           file_number="50-445566/03")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=296,
                                      start=date(2002, 9, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=date(2002, 10, 1), status=CaseStatus.PLANNING)
    return draft_plan(case, manager, services=[
        ServiceInput(None, ServiceKind.PLACEMENT, "Vermittlungsvorschläge im Einzelhandel"),
        ServiceInput(None, ServiceKind.DEBT_COUNSELLING, "Schuldnerberatung bei der Caritas"),
    ])


def _switch_user(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    login(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten")
    wait_until_ready(page)


def test_both_agencies_sign_off_a_plan_and_the_agreement_prints_both(page, two_agency_draft, screenshot):
    plan = two_agency_draft

    # 1. the case manager submits the plan: it needs the sign-off of both agencies
    login(page, "fallmanager")
    page.goto(f"/hilfeplaene/{plan.pk}/")
    panel = page.get_by_test_id("signoff-panel")
    expect(panel).to_contain_text("Nach dem Vorlegen braucht dieser Plan die Freigabe von")
    expect(panel.get_by_test_id("signoff-arbeitsamt")).to_contain_text("Arbeitsamt Leipzig")
    expect(panel.get_by_test_id("signoff-sozialhilfe")).to_contain_text("Jürgen Hoffmann")
    wait_until_ready(page)
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Zur Freigabe vorgelegt")
    expect(page.get_by_test_id("pending-note")).to_contain_text("zur Freigabe vorgelegt")
    expect(page.get_by_test_id("plan-signoff-arbeitsamt")).to_have_count(0)  # the case manager signs nothing
    screenshot("joint-01-submitted")

    # 2. the Arbeitsamt's representative finds it on her start page and signs off
    _switch_user(page, "teamleitung")
    card = page.get_by_test_id("home-plans_approvals")
    expect(card).to_contain_text("Lorenz, Karin")
    screenshot("joint-02-start-page-team-lead")
    card.get_by_role("link", name="Lorenz, Karin").click()
    expect(page.get_by_test_id("plan-signoff-sozialhilfe")).to_have_count(0)  # not hers to sign
    wait_until_ready(page)
    page.get_by_test_id("plan-signoff-arbeitsamt").click()
    expect(page.get_by_text("Der Plan wartet jetzt auf die Freigabe des anderen Trägers.")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text("Zur Freigabe vorgelegt")
    expect(page.get_by_test_id("signoff-arbeitsamt")).to_contain_text("von Monika Schulz")
    expect(page.get_by_test_id("signoff-sozialhilfe")).to_contain_text("Freigabe ausstehend")
    screenshot("joint-03-first-signoff")

    # 3. the Sozialamt's representative signs off: that finalises the plan
    _switch_user(page, "leistung")
    card = page.get_by_test_id("home-plans_approvals")
    expect(card).to_contain_text("Lorenz, Karin")
    card.get_by_role("link", name="Lorenz, Karin").click()
    expect(page.get_by_test_id("plan-signoff-arbeitsamt")).to_have_count(0)
    wait_until_ready(page)
    page.get_by_test_id("plan-signoff-sozialhilfe").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Abgeschlossen")
    expect(page.get_by_test_id("signoff-arbeitsamt")).to_contain_text("freigegeben")
    expect(page.get_by_test_id("signoff-sozialhilfe")).to_contain_text("von Jürgen Hoffmann")
    screenshot("joint-04-finalised")
    plan.refresh_from_db()
    assert (plan.status, plan.finalised_by.username) == (PlanStatus.FINAL, "leistung")

    # 4. the agreement prints both sign-offs
    download = page.get_by_test_id("agreement-download")
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115 - read once
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Freigegeben von Monika Schulz am {today}" in text
    assert f"Freigegeben von Jürgen Hoffmann am {today}" in text
    assert IntegrationPlan.objects.get(pk=plan.pk).content_sha256 in text

    # 5. the team lead's start page no longer lists it
    _switch_user(page, "teamleitung")
    expect(page.get_by_test_id("home-plans_approvals")).to_contain_text("Kein Plan wartet auf Ihre Freigabe.")
