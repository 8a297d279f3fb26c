"""Query-string helpers (``jobcenter.params``): typed values or the default, never an exception; and a scan that
fails when a view reads ``request.GET`` itself instead of through them."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory

from jobcenter import params
from jobcenter.params import BIGINT_MAX, INT_MAX, MAX_PAGE

APPS = ("cases", "partners", "profiling", "integration_plans", "reporting", "jobcenter")
HELPERS = Path(settings.BASE_DIR) / "jobcenter" / "params.py"


def get(query: str) -> HttpRequest:
    """A request parsed by Django from the raw query string (percent-encoding as a browser sends it)."""
    return RequestFactory().get(f"/liste/?{query}")


# --- numbers ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [
    "%C2%B2",  # "²": str.isdigit() says yes, int() fails
    "%D9%A3",  # "٣" (Arabic-Indic three): int() would say 3
    "%EF%BC%91",  # "１" (fullwidth one)
    "1e9", "1.5", "0x10", "1_000", "", "%00", "1%002", "abc", "--1", "%2B-1",  # %2B: a literal "+" ("+" alone is a space)
])
def test_only_ascii_digits_make_a_number(value: str) -> None:
    assert params.get_int(get(f"n={value}"), "n", 7) == 7


@pytest.mark.parametrize(("value", "expected"), [("42", 42), ("%2B42", 42), ("-3", -3), ("%2042%20", 42), ("007", 7)])
def test_plain_numbers_are_read(value: str, expected: int) -> None:
    assert params.get_int(get(f"n={value}"), "n") == expected


def test_numbers_beyond_a_bigint_never_come_back() -> None:
    assert params.get_int(get(f"n={BIGINT_MAX}"), "n") == BIGINT_MAX
    assert params.get_int(get(f"n={BIGINT_MAX + 1}"), "n") is None
    assert params.get_int(get(f"n=-{BIGINT_MAX + 2}"), "n") is None
    assert params.get_int(get("n=" + "9" * 40), "n", 1) == 1
    assert params.get_int(get("n=" + "9" * 5000), "n", 1) == 1  # int() itself refuses over 4300 digits
    assert params.get_int(get("n=" + "9" * 40), "n", maximum=10**50) is None  # a wider bound is narrowed


def test_out_of_range_is_refused_or_clamped() -> None:
    request = get(f"small=-1&big={INT_MAX + 1}&huge={'9' * 40}&neg=-{'9' * 40}")
    assert params.get_int(request, "small", 5, minimum=1) == 5
    assert params.get_int(request, "big", None, maximum=INT_MAX) is None
    assert params.get_int(request, "small", 5, minimum=1, clamp=True) == 1
    assert params.get_int(request, "huge", 5, maximum=INT_MAX, clamp=True) == INT_MAX
    assert params.get_int(request, "neg", 5, minimum=0, clamp=True) == 0


def test_pages_are_clamped_and_garbage_is_page_one() -> None:
    assert params.get_page(get("page=3")) == 3
    assert params.get_page(get("page=0")) == 1
    assert params.get_page(get("page=-5")) == 1
    assert params.get_page(get("page=" + "9" * 40)) == MAX_PAGE
    assert params.get_page(get("page=%C2%B2")) == 1
    assert params.get_page(get("")) == 1
    assert params.get_page(get("p=9"), "p", maximum=5) == 5


def test_primary_keys_are_positive_bigints() -> None:
    assert params.get_pk(get("id=12"), "id") == 12
    assert params.get_pk(get("id=0"), "id") is None
    assert params.get_pk(get(f"id={BIGINT_MAX + 1}"), "id") is None


# --- repeated keys, NUL bytes, surrogates, length -----------------------------------------------------------------
def test_a_repeated_key_takes_its_last_value_as_a_bound_form_does() -> None:
    request = get("page=2&page=5&q=erst&q=zweit")
    assert params.get_page(request) == 5
    assert params.get_str(request, "q") == "zweit" == request.GET.get("q")  # what a form field bound to GET reads


def test_a_nul_byte_makes_the_value_absent() -> None:
    request = get("q=M%C3%BCller%00&status=open%00")
    assert params.get_str(request, "q", "leer") == "leer"
    assert params.get_choice(request, "status", ("open",), "all") == "all"
    assert params.raw(request, "q") is None


def test_a_lone_surrogate_makes_the_value_absent() -> None:
    request = get("")
    request.GET = QueryDict(mutable=True)
    request.GET["q"] = "ab\ud800"
    assert params.get_str(request, "q", "leer") == "leer"


def test_long_text_is_cut_and_stripped() -> None:
    request = get("q=%20%20" + "x" * 5000)
    assert params.get_str(request, "q", max_length=100) == "x" * 100
    assert params.get_str(request, "missing", "standard") == "standard"


# --- choices, booleans, dates ---------------------------------------------------------------------------------
def test_choices_are_exact() -> None:
    request = get("format=csv&sort=NAME&view=%20waiting%20")
    assert params.get_choice(request, "format", ("csv",), "") == "csv"
    assert params.get_choice(request, "sort", ("name",), "name") == "name"
    assert params.get_choice(request, "sort", ("-name",), None) is None
    assert params.get_choice(request, "view", {"waiting": 1}, "current") == "waiting"  # a mapping's keys


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("on", True), ("TRUE", True), ("ja", True), ("0", False), ("off", False), ("nein", False),
    ("", None), ("vielleicht", None), ("%00", None), ("%C2%B9", None),
])
def test_booleans(value: str, expected: bool | None) -> None:
    request = get(f"b={value}")
    assert params.get_bool(request, "b", True) is (True if expected is None else expected)
    assert params.get_bool(request, "b", False) is (False if expected is None else expected)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-02-28", datetime.date(2026, 2, 28)), ("28.02.2026", datetime.date(2026, 2, 28)),
    ("1.3.2026", datetime.date(2026, 3, 1)), ("%2001.03.2026%20", datetime.date(2026, 3, 1)),
    ("31.02.2026", None), ("2026-13-01", None), ("0000-00-00", None), ("29.02.2023", None), ("2026-02", None),
    ("%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-02-28", None),  # fullwidth year
    ("28.02.26", None), ("2026-2-28", None), ("%00", None), ("9" * 40, None),
])
def test_dates_in_iso_or_german_form(value: str, expected: datetime.date | None) -> None:
    default = datetime.date(2000, 1, 1)
    assert params.get_date(get(f"d={value}"), "d", default) == (expected or default)


# --- the scan: nobody else reads request.GET ----------------------------------------------------------------
FORM_SUFFIXES = ("Form", "FormSet")


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def ad_hoc_get_reads(source: str) -> list[int]:
    """Lines that touch ``<anything>.GET``, except as an argument of a form (``XyzForm(request.GET or None)``),
    whose fields validate what they read."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node).endswith(FORM_SUFFIXES):
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                allowed |= {id(inner) for inner in ast.walk(argument)}
    return sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr == "GET" and id(node) not in allowed)


def test_the_scan_finds_ad_hoc_reads_and_allows_form_binding() -> None:
    source = (
        "def view(request):\n"
        "    form = FilterForm(request.GET or None)\n"
        "    other = CaseFilterForm({**DEFAULTS, **request.GET.dict()}, managers=[])\n"
        "    page = request.GET.get('page')\n"
        "    term = request.GET['q']\n"
        "    helper(self.request.GET)\n"
    )
    assert ad_hoc_get_reads(source) == [4, 5, 6]


def test_no_view_parses_the_query_string_itself() -> None:
    base = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            if path == HELPERS or "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(base)}:{line}" for line in ad_hoc_get_reads(path.read_text())]
    assert not found, (
        "read GET parameters through jobcenter.params (get_int, get_str, get_choice, get_date, get_bool, get_page), "
        "not request.GET:\n  " + "\n  ".join(found)
    )
