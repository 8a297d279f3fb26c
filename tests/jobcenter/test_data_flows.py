"""Data flows between the Träger (docs/domain.md §9): a read of the other Träger's client data appears in the access
log naming both Träger, in the Teamleitung's monthly report (page and CSV) and in the client's Auskunft; a read
within one Träger is no flow."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import BenefitEntitlement, BenefitKind
from jobcenter.models import AccessRecord, Agency, DataFlow, StaffProfile
from jobcenter.roles import Role
from tests.cases.factories import BenefitApplicationFactory, CaseFactory, ClientFactory, ContactNoteFactory

pytestmark = pytest.mark.django_db

ARBEITSAMT, SOZIALHILFE = Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE


@pytest.fixture
def staff_of(make_staff, office):  # type: ignore[no-untyped-def]
    """A staff member of ``office`` with a role, working for one of its Träger."""
    def make(role: str, kind: str):  # type: ignore[no-untyped-def]
        user = make_staff(role, office)
        StaffProfile.objects.filter(user=user).update(home_agency=office.agency_of_kind(kind))
        return user
    return make


@pytest.fixture
def sozialamt_client(office, staff_of):  # type: ignore[no-untyped-def]
    """A client whose HLU (paid by the Sozialamt) and contact note (by a Sozialamt clerk) the Sozialamt recorded,
    and a note by an Arbeitsamt case manager."""
    clerk = staff_of(Role.LEISTUNG, SOZIALHILFE)
    manager = staff_of(Role.FALLMANAGER, ARBEITSAMT)
    client = ClientFactory(contact_point=office, last_name="Fluss")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=Decimal(350),
                                      start=datetime.date(2002, 1, 1))
    case = CaseFactory(client=client, case_manager=manager)
    ContactNoteFactory(case=case, author=clerk, text="Wohngeldbescheid liegt vor.")
    ContactNoteFactory(case=case, author=manager, text="Bewerbungstraining vereinbart.")
    BenefitApplicationFactory(client=client, received_by=clerk, kind="hlu")
    return client


def _flows(record: AccessRecord) -> set[tuple[str, str, str, int]]:
    return set(record.flows.values_list("data", "reader_carrier", "owner_carrier", "rows"))


def test_an_arbeitsamt_placement_officer_reading_sozialamt_data_is_logged_with_both_traeger(  # type: ignore[no-untyped-def]
        client, sozialamt_client, staff_of):
    client.force_login(staff_of(Role.ARBEITSVERMITTLER, ARBEITSAMT))
    response = client.get(reverse("cases:client_detail", args=[sozialamt_client.pk]))
    assert response.status_code == 200
    record = AccessRecord.objects.get(client_id=sozialamt_client.pk)
    # the HLU record and the clerk's note; the case manager's note is the reader's own Träger's
    assert _flows(record) == {("benefit", ARBEITSAMT, SOZIALHILFE, 1), ("note", ARBEITSAMT, SOZIALHILFE, 1)}


def test_a_read_within_one_traeger_is_no_flow(client, sozialamt_client, staff_of):  # type: ignore[no-untyped-def]
    sozialamt_client.benefits.all().delete()
    sozialamt_client.cases.get().notes.filter(author__staff_profile__home_agency__kind=ARBEITSAMT).delete()
    client.force_login(staff_of(Role.LEISTUNG, SOZIALHILFE))
    response = client.get(reverse("cases:client_detail", args=[sozialamt_client.pk]))
    assert response.status_code == 200
    assert AccessRecord.objects.filter(client_id=sozialamt_client.pk).count() == 1
    assert not DataFlow.objects.exists()


def test_a_sozialamt_clerk_reading_the_arbeitsamt_note_is_the_other_direction(  # type: ignore[no-untyped-def]
        client, sozialamt_client, staff_of):
    client.force_login(staff_of(Role.LEISTUNG, SOZIALHILFE))
    assert client.get(reverse("cases:client_timeline", args=[sozialamt_client.pk])).status_code == 200
    record = AccessRecord.objects.get(client_id=sozialamt_client.pk)
    assert _flows(record) == {("note", SOZIALHILFE, ARBEITSAMT, 1)}


def test_a_sensitive_note_the_reader_may_not_see_is_no_flow(client, sozialamt_client, staff_of):  # type: ignore[no-untyped-def]
    sozialamt_client.benefits.all().delete()
    sozialamt_client.cases.get().notes.update(sensitive=True)
    client.force_login(staff_of(Role.ARBEITSVERMITTLER, ARBEITSAMT))
    assert client.get(reverse("cases:client_detail", args=[sozialamt_client.pk])).status_code == 200
    assert not DataFlow.objects.exists()


def test_a_benefit_application_page_logs_the_flow(client, sozialamt_client, staff_of):  # type: ignore[no-untyped-def]
    application = sozialamt_client.applications.get()
    client.force_login(staff_of(Role.EMPFANG, ARBEITSAMT))
    assert client.get(reverse("cases:application_detail", args=[application.pk])).status_code == 200
    assert _flows(AccessRecord.objects.get(client_id=sozialamt_client.pk)) == {
        ("application", ARBEITSAMT, SOZIALHILFE, 1)}


def test_staff_without_a_home_agency_record_no_flow(client, sozialamt_client, make_staff, office):  # type: ignore[no-untyped-def]
    client.force_login(make_staff(Role.ARBEITSVERMITTLER, office))
    assert client.get(reverse("cases:client_detail", args=[sozialamt_client.pk])).status_code == 200
    assert AccessRecord.objects.filter(client_id=sozialamt_client.pk).exists()
    assert not DataFlow.objects.exists()


def test_the_cross_traeger_read_appears_in_the_monthly_report_and_its_csv(  # type: ignore[no-untyped-def]
        client, sozialamt_client, staff_of, teamleitung, other_office, make_staff):
    reader = client
    reader.force_login(staff_of(Role.ARBEITSVERMITTLER, ARBEITSAMT))
    reader.get(reverse("cases:client_detail", args=[sozialamt_client.pk]))
    reader.get(reverse("cases:client_timeline", args=[sozialamt_client.pk]))

    client.force_login(teamleitung)
    response = client.get(reverse("reporting:carrier_flows"))
    assert response.status_code == 200
    html = response.content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    assert html.count('data-testid="flow-row"') == 2  # benefits and notes, this month, one direction
    assert "Leistungsdaten" in html and "Gesprächsvermerke" in html
    assert "Fluss" not in html  # counts only, no client named

    csv = client.get(reverse("reporting:carrier_flows"), {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    notes = next(line for line in lines if line.startswith(month) and "Gesprächsvermerke" in line)
    assert notes.split(";")[4:] == ["2", "1", "2"]  # two pages opened, one client, two notes shown

    other_lead = make_staff(Role.TEAMLEITUNG, other_office)  # another office's report does not count them
    client.force_login(other_lead)
    assert 'data-testid="flow-row"' not in client.get(reverse("reporting:carrier_flows")).content.decode()


def test_the_cross_traeger_read_appears_in_the_auskunft(client, sozialamt_client, staff_of, teamleitung):  # type: ignore[no-untyped-def]
    reader = staff_of(Role.ARBEITSVERMITTLER, ARBEITSAMT)
    reader.first_name, reader.last_name = "Aylin", "Demir"
    reader.save(update_fields=["first_name", "last_name"])
    client.force_login(reader)
    client.get(reverse("cases:client_detail", args=[sozialamt_client.pk]))

    client.force_login(teamleitung)
    response = client.post(reverse("cases:client_auskunft", args=[sozialamt_client.pk]), {"reason": "Anfrage"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Datenflüsse zwischen den Trägern" in text
    assert "Aylin Demir" in text and "Leistungsdaten" in text
