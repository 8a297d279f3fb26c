"""Issue 14, points 3 and 4: new assignments on the start page ("Neu zugewiesen"), the case list opening on
"Meine Fälle" for a case manager, and the client page as the one page of a case (in-page navigation, sections in
the order of a case manager's day, the case list linking to it)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Outcome, Segment
from cases.selectors import case_history
from cases.services.triage import route_client
from jobcenter.roles import Role
from tests.cases.factories import CaseFactory, ClientFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
CASES = reverse("cases:case_list")
SECTION = "my_day_new_assignments"


@pytest.fixture
def colleague(make_staff, office):  # type: ignore[no-untyped-def]
    return make_staff(Role.FALLMANAGER, office, "kollegin")


@pytest.fixture
def tl_client(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client


def _new_assignments(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(client name, badge) of the "Neu zugewiesen" card, in the order shown."""
    assert response.status_code == 200
    section = next(s for s in response.context["sections"] if s["key"] == SECTION)
    return [(item.title, item.badge) for item in section["items"]]


def _assign(client, case: Case, manager) -> None:  # type: ignore[no-untyped-def]
    """The team lead assigns through the case page's form."""
    response = client.post(reverse("cases:case_assign", args=[case.pk]), {"case_manager": manager.pk})
    assert response.status_code == 302, response.content.decode()[:500]


def _open_case(office, last_name: str, manager=None, opened_days: int = 30) -> Case:  # type: ignore[no-untyped-def]
    return CaseFactory(client=ClientFactory(contact_point=office, last_name=last_name, first_name="Anna"),
                       case_manager=manager, opened_on=timezone.localdate() - timedelta(days=opened_days))


# --- point 3: "Neu zugewiesen" ----------------------------------------------------------------------------------
def test_a_case_the_team_lead_assigns_is_new_on_the_case_managers_start_page_until_opened(
    client, office, fallmanager, teamleitung, colleague,
):
    case = _open_case(office, "Zugewiesen", manager=colleague, opened_days=200)
    _open_case(office, "Alt", manager=fallmanager, opened_days=200)  # long since theirs: not new
    client.force_login(teamleitung)
    _assign(client, case, fallmanager)

    client.force_login(fallmanager)
    home = client.get(HOME)
    assert _new_assignments(home) == [("Zugewiesen, Anna", "neu")]
    html = home.content.decode()
    assert "Neu zugewiesen" in html
    assert html.index(f'data-testid="home-{SECTION}"') < html.index('data-testid="home-my_day_appointments"')

    page = reverse("cases:client_detail", args=[case.client_id])
    marks: list[int] = []

    def count_marks(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        marks[-1] += 'SET "assignment_seen_at"' in sql
        return execute(sql, params, many, context)

    for _ in range(2):
        marks.append(0)
        with connection.execute_wrapper(count_marks):
            assert client.get(page).status_code == 200
    assert marks == [1, 0]  # the mark is written on the first visit, not on every one
    assert _new_assignments(client.get(HOME)) == [("Zugewiesen, Anna", "")]  # still listed, no longer marked


def test_a_client_routed_by_reception_is_new_for_the_case_manager(client, office, fallmanager, empfang):
    person = ClientFactory(contact_point=office, last_name="Empfangen", first_name="Anna")
    route_client(client=person, office=office, receptionist=empfang, concern="Sucht Arbeit",
                 segment=Segment.FALLMANAGEMENT, case_manager=fallmanager)
    client.force_login(fallmanager)
    assert _new_assignments(client.get(HOME)) == [("Empfangen, Anna", "neu")]


def test_only_assignments_of_the_last_14_days_to_this_case_manager_of_open_cases(
    client, office, fallmanager, teamleitung, colleague,
):
    recent = _open_case(office, "Neulich", manager=colleague, opened_days=100)
    older = _open_case(office, "Vorher", manager=colleague, opened_days=100)
    away = _open_case(office, "Weg", manager=colleague, opened_days=100)
    closed = _open_case(office, "Zu", manager=colleague, opened_days=100)
    _open_case(office, "Eroeffnet", manager=fallmanager, opened_days=3)  # assigned when opened, 3 days ago
    _open_case(office, "Frueher", manager=fallmanager, opened_days=15)
    client.force_login(teamleitung)
    for case in (recent, older, away, closed):
        _assign(client, case, fallmanager)
    _assign(client, away, colleague)  # and back to the colleague: no longer the case manager's
    reassignments = apps.get_model("cases", "CaseReassignment").objects
    reassignments.filter(pgh_obj=older).update(pgh_created_at=timezone.now() - timedelta(days=15))
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, outcome=Outcome.MOVED,
                                             closed_on=timezone.localdate())

    client.force_login(fallmanager)
    assert _new_assignments(client.get(HOME)) == [("Neulich, Anna", "neu"), ("Eroeffnet, Anna", "neu")]
    client.force_login(colleague)
    assert [name for name, _ in _new_assignments(client.get(HOME))] == ["Weg, Anna"]


# Each request commits on its own, as in production: in one test transaction the database's now() (the time of
# the audit events) would be the transaction's start, before the first look.
@pytest.mark.django_db(transaction=True)
def test_a_case_assigned_again_is_new_again_and_the_marker_is_no_change_in_the_history(
    client, office, fallmanager, teamleitung, colleague,
):
    case = _open_case(office, "Hinundher", manager=fallmanager, opened_days=2)
    client.force_login(fallmanager)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200  # the case page counts too
    assert _new_assignments(client.get(HOME)) == [("Hinundher, Anna", "")]
    history = case_history(case)

    client.force_login(teamleitung)
    _assign(client, case, colleague)
    _assign(client, case, fallmanager)
    client.force_login(fallmanager)
    assert _new_assignments(client.get(HOME)) == [("Hinundher, Anna", "neu")]
    assert client.get(reverse("cases:client_detail", args=[case.client_id])).status_code == 200
    assert _new_assignments(client.get(HOME)) == [("Hinundher, Anna", "")]
    assert len(case_history(case)) == len(history) + 2  # the two reassignments, not the two looks


