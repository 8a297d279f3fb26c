"""Every URL of the project against the access-log declarations (``jobcenter.access_log.ACCESS_LOG``) and the
no-store header.

The URL resolver is walked as in the authorisation-matrix test; a URL name without a declaration (or a declaration
without a URL) fails. Then every URL is requested with the matrix's method as every role the matrix allows, in a
world of objects (``tests/security/worlds.py``) whose client carries a marker name and customer number:

  body shows the client, URL declared as showing no client data (or not at all) ... fails
  declared as showing no client data, but access records were written ............. fails
  declared ``Unlogged`` (admin pages not attributable to a client, with the reason) .. no record
  declared for one client, the data went out (2xx, or 400/409/422) ................ exactly one record, the client's
  declared as a list or export, the data went out ................................. at most one record (client
                                                                                       empty, number of rows), exactly
                                                                                       one when the body shows the client
  a redirect, refusal or error ..................................................... no record
  every response to a logged-in user (pages, partials, PDF, CSV) ................... ``Cache-Control`` with no-store

Data of the other Träger (``shown_data``): every user of the walk works for the Arbeitsamt, and the world holds
data the Sozialamt recorded (an HLU benefit, a note and an application by a Sozialamt clerk, ``SOZIALAMT_DATA``):

  body shows the Sozialamt's data of a kind ........................................ the record carries a flow of
                                                                                       that kind, both Träger named
  a flow of a kind the URL does not declare ........................................ fails
  a kind the URL declares that no role's request recorded .......................... fails (stale declaration)

The Django admin is walked the same way as an ``is_staff`` administrator, with the world's objects.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from cases.models import Client as ClientModel
from jobcenter.access_log import ACCESS_LOG, Logged, declaration_for, showed_data
from jobcenter.authz import MATRIX, Access
from jobcenter.models import AccessRecord, Agency, ContactPoint, StaffProfile
from jobcenter.roles import Role
from tests.factories import ContactPointFactory, UserFactory
from tests.security.test_authorization_matrix import URL_KWARGS, _describe, _patterns, _send, _url
from tests.security.worlds import SOZIALAMT_DATA, build_world

MARKER = "Eigenbuero"
CUSTOMER_NUMBER = "987X654321"


def test_every_url_pattern_has_an_access_log_declaration() -> None:
    named = {name for name, _route, _kw in _patterns() if name and not name.endswith(":")}
    missing = sorted(name for name in named if not declaration_for(name)[0])
    stale = sorted(key for key in ACCESS_LOG if (
        not any(name.startswith(key[:-1]) for name in named) if key.endswith(":*") else key not in named))
    assert not missing, "URL names without an entry in jobcenter.access_log.ACCESS_LOG:\n  " + "\n  ".join(missing)
    assert not stale, "access-log entries naming no URL: " + ", ".join(stale)


@pytest.fixture
def world(db, settings, tmp_path) -> tuple[ContactPoint, dict[str, Model]]:  # type: ignore[no-untyped-def]
    """The own contact point (every module on) and its world; the client has a customer number to look for."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    office = ContactPointFactory(name="Anlaufstelle Eigen")
    objects = build_world(office, MARKER)
    ClientModel.objects.filter(pk=objects["client"].pk).update(customer_number=CUSTOMER_NUMBER)
    return office, objects


def _body(response: HttpResponse) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content  # downloads
    return content.decode("utf-8", errors="replace")


def _shows_client(body: str) -> bool:
    return f"{MARKER}mann" in body or CUSTOMER_NUMBER in body


