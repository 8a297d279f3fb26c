"""Demo partners per office: ~40 partners across every kind, offers with places, referrals in every status
(with releases, disclosure log and feedback), employers with vacancies, contacts and placement proposals.

Written through the services, so the demo obeys the same rules (capacity, consent, paying agency) as the
application. Dates are relative to today. Idempotent: an office that already has partners is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Case, CaseStatus, Channel
from jobcenter.models import Agency, ContactPoint
from partners.errors import PartnerError
from partners.models import Offer, Partner, PartnerKind, ProposalResult, ReferralStatus
from partners.rules import consent_required, default_shared_data, may_refer
from partners.services import placement, referrals, registry

AA, SH = Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE
BOTH = [AA, SH]
K = PartnerKind


@dataclass(frozen=True)
class DemoOffer:
    title: str
    category: str
    places: int
    cost: int
    commissionable_by: tuple[str, ...] = (AA, SH)


# name ({city} is the office's town), kind, contact person, street, agency of the contract, offers
SERVICE_PARTNERS: list[tuple[str, str, str, str, str | None, list[DemoOffer]]] = [
    ("Schuldnerberatung der Caritas {city}", K.DEBT_COUNSELLING, "Frau Lehmann", "Elsterstraße 15", SH, [
        DemoOffer("Schuldnerberatung Einzelfallhilfe", K.DEBT_COUNSELLING, 6, 95, (SH,)),
        DemoOffer("Budgettraining in der Gruppe", K.DEBT_COUNSELLING, 10, 40, (SH,))]),
    ("Schuldner- und Insolvenzberatung der Verbraucherzentrale Sachsen", K.DEBT_COUNSELLING, "Herr Vogel",
     "Brühl 34", SH, [DemoOffer("Insolvenzberatung", K.DEBT_COUNSELLING, 4, 120, (SH,))]),
    ("Suchtberatung Diakonie {city}", K.ADDICTION_COUNSELLING, "Frau Seidel", "Nikolaikirchhof 3", SH, [
        DemoOffer("Suchtberatung und Vermittlung in Therapie", K.ADDICTION_COUNSELLING, 8, 110, (SH,))]),
    ("Suchtberatungs- und Behandlungsstelle Alternative II", K.ADDICTION_COUNSELLING, "Herr Fiedler",
     "Dresdner Straße 82", SH, [DemoOffer("Ambulante Nachsorge", K.ADDICTION_COUNSELLING, 6, 150, (SH,))]),
    ("Kindertagesstätte Sonnenschein der AWO {city}", K.CHILDCARE, "Frau Berger", "Kastanienweg 4", SH, [
        DemoOffer("Kurzfristige Betreuungsplätze für Maßnahmeteilnehmende", K.CHILDCARE, 5, 180, (SH,))]),
    ("Tagesmütter-Verbund {city} e.V.", K.CHILDCARE, "Frau Hahn", "Lindenauer Markt 9", SH, [
        DemoOffer("Randzeitenbetreuung durch Tagespflege", K.CHILDCARE, 8, 160, (SH,))]),
    ("Psychosoziale Beratungsstelle der Stadtmission {city}", K.PSYCHOSOCIAL, "Herr Kühn", "Waldstraße 7", SH, [
        DemoOffer("Psychosoziale Stabilisierung", K.PSYCHOSOCIAL, 6, 130, (SH,))]),
    ("Wohnungsnotfallhilfe des Diakonischen Werks {city}", K.OTHER_SOCIAL, "Frau Arnold", "Leinestraße 1", SH, [
        DemoOffer("Beratung bei drohendem Wohnungsverlust", K.OTHER_SOCIAL, 10, 70, (SH,))]),
    ("Familienberatung pro familia {city}", K.OTHER_SOCIAL, "Frau Walther", "Rudolf-Breitscheid-Straße 5", None, [
        DemoOffer("Familien- und Lebensberatung", K.OTHER_SOCIAL, 12, 50, (SH,))]),
    ("Bildungswerk der Sächsischen Wirtschaft", K.QUALIFICATION, "Herr Dr. Pfeiffer", "Zschortauer Straße 70",
     AA, [DemoOffer("Staplerschein mit Lagerlogistik", K.QUALIFICATION, 12, 420),
          DemoOffer("EDV-Grundlagen für den Beruf", K.QUALIFICATION, 15, 260)]),
    ("TÜV Rheinland Akademie {city}", K.QUALIFICATION, "Frau Engel", "Gerichtsweg 28", AA, [
        DemoOffer("Schweißerlehrgang MAG", K.QUALIFICATION, 8, 610, (AA,))]),
    ("Berufsfortbildungswerk des DGB {city}", K.QUALIFICATION, "Herr Winkler", "Karl-Heine-Straße 93", AA, [
        DemoOffer("Umschulung Kaufleute im Einzelhandel", K.QUALIFICATION, 16, 550, (AA,))]),
    ("DAA Deutsche Angestellten-Akademie {city}", K.ASSESSMENT, "Frau Jung", "Torgauer Straße 231", AA, [
        DemoOffer("Assessment-Center (2 Wochen)", K.ASSESSMENT, 10, 480)]),
    ("IBB Institut für Berufliche Bildung", K.APPLICATION_SUPPORT, "Herr Roth", "Riesaer Straße 32", SH, [
        DemoOffer("Bewerbungstraining", K.APPLICATION_SUPPORT, 14, 150)]),
    ("Grone-Schule {city}", K.APPLICATION_SUPPORT, "Frau Schumann", "Prager Straße 21", AA, [
        DemoOffer("Jobcoaching für Jugendliche unter 25", K.APPLICATION_SUPPORT, 12, 220)]),
    ("Kolping-Bildungswerk Sachsen", K.WORK_PLACEMENT, "Herr Franke", "Adolph-Kolping-Weg 2", SH, [
        DemoOffer("Betriebspraktikum mit sozialpädagogischer Begleitung", K.WORK_PLACEMENT, 10, 180)]),
    ("DEKRA Akademie {city}", K.QUALIFICATION, "Herr Böttcher", "Maximilianallee 4", AA, [
        DemoOffer("Berufskraftfahrer-Qualifizierung Führerschein C/CE", K.QUALIFICATION, 8, 690, (AA,))]),
    ("START Zeitarbeit PSA {city}", K.PSA, "Frau Krause", "Gerberstraße 5", AA, [
        DemoOffer("Personal-Service-Agentur: Arbeitnehmerüberlassung", K.PSA, 20, 1050, (AA,))]),
    ("Maatwerk PSA {city}", K.PSA, "Herr Albrecht", "Richard-Wagner-Straße 1", AA, [
        DemoOffer("PSA mit Qualifizierung in verleihfreien Zeiten", K.PSA, 15, 1100, (AA,))]),
    ("Beschäftigungsgesellschaft {city} gGmbH", K.EMPLOYMENT_COMPANY, "Herr Günther", "Merseburger Straße 200",
     SH, [DemoOffer("Arbeitsgelegenheit Grünflächenpflege", K.EMPLOYMENT_COMPANY, 25, 320),
          DemoOffer("ABM Stadtteilservice", K.EMPLOYMENT_COMPANY, 12, 900)]),
    ("Qualifizierungs- und Beschäftigungsgesellschaft Grünau", K.EMPLOYMENT_COMPANY, "Frau Mai",
     "Stuttgarter Allee 9", SH, [DemoOffer("Arbeitsgelegenheit Möbelbörse", K.EMPLOYMENT_COMPANY, 10, 280)]),
]
LABOUR_MARKET_PARTNERS: list[tuple[str, str, str]] = [
    ("Industrie- und Handelskammer zu Leipzig", K.CHAMBER, "Herr Dr. Naumann"),
    ("Handwerkskammer zu Leipzig", K.CHAMBER, "Frau Reichel"),
    ("Bäcker-Innung {city}", K.GUILD, "Herr Ludwig"),
    ("Kfz-Innung Region {city}", K.GUILD, "Herr Sommer"),
    ("Unternehmerverband Sachsen", K.ASSOCIATION, "Frau Dr. Brandt"),
    ("DEHOGA Sachsen, Kreisverband {city}", K.ASSOCIATION, "Herr Kraus"),
    ("ver.di Bezirk {city}", K.UNION, "Frau Horn"),
    ("IG Metall {city}", K.UNION, "Herr Ullrich"),
]
# employer, contact person, vacancies (title, occupation, hours, positions)
EMPLOYERS: list[tuple[str, str, list[tuple[str, str, int, int]]]] = [
    ("Spedition Elster Logistik GmbH", "Herr Thiele", [("Lagerhelfer/in", "Lagerwirtschaft", 40, 3),
                                                       ("Berufskraftfahrer/in CE", "Kraftverkehr", 40, 1)]),
    ("Bäckerei Sonnenkorn GmbH", "Frau Beyer", [("Verkäufer/in Backwaren", "Verkauf", 30, 2)]),
    ("Pflegedienst Lindenau gGmbH", "Frau Wolf", [("Pflegehelfer/in", "Altenpflege", 35, 2)]),
    ("Hotel am Augustusplatz", "Herr Scholz", [("Zimmermädchen/Roomboy", "Hauswirtschaft", 30, 2),
                                              ("Beikoch/Beiköchin", "Gastronomie", 40, 1)]),
    ("Gebäudereinigung Sauber & Co. KG", "Frau Kramer", [("Reinigungskraft", "Gebäudereinigung", 25, 4)]),
    ("Malerbetrieb Krause & Sohn", "Herr Krause", [("Maler/in und Lackierer/in", "Malerhandwerk", 40, 1)]),
    ("Sicherheitsdienst Sachsen-West GmbH", "Herr Haase", [("Wachschutzmitarbeiter/in", "Sicherheit", 40, 2)]),
    ("Gartenbau Grünau GmbH", "Frau Busch", [("Gartenbauhelfer/in", "Garten- und Landschaftsbau", 40, 2)]),
    ("Autohaus Mitteldeutschland GmbH", "Herr Jahn", [("Kfz-Mechatroniker/in", "Kfz-Technik", 40, 1)]),
    ("Callcenter Messestadt GmbH", "Frau Peters", [("Kundenberater/in Telefon", "Kundenservice", 30, 3)]),
    ("Frischemarkt Süd KG", "Herr Lorenz", [("Regalauffüller/in", "Einzelhandel", 20, 2)]),
    ("Metallbau Pleißental GmbH", "Herr Schreiber", [("Schweißer/in", "Metallbau", 40, 1)]),
]
PURPOSES: dict[str, str] = {
    K.DEBT_COUNSELLING: "Schuldenregulierung und Haushaltsplan; Pfändungsschutz klären.",
    K.ADDICTION_COUNSELLING: "Beratung zur Alkoholproblematik, Motivation zur Therapie.",
    K.CHILDCARE: "Betreuung der Kinder während der Maßnahme sicherstellen.",
    K.PSYCHOSOCIAL: "Stabilisierung nach langer Arbeitslosigkeit.",
    K.OTHER_SOCIAL: "Unterstützung bei Mietschulden und Wohnungssicherung.",
    K.QUALIFICATION: "Qualifizierung für den Einstieg in den Arbeitsmarkt.",
    K.ASSESSMENT: "Klärung der beruflichen Eignung und Belastbarkeit.",
    K.APPLICATION_SUPPORT: "Bewerbungsunterlagen erstellen, Vorstellungsgespräche üben.",
    K.WORK_PLACEMENT: "Praktikum zur Erprobung im Einzelhandel.",
    K.PSA: "Integration über Arbeitnehmerüberlassung.",
    K.EMPLOYMENT_COMPANY: "Tagesstruktur und Beschäftigung mit Qualifizierungsanteil.",
}
FEEDBACK = [
    "Kunde nimmt regelmäßig teil, Termine werden eingehalten.",
    "Erstgespräch hat stattgefunden, Unterlagen werden zusammengestellt.",
    "Kundin fehlte zweimal unentschuldigt; Gespräch vereinbart.",
    "Gute Fortschritte, Abschluss voraussichtlich planmäßig.",
]
# target status, days ago of the referral, with feedback?
REFERRAL_PLAN: list[tuple[ReferralStatus, int, bool]] = (
    [(ReferralStatus.STARTED, 60, True)] * 8 + [(ReferralStatus.STARTED, 40, False)] * 4
    + [(ReferralStatus.ACCEPTED, 20, False)] * 4 + [(ReferralStatus.ACCEPTED, 8, True)] * 3
    + [(ReferralStatus.PROPOSED, 25, False)] * 3 + [(ReferralStatus.PROPOSED, 3, False)] * 4
    + [(ReferralStatus.COMPLETED, 150, True)] * 5 + [(ReferralStatus.ABORTED, 90, True)] * 3
    + [(ReferralStatus.DECLINED, 45, True)] * 3
)


def seed(organisation: Any) -> str:
    User = get_user_model()
    counts = [0, 0, 0, 0]
    for index, office in enumerate(organisation.offices):
        if Partner.objects.filter(contact_point=office).exists():
            continue
        suffix = "" if index == 0 else "2"
        users = {u.username: u for u in User.objects.filter(
            username__in=[f"fallmanager{suffix}", f"vermittler{suffix}", f"teamleitung{suffix}"])}
        rng = random.Random(4003 + index)  # noqa: S311 - reproducible demo data
        city = "Leipzig" if index == 0 else "Borna"
        result = _seed_office(office, rng, city, users[f"teamleitung{suffix}"], users[f"fallmanager{suffix}"],
                              users[f"vermittler{suffix}"])
        counts = [a + b for a, b in zip(counts, result, strict=True)]
    return "{} partners, {} offers, {} referrals, {} vacancies".format(*counts)


def _seed_office(office: ContactPoint, rng: random.Random, city: str, lead: Any, manager: Any,
                 placer: Any) -> tuple[int, int, int, int]:
    today = timezone.localdate()
    agency: dict[str, Agency] = {AA: office.employment_agency, SH: office.welfare_agency}
    plz = "04109" if city == "Leipzig" else "04552"
    offers: list[Offer] = []
    partners = 0
    for name, kind, person, street, contract, demo_offers in SERVICE_PARTNERS:
        partner = registry.create_partner(office=office, by=lead, data=registry.PartnerData(
            name=name.format(city=city), kind=kind, contact_person=person, street=street, postal_code=plz, city=city,
            phone=f"{'0341' if city == 'Leipzig' else '03433'} {rng.randint(200000, 999999)}",
            email=f"kontakt{partners}@example.org",
            contract_agency=agency[contract] if contract else None,
            contract_from=date(2002, 1, 1) + timedelta(days=rng.randrange(0, 300)) if contract else None,
            contract_until=date(today.year + 1, 12, 31) if contract and rng.random() < 0.6 else None,
        ))
        partners += 1
        for item in demo_offers:
            offers.append(registry.create_offer(partner=partner, by=lead, data=registry.OfferData(
                title=item.title, category=item.category, places=item.places, cost_per_month=Decimal(item.cost),
                commissionable_by=list(item.commissionable_by), valid_from=date(2002, 1, 1),
            )))
    for name, kind, person in LABOUR_MARKET_PARTNERS:
        registry.create_partner(office=office, by=lead, data=registry.PartnerData(
            name=name.format(city=city), kind=kind, contact_person=person, city=city, postal_code=plz))
        partners += 1
    employers = []
    for name, person, _vacancies in EMPLOYERS:
        employers.append(registry.create_partner(office=office, by=lead, data=registry.PartnerData(
            name=name, kind=K.EMPLOYER, contact_person=person, city=city, postal_code=plz,
            phone=f"{'0341' if city == 'Leipzig' else '03433'} {rng.randint(200000, 999999)}")))
        partners += 1
    referral_count = _seed_referrals(office, rng, offers, manager, today)
    vacancy_count = _seed_vacancies(office, rng, employers, placer, manager, today)
    return partners, len(offers), referral_count, vacancy_count


def _open_cases(office: ContactPoint, min_age: int, today: date) -> list[Case]:
    return list(
        Case.objects.filter(contact_point=office, opened_on__lte=today - timedelta(days=min_age))
        .exclude(status=CaseStatus.CLOSED).select_related("client", "contact_point").order_by("pk")
    )


def _seed_referrals(office: ContactPoint, rng: random.Random, offers: list[Offer], by: Any, today: date) -> int:
    referable = [offer for offer in offers if may_refer(offer.category, office.enabled_modules)]
    debt = next(offer for offer in referable if offer.places == 6 and offer.category == K.DEBT_COUNSELLING)
    cases = _open_cases(office, 160, today)
    rng.shuffle(cases)
    created = 0
    plan = list(REFERRAL_PLAN)
    # fill the debt counselling offer completely, with two clients on its waiting list
    plan_for_debt = [(ReferralStatus.STARTED, 50, True)] * debt.places + [(ReferralStatus.WAITING, 12, False)] * 2
    jobs = [(debt, step) for step in plan_for_debt] + [(rng.choice(referable), step) for step in plan]
    for (offer, (status, days_ago, with_feedback)), case in zip(jobs, cases, strict=False):
        try:
            _refer(case, offer, status, today - timedelta(days=days_ago), with_feedback, rng, by, today)
        except PartnerError:
            continue  # e.g. a fully booked offer: the demo simply skips that client
        created += 1
    return created


def _refer(case: Case, offer: Offer, status: ReferralStatus, day: date, with_feedback: bool,
           rng: random.Random, by: Any, today: date) -> None:
    shared = default_shared_data(offer.category)
    consent = None
    if consent_required(offer.category, shared):
        consent = referrals.ConsentInput(
            given_on=day, scope=f"Zusammenarbeit mit {offer.partner.name}: {PURPOSES[offer.category]}",
            data_categories=shared,
        )
    referral = referrals.refer(case=case, offer=offer, purpose=PURPOSES[offer.category], shared_data=shared, by=by,
                               referred_on=day, planned_months=rng.choice([2, 3, 3, 6]), new_consent=consent)
    steps = {
        ReferralStatus.PROPOSED: [],
        ReferralStatus.WAITING: [ReferralStatus.WAITING],
        ReferralStatus.DECLINED: [ReferralStatus.DECLINED],
        ReferralStatus.ACCEPTED: [ReferralStatus.ACCEPTED],
        ReferralStatus.STARTED: [ReferralStatus.ACCEPTED, ReferralStatus.STARTED],
        ReferralStatus.COMPLETED: [ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED],
        ReferralStatus.ABORTED: [ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.ABORTED],
    }[status]
    on = day
    for step in steps:
        on = min(today, on + timedelta(days=rng.randrange(2, 10) if step != ReferralStatus.COMPLETED else 90))
        referral = referrals.change_status(referral=referral, status=step, by=by, on=on)
    if with_feedback:
        referrals.record_feedback(referral=referral, received_on=min(today, on + timedelta(days=3)),
                                  text=rng.choice(FEEDBACK), by=by)


def _seed_vacancies(office: ContactPoint, rng: random.Random, employers: list[Partner], placer: Any,
                    manager: Any, today: date) -> int:
    if not office.has_module(placement.VACANCY_MODULE):
        return 0
    cases = _open_cases(office, 60, today)
    rng.shuffle(cases)
    candidates = iter(cases[80:])  # clients other than those referred above
    count = 0
    for (_name, person, vacancies), employer in zip(EMPLOYERS, employers, strict=True):
        if office.has_module(placement.EMPLOYER_CONTACT_MODULE):
            placement.log_employer_contact(
                partner=employer, occurred_on=today - timedelta(days=rng.randrange(5, 60)), channel=Channel.PHONE,
                subject="Stellenakquisition", note=f"Gespräch mit {person} über offene Stellen.", by=placer)
        for title, occupation, hours, positions in vacancies:
            acquired = today - timedelta(days=rng.randrange(3, 50))
            vacancy = placement.create_vacancy(employer=employer, by=placer, data=placement.VacancyData(
                title=title, occupation=occupation, hours_per_week=hours, location=employer.city,
                positions=positions, acquired_on=acquired))
            count += 1
            if count % 4 == 0:
                continue  # a few vacancies still wait for a first proposal
            for result in rng.sample([ProposalResult.REJECTED, ProposalResult.NO_ANSWER, "", "",
                                      ProposalResult.HIRED], k=rng.randint(1, 3)):
                case = next(candidates, None)
                vacancy.refresh_from_db()
                if case is None or not vacancy.is_open:
                    break
                proposal = placement.propose(case=case, vacancy=vacancy, by=placer,
                                             proposed_on=min(today, acquired + timedelta(days=2)))
                if result:
                    answered = min(today, proposal.proposed_on + timedelta(days=rng.randrange(3, 14)))
                    placement.record_result(  # the placement officer records it; the case manager is told
                        proposal=proposal, result=result, by=placer, on=answered,
                        starts_on=answered + timedelta(days=rng.randrange(1, 30))
                        if result == ProposalResult.HIRED else None,
                    )
    return count
