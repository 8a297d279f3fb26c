"""The plan editor points at what is wrong (issue 14, point 7): a finalise problem marks its field (is-invalid,
aria-invalid, the message beside it) and the summary at the top links to that field; a fully booked offer can be
chosen, with a warning in its option, beside the field and on saving (its referral goes on the waiting list)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from integration_plans import rules
from integration_plans.models import ObligationKind, ObligationPeriod, PlanStatus, ServiceKind
from integration_plans.services.plans import ObligationInput, ServiceInput
from partners.models import ReferralStatus
from tests.integration_plans.factories import draft_plan
from tests.integration_plans.test_pages import editor_data, url
from tests.partners.factories import OfferFactory, PartnerFactory, ReferralFactory

pytestmark = pytest.mark.django_db

FULL_WARNING = ("„Staplerschein kompakt“ ist zurzeit ausgebucht (0 von 1 Plätzen frei). Sie können das Angebot "
                "trotzdem wählen; die Beauftragung kommt dann auf die Warteliste des Angebots.")


def _input(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found is not None, name
    return found.group(0)


def test_a_vague_obligation_marks_its_missing_fields_and_the_summary_links_to_the_first(
        fm_client, hlu_case, fallmanager, notices):
    plan = draft_plan(hlu_case, fallmanager, obligations=[
        ObligationInput(None, ObligationKind.APPLICATIONS, "Bewerbungen im Lager", 6, ObligationPeriod.MONTH,
                        "Kopien der Anschreiben"),
        ObligationInput(None, ObligationKind.APPLICATIONS, "Bewerbungen im Einzelhandel")])
    response = fm_client.post(url("plan_edit", plan.pk), editor_data(plan, action="finalise"))
    assert response.status_code == 400
    html = response.content.decode()
    assert ('<a href="#id_obligations-1-quantity" class="alert-link" data-testid="finalise-problem-link">'
            "Gegenleistung 2 („Bewerbungen im Einzelhandel“) ist nicht konkret; es fehlt: die Anzahl, der Zeitraum "
            "und die Form des Nachweises.</a>") in html
    for name in ("obligations-1-quantity", "obligations-1-period", "obligations-1-proof"):
        field = _input(html, name)
        assert "is-invalid" in field and 'aria-invalid="true"' in field, field
        assert f'id="id_{name}_error"' in html
    assert html.count("Fehlt noch für den Abschluss.") == 3
    for name in ("obligations-0-quantity", "obligations-1-kind", "goal"):  # complete fields stay unmarked
        assert "is-invalid" not in _input(html, name), name


def test_a_missing_goal_is_shown_beside_the_goal_field(fm_client, hlu_case, fallmanager, notices):
    plan = draft_plan(hlu_case, fallmanager)
    response = fm_client.post(url("plan_edit", plan.pk), editor_data(plan, action="finalise", goal=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "is-invalid" in _input(html, "goal")
    assert re.search(r'id="id_goal_error"[^>]*>\s*<span[^>]*><strong>Das Eingliederungsziel fehlt\.</strong>', html)
    assert 'href="#id_goal"' in html


def test_problems_name_the_fields_they_are_about():
    import datetime

    draft = rules.PlanDraft(
        kind="decision", goal="", valid_from=datetime.date(2003, 1, 1), valid_until=datetime.date(2003, 6, 30),
        review_on=datetime.date(2003, 8, 1), decision_reason="", review_clause="", services=0,
        obligations=[rules.ObligationDraft(kind="applications", description="", quantity=None, period="month",
                                           proof="")])
    located = [(p.section, p.row, p.fields) for p in rules.finalise_problems(draft)]
    assert located == [("plan", None, ("goal",)), ("services", None, ()),
                       ("obligations", 0, ("quantity", "proof")), ("plan", None, ("decision_reason",)),
                       ("plan", None, ("review_clause",)), ("plan", None, ("review_on",))]


def test_a_fully_booked_offer_can_be_chosen_with_a_warning_at_choice_and_on_saving(
        fm_client, office, hlu_case, fallmanager):
    partner = PartnerFactory(contact_point=office, kind="qualification", name="Bildungswerk Leipzig")
    full = OfferFactory(partner=partner, title="Staplerschein kompakt", places=1)
    ReferralFactory(offer=full, status=ReferralStatus.ACCEPTED)
    free = OfferFactory(partner=partner, title="Lagerlogistik Grundkurs", places=8)
    plan = draft_plan(hlu_case, fallmanager, services=[ServiceInput(None, ServiceKind.QUALIFICATION, "Kurs",
                                                                    offer=free)])
    editor = fm_client.get(url("plan_edit", plan.pk))
    assert editor.status_code == 200
    html = editor.content.decode()
    assert f'<option value="{full.pk}">Staplerschein kompakt – Bildungswerk Leipzig (ausgebucht)</option>' in html
    assert f'<option value="{free.pk}" selected>Lagerlogistik Grundkurs – Bildungswerk Leipzig</option>' in html
    assert "ist zurzeit ausgebucht" not in re.sub(r'data-full-offers="[^"]*"', "", html)  # no warning yet
    assert f"&quot;{full.pk}&quot;: &quot;\\u201eStaplerschein kompakt" in html  # the script's warning per offer

    response = fm_client.post(url("plan_edit", plan.pk), editor_data(plan, **{"services-0-offer": full.pk}))
    assert response.status_code == 302  # a warning, not a refusal
    assert plan.services.get().offer == full
    assert [str(m) for m in get_messages(response.wsgi_request)][0] == FULL_WARNING
    again = fm_client.get(url("plan_edit", plan.pk)).content.decode()
    assert FULL_WARNING in re.sub(r'data-full-offers="[^"]*"', "", again)  # beside the saved choice
    assert plan.status == PlanStatus.DRAFT
