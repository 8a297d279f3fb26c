"""No superuser bypass in the app: the IT administrator (``is_staff`` and ``is_superuser``, role Administrator, as
the demo's ``admin``) gets the Administrator role's answers and the Django admin, nothing more. The authorisation
matrix test checks every URL for this user; these tests name the findings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jobcenter.navigation import items_for
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(office) -> Any:  # type: ignore[no-untyped-def]
    user = UserFactory(username="root", roles=[Role.ADMINISTRATOR], offices=[office])
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_a_superuser_administrator_reads_no_client_data_and_writes_no_notes(administrator, office) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(client=ClientFactory(contact_point=office))
    client = Client()
    client.force_login(administrator)
    for url in (reverse("cases:client_detail", args=[case.client_id]),
                reverse("cases:client_auskunft", args=[case.client_id]),
                reverse("cases:note_create", args=[case.pk]),
                reverse("partners:disclosure_log", args=[case.client_id])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("cases:note_create", args=[case.pk]), {"text": "x"}).status_code == 403
    assert not case.notes.exists()
    assert client.get(reverse("admin:index")).status_code == 200  # the Django admin stays theirs


def test_the_navigation_offers_a_superuser_only_what_the_administrator_role_has(rf, administrator) -> None:  # type: ignore[no-untyped-def]
    from jobcenter.staff import StaffContext

    request = rf.get("/")
    request.user = administrator
    request.session = {}
    request.staff = StaffContext(administrator, request)
    keys = {item["key"] for item in items_for(request)}
    assert "clients" not in keys and not any("client" in key or "case" in key for key in keys), keys
