"""Demo help plans: every status, several Fortschreibungen, signatures, obligation checks and hearings.

Made through the services (so every rule holds) with dates relative to today, so that the start page has reviews,
expiring agreements, due checks and open hearings to show. Fast: PDFs are rendered for two plans only; the others
are generated on demand from the plan page. Idempotent: an office that already has plans is left alone.
The rural office requires the team lead's approval, so both ways of finalising can be seen; the city office has
plans signed off by both agencies (issue 16): one finalised, one waiting for the Sozialamt's sign-off.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Case, CaseStatus
from integration_plans.models import (
    Hearing,
    HearingConsequence,
    HearingReason,
    HearingStatus,
    IntegrationPlan,
    LegalNotice,
    ObligationKind,
    ObligationPeriod,
    PlanKind,
    PlanSettings,
    PlanSignatory,
    ServiceKind,
)
from integration_plans.rules import check_periods, default_validity
from integration_plans.services import documents, plans, signoff, tracking
from integration_plans.services.plans import ObligationInput, PlanInput, ServiceInput, StepInput
from jobcenter.models import Agency
from jobcenter.roles import Role
from partners.models import Offer

GOALS = [
    "Sozialversicherungspflichtige Beschäftigung als Lagerhelfer/in im Raum {city}",
    "Aufnahme einer Tätigkeit im Einzelhandel (Verkauf, Kasse) in Teilzeit, mindestens 25 Stunden pro Woche",
    "Beginn einer Umschulung zur Berufskraftfahrerin / zum Berufskraftfahrer",
    "Stabilisierung der Lebenssituation (Schulden, Wohnung) als Voraussetzung für eine Arbeitsaufnahme",
    "Arbeitsaufnahme in der Gastronomie oder im Reinigungsgewerbe",
    "Ausbildungsplatz im Handwerk (Jugendliche unter 25)",
]
STEPS = [
    ("Bewerbungsunterlagen überarbeiten und dem Fallmanagement vorlegen", 14),
    ("Beratungstermin bei der Schuldnerberatung wahrnehmen", 21),
    ("Kinderbetreuung für die Nachmittage klären", 30),
    ("Teilnahme an der Informationsveranstaltung zur Qualifizierung", 28),
    ("Praktikum von zwei Wochen in einem Betrieb absolvieren", 60),
]
OBLIGATIONS = [
    (ObligationKind.APPLICATIONS, "Bewerbungen auf Stellen im Zielberuf", 6, ObligationPeriod.MONTH,
     "Kopien der Anschreiben und Eingangsbestätigungen"),
    (ObligationKind.APPOINTMENTS, "Termine beim Fallmanagement wahrnehmen", 1, ObligationPeriod.MONTH,
     "Anwesenheit wird vermerkt"),
    (ObligationKind.PARTICIPATION, "Regelmäßige Teilnahme an der vereinbarten Maßnahme", 1, ObligationPeriod.QUARTER,
     "Teilnahmebescheinigung des Trägers"),
    (ObligationKind.COUNSELLING, "Termine der Schuldnerberatung wahrnehmen", 2, ObligationPeriod.MONTH,
     "Terminbestätigung der Beratungsstelle"),
]
PURPOSES = {
    "debt_counselling": "Überblick über die Schulden verschaffen und Ratenplan mit den Gläubigern vereinbaren",
    "qualification": "Abschluss mit Zertifikat, danach gezielte Bewerbungen",
    "application_support": "Unterlagen und Vorstellungsgespräche trainieren",
    "childcare": "Betreuung der Kinder während der Maßnahme und der Arbeitssuche",
    "work_placement": "Zwei Wochen Praxis im Zielberuf, Einschätzung durch den Betrieb",
}
# (status to reach, days the plan started before today, kind, with Fortschreibung)
SCENARIOS: list[tuple[str, int, str, bool]] = [
    ("draft", 0, PlanKind.AGREEMENT, False),
    ("draft_incomplete", 0, PlanKind.AGREEMENT, False),
    ("draft_incomplete", 0, PlanKind.AGREEMENT, False),
    ("pending", 0, PlanKind.AGREEMENT, False),
    ("final", 2, PlanKind.AGREEMENT, False),
    ("final", 5, PlanKind.DECISION, False),
    ("final", 1, PlanKind.AGREEMENT, False),
    ("signed", 20, PlanKind.AGREEMENT, False),
    ("signed", 45, PlanKind.AGREEMENT, False),
    ("signed", 85, PlanKind.AGREEMENT, False),  # review due
    ("signed", 88, PlanKind.AGREEMENT, False),  # review due
    ("signed", 160, PlanKind.AGREEMENT, False),  # expires within 30 days
    ("signed", 170, PlanKind.AGREEMENT, False),  # expires within 30 days
    ("signed", 70, PlanKind.AGREEMENT, True),  # v1 superseded by a signed v2
    ("signed", 120, PlanKind.AGREEMENT, True),
    ("final", 150, PlanKind.AGREEMENT, True),  # v2 finalised, not yet signed
    ("revision_draft", 175, PlanKind.AGREEMENT, False),  # Fortschreibung in preparation
    ("expired", 200, PlanKind.AGREEMENT, False),
    ("expired", 230, PlanKind.AGREEMENT, False),
]
JOINT_GOAL = ("Schulden ordnen und danach eine sozialversicherungspflichtige Beschäftigung im Einzelhandel "
              "aufnehmen")
JOINT_EFFORTS = "Vermittlungsvorschläge des Arbeitsamts; Schuldnerberatung über den Sozialhilfeträger."
RENDERED_PER_OFFICE = (2, 0)  # PDFs rendered by the seeder (city, rural); the rest on demand


def _ensure_example_notices() -> None:
    """The example legal notices of the data migration (a test database flush removes them)."""
    examples = import_module("integration_plans.migrations.0002_example_legal_notices").EXAMPLES
    for example in examples:
        if not LegalNotice.objects.filter(basis=example["basis"]).exists():
            LegalNotice.objects.create(basis=example["basis"], version=1, title=example["title"],
                                       text=example["text"], valid_from=date(2003, 1, 1), is_example=True)


def seed(organisation: Any) -> str:
    User = get_user_model()
    total = 0
    _ensure_example_notices()
    for index, office in enumerate(organisation.offices):
        if IntegrationPlan.objects.filter(case__contact_point=office).exists():
            continue
        suffix = "" if index == 0 else "2"
        users = {u.username: u for u in User.objects.filter(username__in=[f"fallmanager{suffix}",
                                                                          f"teamleitung{suffix}"])}
        manager, lead = users.get(f"fallmanager{suffix}"), users.get(f"teamleitung{suffix}")
        if manager is None or lead is None:
            continue
        PlanSettings.objects.update_or_create(contact_point=office, defaults={"approval_required": index == 1})
        total += _seed_office(office, manager, lead, approval=index == 1, rng=random.Random(6003 + index),  # noqa: S311
                              render=RENDERED_PER_OFFICE[min(index, 1)])
    joint = _seed_joint_signoff(organisation.offices[0]) if organisation.offices else 0
    parts = [f"{total} plan versions" if total else "",
             "joint sign-off: 1 plan signed off by both agencies, 1 awaiting the second sign-off" if joint else ""]
    return ", ".join(part for part in parts if part)


def _seed_joint_signoff(office: Any) -> int:
    """Issue 16: the first office has plans signed off by both agencies: the Teamleitung (``teamleitung``, by her
    role) signs for the Arbeitsamt, the benefits officer ``leistung`` (by name) for the Sozialamt. One plan is
    signed off by both (and finalised, its agreement printed), one waits for the Sozialamt's sign-off. Idempotent:
    configured once, with the settings."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["fallmanager", "teamleitung", "leistung"])}
    manager, lead, benefits = users.get("fallmanager"), users.get("teamleitung"), users.get("leistung")
    if manager is None or lead is None or benefits is None:
        return 0
    config, _created = PlanSettings.objects.get_or_create(contact_point=office)
    if config.joint_signoff_required:
        return 0
    config.joint_signoff_required = True
    config.employment_signer_role, config.welfare_signer_role = Role.TEAMLEITUNG, ""
    config.one_person_signs_both = False
    config.save()
    PlanSignatory.objects.get_or_create(plan_settings=config, agency_kind=Agency.Kind.SOZIALHILFE, user=benefits)
    cases = list(Case.objects.filter(contact_point=office, case_manager=manager,
                                     status__in=[CaseStatus.PROFILING, CaseStatus.PLANNING])
                 .exclude(plans__isnull=False).select_related("client").order_by("id")[:2])
    today = timezone.localdate()
    made = 0
    for case, days_ago in zip(cases, (6, 1), strict=False):
        start = today - timedelta(days=days_ago)
        plan = plans.create_plan(case=case, by=manager, valid_from=start)
        until, review = default_validity(start)
        plan = plans.save_draft(
            plan=plan, expected_edit_count=plan.edit_count, by=manager,
            data=PlanInput(kind=PlanKind.AGREEMENT, goal=JOINT_GOAL, placement_efforts=JOINT_EFFORTS,
                           valid_from=start, valid_until=until, review_on=review),
            steps=[StepInput(None, text, start + timedelta(days=days)) for text, days in STEPS[:2]],
            services=[ServiceInput(None, ServiceKind.PLACEMENT, "Mindestens zwei passende Vermittlungsvorschläge "
                                                                 "pro Monat"),
                      ServiceInput(None, ServiceKind.DEBT_COUNSELLING, PURPOSES["debt_counselling"])],
            obligations=[ObligationInput(None, kind, text, quantity, period, proof)
                         for kind, text, quantity, period, proof in (OBLIGATIONS[0], OBLIGATIONS[3])],
        )
        plan = plans.submit_for_approval(plan=plan, by=manager)
        # submitted in the morning of its first day (demo dates lie in the past), signed off from then on
        IntegrationPlan.objects.filter(pk=plan.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(start, time(9))))
        plan = signoff.sign_off(plan=plan, agency_kind=Agency.Kind.ARBEITSAMT, by=lead, on=start, render=False)
        if made == 0:  # the first also by the Sozialamt, a day later: finalised, its agreement printed
            plan = signoff.sign_off(plan=plan, agency_kind=Agency.Kind.SOZIALHILFE, by=benefits,
                                    on=start + timedelta(days=1), render=False)
            documents.generate_agreement(plan_id=plan.pk, token=f"demo-joint-{plan.pk}")
        made += 1
    return made


