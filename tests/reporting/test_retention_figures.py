"""Retention and reporting: the figures of past months do not change when clients are anonymised."""

import datetime

import pytest

from cases import retention
from reporting import store
from reporting.metrics.integrations import quote_series
from reporting.periods import Month
from tests.cases.test_retention import TODAY, _closed_client

pytestmark = pytest.mark.django_db


def test_the_success_figures_of_past_months_are_the_same_after_anonymisation(office, fallmanager):
    """The reporting metrics (integrations, Integrationsquote per target group) read only what retention keeps."""
    _closed_client(office, fallmanager, datetime.date(2020, 6, 15), "Altfall")
    _closed_client(office, fallmanager, datetime.date(2020, 6, 20), "Zweitfall")
    month = Month(2020, 6)
    store.refresh(office.pk)  # as every reporting read does
    before = quote_series(office.pk, month, TODAY, count=3).figures
    assert any(figures.integrations for figures in before.values())  # the figures are not trivially empty

    assert retention.anonymise_due_clients(today=TODAY).clients == 2

    store.refresh(office.pk)
    assert quote_series(office.pk, month, TODAY, count=3).figures == before
