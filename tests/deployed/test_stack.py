"""The deployed shape works (issue 15): collectstatic, then gunicorn (production settings, whitenoise, the proxy's
X-Forwarded-Proto), a Celery worker and Celery beat as separate processes from ``scripts/``, against the test
PostgreSQL and Redis; one browser journey through them; /healthz and /readyz; every process stops on SIGTERM.

And docker-compose.yml and the Dockerfile run exactly these entry points."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from integration_plans.models import IntegrationPlan
from jobcenter.models import ContactPoint, StoredDocument
from reporting.models import MonthlyReport, ReportStatus
from reporting.periods import last_complete_month
from tests.conftest import BASE_DIR
from tests.deployed.conftest import production_passwords
from tests.deployed.stack import SCRIPTS, Stack, get, wait_for
from tests.e2e.a11y import AxeAuditor
from tests.e2e.conftest import AXE, login, wait_until_ready

HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds


def test_the_deployed_stack_serves_a_journey_renders_documents_and_stops_cleanly(
        stack: Stack, profiled_case, browser, request) -> None:  # type: ignore[no-untyped-def]
    production_passwords("fallmanager")
    stack.run("collectstatic")
    manifest = json.loads((stack.static_root / "staticfiles.json").read_text())
    assert manifest["paths"]  # fingerprinted names for whitenoise's CompressedManifestStaticFilesStorage

    stack.start("web", "web")
    stack.start("worker", "worker")
    stack.start("beat", "beat")
    stack.wait_web()

    # the proxy header: without it a plain-HTTP request is sent to HTTPS, except the health checks
    status, _, headers = get(stack.url + "/anmelden/")
    assert status == 301 and headers["Location"].startswith("https://")
    assert get(stack.url + "/healthz")[0] == 200
    status, _, headers = get(stack.url + "/anmelden/", HTTPS)
    assert status == 200 and "Strict-Transport-Security" in headers
    # whitenoise serves the collected, fingerprinted files with a long cache lifetime
    css = next(name for name in manifest["paths"].values() if name.endswith(".css"))
    status, _, headers = get(f"{stack.url}/static/{css}", HTTPS)
    assert status == 200 and "max-age=315360000" in headers["Cache-Control"]

    # ready once the worker's start-up heartbeat went through the broker and back
    last: list[bytes] = [b""]

    def ready() -> bool:
        stack.alive("worker")
        stack.alive("beat")
        status, body, _ = get(stack.url + "/readyz", HTTPS)
        last[0] = body
        return status == 200

    try:
        wait_for(ready, 60, "/readyz 200")
    except TimeoutError:
        raise AssertionError(f"/readyz stayed unavailable: {last[0].decode()}") from None
    body = json.loads(get(stack.url + "/readyz", HTTPS)[1])
    assert body["status"] == "ok" and all(check["ok"] for check in body["checks"].values())

    # --- the browser journey ----------------------------------------------------------------------------
    context = browser.new_context(base_url=stack.url, locale="de-DE", viewport={"width": 1280, "height": 860},
                                  extra_http_headers=HTTPS, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    auditor = AxeAuditor(page, base_url=stack.url)
    auditor.install()
    request.node.stash[AXE] = auditor
    try:
        login(page, "fallmanager")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]

        # intake: a new client
        page.goto("/kunden/neu/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Kunden / Kundin erfassen")
        page.get_by_label("Nachname").fill("Quast")
        page.get_by_label("Vorname").fill("Henriette")
        page.get_by_label("Geburtsdatum").fill("1969-11-02")
        page.get_by_label("Straße und Hausnummer").fill("Karl-Liebknecht-Straße 8")
        page.get_by_label("PLZ").fill("04107")
        page.get_by_label("Ort", exact=True).fill("Leipzig")
        page.get_by_role("button", name="Erfassen", exact=True).click()
        expect(page.get_by_text("Henriette Quast wurde erfasst.")).to_be_visible()

        # a help plan, finalised; the worker renders the agreement while the page polls
        case = profiled_case  # the demo organisation plus an HLU recipient with a confirmed profiling
        page.goto(f"/kunden/{case.client_id}/")
        page.get_by_test_id("section-integration_plans").get_by_test_id("plan-create").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hilfeplan für Sabine Vogt (Version 1)")
        wait_until_ready(page)
        page.get_by_label("Eingliederungsziel").fill("Schulden regulieren und eine Teilzeitstelle finden")
        page.locator('[name="services-0-offer"]').select_option(
            label="Schuldnerberatung Einzelfallhilfe – Schuldnerberatung der Caritas Leipzig")
        page.get_by_test_id("add-obligations").click()
        page.locator('[name="obligations-0-kind"]').select_option("applications")
        page.locator('[name="obligations-0-description"]').fill("Bewerbungen im Einzelhandel")
        page.locator('[name="obligations-0-quantity"]').fill("6")
        page.locator('[name="obligations-0-period"]').select_option("month")
        page.locator('[name="obligations-0-proof"]').fill("Kopien der Anschreiben")
        page.get_by_test_id("save-finalise").click()
        expect(page.get_by_test_id("plan-status")).to_have_text("Abgeschlossen")
        download_link = page.get_by_test_id("agreement-download")
        expect(download_link).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            download_link.click()
        data = Path(info.value.path()).read_bytes()
        text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
        assert "Eingliederungsvereinbarung" in text and "Sabine Vogt" in text
        plan = IntegrationPlan.objects.select_related("document").get(case=case)
        assert plan.document is not None and plan.document.size == len(data)
        assert (stack.documents_root / plan.document.path).is_file()  # written by the worker process
    finally:
        auditor.check_if_unchecked()
        del request.node.stash[AXE]  # checked here, before the browser context closes
        context.close()
    assert not auditor.violations, auditor.report()

    # --- the monthly reports, sent by beat from its schedule -------------------------------------------------
    from django_celery_beat.models import PeriodicTask

    wait_for(lambda: PeriodicTask.objects.filter(name="monthly-reports").exists(), 30, "beat's schedule in the DB")
    entry = PeriodicTask.objects.get(name="monthly-reports")
    entry.last_run_at = timezone.now() - timedelta(days=62)  # as if beat had been down over the 1st
    entry.save()  # the signal tells beat that the schedule changed
    month = last_complete_month(timezone.localdate()).start
    offices = ContactPoint.objects.count()

    def reports_done() -> bool:
        stack.alive("beat")
        stack.alive("worker")
        return MonthlyReport.objects.filter(month=month, status=ReportStatus.DONE).count() == offices

    wait_for(reports_done, 120, "beat → queue_monthly_reports → every office's report")
    for report in MonthlyReport.objects.filter(month=month).select_related("pdf", "csv"):
        assert report.pdf is not None and report.csv is not None
    assert "Scheduler: Sending due task monthly-reports" in stack.log("beat")

    # --- the request log: JSON lines without client names -------------------------------------------------------
    lines = [json.loads(line) for line in stack.log("web").splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    assert {"integration_plans:agreement_download", "cases:client_create"} <= {line["route"] for line in requests}
    assert "Quast" not in stack.log("web") and "Vogt" not in stack.log("web")

    # --- every process stops cleanly on SIGTERM ----------------------------------------------------------------
    assert stack.stop_all() == {"web": 0, "worker": 0, "beat": 0}
    keys = set(StoredDocument.objects.values_list("key", flat=True))
    assert f"integration_plan:{plan.pk}:agreement" in keys  # the agreement, and each office's report files only
    assert {int(key.split(":")[1]) for key in keys if key.startswith("monthly_report:")} == set(
        MonthlyReport.objects.values_list("pk", flat=True))
    assert len(keys) == 1 + sum(1 for key in keys if key.startswith("monthly_report:"))


# --- docker-compose.yml and the Dockerfile run the same entry points --------------------------------------------
def _compose() -> dict:  # type: ignore[type-arg]
    import yaml

    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_docker_compose_and_the_dockerfile_run_the_entry_points_the_stack_test_runs() -> None:
    compose = _compose()
    services = compose["services"]
    commands = {name: services[name].get("command") for name in ("migrate", "web", "worker", "beat")}
    assert commands == {"migrate": ["scripts/migrate"], "web": ["scripts/web"], "worker": ["scripts/worker"],
                        "beat": ["scripts/beat"]}
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd is not None and json.loads(cmd.group(1)) == ["scripts/web"]
    assert "scripts/collectstatic" in dockerfile
    # no other way to start the app hides in the image or the compose file
    assert "gunicorn" not in dockerfile.split("CMD")[-1] and "celery" not in json.dumps(commands)
    for script in ("web", "worker", "beat", "migrate", "collectstatic"):
        path = SCRIPTS / script
        assert path.stat().st_mode & 0o111, f"scripts/{script} must be executable"
        assert path.read_text().startswith("#!/bin/sh\n")  # the slim image has no bash


def test_compose_gives_the_app_the_settings_the_stack_test_gives_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    compose = _compose()
    environment = dict(compose["services"]["web"]["environment"])
    assert set(environment) == {"DATABASE_URL", "REDIS_URL", "DOCUMENTS_ROOT"}
    for name in ("worker", "beat", "migrate"):
        assert compose["services"][name]["environment"] == environment
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "DJANGO_DEBUG" not in dockerfile and "DJANGO_DEBUG" not in json.dumps(compose)  # off by default
    assert "DJANGO_SETTINGS_MODULE" not in dockerfile + json.dumps(compose)  # jobcenter.settings, as the test
    stack_env = Stack(database_url="postgresql://x@h/d", redis_url="redis://h/0", workdir=tmp_path).env()
    assert stack_env["DJANGO_SETTINGS_MODULE"] == "jobcenter.settings" and stack_env["DJANGO_DEBUG"] == "0"
    assert set(environment) <= set(stack_env)
    # the worker's health check names the node the way scripts/worker does
    assert "-d worker@$$HOSTNAME " in " ".join(compose["services"]["worker"]["healthcheck"]["test"])
    assert '"${WORKER_NAME:-worker@%h}"' in (SCRIPTS / "worker").read_text()