def _offers(office: Any) -> dict[str, list[Offer]]:
    result: dict[str, list[Offer]] = {}
    for offer in Offer.objects.filter(partner__contact_point=office, active=True).select_related("partner"):
        result.setdefault(offer.category, []).append(offer)
    return result


def _content(plan: IntegrationPlan, rng: random.Random, offers: dict[str, list[Offer]], kind: str, city: str,
             complete: bool = True) -> dict[str, Any]:
    start = plan.valid_from
    services = [ServiceInput(None, ServiceKind.PLACEMENT, "Mindestens zwei passende Vermittlungsvorschläge pro Monat")]
    for category in rng.sample(["debt_counselling", "qualification", "application_support", "childcare",
                                "work_placement"], 2):
        offer = rng.choice(offers[category]) if offers.get(category) else None
        if offer is not None:
            services.append(ServiceInput(None, category, PURPOSES.get(category, ""), offer=offer))
    steps = [StepInput(None, text, start + timedelta(days=days)) for text, days in rng.sample(STEPS, 3)]
    chosen = [OBLIGATIONS[0], *rng.sample(OBLIGATIONS[1:], 1)]
    obligations = [ObligationInput(None, o_kind, text, quantity, period, proof)
                   for o_kind, text, quantity, period, proof in chosen]
    if not complete:  # vague, as a first draft often is: no quantity and no proof yet
        obligations = [ObligationInput(None, ObligationKind.APPLICATIONS, "Regelmäßig bewerben")]
    until, review = default_validity(start)
    data = PlanInput(
        kind=kind, goal=rng.choice(GOALS).format(city=city),
        placement_efforts="Vermittlungsvorschläge und Kontakte zu Arbeitgebern der Region durch das Arbeitsamt.",
        valid_from=start, valid_until=until, review_on=review,
        decision_reason=("Eine Vereinbarung kam nicht zustande, weil der Kunde die Bewerbungspflicht ablehnte. "
                         "Die Geltung von sechs Monaten entspricht der üblichen Dauer.") if kind == PlanKind.DECISION
        else "",
        review_clause="Die Festlegung wird nach drei Monaten und auf Antrag jederzeit überprüft."
        if kind == PlanKind.DECISION else "",
    )
    return {"data": data, "steps": steps, "services": services, "obligations": obligations}


