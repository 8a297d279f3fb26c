"""Notifications (issue 18.2): made by the service that causes them in its own transaction, at most once for the
daily kinds, scoped to their recipient and office, free of sensitive content, counted cheaply for the menu."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactNote
from cases.services.cases import assign_case_manager, open_case
from integration_plans.models import Hearing, HearingReason, IntegrationPlan, PlanSettings
from integration_plans.services import documents as plan_documents
from integration_plans.services import plans as plan_services
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from notifications import daily, rules, selectors
from notifications.models import Kind, Notification
from notifications.services import Notice, mark_all_read, mark_read, notify, notify_many
from partners.services.referrals import record_feedback
from reporting import services as report_services
from reporting.models import MonthlyReport
from reporting.periods import Month
from tests.cases.factories import CaseFactory, ClientFactory, ContactNoteFactory
from tests.integration_plans.factories import case_with_benefits, draft_plan, ensure_notices
from tests.partners.factories import ReferralFactory
from tests.profiling.factories import make_profiling

INBOX = reverse("notifications:inbox")


class Boom(Exception):
    pass


def _notice(user: Any, office: Any, number: int = 1, **changes: Any) -> Notice:
    values: dict[str, Any] = {
        "recipient_id": user.pk, "office_id": office.pk, "kind": Kind.CASE_ASSIGNED,
        "subject": f"Muster, Max · Fall {number}", "url": f"/faelle/{number}/", "subject_key": f"case:{number}",
    }
    values.update(changes)
    return Notice(**values)


# --- made with their cause ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_assigning_a_case_tells_the_new_case_manager(office, fallmanager, teamleitung):
    case = CaseFactory(client=ClientFactory(contact_point=office, last_name="Krause", first_name="Jana"))
    assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung)
    note = Notification.objects.get()
    assert (note.recipient, note.contact_point, note.kind, note.client_id) == (
        fallmanager, office, Kind.CASE_ASSIGNED, case.client_id)
    assert note.subject == f"Krause, Jana · Fall {case.pk}"
    assert note.url == reverse("cases:client_detail", args=[case.client_id]) and note.read_at is None


@pytest.mark.django_db
def test_the_notification_rolls_back_with_the_assignment(office, fallmanager, teamleitung):
    case = CaseFactory(client=ClientFactory(contact_point=office))
    with pytest.raises(Boom), transaction.atomic():
        assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung)
        assert Notification.objects.count() == 1  # made inside the assignment's transaction
        raise Boom
    case.refresh_from_db()
    assert case.case_manager is None and Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_notification_that_cannot_be_made_undoes_its_cause(office, fallmanager, teamleitung):
    """One transaction both ways: a notice refused (here: an amount in the subject) leaves no assignment."""
    case = CaseFactory(client=ClientFactory(contact_point=office, last_name="Zahl", first_name="12,50 €"))
    with pytest.raises(ValueError, match="must not carry"):
        assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung)
    case.refresh_from_db()
    assert case.case_manager is None and Notification.objects.count() == 0


@pytest.mark.django_db
def test_nobody_is_told_what_they_did_themself(office, fallmanager, make_staff):
    client = ClientFactory(contact_point=office)
    open_case(client=client, by=fallmanager)  # a case manager opening a case takes it on
    assert Notification.objects.count() == 0
    empfang = make_staff(Role.EMPFANG, office)
    other = ClientFactory(contact_point=office)
    open_case(client=other, by=empfang, case_manager=fallmanager)  # routed at reception
    assert list(Notification.objects.values_list("recipient", "kind")) == [(fallmanager.pk, Kind.CASE_ASSIGNED)]


@pytest.mark.django_db
def test_a_returned_and_an_approved_plan_tell_who_submitted_it(office, fallmanager, teamleitung):
    ensure_notices()
    PlanSettings.objects.create(contact_point=office, approval_required=True)
    case = case_with_benefits(office, fallmanager, "hlu", last_name="Meyer", first_name="Anna")
    plan = plan_services.submit_for_approval(plan=draft_plan(case, fallmanager), by=fallmanager)
    plan_services.return_to_draft(plan=plan, by=teamleitung, note="Schuldnerberatung als Schritt fehlt.")
    returned = Notification.objects.get()
    assert (returned.recipient, returned.kind) == (fallmanager, Kind.PLAN_RETURNED)
    assert "Schuldner" not in returned.subject  # the note stays on the plan page
    assert returned.url == reverse("integration_plans:plan_detail", args=[plan.pk])
    plan = plan_services.submit_for_approval(plan=plan, by=fallmanager)
    plan_services.finalise(plan=plan, by=teamleitung, render=False)
    assert list(Notification.objects.order_by("pk").values_list("kind", flat=True)) == [
        Kind.PLAN_RETURNED, Kind.PLAN_APPROVED]


@pytest.mark.django_db
def test_partner_feedback_tells_the_case_manager_without_the_partner_or_the_report(office, fallmanager, make_staff):
    vermittler = make_staff(Role.ARBEITSVERMITTLER, office)
    case = CaseFactory(client=ClientFactory(contact_point=office, last_name="Böhm", first_name="Ute"),
                       case_manager=fallmanager)
    referral = ReferralFactory(case=case, offer__partner__contact_point=office,
                               offer__partner__name="Suchtberatung Mitte", referred_on=datetime.date(2003, 1, 2))
    record_feedback(referral=referral, received_on=datetime.date(2003, 2, 1), text="Rückfall, Therapie nötig",
                    by=vermittler)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.subject) == (fallmanager, Kind.FEEDBACK_RECEIVED,
                                                         f"Böhm, Ute · Beauftragung {referral.pk}")


@pytest.mark.django_db
def test_a_stored_agreement_tells_the_case_manager_once(office, fallmanager, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    ensure_notices()
    plan = plan_services.finalise(plan=draft_plan(case_with_benefits(office, fallmanager, "hlu"), fallmanager),
                                  by=fallmanager, render=False)
    IntegrationPlan.objects.filter(pk=plan.pk).update(document_state="pending")
    plan_documents.generate_agreement(plan_id=plan.pk, token="t1")
    plan_documents.generate_agreement(plan_id=plan.pk, token="t2")  # again: nothing new
    assert list(Notification.objects.values_list("recipient", "kind")) == [(fallmanager.pk, Kind.DOCUMENT_READY)]


@pytest.mark.django_db
def test_a_scheduled_monthly_report_tells_every_team_lead(office, teamleitung, make_staff, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    settings.DOCUMENTS_ROOT = tmp_path
    second = make_staff(Role.TEAMLEITUNG, office)
    with django_capture_on_commit_callbacks(execute=True):
        report, _queued = report_services.request_report(office=office, month=Month(2003, 3), by=None)
    assert MonthlyReport.objects.get().status == "done"
    assert set(Notification.objects.values_list("recipient", "kind", "subject")) == {
        (teamleitung.pk, Kind.REPORT_READY, "Monatsbericht 03/2003"), (second.pk, Kind.REPORT_READY, "Monatsbericht 03/2003")}
    assert report_services.generate_report(report_id=report.pk) is False and Notification.objects.count() == 2


# --- the daily ones: once ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_daily_notifications_are_made_once_however_often_the_task_runs(office, fallmanager):
    ensure_notices()
    today = timezone.localdate()
    plan = plan_services.finalise(plan=draft_plan(case_with_benefits(office, fallmanager, "hlu"), fallmanager),
                                  by=fallmanager, render=False)
    IntegrationPlan.objects.filter(pk=plan.pk).update(valid_until=today + datetime.timedelta(days=14))
    hearing = Hearing.objects.create(case=plan.case, plan=plan, reason=HearingReason.SHORTFALL, breach="x",
                                     opened_on=today - datetime.timedelta(days=15), opened_by=fallmanager)
    Hearing.objects.create(case=plan.case, plan=plan, reason=HearingReason.NO_SHOW, breach="x",  # deadline today
                           opened_on=today - datetime.timedelta(days=14), opened_by=fallmanager)
    first = daily.create_daily_notifications(today=today)
    second = daily.create_daily_notifications(today=today)
    third = daily.create_daily_notifications(today=today + datetime.timedelta(days=1))  # the next day: same dates
    assert first == {"agreements_expiring": 1, "hearing_deadlines": 1}
    assert second == {"agreements_expiring": 0, "hearing_deadlines": 0}
    assert third == {"agreements_expiring": 0, "hearing_deadlines": 1}  # only the no-show hearing's deadline is new
    rows = set(Notification.objects.values_list("kind", "subject_key", "due_on"))
    assert {(Kind.AGREEMENT_EXPIRING, f"plan:{plan.pk}", today + datetime.timedelta(days=14)),
            (Kind.HEARING_DEADLINE_PASSED, f"hearing:{hearing.pk}", today - datetime.timedelta(days=1))} <= rows


@pytest.mark.django_db
def test_the_unique_constraint_keeps_a_dated_notification_once_even_when_inserted_twice(office, fallmanager):
    day = datetime.date(2003, 5, 1)
    notice = _notice(fallmanager, office, kind=Kind.AGREEMENT_EXPIRING, due_on=day)
    assert notify_many([notice, notice]) == 1
    assert notify(notice) == 0 and Notification.objects.count() == 1


# --- scoped: only the recipient, only in the office -------------------------------------------------------------
@pytest.mark.django_db
def test_the_inbox_shows_only_the_users_own_notifications_of_the_active_office(
        client, office, other_office, fallmanager, make_staff):
    colleague = make_staff(Role.FALLMANAGER, office)
    notify(_notice(fallmanager, office, 1, subject="Eigen, Anna · Fall 1", client_id=4711))
    notify(_notice(colleague, office, 2, subject="Kollegin, Berta · Fall 2"))
    notify(_notice(fallmanager, other_office, 3, subject="Fremd, Carla · Fall 3"))  # no longer works there
    client.force_login(fallmanager)
    response = client.get(INBOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Eigen, Anna" in body and "Kollegin" not in body and "Fremd" not in body
    record = AccessRecord.objects.get()  # the list named one client
    assert (record.clients, record.client_id, record.contact_point_id) == (1, None, office.pk)


@pytest.mark.django_db
def test_nobody_marks_or_opens_anothers_notification(client, office, other_office, fallmanager, make_staff,
                                                     fallmanager_other_office):
    notify(_notice(fallmanager, office))
    own = Notification.objects.get()
    for intruder in (make_staff(Role.FALLMANAGER, office), make_staff(Role.TEAMLEITUNG, office),
                     fallmanager_other_office):
        client.force_login(intruder)
        for name in ("notifications:open", "notifications:mark_read"):
            assert client.post(reverse(name), {"notification": own.pk}).status_code == 404
        assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    own.refresh_from_db()
    assert own.read_at is None
    with pytest.raises(Notification.DoesNotExist):
        mark_read(notification_id=own.pk, user=fallmanager_other_office)


@pytest.mark.django_db
def test_opening_marks_read_and_leads_to_the_page(client, office, fallmanager):
    notify(_notice(fallmanager, office, 7))
    notify(_notice(fallmanager, office, 8))
    note = Notification.objects.get(subject_key="case:7")
    client.force_login(fallmanager)
    response = client.post(reverse("notifications:open"), {"notification": note.pk})
    assert response.status_code == 302 and response["Location"] == "/faelle/7/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert selectors.unread_count(fallmanager, office.pk) == 1
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302 and selectors.unread_count(fallmanager, office.pk) == 0


@pytest.mark.django_db
def test_the_inbox_is_paginated_and_filters_unread(client, office, fallmanager):
    notify_many([_notice(fallmanager, office, number) for number in range(1, 26)])
    mark_read(notification_id=Notification.objects.order_by("pk").first().pk, user=fallmanager)  # type: ignore[union-attr]
    client.force_login(fallmanager)
    first = client.get(INBOX)
    assert first.status_code == 200 and first.content.decode().count('data-testid="notification"') == 20
    second = client.get(INBOX, {"page": 2})
    assert second.status_code == 200 and second.content.decode().count('data-testid="notification"') == 5
    unread = client.get(INBOX, {"ungelesen": 1})
    assert unread.status_code == 200 and unread.content.decode().count('data-testid="notification-mark-read"') == 20
    assert mark_all_read(user=fallmanager, office_id=office.pk) == 24


# --- no sensitive text ------------------------------------------------------------------------------------------
SENSITIVE = re.compile(r"sucht|alkohol|schulden|gläubiger|krank|gesundheit|therapie|rückfall|€|eur\b|\d,\d\d",
                       re.IGNORECASE)


@pytest.mark.django_db
def test_no_notification_carries_sensitive_content(office, fallmanager, teamleitung, make_staff, settings, tmp_path):
    """Every cause, for a client with a debt note, health and addiction ratings, HLU of 312,50 € and feedback
    from an addiction counselling service: the notifications name the client and the kind of event, nothing more."""
    settings.DOCUMENTS_ROOT = tmp_path
    ensure_notices()
    PlanSettings.objects.create(contact_point=office, approval_required=True)
    case = case_with_benefits(office, fallmanager, "hlu", last_name="Sommer", first_name="Paul")
    ContactNoteFactory(case=case, author=fallmanager, sensitive=True, text="Schulden 8.000 EUR, Alkohol")
    make_profiling(case, fallmanager, debts="obstacle", health="need")
    assign_case_manager(case=case, case_manager=make_staff(Role.FALLMANAGER, office), by=teamleitung)
    assign_case_manager(case=case, case_manager=fallmanager, by=teamleitung)
    plan = plan_services.submit_for_approval(plan=draft_plan(case, fallmanager), by=fallmanager)
    plan_services.return_to_draft(plan=plan, by=teamleitung, note="Suchtberatung fehlt")
    plan = plan_services.finalise(plan=plan_services.submit_for_approval(plan=plan, by=fallmanager), by=teamleitung,
                                  render=False)
    IntegrationPlan.objects.filter(pk=plan.pk).update(document_state="pending",
                                                      valid_until=timezone.localdate() + datetime.timedelta(days=3))
    plan_documents.generate_agreement(plan_id=plan.pk, token="t")
    referral = ReferralFactory(case=case, offer__partner__contact_point=office, offer__partner__name="Suchthilfe e.V.",
                               referred_on=datetime.date(2003, 1, 2))
    record_feedback(referral=referral, received_on=datetime.date(2003, 2, 1), text="Therapie begonnen",
                    by=make_staff(Role.ARBEITSVERMITTLER, office))
    Hearing.objects.create(case=case, plan=plan, reason=HearingReason.SHORTFALL, breach="Schulden nicht geregelt",
                           opened_on=timezone.localdate() - datetime.timedelta(days=20), opened_by=fallmanager)
    daily.create_daily_notifications()
    assert ContactNote.objects.filter(sensitive=True).exists()

    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values) - {Kind.REPORT_READY}  # every kind about a client was made
    for note in Notification.objects.all():
        shown = f"{note.get_kind_display()} {note.subject} {note.url}"
        assert not SENSITIVE.search(shown), shown
        assert note.subject.startswith("Sommer, Paul · "), note.subject


def test_a_subject_with_an_amount_is_refused_and_names_and_dates_pass() -> None:
    for bad in ("Müller · 312,50", "Müller 300 €", "Müller 300 EUR"):
        with pytest.raises(ValueError):
            rules.check_subject(bad)
    assert rules.check_subject("  Krankl,   Eva · Fall 17 ") == "Krankl, Eva · Fall 17"
    assert rules.subject_for("Müller, Käthe", "Anhörung vom 12.05.2003") == "Müller, Käthe · Anhörung vom 12.05.2003"
    with pytest.raises(ValueError):
        rules.check_url("https://example.org/")


# --- the menu's unread count ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_unread_count_costs_the_same_for_one_or_many_notifications(client, office, fallmanager):
    client.force_login(fallmanager)
    assert client.get(reverse("home")).status_code == 200  # the first request after the login renews the session

    def queries_for_home() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        badge = re.search(r'data-testid="nav-badge-notifications">([^<]*)<', response.content.decode())
        return len(queries), badge.group(1) if badge else ""

    notify(_notice(fallmanager, office, 1))
    one, badge_one = queries_for_home()
    notify_many([_notice(fallmanager, office, number) for number in range(2, 151)])
    many, badge_many = queries_for_home()
    assert (badge_one, badge_many) == ("1", "99+")
    assert one == many


@pytest.mark.django_db
def test_the_unread_count_is_one_query_on_the_partial_index(office, fallmanager, make_staff):
    notify_many([_notice(fallmanager, office, number) for number in range(1, 2001)])
    mark_all_read(user=fallmanager, office_id=office.pk)  # a long-used inbox: many read, few unread
    notify_many([_notice(fallmanager, office, number) for number in range(1, 30)])
    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_count(fallmanager, office.pk) == 29
    assert len(queries) == 1
    sql = queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "notification_unread_idx" in plan, plan
