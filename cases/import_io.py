"""Reading a client file for the take-over of an office's clients (``cases.services.imports`` checks and writes).

One row per client and benefit, German column names (``COLUMNS``; the order does not matter, the header is
matched without regard to case, ``ß``/``ss`` or extra spaces):

    Nachname; Vorname; Geburtsdatum; Kundennummer; Aktenzeichen; Straße; PLZ; Ort; Telefon; E-Mail;
    Leistungsart; Betrag; Leistung ab; Leistung bis; Ende-Grund; Fallmanager; Segment; Fall seit

* Nachname, Vorname and Geburtsdatum are required; the other columns may be missing or empty.
* A client with several benefits has one row per benefit: the rows repeat the client's name, date of birth and
  numbers (the address columns may be left empty on the further rows).
* A benefit: Leistungsart (Alg, Alhi, HLU or the German label), Betrag (monthly euros, ``1.234,56``), Leistung ab,
  optionally Leistung bis with the Ende-Grund (the German label, e.g. Beschäftigung).
* An open case is opened when Fallmanager (the user name), Segment (Informationskunde, Beratungskunde,
  Betreuungskunde) or Fall seit (the day it was opened; default: the import day) is filled.
* Dates are ``31.12.2003`` (also ``2003-12-31``, and Excel date cells); the file is CSV (``;``, UTF-8 with or
  without BOM, or Windows-1252) or an Excel workbook (first worksheet), see ``jobcenter.sheets``.

Reading only parses and validates each row on its own: every problem is a ``Problem`` naming the row (the header
is row 1), the column and a German message. Rules across rows and against the database (duplicates, case
managers, overlapping benefits) are in ``cases.services.imports``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import BenefitKind, Client, EndReason, Segment
from cases.services.clients import ClientData
from jobcenter import exports, sheets
from jobcenter.forms import reject_control_characters

# key → German column name, in the order of the template
COLUMNS: dict[str, str] = {
    "last_name": "Nachname", "first_name": "Vorname", "birth_date": "Geburtsdatum",
    "customer_number": "Kundennummer", "file_number": "Aktenzeichen", "street": "Straße", "postal_code": "PLZ",
    "city": "Ort", "phone": "Telefon", "email": "E-Mail",
    "benefit_kind": "Leistungsart", "amount": "Betrag", "benefit_from": "Leistung ab", "benefit_until": "Leistung bis",
    "end_reason": "Ende-Grund",
    "case_manager": "Fallmanager", "segment": "Segment", "opened_on": "Fall seit",
}
REQUIRED_COLUMNS = ("last_name", "first_name", "birth_date")
CLIENT_COLUMNS = ("last_name", "first_name", "birth_date", "customer_number", "file_number", "street", "postal_code",
                  "city", "phone", "email")
IDENTITY_COLUMNS = ("last_name", "first_name", "birth_date", "customer_number", "file_number")
BENEFIT_COLUMNS = ("benefit_kind", "amount", "benefit_from", "benefit_until", "end_reason")
CASE_COLUMNS = ("case_manager", "segment", "opened_on")
ALIASES = {"strasse": "street", "postleitzahl": "postal_code", "email": "email", "fallmanager/in": "case_manager",
           "kundensegment": "segment", "leistung von": "benefit_from", "betrag (eur)": "amount",
           "betrag (€)": "amount", "endegrund": "end_reason", "grund des endes": "end_reason"}
EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {"last_name": "Beispiel", "first_name": "Erika", "birth_date": "14.03.1971", "customer_number": "073A123456",
     "file_number": "50-123456/03", "street": "Musterstraße 1", "postal_code": "04109", "city": "Leipzig",
     "benefit_kind": "Alhi", "amount": "612,40", "benefit_from": "01.01.2003", "case_manager": "fallmanager",
     "segment": "Betreuungskunde", "opened_on": "15.01.2003"},
    {"last_name": "Beispiel", "first_name": "Erika", "birth_date": "14.03.1971", "customer_number": "073A123456",
     "file_number": "50-123456/03", "benefit_kind": "HLU", "amount": "180,00", "benefit_from": "01.02.2003"},
)
MAX_ROWS = 50_000
EARLIEST_BIRTH = date(1900, 1, 1)
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_AMOUNT_RE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$|^\d+(,\d{1,2})?$|^\d+(\.\d{1,2})?$")


@dataclass(frozen=True)
class Problem:
    row: int  # row in the file (header: 1; 0: the whole file)
    column: str  # the German column name, "" for the whole row
    message: str


@dataclass  # not frozen: a ``cases.rules.Period`` for ``target_group_on``
class BenefitRow:
    kind: str
    monthly_amount: Decimal
    start: date
    end: date | None
    end_reason: str


@dataclass(frozen=True)
class CaseRow:
    case_manager: str  # user name, checked against the office's case managers later
    segment: str
    opened_on: date | None


@dataclass(frozen=True)
class ImportRow:
    row: int
    client: ClientData
    given: frozenset[str]  # the client columns filled in this row
    benefit: BenefitRow | None
    case: CaseRow | None


@dataclass
class Parsed:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data_rows: int = 0
    bad_rows: set[int] = field(default_factory=set)
    case_managers: list[tuple[int, str]] = field(default_factory=list)  # (row, user name), also of bad rows

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, COLUMNS.get(column, column), message))
        self.bad_rows.add(row)


# --- lookups ------------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    return " ".join(text.strip().lower().replace("ß", "ss").split())


def header_lookup() -> dict[str, str]:
    lookup = {_fold(label): key for key, label in COLUMNS.items()}
    lookup.update({_fold(key): key for key in COLUMNS})
    lookup.update(ALIASES)
    return lookup


def choice_lookup(choices: type[models.TextChoices], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Folded code, German and English label, the label without its bracket and the bracket alone → code:
    ``Arbeitslosenhilfe (Alhi)``, ``Arbeitslosenhilfe`` and ``Alhi`` all give ``alhi``."""
    lookup: dict[str, str] = {}
    for language in ("en", "de"):
        with translation.override(language):
            for choice in choices:
                label = str(choice.label)
                names = {choice.value, label}
                if "(" in label:
                    names |= {label.split("(")[0], label.split("(", 1)[1].rstrip(")")}
                lookup.update({_fold(name): choice.value for name in names if name.strip()})
    lookup.update(extra or {})
    return lookup


