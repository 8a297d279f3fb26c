"""Demo clients: ~300 per office across all target groups and case statuses, with notes and appointments.

Dates are relative to today so the start page ("Mein Tag") always has something to show. Idempotent: an office
that already has its demo clients is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import (
    Appointment,
    AppointmentOutcome,
    BenefitEntitlement,
    BenefitKind,
    Case,
    CaseStatus,
    Channel,
    Client,
    ContactNote,
    EndReason,
    Outcome,
    Segment,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from jobcenter.demo import DemoOrganisation
    from jobcenter.models import ContactPoint

T = TypeVar("T")

CLIENTS_PER_OFFICE = 300

FIRST_NAMES = [
    "Anna", "Maria", "Sandra", "Nicole", "Stefanie", "Julia", "Katharina", "Jessica", "Melanie", "Sabrina",
    "Michael", "Andreas", "Thomas", "Stefan", "Christian", "Markus", "Daniel", "Sebastian", "Dennis", "Kevin",
    "Ayşe", "Mehmet", "Olga", "Dmitri", "Jörg", "Björn", "Özlem", "Ümit", "Sören", "Günther", "Jana", "Ronny",
    "Mandy", "Maik", "Peggy", "René", "Doreen", "Enrico", "Yvonne", "Sven",
]
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
    "Yılmaz", "Kaya", "Öztürk", "Iwanow", "Weiß", "Groß", "Jäger", "Böhm", "Köhler", "Günther", "Mueller",
]
STREETS = ["Karl-Liebknecht-Straße", "Eisenbahnstraße", "Georg-Schumann-Straße", "Lützner Straße",
           "Dresdner Straße", "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Am Markt", "Schulstraße"]
CITIES = [[("04177", "Leipzig"), ("04315", "Leipzig"), ("04229", "Leipzig"), ("04103", "Leipzig")],
          [("04552", "Borna"), ("04567", "Kitzscher"), ("04651", "Bad Lausick"), ("04574", "Deutzen")]]
NOTES = [
    "Erstgespräch geführt, Unterlagen zur Leistungsgewährung vollständig.",
    "Bewerbungsunterlagen gemeinsam überarbeitet; Suche im Bereich Lager/Logistik vereinbart.",
    "Telefonisch an den Termin erinnert.",
    "Fehlende Kinderbetreuung am Nachmittag angesprochen; Kontakt zum Jugendamt vorgeschlagen.",
    "Nachweise über 6 Bewerbungen vorgelegt.",
    "Interesse an einer Qualifizierung zum Staplerfahrer geäußert.",
    "Gespräch zur beruflichen Orientierung, Praktikum im Einzelhandel angeregt.",
]
SENSITIVE_NOTES = [
    "Schulden bei mehreren Gläubigern (ca. 8.000 EUR) berichtet; Schuldnerberatung empfohlen.",
    "Hinweise auf Alkoholproblematik; Suchtberatung angesprochen, noch keine Entscheidung.",
    "Gesundheitliche Einschränkungen (Rücken) laut Attest; keine schweren Hebetätigkeiten.",
]
PURPOSES = ["Erstgespräch", "Profiling", "Besprechung Hilfeplan", "Bewerbungstraining", "Folgegespräch",
            "Nachweis Eigenbemühungen"]
# target-group mix per client: (kinds currently drawn, weight)
BENEFIT_MIXES = [((BenefitKind.HLU,), 35), ((BenefitKind.ALHI, BenefitKind.HLU), 20),
                 ((BenefitKind.ALG, BenefitKind.HLU), 8), ((BenefitKind.ALHI,), 27), ((), 10)]
STATUS_MIX = [(CaseStatus.INTAKE, 12), (CaseStatus.PROFILING, 14), (CaseStatus.PLANNING, 14),
              (CaseStatus.IMPLEMENTATION, 25), (CaseStatus.FOLLOW_UP, 8), (CaseStatus.CLOSED, 27)]
FOLLOW_UP_NOTES = [
    "Arbeitsvertrag als Lagerhelfer, unbefristet, 38,5 Std./Woche.",
    "Ausbildung zur Kauffrau im Einzelhandel, Ausbildungsvertrag liegt vor.",
    "Einstellung als Pflegehilfskraft nach Probearbeit.",
]
AMOUNTS = {BenefitKind.ALG: (550, 1100), BenefitKind.ALHI: (380, 850), BenefitKind.HLU: (180, 620)}


def seed(organisation: DemoOrganisation) -> str:
    User = get_user_model()
    created = 0
    for index, office in enumerate(organisation.offices):
        if Client.objects.filter(contact_point=office).count() >= CLIENTS_PER_OFFICE:
            continue
        rng = random.Random(2003 + index)  # noqa: S311 - reproducible demo data
        suffix = "" if index == 0 else "2"
        managers = list(User.objects.filter(username__in=[f"fallmanager{suffix}", f"teamleitung{suffix}"]))
        manager = next(u for u in managers if u.username.startswith("fallmanager"))
        reception = User.objects.get(username=f"empfang{suffix}")
        created += _seed_office(office, rng, manager, reception, index)
    # the two Träger at work: a hand-over and cross-Träger reads; closure approval in the first office
    from cases import demo_closures, demo_cooperation

    cooperation = demo_cooperation.seed(organisation)
    closures = demo_closures.seed(organisation)
    return "; ".join(part for part in (f"{created} clients created", cooperation, closures) if part)


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _seed_office(office: ContactPoint, rng: random.Random, manager: User, reception: User, index: int) -> int:
    today = timezone.localdate()
    clients = []
    for n in range(CLIENTS_PER_OFFICE):
        youth = n % 6 == 0
        age_days = rng.randrange(18 * 365, 24 * 365) if youth else rng.randrange(25 * 365, 60 * 365)
        postal_code, city = rng.choice(CITIES[index])
        clients.append(Client(
            contact_point=office,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            birth_date=today - timedelta(days=age_days),
            street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            postal_code=postal_code,
            city=city,
            phone=f"0341 {rng.randint(100000, 999999)}" if n % 3 else "",
            customer_number=f"{73 + index:03d}{'ABCD'[n % 4]}{100000 + n * 7 + index:06d}" if n % 5 else "",
            file_number=f"50-{200000 + n * 3 + index}/0{n % 4}" if n % 4 else "",
            **_household(rng),
        ))
    clients = Client.objects.bulk_create(clients)

    benefits, cases = [], []
    for client in clients:
        kinds = _weighted(rng, BENEFIT_MIXES)
        start = today - timedelta(days=rng.randrange(60, 5 * 365))
        for kind in kinds:
            low, high = AMOUNTS[kind]
            benefits.append(BenefitEntitlement(
                client=client, kind=kind, start=start + timedelta(days=rng.randrange(0, 30)),
                monthly_amount=Decimal(rng.randrange(low, high)),
            ))
        if not kinds or rng.random() < 0.2:  # an ended benefit in the past: group history
            past_end = start - timedelta(days=1)
            benefits.append(BenefitEntitlement(
                client=client, kind=BenefitKind.ALG, start=past_end - timedelta(days=360), end=past_end,
                monthly_amount=Decimal(rng.randrange(600, 1100)),
                end_reason=EndReason.EMPLOYMENT if not kinds else EndReason.OTHER,
            ))
        status = _weighted(rng, STATUS_MIX)
        opened = today - timedelta(days=rng.randrange(5, 700))
        closed = status == CaseStatus.CLOSED
        outcome = rng.choice([Outcome.EMPLOYMENT, Outcome.EMPLOYMENT, Outcome.TRAINING, Outcome.SELF_EMPLOYMENT,
                              Outcome.MOVED, Outcome.NO_COOPERATION]) if closed else ""
        # Nachbetreuung: an integration recorded in the last weeks, the first day of work behind or ahead
        follow_up = status == CaseStatus.FOLLOW_UP
        since = today - timedelta(days=rng.randrange(0, 30)) if follow_up else None
        if follow_up:
            opened = min(opened, today - timedelta(days=60))
            outcome = rng.choice([Outcome.EMPLOYMENT, Outcome.EMPLOYMENT, Outcome.TRAINING])
        cases.append(Case(
            client=client, contact_point=office, status=status,
            segment=rng.choice([Segment.INFORMATION, Segment.BERATUNG, Segment.FALLMANAGEMENT, Segment.FALLMANAGEMENT]),
            case_manager=manager if rng.random() < 0.7 else None,
            lead_agency=rng.choice(office.agencies), opened_on=opened,
            closed_on=min(today, opened + timedelta(days=rng.randrange(30, 400))) if closed else None,
            outcome=outcome,
            outcome_note="Keine Mitwirkung trotz Anhörung." if outcome == Outcome.NO_COOPERATION
            else rng.choice(FOLLOW_UP_NOTES) if follow_up else "",
            integrated_on=since + timedelta(days=rng.randrange(-5, 30)) if since else None,
            follow_up_since=since, follow_up_recorded_by=manager if follow_up else None,
            no_show_pending=not closed and rng.random() < 0.06,
        ))
    BenefitEntitlement.objects.bulk_create(benefits)
    cases = Case.objects.bulk_create(cases)

    notes, appointments = [], []
    for case in cases:
        last_contact = None
        for _ in range(rng.randrange(1, 5)):
            day = case.opened_on + timedelta(days=rng.randrange(0, max(1, (today - case.opened_on).days)))
            sensitive = rng.random() < 0.15
            notes.append(ContactNote(
                case=case, author=manager if sensitive or rng.random() < 0.7 else reception, occurred_on=day,
                channel=rng.choice(list(Channel.values)), sensitive=sensitive,
                text=rng.choice(SENSITIVE_NOTES if sensitive else NOTES),
            ))
            last_contact = max(last_contact or day, day)
        case.last_contact_on = last_contact
        if case.is_open:
            # a past appointment with an outcome, and for some an upcoming one (some today)
            past = case.opened_on + timedelta(days=rng.randrange(0, max(1, (today - case.opened_on).days)))
            appointments.append(Appointment(
                case=case, with_user=manager, purpose=rng.choice(PURPOSES),
                starts_at=_at(_workday(past, forward=False), rng.choice([9, 10, 11, 13, 14])),
                outcome=AppointmentOutcome.NO_SHOW if case.no_show_pending else rng.choice(
                    [AppointmentOutcome.ATTENDED] * 4 + [AppointmentOutcome.EXCUSED, AppointmentOutcome.CANCELLED]),
            ))
            if rng.random() < 0.35:
                upcoming = today + timedelta(days=rng.choice([0, 0, 1, 2, 3, 7, 14]))
                appointments.append(Appointment(
                    case=case, with_user=manager, purpose=rng.choice(PURPOSES),
                    starts_at=_at(_workday(upcoming, forward=True), rng.choice([8, 9, 10, 11, 13, 14, 15]),
                                  rng.choice([0, 15, 30, 45])),
                ))
    ContactNote.objects.bulk_create(notes)
    Appointment.objects.bulk_create(appointments)
    Case.objects.bulk_update(cases, ["last_contact_on"])
    return len(clients)


def _household(rng: random.Random) -> dict[str, int]:
    children = rng.choice([0, 0, 0, 1, 2])
    return {"children_under_15": children, "household_size": children + rng.choice([1, 1, 2])}


def _workday(day: date, *, forward: bool) -> date:
    """Appointments lie Monday to Friday (cases.rules.OfficeHours): a weekend day becomes the Monday after
    (``forward``) or the Friday before."""
    if day.weekday() < 5:
        return day
    return day + timedelta(days=7 - day.weekday()) if forward else day - timedelta(days=day.weekday() - 4)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
