"""Refused and missing pages answer in German inside the layout, with a way back; the server-error page needs no
context (it is rendered when anything else may have failed)."""

from __future__ import annotations

from django.template import loader
from django.test import Client
from django.urls import reverse

from jobcenter.roles import Role


def test_a_refused_page_is_german_with_navigation(db, office, make_staff) -> None:  # type: ignore[no-untyped-def]
    browser = Client()
    browser.force_login(make_staff(Role.ADMINISTRATOR, office))
    response = browser.get(reverse("cases:client_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Kein Zugriff" in html and "Teamleitung" in html
    assert 'aria-label="Hauptnavigation"' in html or "Main navigation" in html or 'id="mainnav"' in html
    assert reverse("home") in html


def test_a_missing_object_is_german_with_navigation(db, office, make_staff) -> None:  # type: ignore[no-untyped-def]
    browser = Client()
    browser.force_login(make_staff(Role.FALLMANAGER, office))
    response = browser.get(reverse("cases:client_detail", args=[987654321]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html and 'id="mainnav"' in html


def test_the_server_error_page_renders_without_context() -> None:
    html = loader.get_template("500.html").render()
    assert "Etwas ist schiefgelaufen" in html
