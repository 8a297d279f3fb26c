"""CSV export and the all-or-nothing import with row-level errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.csv_io import COLUMNS, export_csv, parse_csv
from partners.models import Partner, PartnerKind
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("partners:partner_import")
HEADER = ";".join(COLUMNS)


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
    assert "Suchtberatung Diakonie;addiction_counselling;" in content and "sozialhilfe;01.01.2003" in content
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
    assert "Kopfzeile: fehlende Spalten: kind; unbekannte Spalten: typ." in page


def test_only_maintainers_import_and_export(fm_client):
    assert fm_client.get(IMPORT).status_code == 403
    assert fm_client.get(reverse("partners:partner_export")).status_code == 403


def test_export_helper_writes_one_row_per_partner(office):
    partners = PartnerFactory.create_batch(3, contact_point=office)
    assert export_csv(partners).count("\r\n") == 4
