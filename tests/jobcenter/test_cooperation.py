"""Cooperation agreements in the app: scoped lists, recording with its rules, ending (never deleting) with the
history kept (docs/domain.md §3a)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jobcenter.cooperation import selectors
from jobcenter.cooperation.services import AgreementError, create_agreement, end_agreement
from jobcenter.models import CooperationAgreement
from jobcenter.roles import Role
from tests.factories import ContactPointFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2003, 6, 1)


def agreement_between(*offices, title="Kooperation Nord/Süd", valid_from=datetime.date(2003, 1, 1),  # type: ignore[no-untyped-def]
                      valid_until=None, parties=None):
    agreement = CooperationAgreement.objects.create(title=title, scope="Übergaben bei Umzug", valid_from=valid_from,
                                                    valid_until=valid_until)
    agreement.parties.set(parties or [office.welfare_agency for office in offices])
    agreement.contact_points.set(offices)
    return agreement


def test_a_team_lead_sees_only_agreements_with_one_of_their_agencies(client, teamleitung, office, other_office):
    own = agreement_between(office, other_office, title="Nord mit Süd")
    foreign = agreement_between(other_office, ContactPointFactory(), title="Süd mit West")
    client.force_login(teamleitung)
    response = client.get(reverse("agreement_list"), {"status": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nord mit Süd" in html and "Süd mit West" not in html
    assert client.get(reverse("agreement_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("agreement_detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("agreement_end", args=[foreign.pk]), {"valid_until": "2003-05-01",
                                                                     "reason": "x"}).status_code == 404


def test_a_case_manager_cannot_open_the_agreements(client, fallmanager):
    client.force_login(fallmanager)
    assert client.get(reverse("agreement_list")).status_code == 403


def test_recording_an_agreement_with_parties_and_contact_points(client, teamleitung, office, other_office):
    client.force_login(teamleitung)
    response = client.post(reverse("agreement_create"), {
        "title": "Kooperation Umzug", "scope": "Übergabe der Akten bei Umzug",
        "parties": [office.employment_agency_id, other_office.welfare_agency_id],
        "contact_points": [office.pk, other_office.pk], "valid_from": "2003-04-01", "valid_until": "",
    })
    assert response.status_code == 302
    agreement = CooperationAgreement.objects.get(title="Kooperation Umzug")
    assert set(agreement.contact_points.all()) == {office, other_office}
    assert set(agreement.parties.all()) == {office.employment_agency, other_office.welfare_agency}
    page = client.get(response["Location"]).content.decode()
    assert "Vereinbarung erfasst" in page and "Beteiligter hinzugefügt" in page


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"parties": "own_only"}, "parties", "mindestens zwei Beteiligte"),
    ({"parties": "foreign_only"}, "parties", "Ihrer Anlaufstelle"),
    ({"contact_points": "third"}, "contact_points", "für keinen der Beteiligten"),
    ({"valid_until": "2003-03-31"}, "valid_until", "nicht enden, bevor sie beginnt"),
])
def test_an_agreement_that_breaks_a_rule_is_refused_with_a_german_message(  # type: ignore[no-untyped-def]
        client, teamleitung, office, other_office, change, field, message):
    third = ContactPointFactory(name="Anlaufstelle West")
    parties = {"own_only": [office.employment_agency_id],
               "foreign_only": [other_office.employment_agency_id, other_office.welfare_agency_id]}
    data = {"title": "Kooperation", "scope": "Übergaben", "valid_from": "2003-04-01", "valid_until": "",
            "parties": [office.employment_agency_id, other_office.welfare_agency_id],
            "contact_points": [office.pk, other_office.pk]}
    if "parties" in change:
        data["parties"] = parties[change["parties"]]
    elif "contact_points" in change:
        data["contact_points"] = [office.pk, third.pk]
    else:
        data.update(change)
    client.force_login(teamleitung)
    response = client.post(reverse("agreement_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CooperationAgreement.objects.exists()


def test_ending_sets_the_last_valid_day_and_keeps_the_agreement_with_its_history(client, teamleitung, office,
                                                                                 other_office):
    agreement = agreement_between(office, other_office)
    client.force_login(teamleitung)
    response = client.post(reverse("agreement_end", args=[agreement.pk]),
                           {"valid_until": "2003-05-31", "reason": "Kreisreform"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.valid_until == datetime.date(2003, 5, 31) and agreement.end_reason == "Kreisreform"
    assert not agreement.valid_on(datetime.date(2003, 6, 1)) and agreement.valid_on(datetime.date(2003, 5, 31))
    events = list(agreement.events.order_by("pgh_id").values_list("pgh_label", "valid_until"))  # type: ignore[attr-defined]
    assert events == [("insert", None), ("update", datetime.date(2003, 5, 31))]
    history = [entry.text for entry in selectors.agreement_history(agreement)]
    assert any("31.05.2003" in text and "Kreisreform" in text for text in history)
    listed = client.get(reverse("agreement_list"), {"status": "ended"}).content.decode()
    assert agreement.title in listed


def test_an_agreement_is_only_ended_earlier_never_later_or_before_it_starts(office, other_office, teamleitung):
    agreement = agreement_between(office, other_office, valid_until=datetime.date(2003, 12, 31))
    with pytest.raises(AgreementError, match="nur früher beendet"):
        end_agreement(agreement=agreement, until=datetime.date(2004, 6, 30), reason="x")
    with pytest.raises(AgreementError, match="bevor sie beginnt"):
        end_agreement(agreement=agreement, until=datetime.date(2002, 12, 31), reason="x")
    end_agreement(agreement=agreement, until=datetime.date(2003, 9, 30), reason="früher")
    agreement.refresh_from_db()
    assert agreement.valid_until == datetime.date(2003, 9, 30)


def test_the_service_refuses_an_agreement_none_of_whose_parties_the_user_works_for(office, other_office,
                                                                                    make_staff):
    lead = make_staff(Role.TEAMLEITUNG, office)
    third = ContactPointFactory()
    with pytest.raises(AgreementError):
        create_agreement(title="x", scope="y", parties=[other_office.welfare_agency, third.welfare_agency],
                         contact_points=[], valid_from=TODAY, valid_until=None, by=lead)