class Checker:
    """Sends one request and collects every deviation from the declaration."""

    def __init__(self, name: str, client_pk: int) -> None:
        self.name = name
        self.client_pk = client_pk
        self.declared, self.entry = declaration_for(name)
        self.problems: list[str] = []
        self.data_recorded: set[str] = set()  # kinds of the other Träger's data some request logged a flow of

    def check(self, who: str, client: Client, method: str, url: str) -> None:
        before = AccessRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = _send(client, method, url)
        records = list(AccessRecord.objects.filter(id__gt=before))
        body = _body(response)
        where = f"{who}: {method} {url} ({_describe(response)})"
        if response.status_code >= 500:
            self.problems.append(f"{where}: server error")
        if showed_data(response) and "no-store" not in response.get("Cache-Control", ""):
            self.problems.append(f"{where}: no 'Cache-Control: no-store' (got {response.get('Cache-Control')!r})")
        if not isinstance(self.entry, Logged):  # None: no client data; Unlogged: not attributable, with a reason
            if self.entry is None and _shows_client(body):
                self.problems.append(f"{where}: shows the client but is "
                                     f"{'declared as showing no client data' if self.declared else 'not declared'}")
            if records:
                self.problems.append(f"{where}: declared as showing no client data but logged {records}")
            if self.entry is None:
                self.check_flows(where, body, records)
            return
        if not showed_data(response):
            if records:
                self.problems.append(f"{where}: logged {records} although nothing was shown")
            return
        if self.entry.many:
            expected = 1 if _shows_client(body) else len(records)
            if len(records) != expected or len(records) > 1 or any(
                    r.client_id is not None or r.clients < 1 for r in records):
                self.problems.append(f"{where}: a list must log once with its number of rows, logged "
                                     f"{[(r.client_id, r.clients, r.what) for r in records]}")
        elif [r.client_id for r in records] != [self.client_pk] or records[0].kind != self.entry.kind:
            self.problems.append(f"{where}: must log one {self.entry.kind} of client {self.client_pk}, logged "
                                 f"{[(r.client_id, r.kind, r.what) for r in records]}")
        self.check_flows(where, body, records)

    def check_flows(self, where: str, body: str, records: list[AccessRecord]) -> None:
        """The reader works for the Arbeitsamt: the Sozialamt's data on the page must be logged as a flow."""
        flows = {(flow.data, flow.reader_carrier, flow.owner_carrier) for record in records for flow in record.flows.all()}
        declared = self.entry.data if isinstance(self.entry, Logged) else frozenset()
        for data, mark in SOZIALAMT_DATA.items():
            if mark in body and (data, Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE) not in flows:
                self.problems.append(f"{where}: shows the Sozialamt's {data} data ({mark!r}) to an Arbeitsamt reader "
                                     f"but logged no flow (declare it and call access_log.shown_data)")
        undeclared = {data for data, _reader, _owner in flows} - declared
        if undeclared:
            self.problems.append(f"{where}: logged flows of {sorted(undeclared)}, which the URL does not declare")
        self.data_recorded |= {data for data, _reader, _owner in flows}

    def check_declared_data(self) -> None:
        """Every kind of the other Träger's data a URL declares was logged by one of the requests."""
        declared = self.entry.data if isinstance(self.entry, Logged) else frozenset()
        stale = declared - self.data_recorded
        if stale:
            self.problems.append(f"declares {sorted(stale)} of the other Träger but no request logged such a flow")


def _role_for(access: Access) -> list[str]:
    return sorted(access.roles) if not access.public else []


def _arbeitsamt_staff(make_staff, role: str, office: ContactPoint):  # type: ignore[no-untyped-def]
    """A staff member of ``office`` working for its Arbeitsamt (the world's Sozialamt data is the other Träger's)."""
    user = make_staff(role, office)
    StaffProfile.objects.filter(user=user).update(home_agency=office.employment_agency)
    return user


@pytest.mark.parametrize("name", sorted(key for key, access in MATRIX.items() if not access.admin and not access.public))
def test_url_logs_as_declared(name: str, world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    access = MATRIX[name]
    url = _url(name, access, objects)
    check = Checker(name, objects["client"].pk)
    for role in _role_for(access):
        client = Client(raise_request_exception=False)
        client.force_login(_arbeitsamt_staff(make_staff, role, office))
        check.check(role, client, access.method, url)
    # the assigned case manager sees the sensitive parts that others only learn exist
    manager = objects["case"].case_manager  # type: ignore[attr-defined]
    if Role.FALLMANAGER in access.roles:
        client = Client(raise_request_exception=False)
        client.force_login(manager)
        check.check("assigned case manager", client, access.method, url)
    check.check_declared_data()
    assert not check.problems, f"{name} deviates from its access-log declaration:\n  " + "\n  ".join(check.problems)


# --- the Django admin ---------------------------------------------------------------------------------------
def _admin_urls(objects: dict[str, Model]) -> list[tuple[str, str]]:
    """Every admin URL of a registered model (change, delete, history with an object of the world or the first
    row), the index and the app indexes."""
    urls: list[tuple[str, str]] = [("admin:index", reverse("admin:index"))]
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}_"
        obj: Any = next((o for o in objects.values() if isinstance(o, model)), None) or model._default_manager.first()
        for action in ("changelist", "change", "delete", "history"):
            name = prefix + action
            if name not in URL_KWARGS:
                continue
            if action == "changelist":
                urls.append((name, reverse(name)))
            elif obj is not None:
                urls.append((name, reverse(name, args=[obj.pk])))
    return urls


def test_admin_pages_log_as_declared(world) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    administrator = UserFactory(username="it-admin", roles=[Role.ADMINISTRATOR], offices=[office])
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    problems: list[str] = []
    for name, url in _admin_urls(objects):
        check = Checker(name, objects["client"].pk)
        check.check("administrator", client, "GET", url)
        problems += check.problems
    assert not problems, "the admin deviates from the access-log declarations:\n  " + "\n  ".join(problems)
