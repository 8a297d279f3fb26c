"""Sozialanamnese, assessment contents and sensitive profiling notes: only the assigned case manager and the
Teamleitung read them, everyone else learns that they exist; every reading is recorded in the access log."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from jobcenter.models import AccessRecord
from jobcenter.roles import Module, Role
from profiling.errors import ProfilingError
from profiling.models import SocialHistory
from profiling.services.social_history import SocialHistoryInput, save_social_history
from tests.profiling.factories import SocialHistoryFactory, make_profiling

pytestmark = pytest.mark.django_db
SECRET = "Schulden bei drei Gläubigern."


def _reads(case):  # type: ignore[no-untyped-def]
    return AccessRecord.objects.filter(client_id=case.client_id, what=f"Sozialanamnese, Fall {case.pk}")


@pytest.fixture
def history(case, fallmanager):  # type: ignore[no-untyped-def]
    return SocialHistoryFactory(case=case, recorded_by=fallmanager)


@pytest.mark.parametrize("who", ["fallmanager", "teamleitung"])
def test_assigned_case_manager_and_team_lead_read_it_and_the_reading_is_recorded(request, login, case, history, who):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse("profiling:social_history", args=[case.pk]))
    assert response.status_code == 200 and SECRET in response.content.decode()
    record = _reads(case).get()
    assert (record.user, record.kind, record.contact_point_id) == (user, AccessRecord.Kind.VIEW, case.contact_point_id)
    login(user).get(reverse("profiling:social_history", args=[case.pk]))
    assert _reads(case).count() == 2  # every reading, not only the first


@pytest.mark.parametrize("who", ["colleague", "vermittler", "empfang"])
def test_others_see_only_that_it_exists_and_nothing_is_recorded(request, login, case, history, who):
    client = login(request.getfixturevalue(who))
    detail = client.get(reverse("profiling:social_history", args=[case.pk])).content.decode()
    assert SECRET not in detail
    assert "Es liegt eine Sozialanamnese vom 15.01.2003 vor." in detail
    page = client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert "Sozialanamnese vom 15.01.2003" in page and SECRET not in page
    assert 'data-testid="social-history-restricted"' in page
    assert not _reads(case).exists()


def test_others_cannot_write_it(login, case, history, colleague):
    response = login(colleague).post(reverse("profiling:social_history_edit", args=[case.pk]),
                                     {"recorded_on": "2003-02-01", "debts": "überschrieben"})
    assert response.status_code == 302
    history.refresh_from_db()
    assert history.debts == SECRET
    with pytest.raises(ProfilingError, match="Nur die zuständige Fallmanagerin"):
        save_social_history(case=case, data=SocialHistoryInput(recorded_on=datetime.date(2003, 2, 1), debts="x"),
                            by=colleague)


def test_recording_a_social_history_starts_the_profiling(fm_client, case):
    url = reverse("profiling:social_history_edit", args=[case.pk])
    empty = fm_client.post(url, {"recorded_on": "2003-02-01"})
    assert empty.status_code == 400
    assert "Füllen Sie mindestens einen Abschnitt der Sozialanamnese aus." in empty.content.decode()
    assert not SocialHistory.objects.exists()
    done = fm_client.post(url, {"recorded_on": "2003-02-01", "housing": "Mietrückstand", "biography": "Verkäuferin"})
    assert done.status_code == 302
    history = SocialHistory.objects.get()
    assert (history.housing, history.biography, history.recorded_on) == (
        "Mietrückstand", "Verkäuferin", datetime.date(2003, 2, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.PROFILING
    # editing again updates the same record; opening the form shows the content, so it is a reading
    fm_client.get(url)
    assert _reads(case).count() == 1
    fm_client.post(url, {"recorded_on": "2003-02-01", "housing": "Räumungsklage"})
    assert SocialHistory.objects.get().housing == "Räumungsklage"


def test_the_reading_is_recorded_in_the_default_language(login, case, history, fallmanager):
    fallmanager.staff_profile.language = "en"
    fallmanager.staff_profile.save()
    login(fallmanager).get(reverse("profiling:social_history", args=[case.pk]))
    assert _reads(case).count() == 1


def test_switched_off_module_hides_it(login, case, history, fallmanager, office):
    office.enabled_modules = [m for m in office.enabled_modules if m != Module.SOZIALANAMNESE]
    office.save()
    client = login(fallmanager)
    assert client.get(reverse("profiling:social_history", args=[case.pk])).status_code == 404
    assert client.get(reverse("profiling:social_history_edit", args=[case.pk])).status_code == 404
    page = client.get(reverse("cases:client_detail", args=[case.client_id])).content.decode()
    assert 'data-testid="section-social_history"' not in page


def test_sensitive_profiling_notes_are_masked_for_others(login, case, fallmanager, vermittler, teamleitung):
    profiling = make_profiling(case, fallmanager, debts="obstacle", german="need")
    profiling.ratings.filter(dimension="debts").update(note="Kontopfändung 15.000 EUR")
    profiling.ratings.filter(dimension="german").update(note="Schriftlich unsicher")
    url = reverse("profiling:profiling_detail", args=[profiling.pk])
    page = login(vermittler).get(url).content.decode()
    assert "Kontopfändung" not in page and "Schriftlich unsicher" in page
    # the rating value of a sensitive area is confidential too (Art. 9 DSGVO): "vertraulich", not "Vermittlungshemmnis"
    debts = page.split('data-testid="rating-debts"')[1].split("</tr>")[0]
    assert 'data-testid="rating-confidential"' in debts and "Vermittlungshemmnis" not in debts
    for user in (fallmanager, teamleitung):
        assert "Kontopfändung" in login(user).get(url).content.decode()


def test_the_staff_of_an_office_is_who_the_team_lead_rule_asks(case, make_staff, other_office):
    from profiling.access import can_see_sensitive

    lead_elsewhere = make_staff(Role.TEAMLEITUNG, other_office)
    assert not can_see_sensitive(lead_elsewhere, case)
