"""Benefits (Leistungsbezug): adding and ending entitlements, overlaps refused, paying agency derived."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import BenefitEntitlement, BenefitKind, EndReason
from cases.services import benefits as benefit_services
from cases.services.benefits import BenefitError, add_benefit, end_benefit
from jobcenter.roles import Role
from tests.cases.factories import ClientFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db

OVERLAP = "Zeiträume derselben Leistung dürfen sich nicht überschneiden"


@pytest.fixture
def kunde(office):  # type: ignore[no-untyped-def]
    return ClientFactory(contact_point=office)


def _add(client, kind=BenefitKind.HLU, start=date(2003, 1, 1), end=None, end_reason=""):  # type: ignore[no-untyped-def]
    return add_benefit(client=client, kind=kind, monthly_amount=Decimal("296.00"), start=start, end=end,
                       end_reason=end_reason)


def test_adding_a_benefit_through_the_page(fm_client, kunde):
    response = fm_client.post(reverse("cases:benefit_create", args=[kunde.pk]), {
        "kind": "alhi", "monthly_amount": "512,40", "start": "2003-02-01", "end": "", "end_reason": "",
    })
    assert response["Location"] == reverse("cases:client_detail", args=[kunde.pk])
    benefit = BenefitEntitlement.objects.get()
    assert (benefit.client, benefit.kind, benefit.monthly_amount) == (kunde, "alhi", Decimal("512.40"))


def test_paying_agency_is_derived_from_the_kind_and_shown(fm_client, kunde, office):
    _add(kunde, BenefitKind.HLU)
    _add(kunde, BenefitKind.ALG)
    page = fm_client.get(reverse("cases:client_detail", args=[kunde.pk])).content.decode()
    assert benefit_services.paying_agency(BenefitKind.HLU, office) == office.welfare_agency
    assert benefit_services.paying_agency(BenefitKind.ALHI, office) == office.employment_agency
    assert office.welfare_agency.name in page and office.employment_agency.name in page


def test_overlapping_periods_of_the_same_benefit_are_refused(kunde):
    _add(kunde, start=date(2003, 1, 1), end=date(2003, 6, 30), end_reason=EndReason.OTHER)
    for start, end in ((date(2003, 6, 30), None), (date(2002, 1, 1), date(2003, 1, 1)), (date(2002, 1, 1), None)):
        with pytest.raises(BenefitError, match=OVERLAP):
            _add(kunde, start=start, end=end, end_reason=EndReason.OTHER if end else "")
    assert BenefitEntitlement.objects.count() == 1


def test_adjacent_periods_and_different_kinds_are_allowed(kunde):
    _add(kunde, start=date(2003, 1, 1), end=date(2003, 6, 30), end_reason=EndReason.OTHER)
    _add(kunde, start=date(2003, 7, 1))
    _add(kunde, kind=BenefitKind.ALHI, start=date(2003, 3, 1))
    assert BenefitEntitlement.objects.count() == 3


def test_an_open_benefit_refuses_any_later_one_of_the_same_kind(fm_client, kunde):
    _add(kunde, start=date(2003, 1, 1))
    response = fm_client.post(reverse("cases:benefit_create", args=[kunde.pk]), {
        "kind": "hlu", "monthly_amount": "100", "start": "2004-01-01",
    })
    assert OVERLAP in response.content.decode()
    assert BenefitEntitlement.objects.count() == 1


def test_the_exclusion_constraint_is_translated_into_the_same_message(kunde, monkeypatch):
    _add(kunde, start=date(2003, 1, 1))
    monkeypatch.setattr(benefit_services, "_check_period", lambda **kwargs: None)
    with pytest.raises(BenefitError, match=OVERLAP):
        _add(kunde, start=date(2003, 5, 1))
    assert BenefitEntitlement.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"end": "2003-12-31", "end_reason": ""}, "Bitte geben Sie den Beendigungsgrund an."),
        ({"end": "", "end_reason": "employment"}, "Ein Beendigungsgrund setzt ein Enddatum voraus."),
        ({"end": "2002-12-31", "end_reason": "employment"}, "Das Enddatum darf nicht vor dem Beginn liegen."),
        ({"monthly_amount": "-5"}, "größer oder gleich 0"),
        ({"kind": "kindergeld"}, "keine gültige Auswahl"),
    ],
)
def test_bad_benefit_input_shows_a_german_message_and_saves_nothing(fm_client, kunde, data, message):
    post = {"kind": "alg", "monthly_amount": "800", "start": "2003-01-01", "end": "", "end_reason": "", **data}
    response = fm_client.post(reverse("cases:benefit_create", args=[kunde.pk]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BenefitEntitlement.objects.count() == 0


def test_ending_a_benefit_records_end_and_reason(fm_client, kunde):
    benefit = _add(kunde, start=date(2003, 1, 1))
    response = fm_client.post(reverse("cases:benefit_end", args=[benefit.pk]),
                              {"end": "2003-08-31", "end_reason": "employment"})
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert (benefit.end, benefit.end_reason) == (date(2003, 8, 31), "employment")


def test_ending_needs_a_reason_and_an_end_after_the_start(fm_client, kunde):
    benefit = _add(kunde, start=date(2003, 1, 1))
    url = reverse("cases:benefit_end", args=[benefit.pk])
    assert "Dieses Feld ist zwingend erforderlich." in fm_client.post(url, {"end": "2003-08-31"}).content.decode()
    page = fm_client.post(url, {"end": "2002-08-31", "end_reason": "moved"}).content.decode()
    assert "Das Enddatum darf nicht vor dem Beginn liegen." in page
    benefit.refresh_from_db()
    assert benefit.end is None


def test_extending_an_end_into_a_later_period_is_refused(kunde):
    first = _add(kunde, start=date(2003, 1, 1), end=date(2003, 3, 31), end_reason=EndReason.OTHER)
    _add(kunde, start=date(2003, 4, 1))
    with pytest.raises(BenefitError, match=OVERLAP):
        end_benefit(benefit=first, end=date(2003, 4, 15), end_reason=EndReason.OTHER)


def test_empfang_sees_benefits_but_cannot_edit_them(client, empfang, kunde):
    benefit = _add(kunde)
    client.force_login(empfang)
    page = client.get(reverse("cases:client_detail", args=[kunde.pk])).content.decode()
    assert 'data-testid="benefit-row"' in page
    assert 'data-testid="benefit-add"' not in page
    assert client.get(reverse("cases:benefit_create", args=[kunde.pk])).status_code == 403
    assert client.post(reverse("cases:benefit_end", args=[benefit.pk]),
                       {"end": "2003-08-31", "end_reason": "employment"}).status_code == 403
    benefit.refresh_from_db()
    assert benefit.end is None


def test_the_benefits_officer_may_add_benefits(client, make_staff, office, kunde):
    client.force_login(make_staff(Role.LEISTUNG, office))
    response = client.post(reverse("cases:benefit_create", args=[kunde.pk]),
                           {"kind": "hlu", "monthly_amount": "296", "start": "2003-01-01"})
    assert response.status_code == 302
    assert BenefitEntitlement.objects.count() == 1


def test_benefit_pages_of_another_office_answer_404(fm_client, kunde, other_office):
    foreign_client = ClientFactory(contact_point=other_office)
    foreign, own = _add(foreign_client), _add(kunde)
    assert_other_office_refused(fm_client, reverse("cases:benefit_create", args=[foreign_client.pk]),
                                own_url=reverse("cases:benefit_create", args=[kunde.pk]))
    assert_other_office_refused(fm_client, reverse("cases:benefit_end", args=[foreign.pk]),
                                own_url=reverse("cases:benefit_end", args=[own.pk]))


def test_client_page_queries_do_not_grow_with_the_number_of_benefits(fm_client, office, django_assert_max_num_queries):
    few, many = ClientFactory(contact_point=office), ClientFactory(contact_point=office)
    _add(few)
    for year in range(2000, 2010):
        _add(many, start=date(year, 1, 1), end=date(year, 12, 31), end_reason=EndReason.OTHER)
    fm_client.get(reverse("cases:client_detail", args=[few.pk]))  # warm up session and caches
    with CaptureQueriesContext(connection) as baseline:
        assert fm_client.get(reverse("cases:client_detail", args=[few.pk])).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        page = fm_client.get(reverse("cases:client_detail", args=[many.pk])).content.decode()
    assert page.count('data-testid="benefit-row"') == 10
