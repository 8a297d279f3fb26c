"""The accessibility statement (BITV 2.0 § 7): public, with the configured feedback contact, linked in every footer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jobcenter.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("accessibility")


def test_the_statement_is_public_and_names_status_limits_contact_and_enforcement(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@leipzig.example"
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Erklärung zur Barrierefreiheit · Anlaufstelle</title>" in html
    assert "teilweise barrierefrei" in html
    assert "Nicht barrierefreie Inhalte" in html and "PDF/UA" in html
    assert "axe-core" in html  # how it was tested
    assert 'href="mailto:barrieren@leipzig.example"' in html
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in html and "§ 16 BGG" in html
    assert '<time datetime="2026-12-04">' in html


def test_the_footer_links_the_statement_on_the_login_page_error_pages_and_work_pages(client, make_staff, office):
    link = f'<a href="{URL}">Barrierefreiheit</a>'
    login_page = Client().get(reverse("login"))
    assert login_page.status_code == 200
    assert link in login_page.content.decode()
    client.force_login(make_staff(Role.FALLMANAGER, office))
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert link in home.content.decode()
    missing = client.get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert link in missing.content.decode()


def test_a_form_shown_with_errors_says_so_in_its_title(client, make_staff, office):
    client.force_login(make_staff(Role.FALLMANAGER, office))
    page = client.get(reverse("cases:client_create"))
    assert page.status_code == 200
    assert "<title>Fehler: " not in page.content.decode()
    refused = client.post(reverse("cases:client_create"), {})
    assert refused.status_code in (200, 400, 422)
    assert "<title>Fehler: " in refused.content.decode()
