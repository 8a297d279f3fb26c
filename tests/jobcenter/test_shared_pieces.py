"""One of each: the domain error, the view helpers, the role sets and the list partials exist once, and nothing in the
apps declares a second copy. The completeness tests walk the code and the templates, never a hand-kept list."""

from __future__ import annotations

import ast
import builtins
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from jobcenter.errors import DomainError
from jobcenter.listing import querystring, sort_columns
from jobcenter.roles import Role
from jobcenter.shortcuts import refuse
from tests.factories import UserFactory

BASE = Path(settings.BASE_DIR)
APPS = ("cases", "partners", "profiling", "integration_plans", "reporting", "jobcenter")
# Exceptions that are not broken business rules shown to a user, with the reason.
NOT_DOMAIN_ERRORS = {
    "profiling.rules.IncompleteProfiling": "a programming error (ratings not covering every dimension), never shown",
    "jobcenter.pdf.RefusedURL": "WeasyPrint's URL fetcher refusing a resource, never shown",
}


def _app_modules() -> Iterator[tuple[str, ast.Module]]:
    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(BASE).with_suffix("").parts)
            yield module, ast.parse(path.read_text(encoding="utf-8"))


def _exception_classes() -> list[tuple[str, ast.ClassDef]]:
    """Every class in app code that derives (by name, through app classes too) from a built-in exception."""
    classes = [(module, node) for module, tree in _app_modules() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)]
    known = {name for name in dir(builtins)
             if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name), BaseException)}
    found: dict[str, tuple[str, ast.ClassDef]] = {}
    grown = True
    while grown:
        grown = False
        for module, node in classes:
            bases = {ast.unparse(base).rpartition(".")[2] for base in node.bases}
            if node.name not in found and bases & (known | set(found)):
                found[node.name] = (module, node)
                grown = True
    return list(found.values())


# --- the domain error ---------------------------------------------------------------------------------------
def test_every_exception_of_the_apps_is_a_domain_error_with_one_way_to_attach_a_field() -> None:
    checked = []
    for module, node in _exception_classes():
        qualified = f"{module}.{node.name}"
        if qualified in NOT_DOMAIN_ERRORS or qualified == "jobcenter.errors.DomainError":
            continue
        cls = getattr(importlib.import_module(module), node.name)
        assert issubclass(cls, DomainError), f"{qualified} does not subclass jobcenter.errors.DomainError"
        own = [target for item in ast.walk(node) if isinstance(item, ast.Assign) for target in item.targets
               if isinstance(target, ast.Attribute) and ast.unparse(target) in ("self.message", "self.field")]
        assert not own, f"{qualified} sets {ast.unparse(own[0])} itself instead of leaving it to DomainError"
        checked.append(qualified)
    assert len(checked) >= 15  # the walk found the apps' errors (ApplicationError … DocumentError)


def test_a_domain_error_takes_its_field_by_keyword_and_keeps_a_lazy_message_as_text() -> None:
    from django.utils.translation import gettext_lazy

    with translation.override("de"):
        error = DomainError(gettext_lazy("Choose a channel."), field="channel")
    assert (error.message, error.field, str(error)) == ("Wählen Sie einen Kontaktweg.", "channel",
                                                       "Wählen Sie einen Kontaktweg.")
    with pytest.raises(TypeError):
        DomainError("no field by position", "channel")  # type: ignore[call-arg]


# --- refuse -------------------------------------------------------------------------------------------------
class _Form(forms.Form):
    day = forms.DateField()
    text = forms.CharField()


def test_refuse_shows_the_error_at_its_field_or_above_the_form() -> None:
    at_field, unknown, renamed = _Form({}), _Form({}), _Form({})
    refuse(at_field, DomainError("Write what was discussed.", field="text"))
    refuse(unknown, DomainError("This case is closed.", field="not_a_form_field"))
    refuse(renamed, DomainError("A new appointment cannot lie in the past.", field="starts_at"),
           renamed={"starts_at": "day"})
    assert "Write what was discussed." in at_field.errors["text"]
    assert unknown.non_field_errors() == ["This case is closed."]
    assert "A new appointment cannot lie in the past." in renamed.errors["day"]


def test_refuse_on_a_request_leaves_an_error_message() -> None:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    refuse(request, DomainError("The plan cannot be finalised yet."))
    assert [(m.message, m.level_tag) for m in get_messages(request)] == [("The plan cannot be finalised yet.",
                                                                          "error")]


# --- active_office ------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["cases:client_create", "cases:triage", "cases:case_list",
                                      "integration_plans:plan_list", "partners:partner_create",
                                      "reporting:dashboard"])
