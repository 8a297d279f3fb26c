"""CSV export and import of the partner registry (the standard library's ``csv``; no extra dependency).

Format: one header row with the machine names in ``COLUMNS``, ``;`` as separator (as German spreadsheet
programs write it; ``,`` and tabs are recognised too), UTF-8 (Windows-1252 is accepted on import). ``kind`` is
the code (``debt_counselling``) or its German or English label; ``active`` is ja/nein; ``contract_agency`` is
``arbeitsamt``, ``sozialhilfe`` or the agency's name; dates are ``31.12.2003`` or ``2003-12-31``.

Reading only parses: every row becomes ``PartnerData`` or a ``RowError`` with its line number; the rules and
the all-or-nothing write are in ``partners.services.registry.import_partners``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from jobcenter.forms import reject_control_characters
from jobcenter.models import Agency, ContactPoint
from partners.models import Partner, PartnerKind
from partners.services.registry import PartnerData, RowError

COLUMNS = (
    "name", "kind", "contact_person", "street", "postal_code", "city", "phone", "email", "website", "notes",
    "active", "contract_agency", "contract_from", "contract_until",
)
REQUIRED_COLUMNS = ("name", "kind")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@")
_TRUE = {"ja", "j", "yes", "y", "true", "wahr", "1", "x", "aktiv", "active"}
_FALSE = {"nein", "n", "no", "false", "falsch", "0", "inaktiv", "inactive"}


# --- export -------------------------------------------------------------------------------------------------
def _safe(value: str) -> str:
    """Cells starting like a formula are prefixed with an apostrophe (spreadsheet injection)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _agency_code(partner: Partner) -> str:
    return partner.contract_agency.kind if partner.contract_agency else ""


def export_csv(partners: Iterable[Partner]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for partner in partners:
        writer.writerow([_safe(value) for value in (
            partner.name, partner.kind, partner.contact_person, partner.street, partner.postal_code, partner.city,
            partner.phone, partner.email, partner.website, partner.notes, "ja" if partner.active else "nein",
            _agency_code(partner),
            partner.contract_from.strftime("%d.%m.%Y") if partner.contract_from else "",
            partner.contract_until.strftime("%d.%m.%Y") if partner.contract_until else "",
        )])
    return "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheet programs read UTF-8


# --- import -------------------------------------------------------------------------------------------------
@dataclass
class ParsedFile:
    rows: list[tuple[int, PartnerData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _kind_lookup() -> dict[str, str]:
    lookup = {kind.value: kind.value for kind in PartnerKind}
    for language in ("de", "en"):
        with translation.override(language):
            lookup.update({str(kind.label).lower(): kind.value for kind in PartnerKind})
    return lookup


def _date(value: str) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValueError(value)


def _cell(row: dict[str, str], name: str) -> str:
    value = (row.get(name) or "").strip()
    if value[:1] == "'" and value[1:2] in _FORMULA_START:
        value = value[1:]
    return value


def _agency(value: str, office: ContactPoint) -> Agency | None:
    folded = value.lower()
    for agency in office.agencies:
        if folded in (agency.kind, agency.name.lower()):
            return agency
    raise LookupError(value)


def parse_csv(raw: bytes, office: ContactPoint) -> ParsedFile:
    """Every data row as ``PartnerData`` or as an error naming the row; never raises on bad content."""
    parsed = ParsedFile()
    if len(raw) > MAX_BYTES:
        parsed.errors.append(RowError(0, _("The file is larger than 2 MB.")))
        return parsed
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    # newline="": the reader itself recognises \n, \r\n and a lone \r (also inside quoted cells)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _read_rows(reader, office, parsed)
    except csv.Error:  # e.g. a cell longer than the csv module's field size limit
        parsed.errors.append(RowError(reader.line_num, _("The row cannot be read as CSV; check the quotation "
                                                         "marks and line breaks.")))
    return parsed


def _read_rows(reader: csv.DictReader[str], office: ContactPoint, parsed: ParsedFile) -> None:
    headers = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    unknown = [name for name in headers if name and name not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        parsed.errors.append(RowError(1, _("Header row: %(problems)s.") % {"problems": "; ".join(problems)}))
        return
    reader.fieldnames = headers
    kinds = _kind_lookup()
    for row in reader:
        line = reader.line_num
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append(RowError(line, _("More than %(count)s rows; split the file.") % {"count": MAX_ROWS}))
            break
        if None in row:
            parsed.errors.append(RowError(line, _("The row has more cells than the header.")))
            continue
        if not any((value or "").strip() for value in row.values()):
            continue  # blank line
        _parse_row(row, line, office, kinds, parsed)


def _parse_row(row: dict[str, str], line: int, office: ContactPoint, kinds: dict[str, str],
               parsed: ParsedFile) -> None:
    messages: list[str] = []
    try:
        for value in row.values():
            reject_control_characters(value or "")
    except ValidationError as error:
        messages += error.messages
    kind = kinds.get(_cell(row, "kind").lower(), "")
    if not kind:
        messages.append(_("Unknown kind “%(value)s”.") % {"value": _cell(row, "kind")})
    active_text = _cell(row, "active").lower()
    if active_text and active_text not in _TRUE | _FALSE:
        messages.append(_("“active” must be ja or nein, not “%(value)s”.") % {"value": _cell(row, "active")})
    agency: Agency | None = None
    if _cell(row, "contract_agency"):
        try:
            agency = _agency(_cell(row, "contract_agency"), office)
        except LookupError:
            messages.append(_("Unknown agency “%(value)s”: use arbeitsamt or sozialhilfe.")
                            % {"value": _cell(row, "contract_agency")})
    dates: dict[str, date | None] = {}
    for name in ("contract_from", "contract_until"):
        value = _cell(row, name)
        try:
            dates[name] = _date(value) if value else None
        except ValueError:
            messages.append(_("“%(value)s” is not a date (DD.MM.YYYY).") % {"value": value})
    if messages:
        parsed.errors += [RowError(line, message) for message in messages]
        return
    parsed.rows.append((line, PartnerData(
        name=_cell(row, "name"), kind=kind, contact_person=_cell(row, "contact_person"),
        street=_cell(row, "street"), postal_code=_cell(row, "postal_code"), city=_cell(row, "city"),
        phone=_cell(row, "phone"), email=_cell(row, "email"), website=_cell(row, "website"),
        notes=_cell(row, "notes"), active=active_text not in _FALSE, contract_agency=agency,
        contract_from=dates["contract_from"], contract_until=dates["contract_until"],
    )))