def _revised(plan: IntegrationPlan, offers: dict[str, list[Offer]]) -> dict[str, Any]:
    """A Fortschreibung as it typically reads: the first step done and a new one, one service ended and another
    added, the application quota raised."""
    start = plan.valid_from
    steps = [StepInput(s.pk, s.description, s.due_on, "done" if i == 0 else s.status)
             for i, s in enumerate(plan.steps.all())]
    steps.append(StepInput(None, "Vorstellungsgespräche mit dem Fallmanagement vorbereiten", start + timedelta(days=21)))
    old = list(plan.services.all())
    services = [ServiceInput(s.pk, s.kind, s.description, s.offer, s.estimated_cost) for s in old[:-1]]
    present = {s.kind for s in old[:-1]}
    extra = next((c for c in ("application_support", "qualification", "work_placement") if c not in present
                  and offers.get(c)), None)
    if extra:
        services.append(ServiceInput(None, extra, PURPOSES[extra], offer=offers[extra][0]))
    obligations = [ObligationInput(o.pk, o.kind, o.description, (o.quantity or 1) + (2 if i == 0 else 0), o.period,
                                   o.proof) for i, o in enumerate(plan.obligations.all())]
    data = PlanInput(kind=plan.kind, goal=plan.goal, placement_efforts=plan.placement_efforts,
                     valid_from=plan.valid_from, valid_until=plan.valid_until, review_on=plan.review_on,
                     decision_reason=plan.decision_reason, review_clause=plan.review_clause)
    return {"data": data, "steps": steps, "services": services, "obligations": obligations}


