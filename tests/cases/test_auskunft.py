import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jobcenter.models import AccessRecord
from tests.cases.factories import CaseFactory, ClientFactory, ContactNoteFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_auskunft_lists_the_clients_data_notes_and_who_accessed_them(fm_client, office, fallmanager):
    client = ClientFactory(contact_point=office, first_name="Erika", last_name="Mustermann")
    case = CaseFactory(client=client, contact_point=office, case_manager=fallmanager)
    ContactNoteFactory(case=case, author=fallmanager, text="Bewerbungstraining vereinbart")
    fm_client.get(reverse("cases:client_detail", args=[client.pk]))

    response = fm_client.post(reverse("cases:client_auskunft", args=[client.pk]),
                              {"reason": "Antrag der Kundin vom 01.12.2026"})

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = _text(response)
    for expected in ("Erika Mustermann", "Bewerbungstraining vereinbart", "Wer hat auf die Daten zugegriffen",
                     "Kundenseite", "An Partner weitergegebene Daten", "Seite 1 von",
                     "Antrag der Kundin vom 01.12.2026"):
        assert expected in text
    export = AccessRecord.objects.get(client_id=client.pk, kind=AccessRecord.Kind.EXPORT)
    assert (export.user, export.reason) == (fallmanager, "Antrag der Kundin vom 01.12.2026")


def test_the_auskunft_asks_for_its_occasion_and_keeps_nothing_without_it(fm_client, office, fallmanager):
    client = ClientFactory(contact_point=office)
    url = reverse("cases:client_auskunft", args=[client.pk])

    page = fm_client.get(url)
    assert page.status_code == 200 and "Anlass" in page.content.decode()

    refused = fm_client.post(url, {"reason": "  "})
    assert refused.status_code == 200 and refused["Content-Type"].startswith("text/html")
    assert "Geben Sie den Anlass der Auskunft an" in refused.content.decode()
    assert not AccessRecord.objects.filter(client_id=client.pk, kind=AccessRecord.Kind.EXPORT).exists()

    typed = "Anfrage\x01 der Betreuerin"
    refused = fm_client.post(url, {"reason": typed})
    assert "Steuerzeichen" in refused.content.decode()
    assert 'value="Anfrage' in refused.content.decode()  # what was typed stays in the field
    assert not AccessRecord.objects.filter(client_id=client.pk, kind=AccessRecord.Kind.EXPORT).exists()


def test_auskunft_is_refused_for_reception_and_other_offices(client, fm_client, make_staff, office, other_office):
    from jobcenter.roles import Role
    from tests.helpers import assert_other_office_refused

    own, foreign = ClientFactory(contact_point=office), ClientFactory(contact_point=other_office)
    assert_other_office_refused(fm_client, reverse("cases:client_auskunft", args=[foreign.pk]),
                                own_url=reverse("cases:client_auskunft", args=[own.pk]))
    client.force_login(make_staff(Role.EMPFANG, office))
    assert client.get(reverse("cases:client_auskunft", args=[own.pk])).status_code == 403
    assert client.post(reverse("cases:client_auskunft", args=[own.pk]), {"reason": "x"}).status_code == 403
