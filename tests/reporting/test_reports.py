"""Monthly reports: generated once per office and month (also with a real worker), PDF and CSV stored with their
SHA-256, listed with who generated them, downloadable only by the team lead of the office."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from reporting import services, tasks
from reporting.models import MonthlyReport, ReportStatus
from reporting.periods import Month, last_complete_month
from tests.helpers import assert_other_office_refused

MARCH = Month(2003, 3)
REQUEST = reverse("reporting:report_request")


@pytest.fixture
def request_report(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """``services.request_report`` with its after-commit task run (eagerly) as in production."""

    def request(**kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return services.request_report(**kwargs)

    return request


@pytest.mark.django_db
def test_generating_the_month_twice_yields_one_report(world, tl_client, teamleitung,
                                                      django_capture_on_commit_callbacks):
    month = last_complete_month(timezone.localdate())  # the form offers the last 24 complete months
    with django_capture_on_commit_callbacks(execute=True):
        first = tl_client.post(REQUEST, {"month": month.key}, follow=True)
    assert "wird erstellt" in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = tl_client.post(REQUEST, {"month": month.key}, follow=True)
    assert "nur einmal erstellt" in second.content.decode()
    report = MonthlyReport.objects.get()
    assert (report.office, report.month, report.status, report.attempts) == (world.office, month.start,
                                                                             ReportStatus.DONE, 1)
    assert report.requested_by == teamleitung
    assert StoredDocument.objects.count() == 3  # PDF, CSV and Excel
    pdf, csv = documents.read(report.pdf), documents.read(report.csv)
    assert pdf.startswith(b"%PDF-") and report.pdf.sha256 == hashlib.sha256(pdf).hexdigest()
    assert "Anlaufstelle Nord" in csv.decode("utf-8-sig") and report.csv.sha256 == hashlib.sha256(csv).hexdigest()
    listing = tl_client.get(reverse("reporting:report_list")).content.decode()
    assert month.label in listing and teamleitung.get_full_name() in listing


@pytest.mark.django_db
def test_running_the_generation_again_does_nothing(world, teamleitung, request_report):
    report, queued = request_report(office=world.office, month=MARCH, by=teamleitung)
    assert queued and MonthlyReport.objects.get().status == ReportStatus.DONE  # eager: ran after commit
    assert services.generate_report(report_id=report.pk) is False
    tasks.generate_monthly_report.apply(args=[report.pk])
    assert StoredDocument.objects.count() == 3
    assert MonthlyReport.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_month_that_is_not_over_cannot_be_reported(world, teamleitung):
    with pytest.raises(services.ReportingError):
        services.request_report(office=world.office, month=Month.of(timezone.localdate()), by=teamleitung)


@pytest.mark.django_db
def test_a_failed_report_can_be_generated_again(world, teamleitung, monkeypatch, request_report):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("renderer broke")

    monkeypatch.setattr(services, "render_report", broken)
    report, _ = request_report(office=world.office, month=MARCH, by=teamleitung)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "renderer broke" in report.error
    monkeypatch.undo()
    _, queued = request_report(office=world.office, month=MARCH, by=teamleitung)
    report.refresh_from_db()
    assert queued and report.status == ReportStatus.DONE and report.error == ""


@pytest.mark.django_db
def test_the_monthly_schedule_queues_every_office_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_monthly_reports.apply()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_monthly_reports.apply()
    assert MonthlyReport.objects.count() == 2  # both offices, last month
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {ReportStatus.DONE}
    assert MonthlyReport.objects.filter(requested_by__isnull=True).count() == 2


@pytest.mark.django_db
def test_downloads_only_for_the_team_lead_of_the_office(world, tl_client, client, fallmanager, teamleitung,
                                                       teamleitung_other_office, request_report):
    own, _ = request_report(office=world.office, month=MARCH, by=teamleitung)
    other, _ = request_report(office=world.other_office, month=MARCH, by=teamleitung_other_office)
    pdf = tl_client.get(reverse("reporting:report_download", args=[own.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    csv = tl_client.get(reverse("reporting:report_download", args=[own.pk, "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    for kind in ("pdf", "csv"):
        assert_other_office_refused(tl_client, reverse("reporting:report_download", args=[other.pk, kind]),
                                    own_url=reverse("reporting:report_download", args=[own.pk, kind]))
    client.force_login(fallmanager)
    assert client.get(reverse("reporting:report_download", args=[own.pk, "pdf"])).status_code == 403


@pytest.mark.django_db
def test_the_report_csv_has_the_dashboard_numbers(world, tl_client, teamleitung, request_report):
    report, _ = request_report(office=world.office, month=MARCH, by=teamleitung)
    report_csv = documents.read(MonthlyReport.objects.get(pk=report.pk).csv).decode("utf-8-sig")
    table_csv = tl_client.get(reverse("reporting:export_table", args=["quote"]), {"month": MARCH.key})
    quote_rows = table_csv.content.decode("utf-8-sig").split("\r\n\r\n", 1)[1].strip()
    assert quote_rows in report_csv


@pytest.mark.django_db
def test_the_report_lists_the_twelve_months_up_to_its_month_with_the_dashboard_numbers(world, tl_client,
                                                                                      teamleitung, request_report):
    report, _ = request_report(office=world.office, month=MARCH, by=teamleitung)
    report_csv = documents.read(MonthlyReport.objects.get(pk=report.pk).csv).decode("utf-8-sig")
    trend = report_csv.split("Integrationen je Monat", 1)[1].split("\r\n\r\n", 1)[0]
    rows = trend.strip().split("\r\n")[1:]  # below the column heads
    months = [row.split(";", 1)[0] for row in rows]
    assert months[0] == "März 2003" and months[-1] == "April 2002" and len(months) == 12
    dashboard = tl_client.get(reverse("reporting:export_table", args=["trend"]), {"month": MARCH.key})
    for row in rows:
        assert row in dashboard.content.decode("utf-8-sig")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_one_report_however_often_it_is_asked(world, teamleitung, celery_worker):
    with transaction.atomic():
        report, _ = services.request_report(office=world.office, month=MARCH, by=teamleitung)
    with transaction.atomic():  # the same month again, and the task twice more: all end in the one report
        services.request_report(office=world.office, month=MARCH, by=teamleitung)
        tasks.generate_monthly_report.delay(report.pk)
        tasks.generate_monthly_report.delay(report.pk)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status == ReportStatus.DONE:
            break
        time.sleep(0.3)
    time.sleep(2)  # let the duplicate tasks finish
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert MonthlyReport.objects.count() == 1
    assert report.attempts == 1
    assert StoredDocument.objects.filter(key__startswith=f"monthly_report:{report.pk}:").count() == 3  # PDF, CSV, Excel
