"""Retention: anonymisation after the configured period, irreversible, recorded, statistics unchanged."""

import datetime

import pytest
from django.db.models import Count, Sum

from cases import retention
from cases.models import (
    AnonymisationRun,
    BenefitEntitlement,
    BenefitKind,
    Case,
    CaseStatus,
    Client,
    ContactNote,
    EndReason,
    Outcome,
)
from tests.cases.factories import CaseFactory, ClientFactory, ContactNoteFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def _closed_client(office, fallmanager, closed_on: datetime.date, last_name: str) -> Client:
    client = ClientFactory(
        contact_point=office, last_name=last_name, customer_number=f"073A{closed_on:%y%m%d}"
    )
    case = CaseFactory(client=client, contact_point=office, case_manager=fallmanager,
                       opened_on=closed_on - datetime.timedelta(days=200))
    ContactNoteFactory(case=case, author=fallmanager, text=f"Vermerk über {last_name}")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome=Outcome.EMPLOYMENT, closed_on=closed_on)
    BenefitEntitlement.objects.create(
        client=client, kind=BenefitKind.HLU, monthly_amount=410, start=closed_on - datetime.timedelta(days=300),
        end=closed_on, end_reason=EndReason.EMPLOYMENT,
    )
    return client


def _statistics():
    return (
        list(Case.objects.values("outcome", "closed_on", "contact_point").annotate(n=Count("id")).order_by("closed_on")),
        BenefitEntitlement.objects.aggregate(total=Sum("monthly_amount"), n=Count("id")),
    )


def test_clients_closed_longer_than_the_retention_period_are_anonymised(office, fallmanager, settings):
    settings.RETENTION_YEARS = 5
    old = _closed_client(office, fallmanager, datetime.date(2021, 11, 1), "Altfall")
    recent = _closed_client(office, fallmanager, datetime.date(2022, 1, 10), "Neufall")
    still_open = ClientFactory(contact_point=office, last_name="Offen")
    CaseFactory(client=still_open, contact_point=office, opened_on=datetime.date(2015, 1, 1))
    before = _statistics()

    run = retention.anonymise_due_clients(today=TODAY, triggered_by="test")

    old.refresh_from_db()
    assert (old.last_name, old.first_name, old.customer_number, old.street) == ("Anonymisiert", "Anonymisiert", "", "")
    assert old.anonymised_at is not None
    assert ContactNote.objects.get(case__client=old).text == ""
    assert not old.events.filter(last_name="Altfall").exists()  # the audit trail keeps no copy of the name
    assert not ContactNote.events.rel.related_model.objects.filter(text__contains="Altfall").exists()
    recent.refresh_from_db()
    assert recent.last_name == "Neufall"
    assert Client.objects.get(pk=still_open.pk).last_name == "Offen"
    assert run.clients == 1
    assert run.details["cases.clients"] == 1
    assert run.details["cases.notes"] == 1
    assert _statistics() == before  # past months' figures do not change


def test_running_twice_anonymises_nothing_more_and_records_both_runs(office, fallmanager):
    _closed_client(office, fallmanager, datetime.date(2020, 3, 1), "Altfall")
    assert retention.anonymise_due_clients(today=TODAY).clients == 1
    assert retention.anonymise_due_clients(today=TODAY).clients == 0
    assert AnonymisationRun.objects.count() == 2


def test_the_scheduled_task_runs_the_retention(office, fallmanager):
    from cases.tasks import anonymise_due_clients

    _closed_client(office, fallmanager, datetime.date(2019, 3, 1), "Altfall")
    assert anonymise_due_clients.apply().get() == 1

