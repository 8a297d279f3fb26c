"""Taking over an office's clients (issue 18, part 5): German columns from CSV (UTF-8 with or without BOM,
Windows-1252) or xlsx, a dry run that names every bad row and every suspected duplicate, a real run that is all
or nothing and audited per row, the file kept in the document store between the two, only for the Teamleitung
and the administrator of the office."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases import import_io
from cases.models import (
    BenefitEntitlement,
    BenefitKind,
    Case,
    Client,
    EndReason,
    ImportRun,
    ImportStatus,
    Segment,
)
from cases.services import imports
from jobcenter.models_documents import StoredDocument
from jobcenter.roles import Role
from tests.cases.factories import ClientFactory
from tests.helpers import assert_other_office_refused

pytestmark = pytest.mark.django_db
UPLOAD = reverse("cases:client_import")
HEADER = "Nachname;Vorname;Geburtsdatum;Kundennummer;Aktenzeichen;Straße;PLZ;Ort;Leistungsart;Betrag;Leistung ab;" \
         "Leistung bis;Ende-Grund;Fallmanager;Segment;Fall seit"


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def tl(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client


@pytest.fixture
def manager(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.FALLMANAGER, office, "fm-meier")


def good_rows() -> list[str]:
    return [
        "Müller;Käthe;14.03.1971;073A123456;;Hauptstr. 1;04109;Leipzig;Alhi;612,40;01.01.2003;;;fm-meier;"
        "Betreuungskunde;15.01.2003",
        "Müller;Käthe;14.03.1971;073A123456;;;;;HLU;180,00;01.02.2003;;;;;",  # a second benefit of the same client
        "Schulz;Otto;02.11.1958;;50-123456/03;Ringweg 4;4229;Leipzig;Arbeitslosengeld (Alg);1.234,5;01.06.2002;"
        "31.12.2002;Beschäftigung;;;",
        "Yilmaz;Ayşe;30.06.1985;;;;;;;;;;;;Informationskunde;",  # no benefit, a case without case manager
    ]


def csv_file(rows: list[str], encoding: str = "utf-8", header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def upload(client, raw: bytes, name: str = "kunden.csv"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, raw, "text/csv")})


def run_of(response) -> ImportRun:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def execute(client, run: ImportRun, **data: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("cases:client_import_run", args=[run.pk]), {"sha256": run.sha256, **data},
                       follow=True)


# --- the good path --------------------------------------------------------------------------------------------
def test_a_clean_file_is_checked_then_imported_with_benefits_cases_and_audit(tl, office, manager, teamleitung):
    run = run_of(upload(tl, csv_file(good_rows())))
    assert (run.status, run.rows, run.clients, run.benefits, run.cases, run.errors, run.duplicates) == (
        ImportStatus.CHECKED, 4, 3, 3, 2, 0, 0)
    assert not Client.objects.exists()  # the dry run imports nothing
    stored = StoredDocument.objects.get(pk=run.document_id)
    assert stored.sha256 == run.sha256 and stored.kind == "client_import"  # kept in the document store
    page = tl.get(reverse("cases:client_import_detail", args=[run.pk])).content.decode()
    assert 'data-testid="import-execute"' in page and run.sha256 in page

    done = execute(tl, run)
    assert done.status_code == 200
    assert "Import abgeschlossen: 3 Kunden, 3 Leistungen und 2 offene Fälle." in done.content.decode()
    run.refresh_from_db()
    assert (run.status, run.imported_by, run.document_id, run.findings) == (
        ImportStatus.IMPORTED, teamleitung, None, {})
    assert not StoredDocument.objects.filter(pk=stored.pk).exists()  # the file is gone, its checksum stays
    kaethe = Client.objects.get(last_name="Müller")
    assert (kaethe.contact_point, kaethe.customer_number, kaethe.postal_code) == (office, "073A123456", "04109")
    assert sorted(kaethe.benefits.values_list("kind", "monthly_amount")) == [
        (BenefitKind.ALHI, Decimal("612.40")), (BenefitKind.HLU, Decimal("180.00"))]
    case = Case.objects.get(client=kaethe)
    assert (case.case_manager, case.segment, str(case.opened_on), case.status) == (
        manager, Segment.FALLMANAGEMENT, "2003-01-15", "intake")
    otto = Client.objects.get(last_name="Schulz")
    assert otto.postal_code == "04229"  # the leading zero Excel dropped
    alg = otto.benefits.get()
    assert (alg.kind, alg.monthly_amount, str(alg.end), alg.end_reason) == (
        BenefitKind.ALG, Decimal("1234.50"), "2002-12-31", EndReason.EMPLOYMENT)
    assert not Case.objects.filter(client=otto).exists()
    assert Case.objects.get(client__last_name="Yilmaz").case_manager is None


def test_every_imported_row_is_audited_with_the_import_run(tl, office, manager, teamleitung):
    run = run_of(upload(tl, csv_file(good_rows())))
    execute(tl, run)
    for model, count in ((Client, 3), (BenefitEntitlement, 3), (Case, 2)):
        rows = list(model.objects.all())
        assert len(rows) == count
        for row in rows:  # one audit row per imported record, with the import run and the user
            event = row.events.select_related("pgh_context").get(pgh_label="insert")
            assert event.pgh_context.metadata["import_run"] == run.pk
            assert event.pgh_context.metadata["user"] == teamleitung.pk
    assert ImportRun.pgh_event_model.objects.filter(pgh_obj=run, status=ImportStatus.IMPORTED).exists()


# --- bad rows and duplicates ----------------------------------------------------------------------------------
def test_one_bad_row_refuses_the_whole_file_and_names_row_column_and_problem(tl, office, manager):
    rows = [*good_rows(), "Neu;Nina;31.02.1980;;;;;;Sozialgeld;abc;;;;fm-unbekannt;;"]
    run = run_of(upload(tl, csv_file(rows)))
    assert run.errors == 5 and run.findings["bad_rows"] == 1
    problems = [tuple(p) for p in run.findings["problems"]]
    assert problems == [  # in the order of the columns
        (6, "Geburtsdatum", "„31.02.1980“ ist kein Datum (TT.MM.JJJJ)."),
        (6, "Leistungsart", "Unbekannte Leistung „Sozialgeld“: Alg, Alhi oder HLU angeben."),
        (6, "Betrag", "„abc“ ist kein Eurobetrag (z. B. 1.234,56)."),
        (6, "Leistung ab", "Eine Leistung braucht ihren ersten Tag."),
        (6, "Fallmanager", f"fm-unbekannt ist nicht als Fallmanager/in in {office.name} tätig."),
    ]
    page = tl.get(reverse("cases:client_import_detail", args=[run.pk]))
    html = page.content.decode()
    assert "1 Zeile enthält Fehler" in html and "„abc“ ist kein Eurobetrag" in html
    assert 'data-testid="import-execute"' not in html
    refused = execute(tl, run)
    assert "nichts importiert" in refused.content.decode().lower()
    assert not Client.objects.exists() and not BenefitEntitlement.objects.exists() and not Case.objects.exists()


def test_cross_row_rules_are_checked(tl, office, manager):
    rows = [
        "Alt;Anna;01.01.1970;111A111111;;;;;Alhi;100;01.01.2003;;;;;",
        "Alt;Anna;01.01.1970;111A111111;;;;;Alhi;100;01.02.2003;;;;;",  # overlaps row 2
        "Berg;Bernd;02.02.1960;111A111111;;;;;;;;;;;;",  # the number of another person in the file
        "Cord;Clara;03.03.1990;;;;;;;;;;;fm-meier;;",
        "Cord;Clara;03.03.1990;;;Neuer Weg 1;;;;;;;;;Beratungskunde;",  # differing case column is fine if empty
        "Dorn;Dirk;04.04.1975;;;;;;Alg;100;01.01.2003;01.02.2003;;;;",  # end without reason
    ]
    run = run_of(upload(tl, csv_file(rows)))
    problems = {(row, column) for row, column, _m in run.findings["problems"]}
    assert problems == {(3, "Leistung ab"), (4, "Kundennummer"), (7, "Ende-Grund")}


def test_a_number_the_office_already_holds_is_an_error(tl, office):
    ClientFactory(contact_point=office, last_name="Vorhanden", first_name="Vera", customer_number="073A123456")
    run = run_of(upload(tl, csv_file(["Anders;Axel;01.01.1970;073A123456;;;;;;;;;;;;"])))
    [(row, column, message)] = run.findings["problems"]
    assert (row, column) == (2, "Kundennummer") and "bereits" in message and "Vorhanden" not in message


def test_suspected_duplicates_are_named_and_need_a_reason(tl, office, manager):
    existing = ClientFactory(contact_point=office, last_name="Mueller", first_name="Käthe",
                             birth_date="1971-03-14")
    rows = [*good_rows(), "Yilmaz;Ayşe;30.06.1985;123A000001;;;;;;;;;;;;"]  # same as row 5, other number
    run = run_of(upload(tl, csv_file(rows)))
    assert run.errors == 0 and run.duplicates == 2
    by_row = {d["row"]: d for d in run.findings["duplicates"]}
    assert by_row[2]["matches"] == [{"id": existing.pk, "label": "Mueller, Käthe (14.03.1971)"}]
    assert by_row[6]["file_row"] == 5 and by_row[6]["matches"] == []
    html = tl.get(reverse("cases:client_import_detail", args=[run.pk])).content.decode()
    assert "Mueller, Käthe (14.03.1971)" in html and "Zeile 5 der Datei" in html
    refused = execute(tl, run)
    assert "verschiedene Personen" in refused.content.decode() and Client.objects.count() == 1
    done = execute(tl, run, duplicate_reason="Andere Mutter, per Telefon geklärt")
    assert done.status_code == 200 and Client.objects.count() == 5
    assert Client.objects.get(last_name="Müller").duplicate_override_reason == "Andere Mutter, per Telefon geklärt"
    assert Client.objects.get(last_name="Schulz").duplicate_override_reason == ""


def test_the_real_run_checks_again_and_imports_nothing_when_a_row_went_bad(tl, office, manager):
    run = run_of(upload(tl, csv_file(good_rows())))
    ClientFactory(contact_point=office, last_name="Zuvor", first_name="Zora", file_number="50-123456/03")
    response = execute(tl, run)
    assert "Es wurde nichts importiert: 1 Zeile enthält Fehler." in response.content.decode()
    assert Client.objects.count() == 1 and not Case.objects.exists()
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED and run.errors == 1 and run.document_id is not None


def test_another_file_than_the_checked_one_is_refused(tl, office, manager):
    run = run_of(upload(tl, csv_file(good_rows())))
    response = execute(tl, run, sha256="0" * 64)
    assert "entspricht nicht der geprüften" in response.content.decode() and not Client.objects.exists()


def test_a_later_upload_replaces_the_earlier_and_deletes_its_file(tl, office, manager):
    first = run_of(upload(tl, csv_file(good_rows())))
    second = run_of(upload(tl, csv_file(good_rows()[:1])))
    first.refresh_from_db()
    assert (first.status, first.document_id, first.findings) == (ImportStatus.SUPERSEDED, None, {})
    assert StoredDocument.objects.filter(kind="client_import").count() == 1
    assert "bereits importiert oder" in execute(tl, first).content.decode()
    assert second.can_run


# --- formats --------------------------------------------------------------------------------------------------
def xlsx_file(rows: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append([cell or None for cell in row.split(";")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_and_excel_read_the_same(office, manager, encoding):
    rows = [row.replace("ş", "s") for row in good_rows()]  # Windows-1252 has no ş
    expected = imports.check(office=office, raw=csv_file(rows))
    for raw in (csv_file(rows, encoding), xlsx_file(rows)):
        result = imports.check(office=office, raw=raw)
        assert not result.problems
        assert [(c.data, c.benefits, c.case) for c in result.clients] == [
            (c.data, c.benefits, c.case) for c in expected.clients]


def test_excel_date_and_number_cells_are_read(office, manager):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nachname", "Vorname", "Geburtsdatum", "PLZ", "Leistungsart", "Betrag", "Leistung ab"])
    import datetime

    sheet.append(["Zahl", "Zoe", datetime.date(1970, 5, 17), 4109, "HLU", 612.4,
                  datetime.datetime(2003, 1, 1)])  # noqa: DTZ001 - an Excel cell has no time zone
    buffer = io.BytesIO()
    book.save(buffer)
    [planned] = imports.check(office=office, raw=buffer.getvalue()).clients
    assert (planned.data.birth_date.isoformat(), planned.data.postal_code) == ("1970-05-17", "04109")
    assert planned.benefits[0][1].monthly_amount == Decimal("612.4")


def test_a_wrong_header_or_an_unreadable_file_is_reported(tl, office):
    response = upload(tl, csv_file([], header="Name;Vorname;Geburtstag"))
    run = run_of(response)
    assert run.findings["problems"] == [[1, "", "Kopfzeile: fehlende Spalten: Nachname, Geburtsdatum; unbekannte "
                                                "Spalten: Name, Geburtstag."]]
    broken = upload(tl, b"PK\x03\x04not a workbook", "kunden.xlsx")
    assert broken.status_code == 302
    assert "nicht als Excel-Arbeitsmappe" in str(run_of(broken).findings)
    empty = upload(tl, b"")
    assert empty.status_code == 400 and "Die Datei ist leer" in empty.content.decode()


def test_the_template_has_the_german_columns_and_imports_cleanly(tl, office, make_staff):
    make_staff(Role.FALLMANAGER, office, "fallmanager")
    for fmt in ("csv", "xlsx"):
        response = tl.get(reverse("cases:client_import_template"), {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'kundenuebernahme-vorlage.{fmt}"')
        result = imports.check(office=office, raw=response.content)
        assert not result.problems and len(result.clients) == 1 and result.benefits == 2 and result.cases == 1
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(import_io.COLUMNS.values())
    assert sheet["C2"].number_format == "DD.MM.YYYY" and sheet.freeze_panes == "A2"


# --- who may --------------------------------------------------------------------------------------------------
def test_only_the_teamleitung_and_the_administrator_of_the_office(client, office, other_office, make_staff,
                                                                  teamleitung):
    for role in (Role.FALLMANAGER, Role.EMPFANG, Role.LEISTUNG, Role.ARBEITSVERMITTLER):
        client.force_login(make_staff(role, office))
        assert client.get(UPLOAD).status_code == 403
    client.force_login(make_staff(Role.ADMINISTRATOR, office))
    assert client.get(UPLOAD).status_code == 200
    assert client.get(reverse("cases:client_import_template")).status_code == 200
    own = run_of(upload(client, csv_file(good_rows()[2:3])))
    other = imports.dry_run(office=other_office, raw=csv_file(good_rows()[2:3]), filename="x.csv",
                            by=make_staff(Role.TEAMLEITUNG, other_office))
    assert_other_office_refused(client, reverse("cases:client_import_detail", args=[other.pk]),
                                own_url=reverse("cases:client_import_detail", args=[own.pk]))
    assert client.post(reverse("cases:client_import_run", args=[other.pk]), {"sha256": other.sha256}).status_code == 404


# --- the command, and the time it takes -----------------------------------------------------------------------
def test_the_command_checks_and_imports_a_made_up_file_and_prints_the_times(office, manager, teamleitung, tmp_path,
                                                                             capsys):
    path = Path(tmp_path) / "bench.csv"
    call_command("import_clients", str(path), "--office", str(office.pk), "--sample", "300", "--dry-run")
    dry = capsys.readouterr().out
    assert "dry run: 400 rows, 300 clients, 400 benefits, 150 open cases; 0 errors" in dry and " s)" in dry
    assert not Client.objects.exists()
    call_command("import_clients", str(path), "--office", str(office.pk))
    out = capsys.readouterr().out
    assert "imported: 300 clients, 400 benefits, 150 open cases" in out
    assert Client.objects.filter(contact_point=office).count() == 300
    assert Case.objects.filter(case_manager=manager).count() == 150


def test_a_checked_file_not_imported_in_time_is_deleted_by_the_daily_task(tl, office, manager):
    from django.utils import timezone

    from cases import tasks

    run = run_of(upload(tl, csv_file(good_rows())))
    assert tasks.discard_stale_client_imports.apply().get() == 0
    ImportRun.objects.filter(pk=run.pk).update(uploaded_at=timezone.now() - imports.KEEP_CHECKED * 2)
    assert tasks.discard_stale_client_imports.apply().get() == 1
    run.refresh_from_db()
    assert (run.status, run.document_id, run.findings) == (ImportStatus.SUPERSEDED, None, {})
    assert not StoredDocument.objects.filter(kind="client_import").exists()


def test_the_upload_is_protected_against_cross_site_requests(office, teamleitung):
    from django.test import Client as Browser

    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(teamleitung)
    refused = browser.post(UPLOAD, {"file": SimpleUploadedFile("kunden.csv", csv_file(good_rows()), "text/csv")})
    assert refused.status_code == 403 and not ImportRun.objects.exists()


def test_the_administrator_sees_the_dry_run_without_the_registered_clients_names(client, office, make_staff):
    ClientFactory(contact_point=office, last_name="Schulz", first_name="Otto", birth_date="1958-11-02")
    client.force_login(make_staff(Role.ADMINISTRATOR, office))
    run = run_of(upload(client, csv_file(good_rows()[2:3])))
    assert run.duplicates == 1
    html = client.get(reverse("cases:client_import_detail", args=[run.pk])).content.decode()
    assert "eine bereits erfasste Person dieser Anlaufstelle" in html
    assert "Schulz, Otto (02.11.1958)" in html  # the row of their own file
    assert reverse("cases:client_detail", args=[run.findings["duplicates"][0]["matches"][0]["id"]]) not in html


def test_a_file_over_the_limit_is_refused_before_anything_is_stored(tl, office, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 200)  # the upload is held in memory up to this size, never on disk
    response = upload(tl, csv_file(good_rows()))
    assert response.status_code == 400 and "Die Datei ist zu groß" in response.content.decode()
    assert not ImportRun.objects.exists() and not StoredDocument.objects.exists()
