"""Bulk work (issue 18.3): the Teamleitung reassigns many cases at once after a preview — all or nothing, one audit
record per case, a notification per case to the new case manager; case managers export the clients they ticked."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from cases.models import Case, CaseReassignment, CaseStatus, Outcome
from cases.services.bulk import reassign_cases
from cases.services.cases import CaseError
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from notifications.models import Kind, Notification
from tests.cases.factories import CaseFactory, ClientFactory

SELECT = reverse("cases:bulk_reassign")
PREVIEW = reverse("cases:bulk_reassign_preview")
CONFIRM = reverse("cases:bulk_reassign_confirm")


@pytest.fixture
def leaving(make_staff, office):  # type: ignore[no-untyped-def]
    """The case manager who leaves, with five open cases and a closed one."""
    user = make_staff(Role.FALLMANAGER, office, username="geht")
    for number in range(5):
        CaseFactory(client=ClientFactory(contact_point=office, last_name=f"Abgabe{number}", first_name="Eva"),
                    case_manager=user, status=CaseStatus.PROFILING)
    CaseFactory(client=ClientFactory(contact_point=office, last_name="Zu", first_name="Ende"), case_manager=user,
                status=CaseStatus.CLOSED, outcome=Outcome.MOVED, closed_on="2003-01-01")
    return user


def _open_of(user: Any) -> list[Case]:
    return list(Case.objects.filter(case_manager=user).exclude(status=CaseStatus.CLOSED).order_by("pk"))


@pytest.mark.django_db
def test_reassigning_five_cases_records_one_audit_event_per_case_and_tells_the_new_case_manager(
        office, leaving, fallmanager, teamleitung):
    cases = _open_of(leaving)
    result = reassign_cases(office=office, case_ids=[case.pk for case in cases], case_manager=fallmanager,
                            by=teamleitung, expected={case.pk: leaving.pk for case in cases})
    assert len(result.changed) == 5 and result.unchanged == []
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("case_manager", flat=True)) == {
        fallmanager.pk}
    events = CaseReassignment.objects.filter(pgh_obj_id__in=[case.pk for case in cases])
    assert events.count() == 5  # one per case, each the assignment before it
    assert {event.pgh_obj_id for event in events} == {case.pk for case in cases}
    assert set(events.values_list("case_manager", flat=True)) == {leaving.pk}
    contexts = {event.pgh_context.metadata.get("user") for event in events.select_related("pgh_context")}
    assert contexts == {teamleitung.pk}  # who did it, per case
    notes = Notification.objects.filter(recipient=fallmanager, kind=Kind.CASE_ASSIGNED)
    assert sorted(notes.values_list("subject_key", flat=True)) == sorted(f"case:{case.pk}" for case in cases)


@pytest.mark.django_db
def test_one_closed_case_in_the_selection_changes_nothing(office, leaving, fallmanager, teamleitung):
    selected = [case.pk for case in Case.objects.filter(case_manager=leaving)]  # five open and the closed one
    with pytest.raises(CaseError, match="Abgeschlossene Fälle.*Zu, Ende"):
        reassign_cases(office=office, case_ids=selected, case_manager=fallmanager, by=teamleitung)
    assert Case.objects.filter(case_manager=fallmanager).count() == 0
    assert CaseReassignment.objects.filter(pgh_obj_id__in=selected).count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_case_reassigned_by_someone_else_since_the_preview_changes_nothing(
        office, leaving, fallmanager, teamleitung, make_staff):
    cases = _open_of(leaving)
    expected = {case.pk: leaving.pk for case in cases}
    third = make_staff(Role.FALLMANAGER, office)
    Case.objects.filter(pk=cases[0].pk).update(case_manager=third)  # meanwhile, on the case page
    with pytest.raises(CaseError, match="Seit der Vorschau"):
        reassign_cases(office=office, case_ids=list(expected), case_manager=fallmanager, by=teamleitung,
                       expected=expected)
    assert Case.objects.filter(case_manager=fallmanager).count() == 0 and Notification.objects.count() == 0


@pytest.mark.django_db
def test_cases_of_another_office_and_other_roles_are_refused(office, other_office, leaving, fallmanager,
                                                             teamleitung, fallmanager_other_office):
    foreign = CaseFactory(client=ClientFactory(contact_point=other_office), case_manager=fallmanager_other_office)
    with pytest.raises(CaseError, match="kein Fall dieser Anlaufstelle"):
        reassign_cases(office=office, case_ids=[*[c.pk for c in _open_of(leaving)], foreign.pk],
                       case_manager=fallmanager, by=teamleitung)
    with pytest.raises(CaseError, match="Nur die Teamleitung"):
        reassign_cases(office=office, case_ids=[c.pk for c in _open_of(leaving)], case_manager=fallmanager,
                       by=fallmanager)
    assert Case.objects.filter(case_manager=fallmanager).count() == 0


@pytest.mark.django_db
def test_the_team_lead_selects_previews_and_confirms(client, office, leaving, fallmanager, teamleitung):
    client.force_login(teamleitung)
    page = client.get(SELECT, {"manager": leaving.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('data-testid="bulk-row"') == 5 and "Zu, Ende" not in body  # open cases only
    cases = _open_of(leaving)
    chosen = [case.pk for case in cases[:4]]  # one stays
    data = {"cases": chosen, "new_manager": fallmanager.pk, "manager": leaving.pk}
    preview = client.post(PREVIEW, data)
    assert preview.status_code == 200
    assert preview.content.decode().count('data-testid="preview-row"') == 4
    assert Case.objects.filter(case_manager=fallmanager).count() == 0  # the preview writes nothing
    expected = preview.context["expected"]
    done = client.post(CONFIRM, {**data, "expected": expected})
    assert done.status_code == 302 and done["Location"] == reverse("cases:case_list") + f"?manager={fallmanager.pk}"
    assert sorted(Case.objects.filter(case_manager=fallmanager).values_list("pk", flat=True)) == chosen
    assert Case.objects.get(pk=cases[4].pk).case_manager == leaving
    assert Notification.objects.filter(recipient=fallmanager).count() == 4
    # a second confirmation of the same preview is refused as a whole: the cases moved since
    again = client.post(CONFIRM, {**data, "expected": expected})
    assert again.status_code == 409 and "Seit der Vorschau von jemand anderem umverteilt" in again.content.decode()
    assert Notification.objects.filter(recipient=fallmanager).count() == 4


@pytest.mark.django_db
def test_a_confirmation_without_a_selection_goes_back_with_a_message(client, office, leaving, fallmanager,
                                                                     teamleitung):
    client.force_login(teamleitung)
    response = client.post(CONFIRM, {"new_manager": fallmanager.pk, "manager": leaving.pk}, follow=True)
    assert response.status_code == 200
    assert "Wählen Sie mindestens einen Fall aus." in response.content.decode()
    assert Notification.objects.count() == 0


# --- export of selected clients -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_case_manager_exports_the_selected_clients_as_csv(client, office, other_office, fallmanager):
    mine = [ClientFactory(contact_point=office, last_name=name, first_name="Ida") for name in ("Adler", "Berg", "Cram")]
    foreign = ClientFactory(contact_point=other_office, last_name="Fremd")
    client.force_login(fallmanager)
    response = client.post(reverse("cases:client_export"),
                           {"clients": [mine[0].pk, mine[2].pk, foreign.pk], "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[0] for row in rows if row and row[0] in ("Adler", "Berg", "Cram", "Fremd")]
    assert names == ["Adler", "Cram"]  # the selection, of the own office only
    record = AccessRecord.objects.get()
    assert (record.kind, record.clients, record.client_id) == ("export", 2, None)


@pytest.mark.django_db
def test_the_client_list_offers_the_selection_to_case_managers_only(client, office, fallmanager, make_staff):
    ClientFactory(contact_point=office)
    client.force_login(fallmanager)
    assert 'data-testid="client-selection"' in client.get(reverse("cases:client_list")).content.decode()
    client.force_login(make_staff(Role.EMPFANG, office))
    assert 'data-testid="client-selection"' not in client.get(reverse("cases:client_list")).content.decode()
    assert client.post(reverse("cases:client_export"), {"clients": [1]}).status_code == 403