def test_the_unopened_come_first_and_the_whole_list_is_one_click_away(fm_client, office, fallmanager):
    for n in range(12):
        _open_case(office, f"Kunde{n:02d}", manager=fallmanager, opened_days=n)
    opened = Case.objects.get(client__last_name="Kunde00")
    assert fm_client.get(reverse("cases:client_detail", args=[opened.client_id])).status_code == 200
    home = fm_client.get(HOME)
    items = _new_assignments(home)
    assert items[0] == ("Kunde01, Anna", "neu") and ("Kunde00, Anna", "") not in items  # newest unopened first
    section = next(s for s in home.context["sections"] if s["key"] == SECTION)
    assert section["total"] == 12 and section["more_url"] == reverse("cases:my_day_list", args=["neu-zugewiesen"])
    full = fm_client.get(section["more_url"])
    assert full.status_code == 200
    assert full.content.decode().count("Kunde") >= 12 and "Kunde00, Anna" in full.content.decode()


@pytest.mark.parametrize("role", [Role.TEAMLEITUNG, Role.EMPFANG, Role.ARBEITSVERMITTLER])
def test_the_card_is_for_case_managers_only(client, office, make_staff, role):
    client.force_login(make_staff(role, office))
    response = client.get(HOME)
    assert response.status_code == 200
    assert SECTION not in [s["key"] for s in response.context["sections"]]


# --- point 3: the case list opens on "Meine Fälle" for a case manager -----------------------------------------
def _rows(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.findall(r'<tr data-testid="case-row">\s*<td><a href="[^"]+">([^<]+)</a>', response.content.decode())


def _selected_manager(response) -> str:  # type: ignore[no-untyped-def]
    select = re.search(r'<select name="manager".*?</select>', response.content.decode(), re.S)
    assert select is not None
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    assert chosen is not None
    return chosen.group(1)


def test_the_case_list_opens_on_my_cases_for_a_case_manager_who_can_switch_to_all(
    fm_client, office, fallmanager, colleague,
):
    _open_case(office, "Meiner", manager=fallmanager)
    _open_case(office, "Ihrer", manager=colleague)
    _open_case(office, "Niemandes")
    first = fm_client.get(CASES)
    assert _rows(first) == ["Meiner, Anna"]
    assert _selected_manager(first) == "mine"
    assert "Meine Fälle" in first.content.decode()
    everyone = fm_client.get(CASES, {"manager": "all"})
    assert _rows(everyone) == ["Ihrer, Anna", "Meiner, Anna", "Niemandes, Anna"]
    assert _selected_manager(everyone) == "all"
    assert "manager=all" in everyone.content.decode()  # the sort and page links keep the choice


def test_the_case_list_opens_on_all_cases_for_the_team_lead(tl_client, office, fallmanager, colleague):
    _open_case(office, "Meiner", manager=fallmanager)
    _open_case(office, "Ihrer", manager=colleague)
    response = tl_client.get(CASES)
    assert _rows(response) == ["Ihrer, Anna", "Meiner, Anna"]
    assert _selected_manager(response) == "all"


# --- point 4: the client page is the page of the case -----------------------------------------------------
def test_a_client_in_the_case_list_links_to_the_client_page(fm_client, office, fallmanager):
    case = _open_case(office, "Verlinkt", manager=fallmanager)
    html = fm_client.get(CASES).content.decode()
    row = re.search(r'<tr data-testid="case-row">.*?</tr>', html, re.S)
    assert row is not None
    assert f'href="{reverse("cases:client_detail", args=[case.client_id])}"' in row.group(0)
    assert reverse("cases:case_detail", args=[case.pk]) not in row.group(0)


# The order of a case manager's day; sections a role or an office's modules leave out are simply skipped.
DAILY_ORDER = ["case", "timeline", "integration_plans", "profiling", "social_history", "assessments", "referrals",
               "proposals", "letters", "benefits", "applications", "disclosures", "handover"]


def test_the_client_page_has_a_section_navigation_in_the_order_of_daily_use(fm_client, office, fallmanager):
    case = _open_case(office, "Seite", manager=fallmanager)
    Case.objects.filter(pk=case.pk).update(last_contact_on=timezone.localdate() - timedelta(days=2))
    response = fm_client.get(reverse("cases:client_detail", args=[case.client_id]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = re.findall(r'data-testid="section-(\w+)"', html)
    shown = [key for key in shown if key != "nav"]
    assert shown[:4] == ["case", "timeline", "integration_plans", "profiling"]
    assert shown == [key for key in DAILY_ORDER if key in shown]
    assert {"benefits", "referrals", "applications"} <= set(shown)

    nav = re.search(r'<nav[^>]*data-testid="section-nav".*?</nav>', html, re.S)
    assert nav is not None
    anchors = re.findall(r'href="#([\w-]+)"', nav.group(0))
    assert anchors == ["client-data-heading", *(f"section-{key}" for key in shown)]
    for anchor in anchors:
        assert f'id="{anchor}"' in html  # every anchor lands on a heading of the page
    case_section = html[html.index('data-testid="section-case"'):html.index('data-testid="section-timeline"')]
    assert "Letzter Kontakt" in case_section
    assert (timezone.localdate() - timedelta(days=2)).strftime("%d.%m.%Y") in case_section
