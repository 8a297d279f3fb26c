"""Query-string parameters: every GET parameter of the project is read through these helpers.

A view never parses ``request.GET`` itself (``tests/jobcenter/test_params.py`` scans the apps for it; a Django
form bound to ``request.GET`` is the one exception: its fields validate). Each helper returns a clean, typed value
or the caller's default, so a bookmark with garbage still shows a page (200) and never a server error:

* **repeated keys**: the *last* value counts (``?page=1&page=2`` is page 2), exactly as ``QueryDict.get`` and a
  bound Django form read them, so a view and its filter form never disagree;
* **garbage is absent**: a value holding a NUL byte (PostgreSQL refuses it in text) or a lone surrogate is
  treated as if the parameter were missing;
* **numbers** are ASCII digits only (``"²".isdigit()`` and ``int("٣")`` accept other scripts; ``int("1_0")``
  accepts underscores): ``[+-]?[0-9]+`` and nothing else. A number outside the allowed range is refused (the
  default) or, with ``clamp=True``, moved to the nearest bound. Without explicit bounds the range is that of a
  PostgreSQL ``bigint``, so no value returned here can overflow a column;
* **dates** are ISO (``2026-02-28``) or German (``28.02.2026``); an impossible date (``31.02.2026``) is absent;
* **text** is stripped and cut to ``max_length`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import TypeVar, overload

from django.http import HttpRequest

BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1  # PostgreSQL bigint (``BigAutoField`` primary keys)
INT_MAX = 2**31 - 1  # PostgreSQL integer (``IntegerField``)
MAX_PAGE = 10_000  # deeper pages are not browsed; a bigger number shows the last page up to here
DEFAULT_MAX_LENGTH = 200

_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_GERMAN_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_MAX_DIGITS = 30  # longer digit strings are out of every range; int() is not even tried on them
_TRUE = frozenset({"1", "true", "on", "yes", "ja"})
_FALSE = frozenset({"0", "false", "off", "no", "nein"})

T = TypeVar("T")


def raw(request: HttpRequest, name: str) -> str | None:
    """The last value of ``name`` as sent, or ``None`` when it is missing or unusable (NUL byte, surrogate)."""
    values = request.GET.getlist(name)
    if not values:
        return None
    value = values[-1]
    if not isinstance(value, str) or "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    return value


def get_str(request: HttpRequest, name: str, default: str = "", *, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Text, stripped and cut to ``max_length`` characters; ``default`` when missing or unusable."""
    value = raw(request, name)
    if value is None:
        return default
    return value.strip()[:max_length].strip()


@overload
def get_int(request: HttpRequest, name: str, default: int, *, minimum: int | None = ..., maximum: int | None = ...,
            clamp: bool = ...) -> int: ...
@overload
def get_int(request: HttpRequest, name: str, default: None = ..., *, minimum: int | None = ...,
            maximum: int | None = ..., clamp: bool = ...) -> int | None: ...
def get_int(request: HttpRequest, name: str, default: int | None = None, *, minimum: int | None = None,
            maximum: int | None = None, clamp: bool = False) -> int | None:
    """An integer of ASCII digits within ``minimum``..``maximum`` (default: the bigint range). Outside it:
    ``default``, or the nearest bound with ``clamp=True``. Anything else (``²``, ``1e9``, ``1.5``): ``default``."""
    low = BIGINT_MIN if minimum is None else max(minimum, BIGINT_MIN)
    high = BIGINT_MAX if maximum is None else min(maximum, BIGINT_MAX)
    value = raw(request, name)
    if value is None:
        return default
    value = value.strip()
    if not _INTEGER_RE.fullmatch(value):
        return default
    digits = value.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        number = high + 1 if not value.startswith("-") else low - 1  # far out of range either way
    else:
        number = int(value)
    if low <= number <= high:
        return number
    if not clamp:
        return default
    return low if number < low else high


def get_pk(request: HttpRequest, name: str) -> int | None:
    """A primary key (a positive bigint) or ``None``; fetch the object through the user's office scope."""
    return get_int(request, name, None, minimum=1, maximum=BIGINT_MAX)


def get_page(request: HttpRequest, name: str = "page", *, maximum: int = MAX_PAGE) -> int:
    """A page number from 1 to ``maximum`` (bigger numbers: ``maximum``; garbage: 1)."""
    return get_int(request, name, 1, minimum=1, maximum=maximum, clamp=True)


def get_choice(request: HttpRequest, name: str, choices: Collection[str], default: T) -> str | T:
    """One of ``choices`` (compared exactly), else ``default``."""
    value = raw(request, name)
    if value is None:
        return default
    value = value.strip()
    return value if value in choices else default


def get_bool(request: HttpRequest, name: str, default: bool = False) -> bool:
    """``1/true/on/yes/ja`` → True, ``0/false/off/no/nein`` → False (any case); else ``default``."""
    value = (raw(request, name) or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return default


@overload
def get_date(request: HttpRequest, name: str, default: date) -> date: ...
@overload
def get_date(request: HttpRequest, name: str, default: None = ...) -> date | None: ...
def get_date(request: HttpRequest, name: str, default: date | None = None) -> date | None:
    """A date written ``2026-02-28`` or ``28.02.2026`` (also ``1.3.2026``); an impossible one, or one outside the
    years 1900 to 2999 (``9999-12-31`` plus a day overflows): ``default``."""
    value = (raw(request, name) or "").strip()
    if match := _ISO_DATE_RE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _GERMAN_DATE_RE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        return default
    if not 1900 <= year <= 2999:
        return default
    try:
        return date(year, month, day)
    except ValueError:  # 31.02., month 13
        return default
