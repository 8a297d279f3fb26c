"""Journey: the team lead opens the success measurement, drills down from the number of integrations to the
clients behind it, generates last month's report and downloads its PDF and CSV."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import BenefitKind, EndReason, Outcome
from reporting.periods import last_complete_month
from tests.cases.factories import ClientFactory
from tests.e2e.conftest import SCREENSHOTS, login
from tests.partners.factories import ensure_role_groups
from tests.reporting.conftest import add_benefit, add_case


@pytest.fixture
def role_groups(transactional_db):  # type: ignore[no-untyped-def]
    ensure_role_groups()


@pytest.fixture
def documents(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


def integrated_client(office, manager, last_name: str, day: date, kind: str = BenefitKind.HLU):  # type: ignore[no-untyped-def]
    client = ClientFactory(contact_point=office, last_name=last_name, first_name="Erika", birth_date=date(1970, 3, 1))
    add_benefit(client, kind, day - timedelta(days=400), day, EndReason.EMPLOYMENT, 350)
    return add_case(client, day - timedelta(days=300), day, Outcome.EMPLOYMENT, manager)


def test_team_lead_drills_down_and_downloads_the_monthly_report(page, role_groups, demo, documents, screenshot,
                                                                 tmp_path):
    office = demo.offices[0]
    manager = demo.staff["fallmanager"]
    today = timezone.localdate()
    integrated_client(office, manager, "Zander", today)
    integrated_client(office, manager, "Ypsilon", today, BenefitKind.ALHI)
    waiting = ClientFactory(contact_point=office, last_name="Wartmann", first_name="Uwe", birth_date=date(1980, 1, 1))
    add_benefit(waiting, BenefitKind.HLU, today - timedelta(days=500))
    add_case(waiting, today - timedelta(days=200), None, "", manager)
    last_month = last_complete_month(today)
    integrated_client(office, manager, "Vormonat", last_month.start + timedelta(days=9))
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))

    login(page, "teamleitung")
    page.get_by_role("link", name="Erfolgsmessung").click()
    expect(page.get_by_role("heading", name="Erfolgsmessung", level=1)).to_be_visible()
    expect(page.get_by_test_id("kpi-integrations")).to_have_text("2")
    for chart in ("trend", "quote", "mix", "caseload", "cohorts"):
        image = page.get_by_test_id(f"chart-{chart}")
        expect(image).to_be_visible()
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0, chart
    screenshot("reporting-dashboard")
    assert not [line for line in console if "Content Security Policy" in line or "Refused" in line], console

    # drill down from the number of integrations to the clients behind it
    page.get_by_test_id("kpi-integrations").click()
    expect(page.get_by_test_id("drill-total")).to_contain_text("2 Integrationen")
    rows = page.get_by_test_id("drill-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("drill-table")).to_contain_text("Zander, Erika")
    expect(page.get_by_test_id("drill-table")).to_contain_text("Ypsilon, Erika")
    expect(page.get_by_test_id("drill-table")).not_to_contain_text("Wartmann")
    screenshot("reporting-drilldown")
    rows.filter(has_text="Zander").get_by_role("link", name="Zum Fall").click()
    expect(page.locator("h1")).to_contain_text("Zander")

    # last month's report: generated on demand, once
    page.goto("/erfolgsmessung/berichte/")
    page.get_by_label("Berichtsmonat").select_option(last_month.key)
    page.get_by_test_id("generate-report").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Der Bericht für {last_month.label} wird erstellt")
    row = page.get_by_test_id("report-row").filter(has_text=last_month.label)
    expect(row.get_by_test_id("report-status")).to_have_text("Fertig", timeout=30_000)
    expect(row).to_contain_text("Monika Schulz")
    screenshot("reporting-reports")

    with page.expect_download() as pdf_download:
        row.get_by_test_id("download-pdf").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    with page.expect_download() as csv_download:
        row.get_by_test_id("download-csv").click()
    csv_path = tmp_path / "report.csv"
    csv_download.value.save_as(csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert office.name in text and "Integrationen und Integrationsquote" in text

    # the PDF pages as images, for review (test-artifacts/screenshots/reporting-report-N.png)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf_path), str(SCREENSHOTS / "reporting-report")],
                   check=True)
    assert list(Path(SCREENSHOTS).glob("reporting-report-*.png"))
    assert settings.DOCUMENTS_ROOT == documents