def test_staff_without_a_contact_point_get_404_on_every_page_that_needs_one(url_name: str) -> None:
    user = UserFactory(roles=[Role.EMPFANG, Role.FALLMANAGER, Role.TEAMLEITUNG, Role.ADMINISTRATOR], offices=[])
    client = Client()
    client.force_login(cast(User, user))
    response = client.get(reverse(url_name))
    assert response.status_code == 404


# --- roles from one place -----------------------------------------------------------------------------------
def _role_members(node: ast.AST) -> int:
    elements = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else []
    return sum(1 for element in elements if isinstance(element, ast.Attribute)
               and isinstance(element.value, ast.Name) and element.value.id == "Role")


def test_no_module_declares_a_role_set_beside_the_authorisation_matrix() -> None:
    """Views, sections and menus take their role sets from ``jobcenter.authz`` (``Role.X`` for one role is fine)."""
    own = ("jobcenter.authz", "jobcenter.roles")
    found = []
    for module, tree in _app_modules():
        if module in own or ".management." in module or module.endswith(".demo"):
            continue
        for node in ast.walk(tree):
            if _role_members(node) >= 2 or (isinstance(node, ast.Attribute) and ast.unparse(node) == "Role.values"):
                found.append(f"{module}:{getattr(node, 'lineno', '?')} {ast.unparse(node)}")
            if isinstance(node, ast.Assign) and any(re.fullmatch(r"[A-Z_]+_ROLES", ast.unparse(t))
                                                    for t in node.targets):
                found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
    assert not found, "role sets declared outside jobcenter/authz.py:\n" + "\n".join(found)


# --- list helpers and partials ------------------------------------------------------------------------------
def test_sort_columns_link_to_the_sort_keep_the_filters_and_reverse_the_current_one() -> None:
    columns = (("name", "Name"), ("", "Geburtsdatum"), ("opened", "Eröffnet"))
    filters = {"q": "Mei", "status": "", "mine": True, "sort": "name"}
    name, birth, opened = sort_columns(columns, filters, {"name", "opened"})
    assert birth.sort is None
    assert (name.sort and name.sort.direction, name.sort and name.sort.url) == ("asc", "?q=Mei&mine=1&sort=-name")
    assert (opened.sort and opened.sort.direction, opened.sort and opened.sort.url) == ("", "?q=Mei&mine=1&sort=opened")
    descending = sort_columns(columns, {"sort": ""}, {"name"}, default="-name")[0]
    assert (descending.sort and descending.sort.direction, descending.sort and descending.sort.url) == (
        "desc", "?sort=name")
    assert querystring(filters, page=2) == "q=Mei&mine=1&sort=name&page=2"


def test_the_partials_render_sort_state_pages_and_htmx_targets() -> None:
    columns = sort_columns((("name", "Name"), ("", "Status")), {"sort": "-name"}, {"name"})
    head = render_to_string("partials/sortable_head.html", {"columns": columns, "hx_target": "case-results"})
    assert 'aria-sort="descending"' in head and 'data-testid="sort-name"' in head
    assert 'hx-get="?sort=name" hx-target="#case-results"' in head and '<th scope="col">Status</th>' in head
    page = Paginator(list(range(30)), 10).get_page(2)
    with translation.override("de"):
        pages = render_to_string("partials/pagination.html", {"page": page, "query": "q=a", "param": "offers",
                                                              "anchor": "#offers"})
    assert 'href="?q=a&amp;offers=3#offers" data-testid="next-page"' in pages and "Seite 2 von 3" in pages
    assert "hx-get" not in pages
    badge = render_to_string("partials/status_badge.html", {"label": "Offen", "tone": "text-bg-success",
                                                            "testid": "vacancy-status"})
    assert badge.strip().endswith('<span class="badge text-bg-success" data-testid="vacancy-status">Offen</span>')


def _templates() -> Iterator[Path]:
    for folder in [BASE / "templates", *(BASE / app / "templates" for app in APPS)]:
        yield from sorted(folder.rglob("*.html"))


@pytest.mark.parametrize(("what", "pattern", "home"), [
    ("pagination", re.compile(r'class="pagination'), "partials/pagination.html"),
    ("sortable header", re.compile(r"aria-sort"), "partials/sortable_head.html"),
    ("status badge", re.compile(r'class="badge[^"]*\{%\s*if\s+[\w.]*status\s*=='), "partials/status_badge.html"),
])
def test_list_markup_lives_in_one_partial(what: str, pattern: re.Pattern[str], home: str) -> None:
    copies = [str(path.relative_to(BASE)) for path in _templates() if pattern.search(path.read_text(encoding="utf-8"))
              and not path.as_posix().endswith(home)]
    assert not copies, f"{what} written again instead of including {home}: {copies}"
