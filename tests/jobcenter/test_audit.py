import pghistory
import pghistory.models
import pytest
from django.urls import reverse

from cases.models import Client
from tests.cases.factories import ClientFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_queryset_update_is_recorded_with_the_acting_user(office, fallmanager):
    client = ClientFactory(contact_point=office, last_name="Alt")
    with pghistory.context(user=fallmanager.pk):
        Client.objects.filter(pk=client.pk).update(last_name="Neu")
    event = client.events.order_by("-pgh_id").first()
    assert event.pgh_label == "update"
    assert event.last_name == "Neu"
    assert event.pgh_context.metadata["user"] == fallmanager.pk


def test_bulk_create_and_delete_are_recorded(office):
    clients = Client.objects.bulk_create(
        [Client(contact_point=office, first_name="A", last_name=f"Bulk{i}", birth_date="1980-01-01") for i in range(3)]
    )
    Client.objects.filter(pk__in=[c.pk for c in clients]).delete()
    labels = sorted(
        pghistory.models.Events.objects.references(*clients).values_list("pgh_label", flat=True)
    )
    assert labels == ["delete"] * 3 + ["insert"] * 3


def test_a_change_through_a_request_records_user_and_url(client, office):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    record = ClientFactory(contact_point=office, last_name="Vorher")
    url = reverse("admin:cases_client_change", args=[record.pk])
    form = {
        "contact_point": office.pk, "first_name": record.first_name, "last_name": "Nachher",
        "birth_date": "01.02.1980", "street": "", "postal_code": "", "city": "", "phone": "", "email": "",
        "customer_number": "", "file_number": "", "household_size": 1, "children_under_15": 0,
        "duplicate_override_reason": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = pghistory.models.MiddlewareEvents.objects.filter(pgh_obj_model="cases.Client", pgh_obj_id=record.pk)
    change = event.get(pgh_label="update")
    assert change.user == admin
    assert change.url == url
    assert change.pgh_diff["last_name"] == ["Vorher", "Nachher"]


def test_audit_trail_is_visible_to_administrators_only(client, fallmanager):
    url = reverse("admin:pghistory_middlewareevents_changelist")
    client.force_login(fallmanager)
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200