def _save(plan: IntegrationPlan, by: Any, content: dict[str, Any]) -> IntegrationPlan:
    return plans.save_draft(plan=plan, expected_edit_count=plan.edit_count, by=by, **content)


def _checks(plan: IntegrationPlan, by: Any, today: date, rng: random.Random, *, leave_last: bool) -> None:
    """Record the ended periods of each obligation (but the latest, for the worklist); now and then a shortfall
    (which opens a hearing)."""
    for obligation in plan.obligations.all():
        periods = [p for p in check_periods(obligation.period, plan.valid_from, plan.valid_until) if p.end < today]
        for period in periods[: max(0, len(periods) - int(leave_last))]:
            assert obligation.quantity is not None  # every demo obligation with a period is counted
            achieved = obligation.quantity if rng.random() < 0.85 else max(0, (obligation.quantity or 1) - 3)
            tracking.record_check(obligation=obligation, by=by, period_start=period.start,
                                  fulfilled=achieved >= (obligation.quantity or 1), achieved=achieved,
                                  note="" if achieved >= (obligation.quantity or 1) else
                                  "Nur teilweise Nachweise vorgelegt.")


def _seed_office(office: Any, manager: Any, lead: Any, *, approval: bool, rng: random.Random, render: int) -> int:
    today = timezone.localdate()
    city = "Leipzig" if "Leipzig-Mitte" in office.name else "Borna"
    offers = _offers(office)
    finaliser = lead if approval else manager
    cases = list(
        Case.objects.filter(contact_point=office, case_manager=manager,
                            status__in=[CaseStatus.PROFILING, CaseStatus.PLANNING, CaseStatus.IMPLEMENTATION,
                                        CaseStatus.FOLLOW_UP])
        .exclude(plans__isnull=False).select_related("client").order_by("id")[: len(SCENARIOS)]
    )
    count, rendered = 0, []
    for case, (target, days_ago, kind, revised) in zip(cases, SCENARIOS, strict=False):
        start = today - timedelta(days=days_ago)
        plan = plans.create_plan(case=case, by=manager, valid_from=start)
        plan = _save(plan, manager, _content(plan, rng, offers, kind, city, complete=target != "draft_incomplete"))
        count += 1
        if target in ("draft", "draft_incomplete"):
            continue
        if target == "pending":
            if approval:
                plans.submit_for_approval(plan=plan, by=manager)
            continue
        plan = plans.finalise(plan=plan, by=finaliser, finalised_on=start, render=False)
        if target == "final" and not revised:
            rendered.append(plan)
            continue
        if target in ("signed", "expired", "revision_draft") or revised:
            plan = plans.record_signature(plan=plan, by=manager, signed_on=min(today, start + timedelta(days=1)),
                                          note="Vom Kunden in der Anlaufstelle unterschrieben, Ausfertigung "
                                               "ausgehändigt.")
        if target == "revision_draft":
            plans.create_revision(plan=plan, by=manager)
            count += 1
            continue
        if revised:
            revision_start = start + timedelta(days=days_ago // 2)
            new = plans.create_revision(plan=plan, by=manager, valid_from=revision_start)
            new = _save(new, manager, _revised(new, offers))
            new = plans.finalise(plan=new, by=finaliser, finalised_on=revision_start, render=False)
            count += 1
            if target == "signed":
                new = plans.record_signature(plan=new, by=manager, signed_on=revision_start, note="")
            plan = new
        _checks(plan, manager, today, rng, leave_last=target != "expired")
    plans.expire_due_plans(today=today)
    _hearings(office, manager, today)
    for plan in rendered[:render]:
        documents.generate_agreement(plan_id=plan.pk, token=f"demo-{plan.pk}")
    return count


def _hearings(office: Any, manager: Any, today: date) -> None:
    """A no-show hearing for a flagged case, and one shortfall hearing decided (good reason accepted)."""
    flagged = Case.objects.filter(contact_point=office, case_manager=manager, no_show_pending=True).exclude(
        status=CaseStatus.CLOSED).order_by("id").first()
    if flagged is not None:
        tracking.open_no_show_hearing(case=flagged, by=manager)
    shortfall = Hearing.objects.filter(case__contact_point=office, reason=HearingReason.SHORTFALL,
                                       status=HearingStatus.OPEN).order_by("id").first()
    if shortfall is not None:
        tracking.save_hearing(hearing=shortfall, by=manager, decide=True, data=tracking.HearingInput(
            statement="Kunde war zwei Wochen krank, ärztliche Bescheinigung liegt vor.",
            statement_on=max(shortfall.opened_on, today - timedelta(days=1)), good_reason_accepted=True,
            consequence=HearingConsequence.NONE,
            decision="Wichtiger Grund anerkannt (Arbeitsunfähigkeit belegt). Keine Rechtsfolge.",
            decided_on=today))

