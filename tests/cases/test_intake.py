"""Intake (Erhebung von Personendaten): validation, duplicate check, override with a reason, editing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.forms.intake import ClientForm, initial_from_search
from cases.models import Client
from cases.services import clients as client_services
from cases.services.clients import (
    ClientData,
    DuplicateNumberError,
    PossibleDuplicateError,
    register_client,
    update_client,
)
from jobcenter.roles import Role
from tests.cases.factories import ClientFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("cases:client_create")


def _post_data(**overrides: object) -> dict[str, object]:
    data = {
        "last_name": "Müller", "first_name": "Anna", "birth_date": "1980-04-12", "street": "Hauptstraße 5",
        "postal_code": "04177", "city": "Leipzig", "phone": "0341 123456", "email": "anna@example.org",
        "customer_number": "", "file_number": "", "household_size": "3", "children_under_15": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def empfang_client(client, empfang):  # type: ignore[no-untyped-def]
    client.force_login(empfang)
    return client


def test_empfang_registers_a_client_in_the_active_office(empfang_client, office):
    response = empfang_client.post(CREATE_URL, _post_data(customer_number="073a 123456"))
    created = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:client_detail", args=[created.pk])
    assert created.contact_point == office
    assert (created.last_name, created.birth_date, created.household_size) == ("Müller", date(1980, 4, 12), 3)
    assert created.customer_number == "073A123456"  # spaces removed, upper case
    assert created.duplicate_override_reason == ""


def test_registering_from_reception_continues_to_routing(empfang_client):
    response = empfang_client.post(CREATE_URL, _post_data(then="triage"))
    assert response["Location"] == reverse("cases:triage_route", args=[Client.objects.get().pk])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "Das Geburtsdatum liegt in der Zukunft."),
        ({"birth_date": (timezone.localdate() - timedelta(days=14 * 365)).isoformat()}, "mindestens 15 Jahre alt"),
        ({"birth_date": "1901-01-01"}, "nicht plausibel"),
        ({"postal_code": "4177"}, "Eine Postleitzahl hat genau 5 Ziffern."),
        ({"postal_code": "0417A"}, "Eine Postleitzahl hat genau 5 Ziffern."),
        ({"customer_number": "73A123456"}, "3 Ziffern, 1 Großbuchstabe, 6 Ziffern"),
        ({"file_number": "50/123456"}, "2 Ziffern, Bindestrich, 4 bis 8 Ziffern"),
        ({"phone": "call me"}, "Bitte eine Telefonnummer eingeben"),
        ({"household_size": "2", "children_under_15": "2"}, "mehr Personen umfassen als Kinder unter 15"),
        ({"last_name": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_input_shows_a_german_message_and_saves_nothing(empfang_client, overrides, message):
    response = empfang_client.post(CREATE_URL, _post_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Client.objects.count() == 0


def test_the_form_keeps_everything_typed_when_shown_again(empfang_client):
    page = empfang_client.post(CREATE_URL, _post_data(postal_code="123")).content.decode()
    for value in ("Müller", "Anna", "1980-04-12", "Hauptstraße 5", "Leipzig", "0341 123456", "anna@example.org"):
        assert f'value="{value}"' in page


def test_birth_date_exactly_15_and_100_years_ago_is_accepted():
    today = timezone.localdate()
    if (today.month, today.day) == (2, 29):
        pytest.skip("no same day 15 years ago")
    for years in (15, 100):
        form = ClientForm(_post_data(birth_date=today.replace(year=today.year - years).isoformat()))
        assert form.is_valid(), form.errors


# --- duplicates -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["Mueller", "MÜLLER", "muller"])
def test_a_name_match_with_umlaut_variants_is_shown_and_not_saved(empfang_client, office, typed):
    existing = ClientFactory(contact_point=office, last_name="Müller", first_name="Anna",
                             birth_date=date(1980, 4, 12))
    response = empfang_client.post(CREATE_URL, _post_data(last_name=typed))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mögliche Dublette" in page
    assert reverse("cases:client_detail", args=[existing.pk]) in page
    assert 'name="confirm_duplicate"' in page
    assert Client.objects.count() == 1


def test_same_name_with_another_birth_date_is_no_duplicate(empfang_client, office):
    ClientFactory(contact_point=office, last_name="Müller", first_name="Anna", birth_date=date(1980, 4, 13))
    assert empfang_client.post(CREATE_URL, _post_data()).status_code == 302
    assert Client.objects.count() == 2


def test_a_client_of_another_office_is_no_duplicate(empfang_client, other_office):
    ClientFactory(contact_point=other_office, last_name="Müller", first_name="Anna", birth_date=date(1980, 4, 12),
                  customer_number="073A123456")
    response = empfang_client.post(CREATE_URL, _post_data(customer_number="073A123456"))
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_override_with_a_reason_registers_and_stores_the_reason(empfang_client, office):
    ClientFactory(contact_point=office, last_name="Müller", first_name="Anna", birth_date=date(1980, 4, 12))
    response = empfang_client.post(CREATE_URL, _post_data(
        last_name="Mueller", confirm_duplicate="on", duplicate_reason="Andere Eltern, Ausweis geprüft",
    ))
    assert response.status_code == 302
    created = Client.objects.get(last_name="Mueller")
    assert created.duplicate_override_reason == "Andere Eltern, Ausweis geprüft"


def test_override_without_a_reason_is_refused(empfang_client, office):
    ClientFactory(contact_point=office, last_name="Müller", first_name="Anna", birth_date=date(1980, 4, 12))
    response = empfang_client.post(CREATE_URL, _post_data(confirm_duplicate="on", duplicate_reason="  "))
    assert "Bitte begründen Sie, warum es sich um eine andere Person handelt." in response.content.decode()
    assert Client.objects.count() == 1


def test_a_reason_without_the_confirmation_is_refused(empfang_client, office):
    response = empfang_client.post(CREATE_URL, _post_data(duplicate_reason="andere Person"))
    assert "Bitte bestätigen Sie, dass Sie die Treffer geprüft haben." in response.content.decode()
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("customer_number", "073A123456", "Diese Kundennummer ist in dieser Anlaufstelle bereits vergeben."),
        ("file_number", "50-123456/03", "Dieses Aktenzeichen ist in dieser Anlaufstelle bereits vergeben."),
    ],
)
def test_a_number_duplicate_blocks_registration_even_with_a_reason(empfang_client, office, field, value, message):
    existing = ClientFactory(contact_point=office, last_name="Schmidt", first_name="Olga", **{field: value})
    response = empfang_client.post(CREATE_URL, _post_data(
        **{field: value}, confirm_duplicate="on", duplicate_reason="bestimmt jemand anderes",
    ))
    page = response.content.decode()
    assert message in page
    assert "Nummer bereits vergeben" in page
    assert reverse("cases:client_detail", args=[existing.pk]) in page
    assert Client.objects.count() == 1


def test_service_rechecks_duplicates_without_the_form(office):
    ClientFactory(contact_point=office, last_name="Weiß", first_name="Jörg", birth_date=date(1970, 1, 2),
                  customer_number="073A000001")
    data = ClientData(first_name="Joerg", last_name="Weiss", birth_date=date(1970, 1, 2))
    with pytest.raises(PossibleDuplicateError) as refused:
        register_client(office=office, data=data)
    assert len(refused.value.matches) == 1
    with pytest.raises(DuplicateNumberError):
        register_client(office=office, data=ClientData(first_name="X", last_name="Y", birth_date=date(1990, 1, 1),
                                                       customer_number="073A000001"))
    assert register_client(office=office, data=data, duplicate_reason="Zwillingsbruder").duplicate_override_reason


def test_the_unique_constraint_is_translated_when_the_check_is_bypassed(office, monkeypatch):
    ClientFactory(contact_point=office, file_number="50-1234")
    empty = client_services.Duplicates(by_name=[], by_number=[])
    monkeypatch.setattr(client_services, "find_duplicates", lambda **kwargs: empty)
    with pytest.raises(DuplicateNumberError) as refused:
        register_client(office=office, data=ClientData(first_name="A", last_name="B", birth_date=date(1990, 1, 1),
                                                       file_number="50-1234"))
    assert refused.value.field == "file_number"
    assert Client.objects.count() == 1


# --- editing ----------------------------------------------------------------------------------------------
def test_editing_keeps_the_own_number_and_saves(fm_client, office):
    own = ClientFactory(contact_point=office, customer_number="073A123456", last_name="Koch", first_name="Eva",
                        birth_date=date(1985, 5, 5))
    response = fm_client.post(reverse("cases:client_edit", args=[own.pk]), _post_data(
        last_name="Koch", first_name="Eva", birth_date="1985-05-05", customer_number="073A123456", city="Borna",
    ))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.city == "Borna"


def test_editing_to_another_clients_number_is_blocked(fm_client, office):
    ClientFactory(contact_point=office, customer_number="073A999999")
    own = ClientFactory(contact_point=office, last_name="Koch", first_name="Eva", birth_date=date(1985, 5, 5))
    response = fm_client.post(reverse("cases:client_edit", args=[own.pk]), _post_data(
        last_name="Koch", first_name="Eva", birth_date="1985-05-05", customer_number="073A999999",
    ))
    assert "Diese Kundennummer ist in dieser Anlaufstelle bereits vergeben." in response.content.decode()
    own.refresh_from_db()
    assert own.customer_number == ""


def test_editing_into_a_name_match_needs_a_reason(office):
    ClientFactory(contact_point=office, last_name="Krüger", first_name="Ute", birth_date=date(1975, 3, 3))
    own = ClientFactory(contact_point=office, last_name="Krueger", first_name="Uta", birth_date=date(1975, 3, 3))
    data = ClientData(first_name="Ute", last_name="Krueger", birth_date=date(1975, 3, 3))
    with pytest.raises(PossibleDuplicateError):
        update_client(client=own, data=data)
    assert update_client(client=own, data=data, duplicate_reason="Schreibweise geprüft").first_name == "Ute"


def test_edit_page_of_another_office_answers_404(fm_client, office, other_office):
    own, foreign = ClientFactory(contact_point=office), ClientFactory(contact_point=other_office)
    assert_other_office_refused(
        fm_client, reverse("cases:client_edit", args=[foreign.pk]),
        own_url=reverse("cases:client_edit", args=[own.pk]),
    )


def test_roles_without_intake_cannot_register(client, make_staff, office):
    client.force_login(make_staff(Role.ARBEITSVERMITTLER, office))
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, _post_data()).status_code == 403
    assert Client.objects.count() == 0


def test_the_name_typed_at_reception_is_prefilled(empfang_client):
    page = empfang_client.get(CREATE_URL, {"q": "Anna Müller", "then": "triage"}).content.decode()
    assert 'value="Müller"' in page and 'value="Anna"' in page
    assert 'name="then" value="triage"' in page


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Müller", {"last_name": "Müller", "first_name": ""}),
        ("Müller  Anna Maria", {"last_name": "Müller", "first_name": "Anna Maria"}),  # Nachname first (cases.search)
        ("Müller, Anna", {"last_name": "Müller", "first_name": "Anna"}),
        ("073a123456", {"customer_number": "073A123456"}),
        ("50-123456/03", {"file_number": "50-123456/03"}),
        ("  ", {}),
    ],
)
def test_initial_from_search(term, expected):
    assert initial_from_search(term) == expected
