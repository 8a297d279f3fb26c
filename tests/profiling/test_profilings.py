"""Recording a profiling, setting (or overriding) its category, the status moves; the two-step form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Segment
from cases.services.cases import change_status
from profiling.errors import ProfilingError
from profiling.models import Profiling, ProfilingRating
from profiling.rules import DIMENSIONS, ProfileCategory, Rating
from profiling.services.profilings import RatingInput, confirm_category, record_profiling
from tests.profiling.factories import make_profiling, ratings

pytestmark = pytest.mark.django_db


# --- service ------------------------------------------------------------------------------------------------
def test_recording_a_profiling_derives_the_category_and_moves_the_case_to_profiling(case, fallmanager):
    profiling = record_profiling(case=case, ratings=ratings(debts="obstacle", german="need", motivation="strength"),
                                 by=fallmanager, summary=" Will schnell arbeiten. ")
    assert (profiling.derived_category, profiling.category) == (ProfileCategory.BETREUUNG,) * 2
    assert not profiling.is_confirmed and profiling.summary == "Will schnell arbeiten."
    assert profiling.ratings.count() == len(DIMENSIONS)
    assert ProfilingRating.objects.get(profiling=profiling, dimension="debts").rating == Rating.OBSTACLE
    case.refresh_from_db()
    assert case.status == CaseStatus.PROFILING


def test_re_profiling_keeps_a_later_status(case, fallmanager):
    change_status(case=case, status=CaseStatus.PROFILING, by=fallmanager)
    change_status(case=case, status=CaseStatus.PLANNING, by=fallmanager)
    record_profiling(case=case, ratings=ratings(), by=fallmanager)
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING


@pytest.mark.parametrize(("items", "day", "message"), [
    (ratings()[:-1], None, "Bewerten Sie alle Bereiche"),
    ([*ratings()[:-1], RatingInput("social_skills", "bad")], None, "Bewerten Sie alle Bereiche"),
    ([*ratings(), RatingInput("debts", "need", "x")], None, "genau einmal"),
    ([RatingInput(i.dimension, "need" if i.dimension == "debts" else i.rating, "") for i in ratings()], None,
     "Beschreiben Sie jeden Förderbedarf und jedes Hemmnis in einer kurzen Notiz: Schulden."),
    (ratings(), datetime.date(2002, 5, 31), "nicht vor der Eröffnung des Falls"),
    (ratings(), timezone.localdate() + datetime.timedelta(days=1), "nicht in der Zukunft"),
])
def test_broken_rules_save_nothing(case, fallmanager, items, day, message):
    with pytest.raises(ProfilingError) as error:
        record_profiling(case=case, ratings=items, by=fallmanager, profiled_on=day)
    assert message in error.value.message
    assert not Profiling.objects.exists() and not ProfilingRating.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


def test_a_closed_case_is_not_profiled(case, fallmanager):
    from cases.services.cases import close_case
    close_case(case=case, outcome="moved", by=fallmanager)
    with pytest.raises(ProfilingError, match="abgeschlossen"):
        record_profiling(case=case, ratings=ratings(), by=fallmanager)


def test_setting_the_rule_category_completes_the_profiling(case, fallmanager):
    profiling = record_profiling(case=case, ratings=ratings(german="need"), by=fallmanager)
    confirm_category(profiling=profiling, category=ProfileCategory.BERATUNG, reason="ignored", by=fallmanager)
    profiling.refresh_from_db()
    case.refresh_from_db()
    assert profiling.is_confirmed and profiling.confirmed_by == fallmanager
    assert profiling.override_reason == ""  # no deviation, no reason kept
    assert (case.status, case.segment) == (CaseStatus.PLANNING, Segment.BERATUNG)


def test_override_needs_a_reason_and_keeps_it(case, fallmanager):
    profiling = record_profiling(case=case, ratings=ratings(german="need", debts="need", housing="need"),
                                 by=fallmanager)
    with pytest.raises(ProfilingError) as error:
        confirm_category(profiling=profiling, category=ProfileCategory.BETREUUNG, reason="  ", by=fallmanager)
    assert error.value.field == "reason" and "Begründen Sie die Abweichung" in error.value.message
    profiling.refresh_from_db()
    assert not profiling.is_confirmed
    confirm_category(profiling=profiling, category=ProfileCategory.BETREUUNG, by=fallmanager,
                     reason="Drei Bedarfe zugleich, enge Begleitung nötig.")
    profiling.refresh_from_db()
    case.refresh_from_db()
    assert (profiling.derived_category, profiling.category) == (ProfileCategory.BERATUNG, ProfileCategory.BETREUUNG)
    assert profiling.is_overridden and profiling.override_reason == "Drei Bedarfe zugleich, enge Begleitung nötig."
    assert case.segment == Segment.FALLMANAGEMENT


def test_the_segment_may_stay_as_it_is(case, fallmanager):
    case.segment = Segment.BERATUNG
    case.save()
    profiling = record_profiling(case=case, ratings=ratings(), by=fallmanager)
    confirm_category(profiling=profiling, category=ProfileCategory.MARKT, by=fallmanager, apply_segment=False)
    case.refresh_from_db()
    assert (case.segment, case.status) == (Segment.BERATUNG, CaseStatus.PLANNING)


def test_only_the_latest_unconfirmed_profiling_can_be_set(case, fallmanager):
    older = make_profiling(case, fallmanager, day=datetime.date(2003, 1, 1), german="need")
    newer = make_profiling(case, fallmanager, day=datetime.date(2003, 2, 1))
    with pytest.raises(ProfilingError, match="neuesten"):
        confirm_category(profiling=older, category=older.derived_category, by=fallmanager)
    confirm_category(profiling=newer, category=newer.derived_category, by=fallmanager)
    with pytest.raises(ProfilingError, match="bereits festgelegt"):
        confirm_category(profiling=newer, category=ProfileCategory.BETREUUNG, reason="x", by=fallmanager)


# --- the two-step form --------------------------------------------------------------------------------------
def _step_two_data(case, **ratings_by_dimension):  # type: ignore[no-untyped-def]
    data = {"profiled_on": "2003-03-01", "summary": "", "work_experience_strength": "True",
            "work_experience_note": "10 Jahre Lager"}
    for d in DIMENSIONS:
        if d != "work_experience":
            data[f"{d}_rating"] = ratings_by_dimension.get(d, "neutral")
            data[f"{d}_note"] = "Beschreibung" if ratings_by_dimension.get(d) in ("need", "obstacle") else ""
    return data


def test_strengths_are_asked_first_and_nothing_typed_is_lost_between_the_steps(fm_client, case):
    url = reverse("profiling:profiling_create", args=[case.pk])
    first = fm_client.get(url)
    assert first.status_code == 200
    assert "Wo liegen die Stärken von Anna?" in first.content.decode()
    assert 'name="debts_rating"' in first.content.decode() and 'type="radio"' not in first.content.decode()

    step_two = fm_client.post(url, {"action": "ratings", "profiled_on": "2003-03-01", "motivation_strength": "on",
                                    "motivation_note": "Sehr engagiert", "debts_note": "Mahnbescheide"})
    page = step_two.content.decode()
    assert step_two.status_code == 200 and "Wo ist Unterstützung nötig?" in page
    assert 'data-testid="rate-motivation"' not in page  # a strength is not asked again
    assert 'data-testid="rate-debts"' in page and 'value="Mahnbescheide"' in page
    assert 'name="motivation_note" value="Sehr engagiert"' in page  # carried along hidden

    back = fm_client.post(url, {"action": "strengths", "profiled_on": "2003-03-01", "motivation_strength": "True",
                                "motivation_note": "Sehr engagiert", "debts_rating": "obstacle"})
    page = back.content.decode()
    assert 'name="debts_rating" value="obstacle"' in page and "Sehr engagiert" in page
    assert not Profiling.objects.exists()


def test_a_post_that_no_button_sent_says_so_and_keeps_what_was_typed(fm_client, case):
    # hypothesis found it: without "action" the page came back without any message (issue 17's repeated runs)
    response = fm_client.post(reverse("profiling:profiling_create", args=[case.pk]),
                              {"profiled_on": "2003-03-01", "motivation_note": "Sehr engagiert"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Wählen Sie eine der Schaltflächen" in page and "Sehr engagiert" in page
    assert not Profiling.objects.exists()


def test_saving_without_every_rating_shows_german_messages_and_keeps_the_input(fm_client, case):
    data = _step_two_data(case, debts="obstacle")
    del data["german_rating"]
    data["debts_note"] = ""
    response = fm_client.post(reverse("profiling:profiling_create", args=[case.pk]), {**data, "action": "save"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte eine Bewertung wählen." in page and "Bitte in wenigen Worten beschreiben." in page
    assert 'value="obstacle" class="btn-check" autocomplete="off" id="id_debts_rating_2" checked' in page
    assert not Profiling.objects.exists()


def test_saving_records_and_shows_category_reasons_and_offers(fm_client, case):
    response = fm_client.post(reverse("profiling:profiling_create", args=[case.pk]),
                              {**_step_two_data(case, debts="obstacle", german="need"), "action": "save"})
    profiling = Profiling.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("profiling:profiling_detail",
                                                                           args=[profiling.pk])
    assert profiling.ratings.get(dimension="work_experience").rating == Rating.STRENGTH
    page = fm_client.get(response["Location"]).content.decode()
    assert "Betreuungskunde" in page and "Regel: ein Vermittlungshemmnis (Schulden) → Fallmanagement." in page
    assert "Schuldnerberatung" in page and "Sprachkurs Deutsch" in page
    assert 'data-testid="confirm-form"' in page


def test_override_through_the_page(fm_client, case, fallmanager):
    profiling = record_profiling(case=case, ratings=ratings(german="need"), by=fallmanager)
    url = reverse("profiling:profiling_confirm", args=[profiling.pk])
    refused = fm_client.post(url, {"category": "betreuung", "reason": "", "apply_segment": "on"})
    assert refused.status_code == 400
    assert "Begründen Sie die Abweichung von der Profilkategorie" in refused.content.decode()
    done = fm_client.post(url, {"category": "betreuung", "reason": "Kundin wünscht enge Begleitung.",
                                "apply_segment": "on"})
    assert done.status_code == 302
    page = fm_client.get(done["Location"]).content.decode()
    assert "Abweichend von der Regel festgelegt (Regel: Beratungskunde)." in page
    assert "Kundin wünscht enge Begleitung." in page


def test_roles(client, case, make_staff, office, vermittler, fallmanager):
    from jobcenter.roles import Role

    profiling = make_profiling(case, fallmanager, german="need")
    client.force_login(make_staff(Role.EMPFANG, office))
    assert client.get(reverse("profiling:profiling_detail", args=[profiling.pk])).status_code == 403
    client.force_login(vermittler)  # reads profilings, does not write them
    assert client.get(reverse("profiling:profiling_detail", args=[profiling.pk])).status_code == 200
    assert client.get(reverse("profiling:case_profilings", args=[case.pk])).status_code == 200
    assert client.get(reverse("profiling:profiling_create", args=[case.pk])).status_code == 403
    assert client.post(reverse("profiling:profiling_confirm", args=[profiling.pk]),
                       {"category": "beratung"}).status_code == 403


def test_confirm_is_post_only(fm_client, case, fallmanager):
    profiling = make_profiling(case, fallmanager)
    assert fm_client.get(reverse("profiling:profiling_confirm", args=[profiling.pk])).status_code == 405
