"""The start page "Mein Tag": today's appointments, cases without contact, unexcused no-shows to handle."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from jobcenter.roles import Role
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory


def _today_at(hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, 0)))


def _case(office, manager, *, last_contact_days=None, opened_days=90, last_name=None, **kwargs):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    client = ClientFactory(contact_point=office, **({"last_name": last_name} if last_name else {}))
    return CaseFactory(
        client=client, case_manager=manager, opened_on=today - timedelta(days=opened_days),
        last_contact_on=today - timedelta(days=last_contact_days) if last_contact_days is not None else None,
        **kwargs,
    )


def _section(response, key):  # type: ignore[no-untyped-def]
    return next(s for s in response.context["sections"] if s["key"] == f"my_day_{key}")


@pytest.fixture
def colleague(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.FALLMANAGER, office, "kollegin")


@pytest.mark.django_db
def test_a_case_manager_sees_their_open_appointments_of_today(fm_client, office, fallmanager, colleague):
    own = _case(office, fallmanager, last_contact_days=1, last_name="Heutig")
    other = _case(office, colleague, last_contact_days=1, last_name="Fremdtermin")
    AppointmentFactory(case=own, with_user=fallmanager, starts_at=_today_at(10), purpose="Erstgespräch")
    AppointmentFactory(case=own, with_user=None, starts_at=_today_at(14), purpose="Nachfrage")
    AppointmentFactory(case=other, with_user=colleague, starts_at=_today_at(11))
    AppointmentFactory(case=own, with_user=fallmanager, starts_at=_today_at(10) + timedelta(days=1), purpose="Morgen")
    AppointmentFactory(case=own, with_user=fallmanager, starts_at=_today_at(9), purpose="Erledigt", outcome="attended")
    response = fm_client.get("/")
    section = _section(response, "appointments")
    assert [item.detail for item in section["items"]] == ["Erstgespräch", "Nachfrage"]
    content = response.content.decode()
    assert "Termine heute" in content and "Heutig" in content
    assert "Fremdtermin" not in content and "Morgen" not in content and "Erledigt" not in content


@pytest.mark.django_db
def test_cases_without_contact_for_30_days_are_listed_longest_silence_first(fm_client, office, fallmanager):
    silent = _case(office, fallmanager, last_contact_days=31)
    never = _case(office, fallmanager, last_contact_days=None, opened_days=45)
    _case(office, fallmanager, last_contact_days=29)  # recent contact
    _case(office, fallmanager, last_contact_days=None, opened_days=10)  # new case, no contact needed yet
    _case(office, fallmanager, last_contact_days=100, status="closed", outcome="moved")
    section = _section(fm_client.get("/"), "no_contact")
    assert [item.title for item in section["items"]] == [str(never.client), str(silent.client)]
    assert section["items"][0].badge == "45 Tage"
    assert "kein Kontakt seit Eröffnung" in section["items"][0].detail


@pytest.mark.django_db
def test_unexcused_no_shows_to_handle_are_listed(fm_client, office, fallmanager, colleague):
    flagged = _case(office, fallmanager, last_contact_days=1, no_show_pending=True)
    AppointmentFactory(case=flagged, starts_at=timezone.now() - timedelta(days=2), outcome="no_show")
    _case(office, colleague, last_contact_days=1, no_show_pending=True)
    _case(office, fallmanager, last_contact_days=1)
    section = _section(fm_client.get("/"), "no_shows")
    assert [item.title for item in section["items"]] == [str(flagged.client)]
    assert section["items"][0].url.endswith(f"/kunden/{flagged.client_id}/#section-timeline")


@pytest.mark.django_db
def test_the_team_lead_sees_the_whole_team_with_the_case_manager(client, teamleitung, office, fallmanager, colleague,
                                                                 other_office, fallmanager_other_office):
    _case(office, fallmanager, last_contact_days=40)
    _case(office, colleague, last_contact_days=50)
    _case(other_office, fallmanager_other_office, last_contact_days=60)
    client.force_login(teamleitung)
    section = _section(client.get("/"), "no_contact")
    assert section["total"] == 2
    assert {item.detail.split(" · ")[-1] for item in section["items"]} == {fallmanager.get_full_name(),
                                                                            colleague.get_full_name()}


@pytest.mark.django_db
def test_reception_has_no_my_day_sections(client, empfang):
    client.force_login(empfang)
    assert not [s for s in client.get("/").context["sections"] if s["key"].startswith("my_day_")]
    assert client.get(reverse("cases:my_day_list", args=["ohne-kontakt"])).status_code == 403


@pytest.mark.django_db
def test_each_list_is_limited_and_links_to_the_whole_list(fm_client, office, fallmanager):
    for _ in range(12):
        _case(office, fallmanager, last_contact_days=40)
    response = fm_client.get("/")
    section = _section(response, "no_contact")
    assert (len(section["items"]), section["total"]) == (10, 12)
    assert section["more_url"] == reverse("cases:my_day_list", args=["ohne-kontakt"])
    assert "Alle 12 anzeigen" in response.content.decode()
    full = fm_client.get(section["more_url"])
    assert len(full.context["items"]) == 12
    assert fm_client.get(reverse("cases:my_day_list", args=["unbekannt"])).status_code == 404


@pytest.mark.django_db
def test_a_long_list_is_counted_only_up_to_the_cap(fm_client, office, fallmanager, monkeypatch):
    """A start-page card counts at most ``CARD_COUNT_CAP`` rows (no COUNT(*) over an office): beyond it, "more
    than …" and a link to the whole list without a number."""
    from cases.views import contacts
    from jobcenter import listing

    monkeypatch.setattr(listing, "CARD_COUNT_CAP", 11)  # what card_rows counts to
    monkeypatch.setattr(contacts, "CARD_COUNT_CAP", 11)  # what the card says
    for _ in range(12):
        _case(office, fallmanager, last_contact_days=40)
    response = fm_client.get("/")
    section = _section(response, "no_contact")
    assert (len(section["items"]), section["total"], section["capped"]) == (10, 11, True)
    content = response.content.decode()
    assert 'data-testid="home-my_day_no_contact-total">Mehr als 11 Einträge<' in content
    assert ">Alle anzeigen &raquo;<" in content
    assert section["more_url"] == reverse("cases:my_day_list", args=["ohne-kontakt"])


