"""Every URL of the project against the authorisation matrix (``jobcenter.authz.MATRIX``).

The URL resolver is walked (through every include, with namespaced names); a URL name without a matrix entry,
or an entry without a URL, fails. Then, per entry, a world of objects is built in the own contact point and in
another one (``tests/security/worlds.py``), a user of every role works in the own one, and the entry's URL is
requested with the entry's method (POST with an empty body) as follows:

  anonymous ...................... redirect to the login page (public entries: 200)
  (every role, and a superuser administrator, who must get exactly the Administrator's answers)
  role not in the entry,
      own office's object ........ 403
      other office's object ...... 403 or 404 (both reveal nothing: the role check may come before the lookup)
  role in the entry,
      own office's object ........ anything but 403, 404 and 5xx; accepted: 200, 302, 400 / 409 / 422 (an
                                   empty POST is refused by the form or a rule), 405 (wrong method)
      other office's object ...... 404, exactly as for an object that does not exist
      own office, module off ..... 404 (entries naming a module: the office switched all of them off)

and no response to an own-office user may contain a name from the other office's world (list pages and
exports included). Any 200 or 302 for the other office's object is a leak. The Django admin is one entry for
its namespace: anonymous users go to a login page (ours or the admin's), staff without ``is_staff`` are sent to the admin login,
an ``is_staff`` administrator gets in (and sees every office: that is what the admin is for).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jobcenter.authz import MATRIX, Access, entry_for
from jobcenter.roles import Role
from tests.factories import ContactPointFactory, UserFactory
from tests.security.worlds import build_world

OWN_MARKER = "Eigenbuero"
OTHER_MARKER = "Fremdbuero"  # in every name of the other office's world; must never reach an own-office user
ALLOWED_OWN = frozenset({200, 302, 400, 405, 409, 422})


# --- the URL resolver ---------------------------------------------------------------------------------------
def _pattern_kwargs(pattern: URLPattern | URLResolver) -> frozenset[str]:
    """Named groups of a route (``<int:pk>``) or of a regex (``(?P<app_label>…)``)."""
    return frozenset(pattern.pattern.converters) | frozenset(pattern.pattern.regex.groupindex)


def _walk(resolver: URLResolver, namespace: str = "", kwargs: frozenset[str] = frozenset()
          ) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(namespaced name, route, URL kwargs) of every pattern below ``resolver``; unnamed ones as ``"ns:"``."""
    for pattern in resolver.url_patterns:
        own = kwargs | _pattern_kwargs(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner, own)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", str(pattern.pattern), own


def _patterns() -> list[tuple[str, str, frozenset[str]]]:
    return list(_walk(get_resolver()))


URL_KWARGS: dict[str, frozenset[str]] = {
    name: kw for name, _route, kw in _patterns() if name and not name.endswith(":")
}


def test_every_url_pattern_has_a_matrix_entry() -> None:
    named = {name for name, _route, _kw in _patterns() if name and not name.endswith(":")}
    missing = sorted(name for name in named if entry_for(name) is None)
    # An unnamed pattern cannot be named in the matrix: only a namespace with a wildcard entry may have some.
    unnamed = sorted({f"{name}{route}" for name, route, _kw in _patterns()
                      if (not name or name.endswith(":")) and f"{name}*" not in MATRIX})
    assert not missing and not unnamed, (
        "URL names without an entry in jobcenter.authz.MATRIX:\n  " + "\n  ".join(missing)
        + ("\nunnamed URL patterns (name them):\n  " + "\n  ".join(unnamed) if unnamed else "")
    )


def test_matrix_has_no_stale_entries() -> None:
    names = set(URL_KWARGS)
    stale = sorted(key for key in MATRIX if (
        not any(name.startswith(key[:-1]) for name in names) if key.endswith(":*") else key not in names
    ))
    assert not stale, "matrix entries naming no URL: " + ", ".join(stale)


# --- requests -----------------------------------------------------------------------------------------------
def _object_kwargs(name: str, access: Access) -> dict[str, str]:
    """URL kwarg → kind of object it points at."""
    if access.obj is None:
        return {}
    if isinstance(access.obj, str):
        free = sorted(URL_KWARGS[name] - set(access.kwargs))
        assert len(free) == 1, f"{name}: obj={access.obj!r} but the URL takes {free}; give a mapping"
        return {free[0]: access.obj}
    return dict(access.obj)


