"""Issue 6 journey: draft a help plan from a profiling, hit a finalise error, fix it, finalise, wait for the PDF
(rendered by a real Celery worker while the page polls), download it, record the signature with a scan, write a
Fortschreibung and see what changed."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import BenefitEntitlement, BenefitKind, CaseStatus
from integration_plans.models import IntegrationPlan, PlanStatus
from integration_plans.services.documents import TEST_DELAY_ENV
from jobcenter.celery import app as celery_app
from profiling.models import OfferSuggestion
from tests.cases.factories import CaseFactory, ClientFactory
from tests.conftest import ARTIFACTS, BASE_DIR, _database_url, _wait
from tests.e2e.conftest import login
from tests.integration_plans.factories import ensure_notices
from tests.partners.factories import OfferFactory, PartnerFactory, ensure_role_groups
from tests.profiling.factories import make_profiling

SCAN = b"%PDF-1.4\n% unterschriebene Vereinbarung\n%%EOF\n"


@pytest.fixture
def pdf_worker(transactional_db, redis_url, settings, tmp_path, worker_id) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A real worker that renders agreements (a little slowly, so the page visibly waits) into a temporary
    documents directory shared with the live server."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    queue = f"journey-{worker_id}-{uuid.uuid4().hex[:8]}"
    nodename = f"{queue}@{socket.gethostname()}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": redis_url, "CELERY_QUEUE": queue,
           "PYTHONUNBUFFERED": "1", "DOCUMENTS_ROOT": str(settings.DOCUMENTS_ROOT),
           TEST_DELAY_ENV: "2"}
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"celery-{queue}.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jobcenter", "worker", "-Q", queue, "-n", nodename, "-c", "1",
             "--without-gossip", "--without-mingle", "-l", "INFO"],
            env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    previous = {key: celery_app.conf[key] for key in ("broker_url", "task_default_queue", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_url, task_default_queue=queue, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None  # a producer pool made for an earlier broker would swallow the ping
    try:
        _wait(lambda: bool(celery_app.control.ping(destination=[nodename], timeout=0.5)), 60, "celery worker")
        yield
    finally:
        proc.terminate()
        proc.wait(20)
        celery_app.conf.update(previous)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.fixture
def profiled_case(demo):  # type: ignore[no-untyped-def]
    """An HLU recipient with a profiling (debts: obstacle) that proposes debt counselling, and such an offer."""
    ensure_role_groups()
    ensure_notices()
    OfferSuggestion.objects.get_or_create(dimension="debts", offer_category="debt_counselling",
                                          defaults={"title": "Schuldnerberatung"})
    office, manager = demo.offices[0], demo.staff["fallmanager"]
    client = ClientFactory(contact_point=office, first_name="Sabine", last_name="Vogt", file_number="50-765432/03",
                           customer_number="")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=296,
                                      start=date(2002, 9, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=date(2002, 10, 1), status=CaseStatus.PROFILING)
    make_profiling(case, manager, debts="obstacle", confirmed=True)
    OfferFactory(partner=PartnerFactory(contact_point=office, name="Schuldnerberatung der Caritas Leipzig"),
                 title="Schuldnerberatung Einzelfallhilfe", commissionable_by=["sozialhilfe"])
    return case


def test_draft_finalise_print_sign_and_continue_a_help_plan(page, profiled_case, pdf_worker, screenshot):
    case = profiled_case
    today = timezone.localdate().isoformat()
    login(page, "fallmanager")

    # 1. draft from the profiling: the proposed service is filled in
    page.goto(f"/kunden/{case.client_id}/")
    section = page.get_by_test_id("section-integration_plans")
    section.get_by_test_id("plan-create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hilfeplan für Sabine Vogt (Version 1)")
    expect(page.get_by_text("vom letzten Profiling vorgeschlagenen Leistungen sind eingetragen")).to_be_visible()
    expect(page.locator('[name="services-0-kind"]')).to_have_value("debt_counselling")
    page.get_by_label("Eingliederungsziel").fill("Schulden regulieren und eine Teilzeitstelle im Einzelhandel finden")
    page.locator('[name="services-0-offer"]').select_option(label="Schuldnerberatung Einzelfallhilfe – "
                                                                  "Schuldnerberatung der Caritas Leipzig")
    page.get_by_test_id("add-steps").click()  # added in the browser, nothing lost
    page.locator('[name="steps-0-description"]').fill("Erstgespräch bei der Schuldnerberatung")
    page.locator('[name="steps-0-due_on"]').fill(today)
    page.get_by_test_id("add-obligations").click()
    page.locator('[name="obligations-0-kind"]').select_option("applications")
    page.locator('[name="obligations-0-description"]').fill("Bewerbungen im Einzelhandel")
    screenshot("plans-01-editor")

    # 2. finalising a vague obligation is refused, naming what is missing; the draft is kept
    page.get_by_test_id("save-finalise").click()
    problems = page.get_by_test_id("finalise-problems")
    expect(problems).to_contain_text("Gegenleistung 1 („Bewerbungen im Einzelhandel“) ist nicht konkret; es fehlt: "
                                     "die Anzahl, der Zeitraum und die Form des Nachweises.")
    expect(page.get_by_label("Eingliederungsziel")).to_have_value(re.compile("Schulden regulieren"))
    screenshot("plans-02-finalise-error")

    # 3. fix and finalise: the page waits for the worker, polling, then offers the download
    page.locator('[name="obligations-0-quantity"]').fill("6")
    page.locator('[name="obligations-0-period"]').select_option("month")
    page.locator('[name="obligations-0-proof"]').fill("Kopien der Anschreiben")
    page.get_by_test_id("save-finalise").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Abgeschlossen")
    expect(page.get_by_test_id("document-pending")).to_contain_text("Das PDF wird erstellt")
    screenshot("plans-03-pdf-pending")
    download_link = page.get_by_test_id("agreement-download")
    expect(download_link).to_be_visible(timeout=40_000)
    screenshot("plans-04-pdf-ready")
    with page.expect_download() as info:
        download_link.click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115 - read once
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert "Eingliederungsvereinbarung" in text and "Sabine Vogt" in text and "6× pro Monat" in text
    plan = IntegrationPlan.objects.get(case=case)
    assert plan.content_sha256 in text

    # 4. the signature, with the signed scan
    sign = page.get_by_test_id("sign-form")
    sign.get_by_label("Unterschrieben am").fill(today)
    sign.get_by_label("Vermerk").fill("In der Anlaufstelle unterschrieben, Ausfertigung ausgehändigt")
    sign.get_by_label("Unterschriebener Scan (PDF, optional)").set_input_files(
        files=[{"name": "unterschrieben.pdf", "mimeType": "application/pdf", "buffer": SCAN}])
    page.get_by_test_id("sign-submit").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Unterschrieben")
    expect(page.get_by_test_id("scan-download")).to_be_visible()

    # 5. Fortschreibung: raise the quota, add a step, see the diff
    page.get_by_test_id("plan-revise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hilfeplan für Sabine Vogt (Version 2)")
    page.locator('[name="obligations-0-quantity"]').fill("8")
    page.get_by_test_id("add-steps").click()
    page.locator('[name="steps-1-description"]').fill("Bewerbungstraining besuchen")
    page.get_by_test_id("save-finalise").click()
    diff = page.get_by_test_id("plan-diff")
    expect(diff).to_contain_text("Änderungen gegenüber Version 1")
    expect(diff.get_by_test_id("diff-added")).to_contain_text("Bewerbungstraining besuchen")
    expect(diff.get_by_test_id("diff-changed").filter(has_text="Umfang")).to_contain_text("8× pro Monat")
    screenshot("plans-05-fortschreibung-diff")
    expect(page.get_by_test_id("agreement-download")).to_be_visible(timeout=40_000)
    first, second = IntegrationPlan.objects.filter(case=case).order_by("version")
    assert (first.status, second.status, second.version) == (PlanStatus.SUPERSEDED, PlanStatus.FINAL, 2)
