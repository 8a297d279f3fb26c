"""CSV and Excel export and the all-or-nothing import with row-level errors; German column names (the English
machine names of earlier exports are still read)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from partners.csv_io import COLUMNS, HEADERS, export_csv, parse_csv
from partners.models import Partner, PartnerKind
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("partners:partner_import")
HEADER = ";".join(HEADERS[name] for name in COLUMNS)


def upload(client, text: str, encoding: str = "utf-8"):
    return client.post(IMPORT, {"file": SimpleUploadedFile("partner.csv", text.encode(encoding), "text/csv")})


def test_export_lists_the_offices_partners_and_round_trips(tl_client, office, other_office):
    PartnerFactory(contact_point=office, name="Suchtberatung Diakonie", kind=PartnerKind.ADDICTION_COUNSELLING,
                   contract_agency=office.welfare_agency, contract_from="2003-01-01")
    PartnerFactory(contact_point=office, name="=HYPERLINK(1)")
    PartnerFactory(contact_point=other_office, name="Fremd")
    response = tl_client.get(reverse("partners:partner_export"))
    content = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and content.startswith("\ufeff" + HEADER)
    assert content.startswith("\ufeffName;Art;Ansprechperson;Straße;PLZ;Ort;")
    assert "Suchtberatung Diakonie;Suchtberatung;" in content and "sozialhilfe;01.01.2003" in content
    assert "'=HYPERLINK(1)" in content and "Fremd" not in content
    parsed = parse_csv(response.content, office)
    assert not parsed.errors and {row.name for _line, row in parsed.rows} == {"Suchtberatung Diakonie",
                                                                             "=HYPERLINK(1)"}


def test_import_creates_and_updates_partners(tl_client, office):
    PartnerFactory(contact_point=office, name="IHK zu Leipzig", kind=PartnerKind.CHAMBER, city="Alt")
    csv_text = (
        "name;kind;city;active;contract_agency;contract_from\n"
        "Schuldnerberatung der Caritas;Schuldnerberatung;Leipzig;ja;sozialhilfe;01.02.2003\n"
        "ihk zu leipzig;chamber;Leipzig;ja;;\n"
        "Bäcker-Innung;Innung;Leipzig;nein;;\n"
    )
    response = upload(tl_client, csv_text, "cp1252")
    assert response.status_code == 302
    assert Partner.objects.filter(contact_point=office).count() == 3
    caritas = Partner.objects.get(name="Schuldnerberatung der Caritas")
    assert (caritas.kind, caritas.contract_agency, str(caritas.contract_from)) == (
        PartnerKind.DEBT_COUNSELLING, office.welfare_agency, "2003-02-01")
    assert Partner.objects.get(name__iexact="ihk zu leipzig").city == "Leipzig"
    assert Partner.objects.get(name="Bäcker-Innung").active is False


def test_bad_rows_are_named_and_nothing_is_imported(tl_client, office):
    csv_text = (
        "name,kind,postal_code,contract_agency,contract_from\n"
        "Gute Beratung,debt_counselling,04109,,\n"          # line 2: fine
        "Falsche Art,Zauberei,04109,,\n"                      # line 3: unknown kind
        ",debt_counselling,04109,,\n"                          # line 4: no name
        "Gute Beratung,debt_counselling,04109,,\n"           # line 5: duplicate of line 2
        "Vertrag,debt_counselling,04109,sozialhilfe,\n"      # line 6: contract without start
        "Datum,debt_counselling,12,,31.02.2003\n"             # line 7: bad postal code and date
    )
    response = upload(tl_client, csv_text)
    assert response.status_code == 400
    errors = [(error.row, error.message) for error in response.context["row_errors"]]
    assert (3, "Unbekannte Art „Zauberei“.") in errors
    assert (4, "Ein Partner braucht einen Namen.") in errors
    assert (5, "„Gute Beratung“ steht bereits in Zeile 2.") in errors
    assert (6, "Ein Vertrag braucht ein Anfangsdatum.") in errors
    assert (7, "„31.02.2003“ ist kein Datum (TT.MM.JJJJ).") in errors
    assert {row for row, _message in errors} == {3, 4, 5, 6, 7}
    page = response.content.decode()
    assert "Es wurde nichts importiert: 5 Zeilen enthalten Fehler." in page and "Zeile 3" in page
    assert not Partner.objects.exists()


def test_a_wrong_header_is_reported_as_row_one(tl_client):
    response = upload(tl_client, "Name;Typ\nX;Y\n")
    assert response.status_code == 400
    assert [error.row for error in response.context["row_errors"]] == [1]
    page = response.content.decode()
    assert "Kopfzeile: fehlende Spalten: Art; unbekannte Spalten: Typ." in page


def test_only_maintainers_import_and_export(fm_client):
    assert fm_client.get(IMPORT).status_code == 403
    assert fm_client.get(reverse("partners:partner_export")).status_code == 403


def test_export_helper_writes_one_row_per_partner(office):
    partners = PartnerFactory.create_batch(3, contact_point=office)
    assert export_csv(partners).count("\r\n") == 4


def test_german_column_names_are_imported(tl_client, office):
    csv_text = ("Name;Art;Straße;PLZ;Ort;Aktiv;Vertragsträger;Vertrag ab\n"
                "Tafel Leipzig;Schuldnerberatung;Hauptstr. 1;04109;Leipzig;ja;sozialhilfe;01.02.2003\n")
    response = upload(tl_client, csv_text, "cp1252")
    assert response.status_code == 302
    tafel = Partner.objects.get(contact_point=office, name="Tafel Leipzig")
    assert (tafel.street, tafel.postal_code, tafel.contract_agency, str(tafel.contract_from)) == (
        "Hauptstr. 1", "04109", office.welfare_agency, "2003-02-01")


def test_the_excel_export_has_the_csv_rows_and_imports_again(tl_client, office):
    PartnerFactory(contact_point=office, name="Suchtberatung Diakonie", kind=PartnerKind.ADDICTION_COUNSELLING,
                   contract_agency=office.welfare_agency, contract_from="2003-01-01", postal_code="04109")
    csv_response = tl_client.get(reverse("partners:partner_export"))
    xlsx_response = tl_client.get(reverse("partners:partner_export"), {"format": "xlsx"})
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx_response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [HEADERS[name] for name in COLUMNS]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    diakonie = rows[1]
    assert diakonie[:2] == ["Suchtberatung Diakonie", "Suchtberatung"] and diakonie[4] == "04109"
    assert diakonie[12].date().isoformat() == "2003-01-01" and sheet.cell(2, 13).number_format == "DD.MM.YYYY"
    csv_rows = [line.split(";") for line in csv_response.content.decode("utf-8-sig").splitlines()]
    assert csv_rows[1][12] == "01.01.2003" and csv_rows[1][:2] == diakonie[:2]
    parsed = parse_csv(xlsx_response.content, office)  # an Excel file is read back
    assert not parsed.errors and [row.contract_from.isoformat() for _line, row in parsed.rows] == ["2003-01-01"]


def test_an_old_export_with_english_column_names_is_still_read(office):
    parsed = parse_csv(b"name;kind;city\nTafel;debt_counselling;Leipzig\n", office)
    assert not parsed.errors and parsed.rows[0][1].city == "Leipzig"
