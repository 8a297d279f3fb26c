"""Need-to-know (``cases.need_to_know``): sensitive content reaches only the assigned case manager and the Teamleitung.

The walk: every kind of sensitive content (a sensitive note, the Sozialanamnese, an assessment with its question,
result and the partner's feedback on its referral, the health/addiction/debt ratings with their remarks and the
offers they propose) is created with a marker text in a world of every kind of object
(``tests/security/worlds.py``). Then every GET URL of ``jobcenter.authz.MATRIX`` is requested by every role of the
office that the matrix lets in but that has no need to know (an unassigned Fallmanager, an Arbeitsvermittler,
Empfang, Leistung); no marker may appear in any answer (HTML, CSV, the text of a PDF), and no rating value of a
sensitive area may show. A new page, partial, PDF or export that forgets the rule fails here. The assigned case
manager and the Teamleitung see the content on the pages meant to show it.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import ContactNote
from cases.need_to_know import can_produce_auskunft, can_see_sensitive, sensitive_visible
from jobcenter.authz import MATRIX
from jobcenter.models import AccessRecord
from jobcenter.roles import Role
from partners.models import PartnerKind, Referral, ReferralFeedback
from profiling.errors import ProfilingError
from profiling.models import Assessment, OfferSuggestion, ProfilingRating
from profiling.rules import SENSITIVE_DIMENSIONS
from profiling.services.social_history import SocialHistoryInput, save_social_history
from tests.cases.factories import CaseFactory, ClientFactory, ContactNoteFactory
from tests.factories import ContactPointFactory
from tests.profiling.factories import SocialHistoryFactory, make_profiling
from tests.security.test_authorization_matrix import ALLOWED_OWN, _url
from tests.security.worlds import build_world

pytestmark = pytest.mark.django_db

MARKERS = {
    "note": "Geheimnotiz7Q",
    "social history": "Geheimanamnese7Q",
    "assessment question": "Geheimfrage7Q",
    "assessment result": "Geheimergebnis7Q",
    "assessment feedback": "Geheimrueckmeldung7Q",
    "rating remark": "Geheimbewertung7Q",
    "proposal from a sensitive rating": "Geheimvorschlag7Q",
}
SENSITIVE_LABELS = ("Gesundheit", "Schulden", "Sucht")  # German labels of SENSITIVE_DIMENSIONS
NO_NEED_TO_KNOW = (Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.EMPFANG, Role.LEISTUNG)


# --- the world ----------------------------------------------------------------------------------------------
@pytest.fixture
def world(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Every kind of object in one office, with every kind of sensitive content carrying a marker."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    office = ContactPointFactory(name="Anlaufstelle Eigen")
    objects: dict[str, Any] = build_world(office, "Eigenbuero")
    case = objects["case"]
    manager = case.case_manager
    ContactNoteFactory(case=case, author=manager, text=f"{MARKERS['note']} Therapie", sensitive=True)
    SocialHistoryFactory(case=case, recorded_by=manager, health=f"{MARKERS['social history']} Reha")
    assessment = objects["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(
        question=MARKERS["assessment question"], result_summary=MARKERS["assessment result"],
        result_on=timezone.localdate(), result_recorded_by=manager)
    Referral.objects.filter(pk=assessment.referral_id).update(purpose=MARKERS["assessment question"])
    ReferralFeedback.objects.create(referral=assessment.referral, received_on=timezone.localdate(),
                                    text=MARKERS["assessment feedback"], recorded_by=manager)
    # the latest profiling (the world's has debts "obstacle": the comparison shows sensitive changes too)
    profiling = make_profiling(case, manager, health="obstacle", debts="need", addiction="strength", german="need")
    ProfilingRating.objects.filter(profiling=profiling, dimension__in=SENSITIVE_DIMENSIONS).update(
        note=MARKERS["rating remark"])
    for dimension in SENSITIVE_DIMENSIONS:
        OfferSuggestion.objects.update_or_create(
            dimension=dimension, offer_category=PartnerKind.PSYCHOSOCIAL,
            defaults={"title": MARKERS["proposal from a sensitive rating"], "on_need": True, "on_obstacle": True,
                      "active": True})
    objects.update(profiling=profiling, referral=assessment.referral)  # the walk opens the sensitive ones
    return office, objects


def _body(response: HttpResponse) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith("application/pdf"):
        text = subprocess.run(["pdftotext", "-q", "-", "-"], input=content, capture_output=True, check=False)  # noqa: S603, S607
        if text.returncode == 0:
            return text.stdout.decode()
    return content.decode("utf-8", errors="replace")


def _rating_leaks(body: str) -> list[str]:
    """Rating values of sensitive areas shown to a reader without need-to-know."""
    found = []
    for dimension in SENSITIVE_DIMENSIONS:
        if f'data-testid="change-{dimension}"' in body:
            found.append(f"the comparison shows a change of {dimension}")
        row = re.search(rf'data-testid="rating-{dimension}">(.*?)</tr>', body, re.S)
        if row and 'data-testid="rating-confidential"' not in row.group(1):
            found.append(f"the ratings table shows the {dimension} rating")
    labels = "|".join(SENSITIVE_LABELS)
    for part in re.findall(r'data-testid="(?:category-reasons|comparison-\w+)">(.*?)</(?:p|li)>', body, re.S):
        if re.search(labels, part):
            found.append(f"a sensitive area among the reasons or changes: {' '.join(part.split())[:120]}")
    if re.search(rf'class="badge text-bg-(?:success|warning|danger)[^"]*">\s*(?:{labels})\s*<', body):
        found.append("a sensitive area listed among strengths, needs or obstacles")
    return found


def _get_urls(objects: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """Every GET entry of the matrix for staff, with its URL in this world."""
    return [(name, access, _url(name, access, objects)) for name, access in sorted(MATRIX.items())
            if access.method == "GET" and not access.admin and not access.public]


def _client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- the walk -----------------------------------------------------------------------------------------------
def test_no_sensitive_content_reaches_a_user_without_need_to_know(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    problems: list[str] = []
    requested = 0
    for role in NO_NEED_TO_KNOW:
        client = _client_for(make_staff(role, office))
        for name, access, url in _get_urls(objects):
            if role not in access.roles:
                continue  # 403 (the authorisation matrix test checks that)
            response = client.get(url)
            requested += 1
            if response.status_code not in ALLOWED_OWN:
                problems.append(f"{role}: GET {url} ({name}) answered {response.status_code}")
                continue
            body = _body(response)
            problems += [f"{role}: GET {url} ({name}) shows the {kind}" for kind, marker in MARKERS.items()
                         if marker.lower() in body.lower()]
            problems += [f"{role}: GET {url} ({name}): {leak}" for leak in _rating_leaks(body)]
    assert requested > 100, requested  # the walk really went through the project's pages
    assert not problems, "sensitive content escaped the need-to-know rule:\n  " + "\n  ".join(problems)


PAGES_SHOWING = {  # what the assigned case manager and the Teamleitung must see where
    "cases:client_timeline": ("client", ["note"]),
    "profiling:social_history": ("case", ["social history"]),
    "profiling:assessment_detail": ("assessment", ["assessment question", "assessment result"]),
    "partners:referral_detail": ("referral", ["assessment question", "assessment feedback"]),
    "profiling:profiling_detail": ("profiling", ["rating remark", "proposal from a sensitive rating"]),
}


@pytest.mark.parametrize("who", ["assigned case manager", "Teamleitung"])
def test_the_assigned_case_manager_and_the_team_lead_see_it(world, make_staff, who) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    user = objects["case"].case_manager if who == "assigned case manager" else make_staff(Role.TEAMLEITUNG, office)
    client = _client_for(user)
    for name, (_kind, expected) in PAGES_SHOWING.items():
        response = client.get(_url(name, MATRIX[name], objects))
        assert response.status_code == 200, (name, response.status_code)
        body = _body(response)
        for what in expected:
            assert MARKERS[what] in body, f"{who} does not see the {what} on {name}"
        if name == "profiling:profiling_detail":  # the values and the changes of the sensitive areas
            assert 'data-testid="change-health"' in body and 'data-testid="rating-confidential"' not in body
    page = _body(client.get(reverse("cases:client_detail", args=[objects["client"].pk])))
    assert 'data-testid="ratings-confidential"' not in page and "Gesundheit" in page


# --- the rule -----------------------------------------------------------------------------------------------
def test_a_case_manager_who_left_the_office_no_longer_sees_or_writes_it(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    case = objects["case"]
    manager = case.case_manager
    new_office = ContactPointFactory(name="Anlaufstelle Neu")
    manager.staff_profile.contact_points.set([new_office])
    manager = type(manager).objects.get(pk=manager.pk)  # no cached offices
    assert not can_see_sensitive(manager, case)
    assert not ContactNote.objects.filter(sensitive_visible(manager, frozenset({Role.FALLMANAGER})),
                                          case=case).exists()
    with pytest.raises(ProfilingError):
        save_social_history(case=case, data=SocialHistoryInput(recorded_on=timezone.localdate(), debts="x"),
                            by=manager)


def test_the_query_expression_and_the_predicate_agree(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    case = objects["case"]
    users = [case.case_manager, make_staff(Role.TEAMLEITUNG, office), make_staff(Role.FALLMANAGER, office),
             make_staff(Role.ARBEITSVERMITTLER, office), make_staff(Role.TEAMLEITUNG, ContactPointFactory())]
    for user in users:
        roles = frozenset(user.groups.values_list("name", flat=True))
        in_query = ContactNote.objects.filter(sensitive_visible(user, roles), case=case, sensitive=True).exists()
        assert in_query == can_see_sensitive(user, case, roles=roles) == can_see_sensitive(user, case), user


# --- the Auskunft -------------------------------------------------------------------------------------------
def test_the_auskunft_is_produced_only_by_who_may_see_everything(world, make_staff) -> None:  # type: ignore[no-untyped-def]
    office, objects = world
    client_obj, manager = objects["client"], objects["case"].case_manager
    lead = make_staff(Role.TEAMLEITUNG, office)
    lead.first_name, lead.last_name = "Monika", "Schulz"
    lead.save()
    url = reverse("cases:client_auskunft", args=[client_obj.pk])
    unassigned = _client_for(make_staff(Role.FALLMANAGER, office))

    page = unassigned.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="auskunft-refused"' in text and "Monika Schulz" in text
    assert manager.get_full_name() in text and "auskunft-create" not in text
    refused = unassigned.post(url, {"reason": "Antrag des Kunden"})
    assert refused.status_code == 200 and refused["Content-Type"].startswith("text/html")
    assert MARKERS["note"] not in refused.content.decode()
    assert not AccessRecord.objects.filter(client_id=client_obj.pk, kind=AccessRecord.Kind.EXPORT).exists()
    detail = unassigned.get(reverse("cases:client_detail", args=[client_obj.pk])).content.decode()
    assert 'data-testid="auskunft"' not in detail and 'data-testid="auskunft-by"' in detail

    for user in (manager, lead):
        client = _client_for(user)
        assert 'data-testid="auskunft"' in client.get(reverse("cases:client_detail", args=[client_obj.pk])).content.decode()
        response = client.post(url, {"reason": "Antrag des Kunden"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert MARKERS["note"] in _body(response)


def test_a_case_manager_of_only_some_cases_does_not_produce_it(office, make_staff) -> None:  # type: ignore[no-untyped-def]
    mine, colleague = make_staff(Role.FALLMANAGER, office), make_staff(Role.FALLMANAGER, office)
    client = ClientFactory(contact_point=office)
    CaseFactory(client=client, contact_point=office, case_manager=mine)
    assert can_produce_auskunft(mine, client) and not can_produce_auskunft(colleague, client)
    CaseFactory(client=client, contact_point=office, case_manager=colleague, status="closed",
                closed_on=timezone.localdate(), outcome="moved")
    assert not can_produce_auskunft(mine, client)
    assert can_produce_auskunft(make_staff(Role.TEAMLEITUNG, office), client)


# --- proposals carried into a plan -------------------------------------------------------------------------
def test_a_plan_is_prefilled_from_sensitive_ratings_only_for_who_may_see_them(office, make_staff) -> None:  # type: ignore[no-untyped-def]
    from cases.models import BenefitKind
    from integration_plans.services.plans import create_plan
    from tests.integration_plans.factories import case_with_benefits

    manager, colleague = make_staff(Role.FALLMANAGER, office), make_staff(Role.FALLMANAGER, office)
    OfferSuggestion.objects.update_or_create(
        dimension="addiction", offer_category=PartnerKind.ADDICTION_COUNSELLING,
        defaults={"title": MARKERS["proposal from a sensitive rating"], "on_need": True, "on_obstacle": True,
                  "active": True})
    descriptions = {}
    for who, by in (("colleague", colleague), ("manager", manager)):
        case = case_with_benefits(office, manager, BenefitKind.HLU)
        make_profiling(case, manager, addiction="obstacle")
        plan = create_plan(case=case, by=by)
        descriptions[who] = " ".join(plan.services.values_list("description", flat=True))
    assert MARKERS["proposal from a sensitive rating"] not in descriptions["colleague"]
    assert MARKERS["proposal from a sensitive rating"] in descriptions["manager"]