@pytest.mark.django_db
def test_my_day_needs_the_same_queries_for_few_and_many_rows(
    fm_client, office, fallmanager, colleague, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fill(n: int) -> None:
        for i in range(n):
            case = _case(office, fallmanager, last_contact_days=40 + i, no_show_pending=True)
            AppointmentFactory(case=case, with_user=fallmanager if i % 2 else colleague, starts_at=_today_at(8 + i % 10))
            AppointmentFactory(case=case, starts_at=timezone.now() - timedelta(days=1 + i), outcome="no_show")

    fill(2)
    fm_client.get("/")
    with CaptureQueriesContext(connection) as few:
        fm_client.get("/")
    fill(25)
    with django_assert_max_num_queries(len(few.captured_queries) + 3):  # + one count per list once it overflows
        response = fm_client.get("/")
    assert all(len(_section(response, key)["items"]) == 10 for key in ("appointments", "no_contact", "no_shows"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        fm_client.get(reverse("cases:my_day_list", args=["fernbleiben"]))


@pytest.mark.django_db
def test_my_day_lists_stay_in_the_users_offices(fm_client, other_office, fallmanager):
    foreign = _case(other_office, fallmanager, last_contact_days=40, no_show_pending=True)
    assert Case.objects.filter(pk=foreign.pk).exists()
    response = fm_client.get("/")
    assert _section(response, "no_contact")["total"] == 0
    assert _section(response, "no_shows")["total"] == 0


def test_a_closed_case_leaves_the_no_show_worklist(fm_client, office, fallmanager):
    from cases.models import CaseStatus, Outcome
    from tests.cases.factories import CaseFactory

    # a surname no random staff name contains (the page header shows the logged-in user's)
    case = CaseFactory(contact_point=office, case_manager=fallmanager, no_show_pending=True,
                       client__last_name="Quirrenbach")
    url = reverse("home")
    assert case.client.last_name in fm_client.get(url).content.decode()
    case.status, case.outcome = CaseStatus.CLOSED, Outcome.MOVED
    case.save()
    assert case.client.last_name not in fm_client.get(url).content.decode()
