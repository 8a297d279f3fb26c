"""Unique page titles (WCAG 2.4.2), over every page of the authorisation matrix.

One world of objects (``tests/security/worlds.py``) is built in an office, and every GET page of
``jobcenter.authz.MATRIX`` is requested by a role that may use it; then every page is sent an empty POST, which a
form answers with its errors. Every HTML answer's ``<title>`` is collected: a title may belong to one URL name
only (the same URL for another object may repeat it), and a form shown with errors starts with "Fehler: ".
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape
from typing import Any

import pytest
from django.test import Client

from jobcenter.authz import MATRIX, Access
from jobcenter.roles import Role
from tests.factories import ContactPointFactory
from tests.security.test_authorization_matrix import _url
from tests.security.worlds import build_world

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
ERROR_PREFIX = "Fehler: "
# A POST to these pages does work even when empty (no form errors to show), or is a download.
PAGES = sorted(name for name, access in MATRIX.items() if not access.admin and access.method == "GET"
               and name not in ("healthz", "readyz", "logout"))


def _title(body: bytes) -> str | None:
    match = TITLE.search(body.decode("utf-8", "replace"))
    return " ".join(unescape(match.group(1)).split()) if match else None


def _role_for(access: Access) -> str:
    if access.public:
        return Role.TEAMLEITUNG
    return Role.TEAMLEITUNG if Role.TEAMLEITUNG in access.roles else sorted(access.roles)[0]


def _has_form_errors(response: Any) -> bool:
    from django.forms import BaseForm
    from django.forms.formsets import BaseFormSet

    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


@pytest.mark.django_db
def test_every_page_title_names_one_page_and_forms_with_errors_say_so(settings, tmp_path, make_staff) -> None:  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    office = ContactPointFactory(name="Anlaufstelle Eigen")
    world = build_world(office, "Eigenbuero")
    clients: dict[str, Client] = {}

    def client_for(access: Access) -> Client:
        role = _role_for(access)
        if role not in clients:
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(make_staff(role, office))
        return clients[role]

    titles: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    for name in PAGES:
        access = MATRIX[name]
        url = _url(name, access, world)
        response = client_for(access).get(url)
        if (response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
                and b"<html" in response.content):  # not an htmx fragment
            title = _title(response.content)
            if title is None:
                problems.append(f"GET {name} ({url}) has no <title>")
            else:
                titles[title].add(name)
                if title.startswith(ERROR_PREFIX):
                    problems.append(f"GET {name} ({url}) says {ERROR_PREFIX!r} without a form error: {title}")

    for name in PAGES:
        access = MATRIX[name]
        if access.public:
            continue
        url = _url(name, access, world)
        response = client_for(access).post(url, {})
        if response.status_code in (200, 400, 409, 422) and _has_form_errors(response):
            title = _title(response.content) or ""
            titles[title].add(f"{name} (form with errors)")
            if not title.startswith(ERROR_PREFIX):
                problems.append(f"POST {name} ({url}) shows form errors, but its title does not start with "
                                f"{ERROR_PREFIX!r}: {title}")

    shared = {title: sorted(names) for title, names in titles.items() if len(names) > 1}
    problems += [f"{len(names)} pages share the title {title!r}: {', '.join(names)}" for title, names in shared.items()]
    html_pages = {name for names in titles.values() for name in names if "(" not in name}
    assert len(html_pages) >= 0.7 * len(PAGES), f"only {len(html_pages)} of {len(PAGES)} pages answered: the walk broke"
    print(f"{len(html_pages)} of {len(PAGES)} pages, {len(titles)} titles")
    assert not problems, "page titles:\n  " + "\n  ".join(problems)
