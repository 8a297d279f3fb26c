import pytest
from django.urls import reverse

from cases.models import Client
from jobcenter.scoping import get_scoped_or_404
from tests.cases.factories import ClientFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db


def test_every_page_but_login_and_health_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_a_user_of_one_office_gets_404_for_another_offices_client(fm_client, office, other_office):
    own, foreign = ClientFactory(contact_point=office), ClientFactory(contact_point=other_office)
    assert_other_office_refused(
        fm_client,
        reverse("cases:client_detail", args=[foreign.pk]),
        own_url=reverse("cases:client_detail", args=[own.pk]),
    )


def test_scoped_queryset_holds_only_the_users_offices(fallmanager, office, other_office):
    own = ClientFactory(contact_point=office)
    ClientFactory(contact_point=other_office)
    assert list(Client.objects.for_user(fallmanager)) == [own]


def test_get_scoped_or_404_refuses_unscoped_models(fallmanager):
    from django.contrib.auth.models import Group

    with pytest.raises(TypeError):
        get_scoped_or_404(Group, fallmanager, pk=1)


def test_client_list_shows_only_own_office(fm_client, office, other_office):
    ClientFactory(contact_point=office, last_name="Eigenkunde")
    ClientFactory(contact_point=other_office, last_name="Fremdkunde")
    page = fm_client.get(reverse("cases:client_list")).content.decode()
    assert "Eigenkunde" in page
    assert "Fremdkunde" not in page
