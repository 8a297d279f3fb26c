"""Contact log: writing notes, last contact, sensitive-note visibility per role, the client timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors_contacts as selectors
from cases.models import Case, CaseStatus, ContactNote, Outcome
from cases.services import contacts as services
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory, ContactNoteFactory
from tests.helpers import assert_other_office_refused

SECRET = "Schulden bei drei Gläubigern, Suchtberatung vereinbart"


@pytest.fixture
def case(office, fallmanager):  # type: ignore[no-untyped-def]
    return CaseFactory(client__contact_point=office, case_manager=fallmanager,
                       opened_on=timezone.localdate() - timedelta(days=60))


@pytest.fixture
def sensitive_note(case, fallmanager):  # type: ignore[no-untyped-def]
    return ContactNoteFactory(case=case, author=fallmanager, text=SECRET, sensitive=True,
                              occurred_on=timezone.localdate() - timedelta(days=2))


def _note_data(**overrides: object) -> dict[str, object]:
    return {"occurred_on": timezone.localdate().isoformat(), "channel": "phone", "text": "Rückruf wegen Bewerbung",
            **overrides}


# --- writing ------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_writing_a_note_updates_the_last_contact_of_the_case(fm_client, case):
    response = fm_client.post(reverse("cases:note_create", args=[case.pk]), _note_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/kunden/{case.client_id}/#section-timeline")
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate()
    note = ContactNote.objects.get(case=case)
    assert (note.channel, note.text, note.sensitive) == ("phone", "Rückruf wegen Bewerbung", False)


@pytest.mark.django_db
def test_a_back_dated_note_does_not_move_the_last_contact_backwards(case, fallmanager):
    today = timezone.localdate()
    services.add_note(case=case, author=fallmanager, occurred_on=today, channel="phone", text="heute")
    services.add_note(case=case, author=fallmanager, occurred_on=today - timedelta(days=10), channel="letter",
                      text="nachgetragen")
    case.refresh_from_db()
    assert case.last_contact_on == today


@pytest.mark.parametrize("role", [Role.EMPFANG, Role.ARBEITSVERMITTLER, Role.LEISTUNG, Role.TEAMLEITUNG])
@pytest.mark.django_db
def test_every_front_line_role_may_write_an_ordinary_note(client, make_staff, office, case, role):
    client.force_login(make_staff(role, office))
    assert client.post(reverse("cases:note_create", args=[case.pk]), _note_data()).status_code == 302
    assert ContactNote.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_note_dated_in_the_future_is_refused_in_german_and_nothing_is_saved(fm_client, case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = fm_client.post(reverse("cases:note_create", args=[case.pk]), _note_data(occurred_on=tomorrow))
    assert response.status_code == 200
    assert "Ein Kontakt kann nicht in der Zukunft datiert werden." in response.content.decode()
    assert not ContactNote.objects.exists()
    case.refresh_from_db()
    assert case.last_contact_on is None


@pytest.mark.django_db
def test_a_note_without_text_or_date_is_refused_in_german_and_nothing_is_saved(fm_client, case):
    response = fm_client.post(reverse("cases:note_create", args=[case.pk]), _note_data(text="", occurred_on="32.13."))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in content
    assert "Bitte ein gültiges Datum eingeben." in content
    assert not ContactNote.objects.exists()


@pytest.mark.django_db
def test_a_closed_case_takes_no_further_notes(case, fallmanager):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome=Outcome.MOVED)
    with pytest.raises(services.ContactError):
        services.add_note(case=case, author=fallmanager, occurred_on=timezone.localdate(), channel="phone", text="x")
    assert not ContactNote.objects.exists()


@pytest.mark.django_db
def test_writing_a_note_is_a_post_and_the_form_page_is_a_get(fm_client, case):
    url = reverse("cases:note_create", args=[case.pk])
    assert fm_client.get(url).status_code == 200
    assert fm_client.put(url).status_code == 405


# --- sensitive notes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "reads"),
    [("assigned", True), ("teamleitung", True), ("other_fallmanager", False), ("empfang", False),
     ("arbeitsvermittler", False)],
)
@pytest.mark.django_db
def test_sensitive_note_text_only_for_the_assigned_case_manager_and_the_team_lead(
    client, make_staff, office, fallmanager, teamleitung, empfang, case, sensitive_note, who, reads
):
    user = {
        "assigned": fallmanager, "teamleitung": teamleitung, "empfang": empfang,
        "other_fallmanager": make_staff(Role.FALLMANAGER, office),
        "arbeitsvermittler": make_staff(Role.ARBEITSVERMITTLER, office),
    }[who]
    client.force_login(user)
    for url in (reverse("cases:client_detail", args=[case.client_id]),
                reverse("cases:client_timeline", args=[case.client_id])):
        content = client.get(url).content.decode()
        assert (SECRET in content) is reads, url
        # Everyone sees that a confidential note exists, with its date and author.
        assert sensitive_note.occurred_on.strftime("%d.%m.%Y") in content
        assert fallmanager.get_full_name() in content
        assert ("Vertraulicher Vermerk" in content) is not reads


@pytest.mark.django_db
def test_the_selector_never_loads_the_text_of_a_masked_note(make_staff, office, case, sensitive_note):
    other = make_staff(Role.FALLMANAGER, office)
    note = selectors.notes_for(other, frozenset({Role.FALLMANAGER})).get(pk=sensitive_note.pk)
    assert "text" in note.get_deferred_fields()
    assert (note.readable, note.shown_text) == (False, "")
    row = selectors.client_timeline(other, frozenset({Role.FALLMANAGER}), case.client).get()
    assert (row["t_text"], row["t_sensitive"], row["t_readable"]) == ("", True, False)


@pytest.mark.django_db
def test_a_team_lead_of_another_office_does_not_see_the_note_at_all(client, make_staff, other_office, case,
                                                                   sensitive_note):
    lead = make_staff(Role.TEAMLEITUNG, other_office)
    assert not selectors.notes_for(lead, frozenset({Role.TEAMLEITUNG})).exists()
    client.force_login(lead)
    assert client.get(reverse("cases:client_timeline", args=[case.client_id])).status_code == 404


# --- timeline -------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_timeline_mixes_notes_and_appointments_newest_first(fm_client, case, fallmanager):
    today = timezone.localdate()
    ContactNoteFactory(case=case, author=fallmanager, occurred_on=today - timedelta(days=5), text="Erstgespräch")
    AppointmentFactory(case=case, purpose="Profiling-Termin", starts_at=timezone.now() + timedelta(days=3))
    ContactNoteFactory(case=case, author=fallmanager, occurred_on=today, text="Telefonat heute")
    content = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert content.index("Profiling-Termin") < content.index("Telefonat heute") < content.index("Erstgespräch")


@pytest.mark.django_db
def test_the_timeline_section_offers_note_and_appointment_forms_for_the_open_case(fm_client, case):
    content = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert reverse("cases:note_create", args=[case.pk]) in content
    assert reverse("cases:appointment_create", args=[case.pk]) in content


@pytest.mark.django_db
def test_the_timeline_section_is_limited_and_links_to_the_whole_timeline(fm_client, case, fallmanager):
    ContactNoteFactory.create_batch(25, case=case, author=fallmanager)
    content = fm_client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert content.count('data-testid="timeline-note"') == 20
    assert reverse("cases:client_timeline", args=[case.client_id]) in content
    full = fm_client.get(reverse("cases:client_timeline", args=[case.client_id])).content.decode()
    assert full.count('data-testid="timeline-note"') == 25


def _fill(case: Case, author: object, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        ContactNoteFactory(case=case, author=author, occurred_on=today - timedelta(days=i), sensitive=i % 3 == 0)
        AppointmentFactory(case=case, with_user=author, starts_at=timezone.now() - timedelta(days=i, hours=1),
                           outcome="attended" if i % 2 else "")


@pytest.mark.django_db
def test_the_timeline_section_needs_the_same_queries_for_few_and_many_entries(
    fm_client, case, fallmanager, make_staff, office, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("cases:client_detail", args=[case.client_id])
    _fill(case, fallmanager, 2)
    fm_client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert fm_client.get(url).status_code == 200
    other_author = make_staff(Role.EMPFANG, office)
    _fill(case, other_author, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fm_client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) - 1):  # the full timeline page, paginated
        assert fm_client.get(reverse("cases:client_timeline", args=[case.client_id])).status_code == 200


# --- office scoping -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_contact_urls_refuse_objects_of_another_office(fm_client, case, other_office, fallmanager_other_office):
    foreign_case = CaseFactory(client=ClientFactory(contact_point=other_office), case_manager=fallmanager_other_office)
    foreign_appointment = AppointmentFactory(case=foreign_case)
    own_appointment = AppointmentFactory(case=case)
    Case.objects.filter(pk__in=[case.pk, foreign_case.pk]).update(no_show_pending=True)
    pairs = [
        ("cases:note_create", foreign_case.pk, case.pk),
        ("cases:appointment_create", foreign_case.pk, case.pk),
        ("cases:no_show_resolve", foreign_case.pk, case.pk),
        ("cases:appointment_outcome", foreign_appointment.pk, own_appointment.pk),
        ("cases:client_timeline", foreign_case.client_id, case.client_id),
    ]
    for name, foreign, own in pairs:
        assert_other_office_refused(fm_client, reverse(name, args=[foreign]), own_url=reverse(name, args=[own]))
    assert not ContactNote.objects.exists()


@pytest.mark.django_db
def test_no_open_case_means_no_note_form_on_the_client_page(fm_client, office):
    client = ClientFactory(contact_point=office)
    content = fm_client.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert "Es gibt keinen offenen Fall in dieser Anlaufstelle" in content
    assert "/vermerke/neu/" not in content