def _url(name: str, access: Access, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = dict(access.kwargs)
    kwargs.update({kwarg: world[kind].pk for kwarg, kind in _object_kwargs(name, access).items()})
    return reverse(name, kwargs=kwargs or None)


def _send(client: Client, method: str, url: str) -> HttpResponse:
    return client.post(url) if method == "POST" else client.get(url)  # type: ignore[return-value]


def _describe(response: HttpResponse) -> str:
    text = str(response.status_code)
    if response.status_code in (301, 302):
        text += f" → {response['Location']}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        text += f" ({exc_info[1]!r})"
    return text


class Checker:
    """Sends the requests of one entry and collects every deviation from the matrix."""

    def __init__(self, access: Access) -> None:
        self.access = access
        self.problems: list[str] = []

    def expect(self, who: str, url: str, allowed: frozenset[int], client: Client) -> HttpResponse:
        response = _send(client, self.access.method, url)
        if response.status_code not in allowed:
            self.problems.append(f"{who}: {self.access.method} {url} answered {_describe(response)}, "
                                 f"expected one of {sorted(allowed)}")
        content = b"".join(response.streaming_content) if response.streaming else response.content  # downloads
        if OTHER_MARKER.lower().encode() in content.lower():
            self.problems.append(f"{who}: {self.access.method} {url} shows data of the other office")
        return response


@pytest.fixture
def offices(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The own and the other contact point (every module on), each with a world of objects (stored documents in a
    temporary directory)."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    own = ContactPointFactory(name="Anlaufstelle Eigen")
    other = ContactPointFactory(name="Anlaufstelle Fremd")
    return (own, build_world(own, OWN_MARKER)), (other, build_world(other, OTHER_MARKER))


SUPERUSER = "superuser administrator"  # is_staff and is_superuser, role Administrator (as the demo's ``admin``)


def superuser_administrator(office: Any) -> Any:
    user = UserFactory(username=f"root-{office.pk}-{UserFactory._meta.model.objects.count()}",
                       roles=[Role.ADMINISTRATOR], offices=[office])
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _client() -> Client:
    """A test client that answers an exception with a 500 (reported with the exception) instead of raising."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("name", sorted(key for key, access in MATRIX.items() if not access.admin))
def test_url_answers_as_the_matrix_says(name: str, offices, make_staff) -> None:  # type: ignore[no-untyped-def]
    access = MATRIX[name]
    (own_office, own), (_other_office, other) = offices
    check = Checker(access)
    own_url = _url(name, access, own)
    other_url = _url(name, access, other) if access.obj else None

    login_url = resolve_url(settings.LOGIN_URL)
    anonymous = frozenset({200}) if access.public else frozenset({302})
    response = check.expect("anonymous", own_url, anonymous, _client())
    if not access.public and response.status_code == 302 and not response["Location"].startswith(login_url):
        check.problems.append(f"anonymous: redirected to {response['Location']}, not to the login page")

    for role in [*sorted(Role.values), SUPERUSER]:
        client = _client()
        client.force_login(superuser_administrator(own_office) if role == SUPERUSER else make_staff(role, own_office))
        # the superuser administrator gets exactly the Administrator's answers: no bypass in the app's views
        allowed = access.public or (Role.ADMINISTRATOR if role == SUPERUSER else role) in access.roles
        check.expect(f"{role} (own office)", own_url, ALLOWED_OWN if allowed else frozenset({403}), client)
        if other_url:
            check.expect(f"{role} (other office)", other_url, frozenset({404}) if allowed else frozenset({403, 404}),
                         client)

    if access.modules and access.roles:
        own_office.enabled_modules = [m for m in own_office.enabled_modules if m not in access.modules]
        own_office.save(update_fields=["enabled_modules"])
        client = _client()
        role = sorted(access.roles)[0]
        client.force_login(make_staff(role, own_office))
        check.expect(f"{role} (own office, modules {sorted(access.modules)} off)", own_url, frozenset({404}), client)

    assert not check.problems, f"{name} deviates from the matrix:\n  " + "\n  ".join(check.problems)


# --- the Django admin ---------------------------------------------------------------------------------------
def _admin_urls() -> list[tuple[str, str]]:
    """Every admin URL but its own login and logout, required kwargs filled with a placeholder id."""
    urls = []
    for name, kwargs in sorted(URL_KWARGS.items()):
        if name.startswith("admin:") and name not in ("admin:login", "admin:logout"):
            placeholders = {kwarg: "jobcenter" if kwarg == "app_label" else "1" for kwarg in kwargs}
            urls.append((name, reverse(name, kwargs=placeholders or None)))
    return urls


def test_the_admin_lets_in_only_staff_administrators(db, office, make_staff) -> None:  # type: ignore[no-untyped-def]
    assert entry_for("admin:index") is MATRIX["admin:*"]
    problems: list[str] = []
    admin_login, login_url = reverse("admin:login"), resolve_url(settings.LOGIN_URL)
    staff = {role: _client() for role in Role.values}
    for role, client in staff.items():
        client.force_login(make_staff(role, office))  # roles alone (without is_staff) do not open the admin
    for name, url in _admin_urls():
        response = _client().get(url)
        if response.status_code != 302 or not response["Location"].startswith((login_url, admin_login)):
            problems.append(f"anonymous: {name} answered {_describe(response)}")
        for role, client in staff.items():
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith(admin_login):
                problems.append(f"{role}: {name} answered {_describe(response)}")

    administrator = UserFactory(username="it-admin", roles=[Role.ADMINISTRATOR], offices=[office])
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = _client()
    client.force_login(administrator)
    for name, url in _admin_urls():
        if name == "admin:index" or name.endswith("_changelist"):
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"is_staff administrator: {name} answered {_describe(response)}")
    assert not problems, "the admin deviates from the matrix:\n  " + "\n  ".join(problems)
