"""Bad query strings (issue 12, item 6): every GET URL answers garbage in its query string with a page, never a 5xx.

The URLs are those of the authorisation matrix (``jobcenter.authz.MATRIX``, every entry with method GET, built with
the matrix test's ``_url`` on a world of ``tests/security/worlds.py``), widened where one URL name stands for many
lists: the drill-down and the CSV export of every key (``reporting.drilldown.DRILLS``, ``reporting.tables.TABLES``
and the dashboard's work lists), every "Mein Tag" list and every work list of profiling and plans. Each is requested
as a role the matrix allows (the Teamleitung where it may, public pages anonymously).

The parameter names come from the views themselves: a plain GET of the URL runs with ``QueryDict`` reads recorded
(``get``/``getlist``/``[]``/``in``: what ``jobcenter.params`` and a form bound to ``request.GET`` do), and links of
the page (``?manager=12&step=6``) add their names and values as plausible input. ``DECLARED`` adds the names a view
reads in a way the recording cannot see. Random names are mixed in.

Values: Unicode digits ("²", "٣", "１"), huge and odd numbers ("9"*40, "-1", "1e9", 2**63), garbage dates
("31.02.2026", "2026-13-01", "0000-00-00"), NUL bytes, empty values, very long strings, arbitrary text; every
parameter may be repeated. The answer must be 200 or 400 (a 302 only where the plain GET redirects too).

Each example runs in a savepoint that is rolled back, so a database error in one request cannot poison the next.
A deeper run: ``FUZZ_EXAMPLES=200 pytest tests/security/test_fuzz_querystrings.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.forms.cases import CaseFilterForm
from cases.views.contacts import MY_DAY_LISTS
from integration_plans.views.home import WORKLISTS as PLAN_WORKLISTS
from jobcenter.authz import MATRIX, Access
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from profiling.views.sections import _worklists as profiling_worklists
from reporting import drilldown
from reporting import selectors as reporting_selectors
from reporting.tables import TABLES
from tests.factories import ContactPointFactory, UserFactory
from tests.security.test_authorization_matrix import _url
from tests.security.worlds import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 6  # random examples per URL, after the sweep
MARKER = "Eigenbuero"
PROBE = "probe"  # sent with the plain GET
GROUPS = ("jobcenter", "notifications", "cases", "partners", "profiling", "integration_plans", "letters", "reporting")

# Names a view reads where the recording cannot see it: the case list binds its filter form to
# ``{**DEFAULTS, **request.GET.dict()}`` (``dict()`` reads only keys that are sent).
DECLARED: dict[str, tuple[str, ...]] = {"cases:case_list": tuple(CaseFilterForm.base_fields)}

# --- values ------------------------------------------------------------------------------------------------------
UNICODE_DIGITS = ["²", "٣", "１", "৩", "߃", "½", "Ⅻ", "𝟗", "١٢", "２００３-０３"]
NUMBERS = ["9" * 40, "-" + "9" * 40, "-1", "0", "1e9", "1.5", "0x10", "1_000", " 7 ", "+3", "007", str(2**31),
           str(2**63), str(-(2**63) - 1), "9" * 5000, "NaN", "Infinity"]
DATES = ["31.02.2026", "2026-13-01", "0000-00-00", "2026-02-31", "29.02.2023", "9999-12-31", "0001-01-01",
         "2026-02", "9999-99", "0000-01", "1989-12", "2003-03", "2101-01", "today", "32.13.2026", "1.1.1"]
NUL = ["\x00", "1\x00", "a\x00b", "csv\x00", "none\x00"]
LONG = ["x" * 5000, "ä" * 3000, "%" * 2000, "<script>" * 300]
PLAUSIBLE = ["", "1", "2", "6", "12", "24", "csv", "none", "mine", "all", "open", "on", "true", "name", "-name",
             "date", "-date", "current", "waiting", "ended", "referral", "plan_service", "hlu", "AA", "SHT"]
# One value of each kind for the sweep (every name at once).
SWEEP = ["²", "٣", "9" * 40, "-1", "1e9", "31.02.2026", "Müller\x00 1", "x" * 3000, ""]
BROKEN_UTF8 = "%ED%A0%80%FF%C3"  # an encoded surrogate, a byte that is no UTF-8, a cut-off sequence
RANDOM_NAMES = ["id", "pk", "sort", "order", "next", "format", "month", "year", "from", "to", "q", "page",
                "manager", "step", "flag", "client", "view", "limit", "offset", "", "page[]", "\x00"]


def values(plausible: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(plausible or PLAUSIBLE),
        st.sampled_from(PLAUSIBLE + UNICODE_DIGITS + NUMBERS + DATES + NUL + LONG),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


# --- the URLs ---------------------------------------------------------------------------------------------------
@dataclass
class Target:
    label: str  # the URL name, with the key for widened entries
    url: str
    role: str | None  # None: anonymous (public pages)
    names: set[str] = field(default_factory=set)
    plausible: dict[str, list[str]] = field(default_factory=dict)
    redirects: bool = False


def _role(access: Access) -> str | None:
    if access.public:
        return None
    return Role.TEAMLEITUNG if Role.TEAMLEITUNG in access.roles else sorted(access.roles)[0]


def targets(group: str, world: dict[str, Any], user: AbstractBaseUser, office: ContactPoint) -> list[Target]:
    """Every GET URL of the matrix in ``group`` (the namespace; "jobcenter" for the shell), widened by keys."""
    found: list[Target] = []
    for name, access in sorted(MATRIX.items()):
        namespace = name.rpartition(":")[0] or "jobcenter"
        if access.admin or access.method != "GET" or namespace != group:
            continue
        role = _role(access)
        if name == "reporting:drilldown":
            found += [Target(f"{name}[{key}]", reverse(name, args=[key]), role) for key in drilldown.DRILLS]
        elif name == "reporting:export_table":
            keys = [*TABLES, *(f"worklist-{w.key}" for w in reporting_selectors.worklists(user, office,
                                                                                        timezone.localdate()))]
            found += [Target(f"{name}[{key}]", reverse(name, args=[key]), role) for key in keys]
        elif name == "cases:my_day_list":
            found += [Target(f"{name}[{slug}]", reverse(name, args=[slug]), role) for slug in MY_DAY_LISTS]
        elif name == "profiling:worklist":
            found += [Target(f"{name}[{slug}]", reverse(name, args=[slug]), role) for slug in profiling_worklists()]
        elif name == "integration_plans:worklist":
            found += [Target(f"{name}[{slug}]", reverse(name, args=[slug]), role) for slug in PLAN_WORKLISTS]
        else:
            found.append(Target(name, _url(name, access, world), role))
    return found


# --- recording what a view reads ----------------------------------------------------------------------------------
@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """The keys looked up in any ``QueryDict`` while the block runs (the view's own code runs unchanged)."""
    names: set[str] = set()

    def recorded(method: Callable[..., Any]) -> Callable[..., Any]:
        def read(self: QueryDict, key: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(key, str):
                names.add(key)
            return method(self, key, *args, **kwargs)
        return read

    methods = ("get", "getlist", "__getitem__", "__contains__")
    with pytest.MonkeyPatch.context() as patch:
        for method in methods:
            patch.setattr(QueryDict, method, recorded(getattr(MultiValueDict, method)), raising=False)
        yield names


_LINK_QUERY = re.compile(r"""(?:href|hx-get|action)="[^"?]*\?([^"#]*)""")


def link_values(content: bytes) -> dict[str, list[str]]:
    """Names and values in the query strings of the page's links (``?manager=12&amp;step=6``)."""
    found: dict[str, list[str]] = {}
    for query in _LINK_QUERY.findall(content.decode("utf-8", "replace")):
        for key, value in parse_qsl(unescape(query), keep_blank_values=True):
            found.setdefault(key, [])
            if value not in found[key] and len(found[key]) < 20:
                found[key].append(value)
    return found


def _body(response: HttpResponse) -> bytes:
    # Not response.close(): it sends request_finished, whose handler closes the test's database connection.
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def probe(client: Client, target: Target) -> None:
    """A plain GET: what the view reads, which values its links use, and whether it redirects anyway."""
    with recording_reads() as names:  # a dummy parameter: forms bound to ``request.GET or None`` read their fields
        response = client.get(target.url, {PROBE: "1"})
    assert response.status_code in (200, 302), f"{target.label}: plain GET answered {response.status_code}"
    target.redirects = response.status_code == 302
    target.plausible = link_values(_body(response))
    name = target.label.partition("[")[0]
    target.names = (names | set(DECLARED.get(name, ())) | set(target.plausible)) - {PROBE}


# --- the check ----------------------------------------------------------------------------------------------------
def _describe(response: HttpResponse) -> str:
    exc_info = getattr(response, "exc_info", None)
    return f"{response.status_code}" + (f" ({exc_info[1]!r})" if exc_info else "")


def check(client: Client, target: Target, query: list[tuple[str, str]] | str) -> None:
    """One GET with ``query`` (pairs, or a query string already percent-encoded) in a savepoint rolled back."""
    url = f"{target.url}?{query if isinstance(query, str) else urlencode(query)}"
    with transaction.atomic():
        try:
            response = client.get(url)
            _body(response)
        finally:
            transaction.set_rollback(True)
    allowed = {200, 400} | ({302} if target.redirects else set())
    assert response.status_code in allowed, f"GET {url[:300]} answered {_describe(response)}"


def sweep(client: Client, target: Target) -> None:
    """Every name the view reads at once with one hostile value, for each value of ``SWEEP`` (a view parses its
    names one by one, so this tries each name with each value); then each name twice, the bad value last."""
    names = sorted(target.names)
    if not names:  # a page that reads no parameter: the random examples below send some anyway
        return
    for value in SWEEP:
        check(client, target, [(name, value) for name in names])
    check(client, target, [(name, value) for name in names for value in ("1", "²")])
    check(client, target, "&".join(f"{quote(name)}={BROKEN_UTF8}" for name in names))


def fuzz(client: Client, target: Target) -> None:
    """Random combinations: some of the names (and random ones), each with one to three values."""
    names = sorted(target.names)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        pool = st.sampled_from(names) if names else st.sampled_from(RANDOM_NAMES)
        chosen = data.draw(st.lists(st.one_of(pool, pool, st.sampled_from(RANDOM_NAMES), st.text(max_size=10)),
                                    min_size=1, max_size=6), label="names")
        query = [(name, value) for name in chosen
                 for value in data.draw(st.lists(values(target.plausible.get(name, [])), min_size=1, max_size=3),
                                        label=f"values of {name!r}")]
        check(client, target, query)

    run()


@pytest.fixture
def world(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    office = ContactPointFactory(name="Anlaufstelle Eigen")
    return office, build_world(office, MARKER)


def _clients(office: ContactPoint) -> tuple[dict[str | None, Client], dict[str, AbstractBaseUser]]:
    """A logged-in test client per role of ``office`` (and an anonymous one under ``None``), and the users."""
    clients: dict[str | None, Client] = {None: Client(raise_request_exception=False)}
    users: dict[str, AbstractBaseUser] = {}
    for role in Role.values:
        users[role] = UserFactory(username=f"fuzz-{role.lower()}", roles=[role], offices=[office])
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(users[role])
    return clients, users


def test_every_get_url_of_the_matrix_is_in_a_group() -> None:
    namespaces = {name.rpartition(":")[0] or "jobcenter" for name, access in MATRIX.items()
                  if not access.admin and access.method == "GET"}
    assert namespaces <= set(GROUPS), f"add to GROUPS: {sorted(namespaces - set(GROUPS))}"


@pytest.mark.parametrize("group", GROUPS)
def test_every_get_url_answers_a_bad_query_string_without_a_server_error(group: str, world) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    clients, users = _clients(office)
    found = targets(group, objects, users[Role.TEAMLEITUNG], office)
    assert found, f"no GET URL in {group}"
    problems = []
    for target in found:
        client = clients[target.role]
        probe(client, target)
        try:
            sweep(client, target)
            fuzz(client, target)
        except AssertionError as failure:  # keep going: one report for every URL of the group
            problems.append(f"{target.label}: {failure}")
    assert not problems, f"{len(problems)} of {len(found)} URLs answered a query string with an error:\n  " + \
        "\n  ".join(problems)


# --- the bugs that started it ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("key", "query"), [
    ("caseload", "manager=%C2%B2"),  # "²".isdigit() is True, int("²") fails
    ("caseload", "manager=" + "9" * 40),  # beyond bigint: the database refused the parameter
    ("caseload", "manager=%D9%A3"),  # "٣": int() would read 3
    ("sustainability", "step=%C2%B2"),
    ("cohorts", "step=%C2%B2&step=" + "9" * 40),
    ("cohorts", "step=%EF%BC%96"),  # fullwidth 6
    ("caseload", "to=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%93-03&page=%C2%B2"),
    ("clients", "page=" + "9" * 40 + "&format=csv%00"),
])
def test_drilldown_answers_unicode_digits_and_huge_numbers_with_the_list(key: str, query: str, world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, _objects = world
    client = Client(raise_request_exception=False)
    client.force_login(make_staff(Role.TEAMLEITUNG, office))
    response = client.get(f"{reverse('reporting:drilldown', args=[key])}?{query}")
    assert response.status_code == 200, _describe(response)
    assert response["Content-Type"].startswith("text/html")
    assert "manager" not in response.context["querystring"] and "step" not in response.context["querystring"]


def test_drilldown_keeps_a_real_manager_and_step(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    client = Client(raise_request_exception=False)
    client.force_login(make_staff(Role.TEAMLEITUNG, office))
    manager = objects["case"].case_manager
    response = client.get(reverse("reporting:drilldown", args=["caseload"]), {"manager": manager.pk})
    assert response.status_code == 200
    assert response.context["query"].manager == str(manager.pk)
    response = client.get(reverse("reporting:drilldown", args=["cohorts"]), {"step": ["3", "6"]})  # the last counts
    assert response.status_code == 200
    assert response.context["query"].step == 6


def test_a_nul_byte_in_a_search_is_an_empty_search(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, _objects = world
    client = Client(raise_request_exception=False)
    client.force_login(make_staff(Role.TEAMLEITUNG, office))
    for url in (reverse("cases:client_list"), reverse("cases:triage"), reverse("cases:case_list"),
                reverse("partners:vacancy_detail", args=[_objects["vacancy"].pk])):
        response = client.get(url, {"q": f"{MARKER}\x00"})
        assert response.status_code == 200, f"{url}: {_describe(response)}"


def test_the_recording_sees_what_a_view_reads(world) -> None:  # type: ignore[no-untyped-def]
    office, _objects = world
    clients, _users = _clients(office)
    drill = Target("reporting:drilldown[cohorts]", reverse("reporting:drilldown", args=["cohorts"]),
                   Role.TEAMLEITUNG)
    probe(clients[Role.TEAMLEITUNG], drill)
    assert {"from", "to", "slice", "step", "flag", "format", "page"} <= drill.names
    referrals = Target("partners:referral_list", reverse("partners:referral_list"), Role.TEAMLEITUNG)
    probe(clients[Role.TEAMLEITUNG], referrals)
    assert {"q", "status", "client", "page"} <= referrals.names  # the filter form's fields and the pagination
    assert "manager" not in referrals.names
