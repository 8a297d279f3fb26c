"""Export and import of the partner registry as CSV or Excel (``.xlsx``).

Format: one header row with the German column names of ``HEADERS`` (``Name; Art; Ansprechperson; Straße; …``);
the English machine names of ``COLUMNS`` (``name; kind; street; …``) written by earlier versions are still
accepted on import, so an old export can be read back. CSV: ``;`` as separator (as German spreadsheet programs
write it; ``,`` and tabs are recognised too), UTF-8 (Windows-1252 is accepted on import); an Excel file is read
from its first worksheet (``jobcenter.sheets``). ``Art`` is the German label (``Schuldnerberatung``), the code
(``debt_counselling``) or the English label; ``Aktiv`` is ja/nein; ``Vertragsträger`` is ``arbeitsamt``,
``sozialhilfe`` or the agency's name; dates are ``31.12.2003`` or ``2003-12-31``. The export writes the German
headers and labels (``jobcenter.exports``: CSV and xlsx from the same rows).

Reading only parses: every row becomes ``PartnerData`` or a ``RowError`` with its line number; the rules and
the all-or-nothing write are in ``partners.services.registry.import_partners``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from jobcenter import exports, sheets
from jobcenter.forms import reject_control_characters
from jobcenter.models import Agency, ContactPoint
from partners.models import Partner, PartnerKind
from partners.services.registry import PartnerData, RowError

COLUMNS = (
    "name", "kind", "contact_person", "street", "postal_code", "city", "phone", "email", "website", "notes",
    "active", "contract_agency", "contract_from", "contract_until",
)
# The German column names (the export writes them; the import accepts them and the machine names above).
HEADERS: dict[str, str] = {
    "name": "Name", "kind": "Art", "contact_person": "Ansprechperson", "street": "Straße", "postal_code": "PLZ",
    "city": "Ort", "phone": "Telefon", "email": "E-Mail", "website": "Website", "notes": "Notizen", "active": "Aktiv",
    "contract_agency": "Vertragsträger", "contract_from": "Vertrag ab", "contract_until": "Vertrag bis",
}
REQUIRED_COLUMNS = ("name", "kind")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
_FORMULA_START = ("=", "+", "-", "@")
_TRUE = {"ja", "j", "yes", "y", "true", "wahr", "1", "x", "aktiv", "active"}
_FALSE = {"nein", "n", "no", "false", "falsch", "0", "inaktiv", "inactive"}


# --- export -------------------------------------------------------------------------------------------------
def _agency_code(partner: Partner) -> str:
    return partner.contract_agency.kind if partner.contract_agency else ""


def export_table(partners: Iterable[Partner], filename: str = "partner") -> exports.Export:
    """The registry as one table with the German headers: the rows of the CSV and the Excel file."""
    with translation.override("de"):
        rows = [[
            *(exports.text(value) for value in (
                partner.name, PartnerKind(partner.kind).label, partner.contact_person, partner.street,
                partner.postal_code, partner.city, partner.phone, partner.email, partner.website, partner.notes,
                "ja" if partner.active else "nein", _agency_code(partner))),
            exports.Cell(partner.contract_from, "date"), exports.Cell(partner.contract_until, "date"),
        ] for partner in partners]
    return exports.Export(filename=filename, blocks=[exports.Block(
        header=[HEADERS[name] for name in COLUMNS], rows=rows, sheet="Partner", label_column=False)])


def export_csv(partners: Iterable[Partner]) -> str:
    return exports.to_csv(export_table(partners))


# --- import -------------------------------------------------------------------------------------------------
@dataclass
class ParsedFile:
    rows: list[tuple[int, PartnerData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _header_lookup() -> dict[str, str]:
    """Header cell (folded) → machine name: the German names and the English machine names."""
    lookup = {_fold(name): name for name in COLUMNS}
    lookup.update({_fold(label): name for name, label in HEADERS.items()})
    lookup.update({"strasse": "street", "email": "email", "e-mail-adresse": "email", "postleitzahl": "postal_code"})
    return lookup


def _fold(header: str) -> str:
    return " ".join(header.strip().lower().replace("ß", "ss").split())


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


def parse_file(raw: bytes, office: ContactPoint) -> ParsedFile:
    """Every data row of a CSV or xlsx file as ``PartnerData`` or as an error naming the row; never raises on
    bad content."""
    parsed = ParsedFile()
    if len(raw) > MAX_BYTES:
        parsed.errors.append(RowError(0, _("The file is larger than 2 MB.")))
        return parsed
    try:
        table = sheets.read_rows(raw)
        _read_rows(table, office, parsed)
    except sheets.SheetError as error:
        parsed.errors.append(RowError(error.row, error.message))
    return parsed


parse_csv = parse_file  # the name of earlier versions (the file may now also be an Excel workbook)


def _read_rows(table: sheets.Rows, office: ContactPoint, parsed: ParsedFile) -> None:
    lookup = _header_lookup()
    headers = [lookup.get(_fold(name), "") for name in table.header]
    missing = [HEADERS[name] for name in REQUIRED_COLUMNS if name not in headers]
    unknown = [raw for raw, name in zip(table.header, headers, strict=True) if raw and not name]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
        parsed.errors.append(RowError(1, _("Header row: %(problems)s.") % {"problems": "; ".join(problems)}))
        return
    kinds = _kind_lookup()
    for line, cells in table.rows:
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append(RowError(line, _("More than %(count)s rows; split the file.") % {"count": MAX_ROWS}))
            break
        if len(cells) > len(headers) and any(cell.strip() for cell in cells[len(headers):]):
            parsed.errors.append(RowError(line, _("The row has more cells than the header.")))
            continue
        row = {name: cells[index] if index < len(cells) else "" for index, name in enumerate(headers) if name}
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
