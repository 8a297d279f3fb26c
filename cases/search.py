"""The one client search of the project: what a clerk types into any search box that finds clients.

``parse_search`` reads a term into its parts, in any order and mixed:

* **names**, order-free: "Müller, Käthe", "Käthe Müller" and "mueller kaethe" are the same search. Every name
  word must occur in ``Client.name_search`` (the folded normal form of ``cases.rules.normalise_name``), so case,
  umlaut spelling (ü/ue/u) and ß/ss do not matter; a comma, hyphen or other punctuation only separates words;
* a **date of birth**: "23.04.1971", "23.4.71", "1971-04-23", or eight digits "23041971";
* a **Kundennummer** (Arbeitsamt) with any spaces or hyphens: "073A 654321", "073a-654 321";
* an **Aktenzeichen** (Sozialhilfe) with spaces or hyphens anywhere: "50-123456/03", "50 123456/03",
  "50123456 / 03" (the department is always two digits, so the stored form is rebuilt exactly).

Every part must match (a name and a birth date narrow the search); a part that can mean two things ("23041971":
a birth date or the Aktenzeichen 23-041971) matches either. The conditions are plain equality on indexed columns
(``client_office_birth_idx``, the unique number indexes) and ``LIKE '%word%'`` on the lower-case, folded
``name_search`` column, which the trigram index ``client_name_trgm_idx`` serves (``icontains`` would not).

``SearchTerm.prefill`` turns the same parts into the intake form's initial values ("neu erfassen" after a search
that found no one). The app writes names as "Nachname, Vorname" (lists, the reception placeholder "Müller Anna"),
so a clerk types the last name first: without a comma the **first word is the last name** and the rest are first
names ("Müller Käthe" → Müller / Käthe); "Last, First" is split at the comma.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Client
from cases.rules import normalise_name

MIN_SEARCH_LENGTH = 3

# German dates (day and month with one or two digits, year with two or four), then ISO dates.
_GERMAN_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?![\d.])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
# A Kundennummer (3 digits, a letter, 6 digits) and an Aktenzeichen (2 + 4..8 digits, optionally /YY), each with
# spaces or hyphens anywhere between the characters.
_SEPARATOR = r"[\s-]*"
_CUSTOMER_NUMBER = re.compile(rf"(?<![\w/])\d(?:{_SEPARATOR}\d){{2}}{_SEPARATOR}[A-Za-z](?:{_SEPARATOR}\d){{6}}(?![\w/])")
_FILE_NUMBER = re.compile(rf"(?<![\w/])\d(?:{_SEPARATOR}\d){{5,9}}(?:\s*/\s*\d{{2}})?(?![\w/])")
_NAME_SEPARATOR = re.compile(r"[^\w'’]+")  # everything but letters, digits and apostrophes (O'Brien)
_NAME_PUNCTUATION = re.compile(r"[^\w'’\s,-]+")  # what the prefill drops ("Dr." keeps its word)


@dataclass(frozen=True)
class Key:
    """One identifying part of the term and what it can mean; a client matches the part if any meaning fits.
    A key without any meaning ("31.02.1971": shaped like a date, but no day) matches no one."""

    birth_date: date | None = None
    customer_number: str = ""
    file_number: str = ""

    def condition(self, prefix: str) -> Q:
        meanings = Q()
        if self.birth_date is not None:
            meanings |= Q(**{f"{prefix}birth_date": self.birth_date})
        if self.customer_number:
            meanings |= Q(**{f"{prefix}customer_number": self.customer_number})
        if self.file_number:
            meanings |= Q(**{f"{prefix}file_number": self.file_number})
        return meanings if meanings else Q(**{f"{prefix}pk__in": []})

    @property
    def ambiguous(self) -> bool:
        return sum(map(bool, (self.birth_date, self.customer_number, self.file_number))) > 1


@dataclass(frozen=True)
class SearchTerm:
    """A parsed search: the folded name words (all must occur, in any order), the identifying keys (all must
    match), and the name as typed, split the way the intake form needs it."""

    words: tuple[str, ...]
    keys: tuple[Key, ...]
    last_name: str = ""
    first_name: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.keys

    def condition(self, prefix: str = "") -> Q:
        """The filter for a path to the client (``prefix``, e.g. ``"client__"`` on cases)."""
        condition = Q()
        for word in self.words:
            condition &= Q(**{f"{prefix}name_search__contains": word})
        for key in self.keys:
            condition &= key.condition(prefix)
        return condition

    def prefill(self) -> dict[str, str | date]:
        """Initial values of the intake form: the name split into last and first name, and each key that
        means exactly one thing in its field."""
        initial: dict[str, str | date] = {}
        if self.last_name or self.first_name:
            initial.update(last_name=self.last_name, first_name=self.first_name)
        for key in self.keys:
            if key.ambiguous:
                continue
            if key.birth_date is not None:
                initial["birth_date"] = key.birth_date
            if key.customer_number:
                initial["customer_number"] = key.customer_number
            if key.file_number:
                initial["file_number"] = key.file_number
        return initial


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str) -> int:
    """Four digits as typed; two digits are a birth year in the last hundred years ("71" → 1971, "05" → 2005)."""
    if len(year) == 4:
        return int(year)
    this_year = timezone.localdate().year
    century = this_year - this_year % 100
    full = century + int(year)
    return full - 100 if full > this_year else full


def _file_number_key(text: str) -> Key:
    """An Aktenzeichen typed with or without its separators; eight digits may also be a birth date (ddmmyyyy)."""
    compact = re.sub(r"[\s-]", "", text)
    digits, _slash, year = compact.partition("/")
    file_number = f"{digits[:2]}-{digits[2:]}" + (f"/{year}" if year else "")
    birth_date = _date(int(digits[4:]), int(digits[2:4]), int(digits[:2])) if len(digits) == 8 and not year else None
    return Key(birth_date=birth_date, file_number=file_number)


def _split_name(text: str) -> tuple[str, str]:
    """"Last, First" at the comma; otherwise the first word is the last name (the app's "Nachname, Vorname")."""
    text = " ".join(_NAME_PUNCTUATION.sub(" ", text).split()).strip(" ,")
    if "," in text:
        last, _comma, first = text.partition(",")
        return last.strip(" -"), " ".join(first.replace(",", " ").split()).strip(" -")
    last, _space, first = text.partition(" ")
    return last, first


def parse_search(term: str) -> SearchTerm:
    """Read a search term into name words, a birth date and numbers (see the module docstring)."""
    rest = " ".join(term.split())
    keys: list[Key] = []

    def take(pattern: re.Pattern[str], read: Callable[[re.Match[str]], Key]) -> None:
        nonlocal rest
        keys.extend(read(match) for match in pattern.finditer(rest))
        rest = pattern.sub(" ", rest)

    take(_GERMAN_DATE, lambda m: Key(birth_date=_date(_full_year(m[3]), int(m[2]), int(m[1]))))
    take(_ISO_DATE, lambda m: Key(birth_date=_date(int(m[1]), int(m[2]), int(m[3]))))
    take(_CUSTOMER_NUMBER, lambda m: Key(customer_number=re.sub(r"[\s-]", "", m[0]).upper()))
    take(_FILE_NUMBER, lambda m: _file_number_key(m[0]))
    words = tuple(dict.fromkeys(normalise_name(word) for word in _NAME_SEPARATOR.split(rest) if word))
    last_name, first_name = _split_name(rest)
    return SearchTerm(words=words, keys=tuple(keys), last_name=last_name, first_name=first_name)


def search_condition(term: str, prefix: str = "") -> Q | None:
    """The client filter for a search box, for a path to the client (``prefix``). ``None`` for a term shorter
    than ``MIN_SEARCH_LENGTH`` or without anything to search for (it would match too much to be served by an
    index): the caller shows nothing and a hint."""
    if len(term.strip()) < MIN_SEARCH_LENGTH:
        return None
    parsed = parse_search(term)
    return None if parsed.is_empty else parsed.condition(prefix)


def search_clients(queryset: QuerySet[Client], term: str) -> QuerySet[Client]:
    """``queryset`` narrowed to the clients ``term`` finds; none for a term too short to search."""
    condition = search_condition(term)
    return queryset.none() if condition is None else queryset.filter(condition)