def choice_names(choices: type[models.TextChoices]) -> str:
    with translation.override("de"):
        return ", ".join(str(choice.label) for choice in choices)


# --- values -------------------------------------------------------------------------------------------------
def parse_date(value: str) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValueError(value)


def parse_amount(value: str) -> Decimal:
    """German euros: ``1.234,56``, ``1234,56``, ``1234.56`` (one point with at most two decimals), ``612``; an
    optional ``€``/``EUR``."""
    text = value.replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "").strip()
    if not _AMOUNT_RE.match(text):
        raise ValueError(value)
    if "," in text or text.count(".") > 1 or re.match(r"^\d{1,3}\.\d{3}$", text):
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


def short(value: str, limit: int = 60) -> str:
    """A value quoted in a message: without control characters, cut to ``limit`` characters."""
    text = _CONTROL.sub("", value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(cells: dict[str, str], key: str) -> str:
    value = (cells.get(key) or "").strip()
    if value[:1] == "'" and value[1:2] in _FORMULA_START:  # written defused by a CSV export
        value = value[1:]
    return value


# --- reading ------------------------------------------------------------------------------------------------
class Reader:
    """Parses rows of one file; the choice lookups are built once."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.kinds = choice_lookup(BenefitKind)
        self.reasons = choice_lookup(EndReason)
        self.segments = choice_lookup(Segment, {"betreuungskunde": Segment.FALLMANAGEMENT,
                                                "fallmanagementkunde": Segment.FALLMANAGEMENT})
        self.fields = {name: cast("models.Field[Any, Any]", Client._meta.get_field(name))
                       for name in CLIENT_COLUMNS if name != "birth_date"}

    def parse(self, raw: bytes) -> Parsed:
        parsed = Parsed()
        try:
            table = sheets.read_rows(raw)
            keys = self._header(table.header, parsed)
            if keys is None:
                return parsed
            for row_number, cells in table.rows:
                parsed.data_rows += 1
                if parsed.data_rows > MAX_ROWS:
                    parsed.add(row_number, "", _("More than %(count)s rows; split the file.") % {"count": MAX_ROWS})
                    break
                if len(cells) > len(keys) and any(cell.strip() for cell in cells[len(keys):]):
                    parsed.add(row_number, "", _("The row has more cells than the header."))
                    continue
                self._row(row_number, {key: cells[i] if i < len(cells) else "" for i, key in enumerate(keys) if key},
                          parsed)
        except sheets.SheetError as error:
            parsed.add(error.row, "", error.message)
        return parsed

    def _header(self, header: list[str], parsed: Parsed) -> list[str] | None:
        lookup = header_lookup()
        keys = [lookup.get(_fold(name), "") for name in header]
        missing = [COLUMNS[key] for key in REQUIRED_COLUMNS if key not in keys]
        unknown = [name for name, key in zip(header, keys, strict=True) if name and not key]
        twice = sorted({COLUMNS[key] for key in keys if key and keys.count(key) > 1})
        if missing or unknown or twice:
            problems = []
            if missing:
                problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
            if unknown:
                names = ", ".join(short(name) for name in unknown[:10])
                problems.append(_("unknown columns: %(names)s") % {"names": names})
            if twice:
                problems.append(_("columns named twice: %(names)s") % {"names": ", ".join(twice)})
            parsed.add(1, "", _("Header row: %(problems)s.") % {"problems": "; ".join(problems)})
            return None
        return keys

    def _row(self, row: int, cells: dict[str, str], parsed: Parsed) -> None:
        before = len(parsed.problems)
        values = {key: _cell(cells, key) for key in COLUMNS}
        for key, value in values.items():
            try:
                reject_control_characters(value)
            except ValidationError as error:
                parsed.add(row, key, error.messages[0])
                values[key] = ""
        if values["case_manager"]:
            parsed.case_managers.append((row, values["case_manager"]))
        client = self._client(row, values, parsed)
        benefit = self._benefit(row, values, parsed)
        case = self._case(row, values, parsed)
        if len(parsed.problems) == before and client is not None:
            given = frozenset(key for key in CLIENT_COLUMNS if values[key])
            parsed.rows.append(ImportRow(row=row, client=client, given=given, benefit=benefit, case=case))

    def _date(self, row: int, key: str, value: str, parsed: Parsed) -> date | None:
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError:
            parsed.add(row, key, _("“%(value)s” is not a date (DD.MM.YYYY).") % {"value": short(value)})
            return None

    def _client(self, row: int, values: dict[str, str], parsed: Parsed) -> ClientData | None:
        for key in REQUIRED_COLUMNS:
            if not values[key]:
                parsed.add(row, key, _("This value is missing."))
        birth_date = self._date(row, "birth_date", values["birth_date"], parsed)
        if birth_date is not None and not EARLIEST_BIRTH <= birth_date <= self.today:
            parsed.add(row, "birth_date", _("The date of birth must lie between 1900 and today."))
        postal_code = values["postal_code"]
        if postal_code.isdigit() and len(postal_code) == 4:  # an Excel number lost the leading zero (04109)
            postal_code = "0" + postal_code
        values = {**values, "postal_code": postal_code, "customer_number": values["customer_number"].upper()}
        for key, model_field in self.fields.items():
            if not values[key]:
                continue
            try:
                model_field.clean(values[key], None)
            except ValidationError as error:
                parsed.add(row, key, " ".join(error.messages))
        if birth_date is None or not all(values[key] for key in REQUIRED_COLUMNS):
            return None
        return ClientData(first_name=values["first_name"], last_name=values["last_name"], birth_date=birth_date,
                          street=values["street"], postal_code=values["postal_code"], city=values["city"],
                          phone=values["phone"], email=values["email"], customer_number=values["customer_number"],
                          file_number=values["file_number"])

    def _benefit(self, row: int, values: dict[str, str], parsed: Parsed) -> BenefitRow | None:
        if not any(values[key] for key in BENEFIT_COLUMNS):
            return None
        kind = self.kinds.get(_fold(values["benefit_kind"]), "")
        if not values["benefit_kind"]:
            parsed.add(row, "benefit_kind", _("A benefit needs its kind (Alg, Alhi or HLU)."))
        elif not kind:
            parsed.add(row, "benefit_kind", _("Unknown benefit “%(value)s”: use Alg, Alhi or HLU.")
                       % {"value": short(values["benefit_kind"])})
        amount: Decimal | None = None
        if not values["amount"]:
            parsed.add(row, "amount", _("A benefit needs its monthly amount."))
        else:
            try:
                amount = parse_amount(values["amount"])
                if amount >= Decimal("10000000"):
                    raise ValueError(values["amount"])
            except ValueError:
                amount = None
                parsed.add(row, "amount", _("“%(value)s” is not an amount in euros (e.g. 1.234,56).")
                           % {"value": short(values["amount"])})
        start = self._date(row, "benefit_from", values["benefit_from"], parsed)
        if not values["benefit_from"]:
            parsed.add(row, "benefit_from", _("A benefit needs its first day."))
        end = self._date(row, "benefit_until", values["benefit_until"], parsed)
        if start is not None and end is not None and end < start:
            parsed.add(row, "benefit_until", _("The end date must not be before the start date."))
        reason = self.reasons.get(_fold(values["end_reason"]), "")
        if values["end_reason"] and not reason:
            parsed.add(row, "end_reason", _("Unknown end reason “%(value)s”: use %(choices)s.")
                       % {"value": short(values["end_reason"]), "choices": choice_names(EndReason)})
        if values["benefit_until"] and not values["end_reason"]:
            parsed.add(row, "end_reason", _("State why the benefit ends."))
        if values["end_reason"] and not values["benefit_until"]:
            parsed.add(row, "benefit_until", _("An end reason needs an end date."))
        if not (kind and amount is not None and start is not None):
            return None
        return BenefitRow(kind=kind, monthly_amount=amount, start=start, end=end, end_reason=reason)

    def _case(self, row: int, values: dict[str, str], parsed: Parsed) -> CaseRow | None:
        if not any(values[key] for key in CASE_COLUMNS):
            return None
        segment = self.segments.get(_fold(values["segment"]), "")
        if values["segment"] and not segment:
            parsed.add(row, "segment", _("Unknown segment “%(value)s”: use %(choices)s.")
                       % {"value": short(values["segment"]), "choices": choice_names(Segment)})
        opened_on = self._date(row, "opened_on", values["opened_on"], parsed)
        if opened_on is not None and opened_on > self.today:
            parsed.add(row, "opened_on", _("A case cannot be opened in the future."))
        return CaseRow(case_manager=values["case_manager"], segment=segment, opened_on=opened_on)


# --- the template -------------------------------------------------------------------------------------------
def template(fmt: str) -> tuple[bytes, str, str]:
    """The empty file with the German headers and two example rows (one client with two benefits): (content,
    content type, file name). In the xlsx the dates are date cells and the amounts numbers."""
    rows: list[list[exports.Cell]] = []
    for example in EXAMPLE_ROWS:
        row: list[exports.Cell] = []
        for key in COLUMNS:
            value = example.get(key, "")
            if value and key in ("birth_date", "benefit_from", "benefit_until", "opened_on"):
                row.append(exports.Cell(parse_date(value), "date"))
            elif value and key == "amount":
                row.append(exports.Cell(parse_amount(value), "amount"))
            else:
                row.append(exports.text(value))
        rows.append(row)
    export = exports.Export(filename="kundenuebernahme-vorlage", blocks=[exports.Block(
        header=list(COLUMNS.values()), rows=rows, sheet="Kunden", label_column=False)])
    return exports.render(export, fmt)
