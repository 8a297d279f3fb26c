"""Seed a city for the work-page benchmark (issue 13): 10 offices (Anlaufstellen) on one database, 1,000,000
clients in total (100,000 each), 10,000,000 contact notes, 3,000,000 help plans with services, steps and
obligations, effective-dated benefits, cases in every status, appointments around today (today ± 3 weeks, so
"Mein Tag" has data), benefit applications, profilings and social histories, partners with offers, referrals and
disclosures, employers with vacancies and placement proposals, hearings, and reassignments in the audit trail.
``--scale 0.1`` seeds the same 10 offices with a tenth of everything (10,000 clients each).

A sibling of ``seed_reporting_bench`` (which stays as it is for ``bench_reporting``): it reuses its
``insert_select`` (``INSERT … SELECT generate_series`` with every column from the model, so a field added later
gets its default) and the same rules — a database named *bench* (or ``--force``), triggers off for the seeding
transaction (``session_replication_role = replica``: no audit rows for generated data), one transaction per office,
idempotent (an office that has clients is skipped), ``VACUUM (ANALYZE)`` at the end. The reporting store is rebuilt for each
office as the nightly task would.

Values are spread with a hash of the row id (``hashint8extended``), so the data is the same on every run: mixed
statuses, varied dates for every sort, and names from a list of common ones and a long tail, so that a search for
a common name finds many clients ("Müller": about 600 in an office of 100,000) and a full name a few ("Müller
Anna": about 14).

Staff (password ``PASSWORD`` of ``seed_reporting_bench``) per office N = 1..10: ``bench-oN-empfang``,
``bench-oN-fallmanager-1`` … ``-K`` (K = 40 × scale, at least 2: a case manager's caseload stays the same at every
scale), ``bench-oN-vermittler``, ``bench-oN-leistung``, ``bench-oN-teamleitung``; and ``bench-admin`` (IT
administrator with the Django admin) for all offices.

Usage: DATABASE_URL=postgresql://…/anl_bench_city python manage.py seed_city_bench [--scale 0.1]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Appointment, BenefitApplication, BenefitEntitlement, Case, Client, ContactNote
from cases.target_groups import refresh_target_groups
from integration_plans.models import Hearing, IntegrationPlan, Obligation, PlanService, PlanStep
from jobcenter.models import Agency, ContactPoint, StaffProfile
from jobcenter.roles import Module, Role
from partners.models import (
    SERVICE_KINDS,
    DisclosureRecord,
    EmployerContact,
    Offer,
    Partner,
    PartnerKind,
    PlacementProposal,
    Referral,
    Vacancy,
)
from profiling.models import Profiling, ProfilingRating, SocialHistory
from profiling.rules import DIMENSIONS
from reporting.management.commands.seed_reporting_bench import PASSWORD, execute, insert_select
from reporting.metrics.sql import REASSIGNMENT

CITY = "Benchstadt"
OFFICE_PREFIX = f"Anlaufstelle {CITY}-"
DISTRICTS = ("Mitte", "Nord", "Süd", "Ost", "West", "Altstadt", "Hafen", "Gartenstadt", "Neustadt", "Auenviertel")
ADMIN_USERNAME = "bench-admin"
FULL_CLIENTS = 100_000  # per office at --scale 1
NOTES_PER_CLIENT = 10
PLANS_PER_CLIENT = 3
MANAGERS_AT_FULL_SIZE = 40
CLIENT_BATCH = 25_000
ANALYZE_AFTER = {
    "cases": ("cases_client", "cases_benefitentitlement", "cases_case"),
    "profilings, social histories": ("profiling_profiling",),
    "plans, services, steps, obligations": ("integration_plans_integrationplan",),
}
NOTE_BATCH = 150_000  # notes per statement (the cases are cut into id ranges of about this many notes)

# Names, most common first: a name's index is drawn skewed towards the start of the list.
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Iwanow", "Kowalski", "Nowak", "Popescu",
    "Nguyen", "Groß", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth",
]
FIRST_NAMES = [
    "Anna", "Maria", "Thomas", "Michael", "Sabine", "Andreas", "Petra", "Stefan", "Claudia", "Frank",
    "Monika", "Jürgen", "Susanne", "Uwe", "Andrea", "Peter", "Katrin", "Klaus", "Nicole", "Jörg",
    "Sandra", "Ralf", "Stefanie", "Mehmet", "Olga", "Özlem", "Ali", "Ayşe", "René", "Björn",
    "Käthe", "Sven", "Fatma", "Dirk", "Marco", "Daniel", "Tobias", "Dmitri", "Piotr", "Kevin",
]
# The long tail: family names built from two parts ("Lindner", "Steinhardt"), 300 of them.
NAME_STEMS = ["Berg", "Lind", "Hof", "Stein", "Wald", "Rosen", "Brenn", "Eich", "Feld", "Kirch", "Sonn", "Mühl",
              "Grün", "Alt", "Neu", "Ober", "Kalt", "Dreh", "Wies", "Horn"]
NAME_ENDINGS = ["mann", "ner", "er", "hardt", "feld", "berg", "hof", "bach", "meier", "inger", "stedt", "ke", "el",
                "haus", "brink"]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Gartenweg", "Schillerstraße", "Goethestraße",
           "Am Markt", "Rosenweg", "Mühlgasse", "Eisenbahnstraße", "Karl-Liebknecht-Straße", "Südplatz"]
NOTE_TEXTS = [
    "Beratungsgespräch geführt; Bewerbungsunterlagen besprochen.",
    "Telefonat: Kunde meldet sich krank bis Ende der Woche.",
    "Bewerbungsnachweise vorgelegt (fünf Bewerbungen im Monat).",
    "Gespräch zur Kinderbetreuung; Kita-Platz ist beantragt.",
    "Rückfrage zum Leistungsbescheid beantwortet.",
    "Vermittlungsvorschlag besprochen, Kunde ist interessiert.",
    "Schuldnerberatung empfohlen, Termin vereinbart.",
    "Hilfeplan besprochen und Fortschreibung vorbereitet.",
    "Kunde nicht erreicht; Brief mit neuem Termin versandt.",
    "E-Mail: Unterlagen zur Maßnahme nachgereicht.",
]
SENSITIVE_TEXT = "Vertraulich: gesundheitliche Situation und Belastungen besprochen."
PURPOSES = ["Beratungsgespräch", "Profiling", "Hilfeplangespräch", "Fortschreibung des Hilfeplans",
            "Bewerbungscoaching", "Fragen zur Leistung", "Nachbetreuung"]
STEP_TEXTS = ["Bewerbungsunterlagen überarbeiten", "Deutschkurs B1 besuchen", "Schuldnerberatung aufsuchen",
              "Kinderbetreuung klären", "Praktikum im Einzelhandel", "Führerschein Klasse B"]
OCCUPATIONS = [("Verkäufer/in", "Einzelhandel"), ("Lagerhelfer/in", "Lager und Logistik"),
               ("Pflegehelfer/in", "Altenpflege"), ("Koch/Köchin", "Gastronomie"),
               ("Berufskraftfahrer/in", "Verkehr"), ("Reinigungskraft", "Gebäudereinigung"),
               ("Bürokaufmann/-frau", "Büro und Verwaltung"), ("Elektriker/in", "Handwerk"),
               ("Maler/in und Lackierer/in", "Handwerk"), ("Call-Center-Agent/in", "Kundenservice")]
SERVICE_PARTNERS = [
    ("Schuldnerberatung", PartnerKind.DEBT_COUNSELLING), ("Suchtberatung", PartnerKind.ADDICTION_COUNSELLING),
    ("Kita-Verbund", PartnerKind.CHILDCARE), ("Psychosoziale Beratung", PartnerKind.PSYCHOSOCIAL),
    ("Sozialwerk", PartnerKind.OTHER_SOCIAL), ("Bildungswerk", PartnerKind.QUALIFICATION),
    ("Berufsförderungszentrum", PartnerKind.QUALIFICATION), ("Assessment-Center", PartnerKind.ASSESSMENT),
    ("Bewerbungswerkstatt", PartnerKind.APPLICATION_SUPPORT), ("Praktikumsbörse", PartnerKind.WORK_PLACEMENT),
    ("Jobclub", PartnerKind.OTHER_JOB), ("PSA Zeitarbeit", PartnerKind.PSA),
    ("Beschäftigungsgesellschaft", PartnerKind.EMPLOYMENT_COMPANY),
]
LABOUR_PARTNERS = [
    ("Supermarkt", PartnerKind.EMPLOYER), ("Logistikzentrum", PartnerKind.EMPLOYER),
    ("Seniorenheim", PartnerKind.EMPLOYER), ("Hotel", PartnerKind.EMPLOYER), ("Spedition", PartnerKind.EMPLOYER),
    ("Gebäudeservice", PartnerKind.EMPLOYER), ("Stadtwerke", PartnerKind.EMPLOYER),
    ("Elektro-Meisterbetrieb", PartnerKind.EMPLOYER), ("Malerbetrieb", PartnerKind.EMPLOYER),
    ("Kundenservice-Center", PartnerKind.EMPLOYER), ("Industrie- und Handelskammer", PartnerKind.CHAMBER),
    ("Handwerksinnung", PartnerKind.GUILD), ("Unternehmerverband", PartnerKind.ASSOCIATION),
    ("Gewerkschaftsbüro", PartnerKind.UNION),
]
STAFF_NAMES = [("Birgit", "Albrecht"), ("Holger", "Brandt"), ("Ines", "Conrad"), ("Kai", "Dietrich"),
               ("Lena", "Engel"), ("Matthias", "Franke"), ("Nadine", "Graf"), ("Oliver", "Haas"),
               ("Paula", "Ernst"), ("Robert", "Jäger"), ("Silke", "Kühn"), ("Timo", "Lorenz")]


def h(expr: str, salt: int, mod: int | None = None) -> str:
    """SQL: a pseudo-random integer in [0, 2^31) (or [0, mod)) derived from ``expr`` (an id) and ``salt``."""
    base = f"(hashint8extended(({expr})::bigint, {salt}) & 2147483647)::int"
    return f"({base} % {mod})" if mod else base


def u(expr: str, salt: int) -> str:
    """SQL: a pseudo-random float in [0, 1) derived from ``expr`` and ``salt``."""
    return f"({h(expr, salt)}::float8 / 2147483648.0)"


def office_name(index: int) -> str:
    district = DISTRICTS[(index - 1) % len(DISTRICTS)]
    return f"{OFFICE_PREFIX}{district}" + (f" {index}" if index > len(DISTRICTS) else "")


def staff_username(index: int, role: str, number: int | None = None) -> str:
    """``bench-o1-fallmanager-3``: the predictable login names the benchmarks use."""
    return f"bench-o{index}-{role}" + (f"-{number}" if number is not None else "")


@dataclass
class OfficeStaff:
    empfang: int
    managers: list[int]
    vermittler: int
    leistung: int
    teamleitung: int


class Command(BaseCommand):
    help = "Seed a city of 10 offices for the work-page benchmark (benchmark databases only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1 = 100,000 clients per office; 0.1 = 10,000 (same 10 offices)")
        parser.add_argument("--offices", type=int, default=len(DISTRICTS))
        parser.add_argument("--no-store", action="store_true", help="skip rebuilding the reporting store")
        parser.add_argument("--force", action="store_true", help="run on a database not named *bench*")

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["force"]:
            raise CommandError(f"refusing to seed {name!r}: use a database named *bench* or --force")
        scale = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10")
        clients = max(10, round(FULL_CLIENTS * scale))
        managers = max(2, round(MANAGERS_AT_FULL_SIZE * scale))
        started = time.monotonic()
        offices = self._organisation(options["offices"], managers)
        seeded = []
        for index, (office, staff) in enumerate(offices, start=1):
            if Client.objects.filter(contact_point=office).exists():
                self.stdout.write(f"{office}: already seeded")
                continue
            self._seed_office(index, office, staff, clients)
            seeded.append(office)
        if seeded and not options["no_store"]:
            from reporting import store

            t = time.monotonic()
            for office in seeded:
                store.rebuild(office.pk)
            self.stdout.write(f"reporting store rebuilt ({time.monotonic() - t:.0f}s)")
        self._derived_values()
        # VACUUM too: the state autovacuum keeps a live database in (the visibility map set, so index-only scans
        # skip the table), which a freshly inserted one lacks; the benchmarks measure that state
        t = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(f"VACUUM (ANALYZE) ({time.monotonic() - t:.0f}s)")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.0f}s"))

    def _derived_values(self) -> None:
        """Values the app keeps in step by triggers, which were off while seeding: each client's current target
        group (``cases.target_groups``), set as the nightly refresh does; with the triggers off again, so that the
        refresh writes no audit rows."""
        t = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            changed = refresh_target_groups()
        self.stdout.write(f"current target groups: {changed:,} clients set ({time.monotonic() - t:.0f}s)")

    # --- organisation -------------------------------------------------------------------------------------
    def _organisation(self, count: int, managers: int) -> list[tuple[ContactPoint, OfficeStaff]]:
        user_model = get_user_model()
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        password = make_password(PASSWORD)  # hashed once: PBKDF2 per user would take minutes
        result = []
        offices = []
        for index in range(1, count + 1):
            district = DISTRICTS[(index - 1) % len(DISTRICTS)]
            aa, _ = Agency.objects.get_or_create(
                name=f"Arbeitsamt {CITY}, Geschäftsstelle {district}",
                defaults={"kind": Agency.Kind.ARBEITSAMT, "district_key": f"AA-{70 + index:03d}"})
            sh, _ = Agency.objects.get_or_create(
                name=f"Sozialamt {CITY}, Bezirk {district}",
                defaults={"kind": Agency.Kind.SOZIALHILFE, "district_key": f"14{index:06d}"})
            office, _ = ContactPoint.objects.get_or_create(name=office_name(index), defaults={
                "variant": ContactPoint.Variant.GROSSSTADT, "employment_agency": aa, "welfare_agency": sh,
                "enabled_modules": list(Module.values), "address": f"{STREETS[index % len(STREETS)]} {index}\n"
                                                                  f"04{100 + index * 10} {CITY}"})
            offices.append(office)

            def user(username: str, role: str, number: int, agency: Agency, office: ContactPoint = office) -> int:
                first, last = STAFF_NAMES[number % len(STAFF_NAMES)]
                account, created = user_model.objects.get_or_create(username=username, defaults={
                    "first_name": first, "last_name": f"{last} ({username.split('-', 2)[-1]})", "password": password})
                if created:
                    account.groups.add(groups[role])
                    profile, _ = StaffProfile.objects.get_or_create(user=account, defaults={"home_agency": agency})
                    profile.contact_points.set([office])
                return account.pk

            staff = OfficeStaff(
                empfang=user(staff_username(index, "empfang"), Role.EMPFANG, 0, sh),
                managers=[user(staff_username(index, "fallmanager", k), Role.FALLMANAGER, k, aa if k % 2 else sh)
                          for k in range(1, managers + 1)],
                vermittler=user(staff_username(index, "vermittler"), Role.ARBEITSVERMITTLER, 1, aa),
                leistung=user(staff_username(index, "leistung"), Role.LEISTUNG, 2, sh),
                teamleitung=user(staff_username(index, "teamleitung"), Role.TEAMLEITUNG, 3, sh),
            )
            result.append((office, staff))
        admin, created = user_model.objects.get_or_create(username=ADMIN_USERNAME, defaults={
            "first_name": "IT", "last_name": "Administration", "password": password, "is_staff": True,
            "is_superuser": True})
        if created:
            admin.groups.add(groups[Role.ADMINISTRATOR])
            StaffProfile.objects.get_or_create(user=admin)[0].contact_points.set(offices)
        return result

    def _step(self, label: str, started: float, rows: int) -> None:
        self.stdout.write(f"  {label}: {rows:,} rows ({time.monotonic() - started:.1f}s)")

    # --- one office ---------------------------------------------------------------------------------------
    def _seed_office(self, index: int, office: ContactPoint, staff: OfficeStaff, clients: int) -> None:
        self.stdout.write(f"{office}: {clients:,} clients, {clients * NOTES_PER_CLIENT:,} notes, "
                          f"{clients * PLANS_PER_CLIENT:,} plans")
        office_started = time.monotonic()
        today = timezone.localdate()
        p: dict[str, Any] = {
            "office": office.pk, "index": index, "today": today, "start": today - timedelta(days=5 * 365),
            "aa": office.employment_agency_id, "sh": office.welfare_agency_id, "n": clients,
            "managers": staff.managers, "empfang": staff.empfang, "vermittler": staff.vermittler,
            "leistung": staff.leistung, "teamleitung": staff.teamleitung,
            "others": [staff.vermittler, staff.empfang, staff.leistung],
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers (audit, deferred FKs)
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            steps = (
                ("clients", lambda: self._clients(p, clients)),
                ("benefits", lambda: self._benefits(p)),
                ("cases", lambda: self._cases(p, clients * NOTES_PER_CLIENT)),
                ("contact notes", lambda: self._notes(p)),
                ("appointments", lambda: self._appointments(p)),
                ("applications", lambda: self._applications(p)),
                ("profilings, social histories", lambda: self._profilings(p)),
                ("partners, offers, referrals, disclosures", lambda: self._referrals(office, p)),
                ("employers, vacancies, proposals", lambda: self._vacancies(office, p, clients)),
                ("plans, services, steps, obligations", lambda: self._plans(p, clients * PLANS_PER_CLIENT)),
                ("hearings", lambda: self._hearings(p)),
            )
            for label, step in steps:
                t = time.monotonic()
                self._step(label, t, step())
                if label in ANALYZE_AFTER:  # plans of the later steps need row counts (the first office: any)
                    cursor.execute(f"ANALYZE {', '.join(ANALYZE_AFTER[label])}")
        self.stdout.write(f"  office done in {time.monotonic() - office_started:.0f}s")

    def _next_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 - table from a model
            return int(cursor.fetchone()[0])

    def _sync_sequence(self, table: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                           f"(SELECT max(id) FROM {table}))")

    def _clients(self, p: dict[str, Any], count: int) -> int:
        table = Client._meta.db_table
        p["c0"] = self._next_id(table)
        p["c1"] = p["c0"] + count - 1
        names = {"last_names": LAST_NAMES, "first_names": FIRST_NAMES, "streets": STREETS, "stems": NAME_STEMS,
                 "endings": NAME_ENDINGS}
        # two in five have a common name (Müller, Schmidt, …), the others one of the long tail: about 0.6 % of the
        # clients are called Müller, and a first and a last name together find a few clients per office
        last = (f"CASE WHEN {h('s.id', 12, 5)} < 2 THEN (%(last_names)s::text[])[1 + {h('s.id', 10, len(LAST_NAMES))}] "
                f"ELSE (%(stems)s::text[])[1 + {h('s.id', 9, len(NAME_STEMS))}] || "
                f"(%(endings)s::text[])[1 + {h('s.id', 8, len(NAME_ENDINGS))}] END")
        for offset in range(0, count, CLIENT_BATCH):
            n = min(CLIENT_BATCH, count - offset)
            insert_select(Client, {
                "id": "s.id", "contact_point_id": "%(office)s",
                "first_name": f"(%(first_names)s::text[])[1 + {h('s.id', 11, len(FIRST_NAMES))}]",
                # one in thirty has a double name: "Müller-Weiß"
                "last_name": f"CASE WHEN {h('s.id', 13, 30)} = 0 THEN {last} || '-' || "
                             f"(%(last_names)s::text[])[1 + {h('s.id', 14, len(LAST_NAMES))}] ELSE {last} END",
                "birth_date": f"date '1945-01-01' + {h('s.id', 15, 22000)}::int",
                "street": f"(%(streets)s::text[])[1 + {h('s.id', 16, len(STREETS))}] || ' ' || (1 + {h('s.id', 17, 140)})",
                "postal_code": f"'04' || (100 + %(index)s * 10 + {h('s.id', 18, 10)})::text",
                "city": f"'{CITY}'",
                "phone": f"CASE WHEN {h('s.id', 19, 10)} < 6 THEN '0341 ' || (2000000 + {h('s.id', 20, 7000000)}) "
                         "ELSE '' END",
                "email": f"CASE WHEN {h('s.id', 21, 10)} < 3 THEN 'kunde' || s.id || '@example.org' ELSE '' END",
                # Kundennummer for seven in ten, Aktenzeichen for six in ten (both unique per office)
                "customer_number": "CASE WHEN s.i % 10 < 7 THEN lpad((70 + %(index)s)::text, 3, '0') || "
                                   f"chr(65 + {h('s.id', 22, 26)}) || lpad(s.i::text, 6, '0') ELSE '' END",
                "file_number": "CASE WHEN s.i % 10 >= 4 THEN '50-' || lpad(s.i::text, 6, '0') || "
                               f"CASE WHEN {h('s.id', 23, 2)} = 0 THEN '/0' || {h('s.id', 24, 4)} ELSE '' END "
                               "ELSE '' END",
                "household_size": f"1 + {h('s.id', 25, 5)}",
                "children_under_15": f"{h('s.id', 26, 3)}",
                "created_at": f"now() - {h('s.id', 27, 1800)} * interval '1 day'",
                "updated_at": f"now() - {h('s.id', 28, 300)} * interval '1 day'",
            }, f"SELECT %(c0)s + g.i AS id, g.i FROM generate_series({offset}, {offset + n - 1}) AS g(i)",  # noqa: S608
                p | names)
        self._sync_sequence(table)
        return count

    def _first_day(self, client: str) -> str:
        """SQL: the day a client's first benefit started and their first case opened (within the last 5 years)."""
        return f"(%(start)s::date + {h(client, 30, 1500)}::int)"

    def _benefits(self, p: dict[str, Any]) -> int:
        """1–3 spells per client, 420 days apart; a spell is HLU, Alhi, Alg or Kombi (HLU + Alhi); the last spell of
        three clients in four is still running; ended spells end for employment (30 %) or other reasons."""
        spells = f"""
            SELECT c.id AS client_id, sp.n,
                   {self._first_day('c.id')} + sp.n * 420 AS b_start,
                   (200 + {h('c.id', 31, 200)})::int AS length,
                   {h('c.id + sp.n', 32, 5)} AS mix,
                   {h('c.id + sp.n', 33, 20)} AS why,
                   sp.n = {h('c.id', 34, 3)} AND {h('c.id', 35, 4)} < 3 AS running
            FROM cases_client c CROSS JOIN LATERAL generate_series(0, {h('c.id', 34, 3)}) AS sp(n)
            WHERE c.id BETWEEN %(c0)s AND %(c1)s
        """  # noqa: S608 - generated benchmark data
        total = 0
        for kind, mixes in (("hlu", "(0, 3)"), ("alhi", "(1, 3, 4)"), ("alg", "(2)")):
            base = {"hlu": 180, "alhi": 380, "alg": 550}[kind]
            ended = "NOT s.running AND s.b_start + s.length <= %(today)s"
            total += insert_select(BenefitEntitlement, {
                "client_id": "s.client_id", "kind": f"'{kind}'",
                "monthly_amount": f"{base} + {h('s.client_id', 36, 400)}",
                "start": "s.b_start",
                "end": f"CASE WHEN {ended} THEN s.b_start + s.length END",
                "end_reason": f"CASE WHEN {ended} THEN (ARRAY['employment','employment','employment','employment',"
                              "'employment','employment','training','self_employment','other_income','other_income',"
                              "'moved','other','other','other','other','other','other','other','other','other'])"
                              "[1 + s.why] ELSE '' END",
                "created_at": "s.b_start::timestamptz",
            }, f"SELECT * FROM ({spells}) x WHERE x.mix IN {mixes} AND x.b_start <= %(today)s", p)  # noqa: S608 - generated benchmark data
        return total

    def _cases(self, p: dict[str, Any], notes: int) -> int:
        """Every client has a case opened with the first benefit; 60 % close after 150–750 days (when that is
        before today), every third closed client has a second case, open. Open cases are in intake (10 %),
        profiling, planning, implementation or follow-up after a recorded integration; 8 % have no case manager.
        ``last_contact_on`` is the day of the case's last contact note (see ``_notes``)."""
        table = Case._meta.db_table
        p["k0"] = self._next_id(table)
        execute("DROP TABLE IF EXISTS seed_case", {})  # left over when the caller's transaction spans offices
        execute(f"""
            CREATE TEMP TABLE seed_case ON COMMIT DROP AS
            SELECT %(k0)s + (c.id - %(c0)s) AS id, c.id AS client_id, 0 AS seq, o.opened,
                   CASE WHEN {h('c.id', 40, 100)} < 60 AND o.opened + o.length < %(today)s
                        THEN o.opened + o.length END AS closed_on
            FROM cases_client c
            CROSS JOIN LATERAL (SELECT {self._first_day('c.id')} AS opened, 150 + {h('c.id', 41, 600)} AS length) o
            WHERE c.id BETWEEN %(c0)s AND %(c1)s
        """, p)  # noqa: S608 - generated benchmark data
        execute(f"""
            INSERT INTO seed_case (id, client_id, seq, opened, closed_on)
            SELECT %(k0)s + %(n)s + row_number() OVER (ORDER BY client_id) - 1, client_id, 1,
                   closed_on + 30 + {h('client_id', 42, 60)}, NULL
            FROM seed_case WHERE closed_on IS NOT NULL AND {h('client_id', 43, 3)} = 0 AND closed_on + 90 < %(today)s
        """, p)  # noqa: S608 - generated benchmark data
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM seed_case")
            cases = int(cursor.fetchone()[0])
        p["notes_spread"] = 2 * notes / max(cases, 1) + 1  # notes per case uniform in [0, 2 × average]
        status = (f"CASE WHEN s.closed_on IS NOT NULL THEN 'closed' ELSE (CASE "
                  f"WHEN {h('s.id', 44, 100)} < 10 THEN 'intake' WHEN {h('s.id', 44, 100)} < 20 THEN 'profiling' "
                  f"WHEN {h('s.id', 44, 100)} < 35 THEN 'planning' WHEN {h('s.id', 44, 100)} < 88 THEN "
                  "'implementation' ELSE 'follow_up' END) END")
        integrated = f"(%(today)s + 20 - {h('s.id', 47, 150)})"
        reassigned = f"({h('s.id', 48, 40)} = 0 AND s.closed_on IS NULL AND s.manager IS NOT NULL)"
        inserted = insert_select(Case, {
            "id": "s.id", "client_id": "s.client_id", "contact_point_id": "%(office)s", "status": "s.status",
            "segment": f"CASE WHEN s.status = 'intake' AND {h('s.id', 49, 2)} = 0 THEN '' ELSE "
                       f"(ARRAY['information','beratung','fallmanagement','fallmanagement'])[1 + {h('s.id', 50, 4)}] END",
            "case_manager_id": "s.manager",
            "lead_agency_id": f"CASE WHEN {h('s.id', 51, 2)} = 0 THEN %(aa)s ELSE %(sh)s END",
            "opened_on": "s.opened", "closed_on": "s.closed_on",
            "outcome": f"CASE WHEN s.status = 'closed' THEN (ARRAY['employment','employment','training',"
                       "'self_employment','moved','transferred','no_cooperation','other','other','moved'])"
                       f"[1 + {h('s.id', 52, 10)}] WHEN s.status = 'follow_up' THEN (ARRAY['employment','employment',"
                       f"'employment','training','self_employment'])[1 + {h('s.id', 53, 5)}] ELSE '' END",
            "integrated_on": f"CASE WHEN s.status = 'follow_up' THEN greatest(s.opened + 1, {integrated}) END",
            "follow_up_since": f"CASE WHEN s.status = 'follow_up' THEN least(%(today)s, greatest(s.opened + 1, "
                               f"{integrated} - 7)) END",
            "follow_up_recorded_by_id": f"CASE WHEN s.status = 'follow_up' THEN CASE WHEN {h('s.id', 54, 10)} < 3 "
                                        "THEN %(vermittler)s ELSE coalesce(s.manager, %(teamleitung)s) END END",
            "last_contact_on": "CASE WHEN s.k > 0 THEN least(%(today)s, greatest(s.opened, "
                               "coalesce(s.closed_on, %(today)s) - s.silent)) END",
            # reassigned in the last 30 days ("Neu zugewiesen"): half not opened since
            "assignment_seen_at": f"CASE WHEN {reassigned} THEN CASE WHEN {h('s.id', 55, 2)} = 0 THEN NULL "
                                  "ELSE now() END ELSE s.opened + time '12:00' END",
            "created_at": "s.opened::timestamptz", "updated_at": "now()",
        }, f"""
            SELECT s.*, floor({u('s.id', 45)} * %(notes_spread)s)::int AS k,
                   CASE WHEN {h('s.id', 46, 100)} < 85 THEN {h('s.id', 56, 25)} ELSE 30 + {h('s.id', 57, 150)} END
                       AS silent
            FROM (
                SELECT s.*, {status} AS status,
                       CASE WHEN {h('s.id', 58, 100)} < 8 THEN NULL
                            ELSE (%(managers)s::int[])[1 + {h('s.id', 59, 1000)} % array_length(%(managers)s::int[], 1)]
                       END AS manager
                FROM seed_case s
            ) s
        """, p)  # noqa: S608 - generated benchmark data
        self._sync_sequence(table)
        # Handovers (the triggers are off, so the audit trail is written here): the record keeps the case
        # manager before the change, as the trigger would.
        execute(f"""
            INSERT INTO {REASSIGNMENT} (pgh_created_at, pgh_label, pgh_obj_id, case_manager_id, contact_point_id)
            SELECT now() - {h('s.id', 60, 30)} * interval '1 day' - interval '2 hours', 'reassigned', s.id,
                   (%(managers)s::int[])[1 + {h('s.id', 61, 1000)} % array_length(%(managers)s::int[], 1)],
                   s.contact_point_id
            FROM {table} s
            WHERE s.contact_point_id = %(office)s AND {reassigned.replace('s.manager', 's.case_manager_id')}
        """, p)  # noqa: S608 - table names from the models; values are parameters
        return inserted

    def _case_ranges(self, p: dict[str, Any], per_case: float) -> list[tuple[int, int]]:
        """The office's case ids cut into ranges of about ``NOTE_BATCH`` rows at ``per_case`` rows a case."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM cases_case WHERE contact_point_id = %s", [p["office"]])
            low, high = cursor.fetchone()
        step = max(1000, int(NOTE_BATCH / max(per_case, 0.1)))
        return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]

    def _notes(self, p: dict[str, Any]) -> int:
        """``k`` notes per case (the same hash as in ``_cases``), spread evenly from the opening day to the last
        contact; written by the case manager, sometimes by reception, placement or benefits staff; 6 % sensitive."""
        total = 0
        spread = p["notes_spread"]
        for low, high in self._case_ranges(p, (spread - 1) / 2):
            total += insert_select(ContactNote, {
                "case_id": "s.id",
                "author_id": f"CASE WHEN {h('s.id * 31 + s.j', 62, 100)} < 85 "
                             "THEN coalesce(s.case_manager_id, %(teamleitung)s) "
                             f"ELSE (%(others)s::int[])[1 + {h('s.id * 31 + s.j', 63, 3)}] END",
                "occurred_on": "s.opened_on + ((s.last_contact_on - s.opened_on) * s.j / s.k)",
                "channel": f"(ARRAY['in_person','in_person','phone','phone','letter','email'])"
                           f"[1 + {h('s.id * 31 + s.j', 64, 6)}]",
                "text": f"CASE WHEN {h('s.id * 31 + s.j', 65, 100)} < 6 THEN %(sensitive_text)s ELSE "
                        f"(%(note_texts)s::text[])[1 + {h('s.id * 31 + s.j', 66, len(NOTE_TEXTS))}] END",
                "sensitive": f"{h('s.id * 31 + s.j', 65, 100)} < 6",
                "created_at": "(s.opened_on + ((s.last_contact_on - s.opened_on) * s.j / s.k)) + time '10:00'",
            }, f"""
                SELECT c.id, c.case_manager_id, c.opened_on, c.last_contact_on, n.k, g.j
                FROM cases_case c
                CROSS JOIN LATERAL (SELECT floor({u('c.id', 45)} * %(notes_spread)s)::int AS k) n
                CROSS JOIN LATERAL generate_series(1, n.k) AS g(j)
                WHERE c.contact_point_id = %(office)s AND c.id BETWEEN {low} AND {high} AND n.k > 0
                ORDER BY c.id, g.j
            """, p | {"note_texts": NOTE_TEXTS, "sensitive_text": SENSITIVE_TEXT})  # noqa: S608 - generated
        return total

    def _appointments(self, p: dict[str, Any]) -> int:
        """Past appointments on up to three of a case's contact days (with outcomes), and for one open case in
        six an appointment between three weeks ago and three weeks ahead (no outcome from today on, one in ten
        past ones still without); an unexcused no-show in the last 30 days leaves half of its cases flagged."""
        slot = "time '08:00' + {} * interval '30 minutes'"
        history = insert_select(Appointment, {
            "case_id": "s.id",
            "starts_at": f"(s.day + {slot.format(h('s.id * 7 + s.j', 70, 19))}) AT TIME ZONE 'Europe/Berlin'",
            "purpose": f"(%(purposes)s::text[])[1 + {h('s.id * 7 + s.j', 71, len(PURPOSES))}]",
            "with_user_id": "s.case_manager_id",
            "outcome": f"(ARRAY['attended','attended','attended','attended','attended','attended','attended',"
                       f"'excused','no_show','cancelled'])[1 + {h('s.id * 7 + s.j', 72, 10)}]",
            "cancelled_by": f"CASE WHEN {h('s.id * 7 + s.j', 72, 10)} = 9 THEN "
                            f"(ARRAY['client','office'])[1 + {h('s.id * 7 + s.j', 73, 2)}] ELSE '' END",
            "created_at": "s.day::timestamptz - interval '7 days'",
        }, f"""
            SELECT s.* FROM (
                SELECT c.id, c.case_manager_id, g.j,
                       c.opened_on + ((c.last_contact_on - c.opened_on) * g.j / n.k) AS day
                FROM cases_case c
                CROSS JOIN LATERAL (SELECT floor({u('c.id', 45)} * %(notes_spread)s)::int AS k) n
                CROSS JOIN LATERAL generate_series(1, least(n.k, {h('c.id', 74, 4)})) AS g(j)
                WHERE c.contact_point_id = %(office)s AND n.k > 0
            ) s WHERE s.day < %(today)s - 21
        """, p | {"purposes": PURPOSES})  # noqa: S608 - generated benchmark data
        day = f"(%(today)s - 21 + {h('s.id', 75, 43)})"
        past = f"{day} < %(today)s"
        window = insert_select(Appointment, {
            "case_id": "s.id",
            "starts_at": f"({day} + {slot.format(h('s.id', 76, 19))}) AT TIME ZONE 'Europe/Berlin'",
            "purpose": f"(%(purposes)s::text[])[1 + {h('s.id', 77, len(PURPOSES))}]",
            "with_user_id": f"CASE WHEN {h('s.id', 78, 10)} = 0 THEN %(vermittler)s ELSE s.case_manager_id END",
            "outcome": f"CASE WHEN {past} THEN (ARRAY['attended','attended','attended','attended','attended',"
                       f"'attended','excused','no_show','cancelled',''])[1 + {h('s.id', 79, 10)}] ELSE '' END",
            "cancelled_by": f"CASE WHEN {past} AND {h('s.id', 79, 10)} = 8 THEN 'client' ELSE '' END",
            "times_moved": f"CASE WHEN {h('s.id', 80, 20)} = 0 THEN 1 ELSE 0 END",
            "moved_from": f"CASE WHEN {h('s.id', 80, 20)} = 0 THEN ({day} - 2 + time '09:00') "
                          "AT TIME ZONE 'Europe/Berlin' END",
            "move_reason": f"CASE WHEN {h('s.id', 80, 20)} = 0 THEN 'Kunde hat einen Arzttermin' ELSE '' END",
            "created_at": f"({day} - 14)::timestamptz",
        }, f"""
            SELECT c.id, c.case_manager_id FROM cases_case c
            WHERE c.contact_point_id = %(office)s AND c.closed_on IS NULL AND {h('c.id', 81, 6)} = 0
        """, p | {"purposes": PURPOSES})  # noqa: S608 - generated benchmark data
        execute(f"""
            UPDATE cases_case c SET no_show_pending = true
            FROM cases_appointment a
            WHERE a.case_id = c.id AND c.contact_point_id = %(office)s AND c.closed_on IS NULL
              AND a.outcome = 'no_show' AND a.starts_at >= %(today)s - 30 AND {h('c.id', 82, 2)} = 0
        """, p)  # noqa: S608 - generated benchmark data
        return history + window

    def _applications(self, p: dict[str, Any]) -> int:
        """One client in five handed in a benefit application, most of them long ago (decided), the recent ones
        received or forwarded."""
        received = f"(%(today)s - floor(500 * power({u('s.id', 90)}, 2.5))::int)"
        recent = f"{received} > %(today)s - 21"
        status = (f"CASE WHEN {recent} THEN (ARRAY['received','received','received','forwarded','forwarded'])"
                  f"[1 + {h('s.id', 91, 5)}] ELSE (ARRAY['decided','decided','decided','decided','decided',"
                  f"'decided','decided','forwarded','withdrawn','received'])[1 + {h('s.id', 91, 10)}] END")
        kind = f"(ARRAY['alg','alhi','alhi','hlu','hlu','one_off','other'])[1 + {h('s.id', 92, 7)}]"
        return insert_select(BenefitApplication, {
            "client_id": "s.id", "contact_point_id": "%(office)s", "kind": "s.kind", "received_on": "s.received",
            "status": "s.status",
            "forwarded_to_id": "CASE WHEN s.status IN ('forwarded', 'decided') THEN "
                               "CASE WHEN s.kind IN ('alg', 'alhi') THEN %(aa)s ELSE %(sh)s END END",
            "forwarded_on": f"CASE WHEN s.status IN ('forwarded', 'decided') THEN "
                            f"least(%(today)s, s.received + {h('s.id', 93, 4)}) END",
            "note": f"CASE WHEN {h('s.id', 94, 4)} = 0 THEN 'Unterlagen unvollständig, Nachreichung zugesagt.' "
                    "ELSE '' END",
            "received_by_id": "%(empfang)s",
        }, f"""
            SELECT s.id, {received} AS received, {status} AS status, {kind} AS kind
            FROM cases_client s WHERE s.id BETWEEN %(c0)s AND %(c1)s AND {h('s.id', 95, 5)} = 0
        """, p)  # noqa: S608 - generated benchmark data

    def _profilings(self, p: dict[str, Any]) -> int:
        """A profiling with a rating per dimension for every open case past intake (in profiling: half still
        unconfirmed, half none yet); the category follows the rule, one in twenty overridden; a Sozialanamnese for seven in ten open cases whose
        client needs case management."""
        category = f"(ARRAY['markt','beratung','betreuung'])[1 + {h('s.id', 100, 3)}]"
        profilings = insert_select(Profiling, {
            "case_id": "s.id", "profiled_on": f"least(%(today)s, s.opened_on + 7 + {h('s.id', 101, 30)})",
            "summary": "'Stärken: Berufserfahrung, Motivation. Handlungsbedarf: Kinderbetreuung, Deutsch.'",
            "derived_category": category,
            "category": f"CASE WHEN {h('s.id', 102, 20)} = 0 THEN (ARRAY['markt','beratung','betreuung'])"
                        f"[1 + ({h('s.id', 100, 3)} + 1) % 3] ELSE {category} END",
            "override_reason": f"CASE WHEN {h('s.id', 102, 20)} = 0 THEN 'Einschätzung aus dem Gespräch weicht "
                               "von der Regel ab.' ELSE '' END",
            "confirmed_at": "CASE WHEN s.status = 'profiling' THEN NULL "
                            f"ELSE least(%(today)s, s.opened_on + 7 + {h('s.id', 101, 30)}) + time '11:00' END",
            "confirmed_by_id": "CASE WHEN s.status = 'profiling' THEN NULL "
                               "ELSE coalesce(s.case_manager_id, %(teamleitung)s) END",
            "recorded_by_id": "coalesce(s.case_manager_id, %(teamleitung)s)",
            "created_at": "s.opened_on::timestamptz",
        }, f"""
            SELECT id, opened_on, status, case_manager_id FROM cases_case
            WHERE contact_point_id = %(office)s AND closed_on IS NULL AND status <> 'intake'
              AND (status <> 'profiling' OR {h('id', 103, 2)} = 0)
        """, p)  # noqa: S608 - generated benchmark data
        # A rating per dimension that gives the recorded category by the rule (an obstacle: case management;
        # a need: advice; else market-ready): the deciding dimension by hash, the others strengths or neutral.
        key = "s.id * 16 + s.d"
        ratings = insert_select(ProfilingRating, {
            "profiling_id": "s.id", "dimension": "s.dimension",
            "rating": f"CASE WHEN s.d = {h('s.id', 105, len(DIMENSIONS))} AND s.derived_category = 'betreuung' "
                      "THEN 'obstacle' WHEN s.d = " + h('s.id', 105, len(DIMENSIONS)) + " AND s.derived_category "
                      f"<> 'markt' THEN 'need' WHEN s.derived_category <> 'markt' AND {h(key, 106, 6)} = 0 "
                      f"THEN 'need' WHEN {h(key, 107, 2)} = 0 THEN 'strength' ELSE 'neutral' END",
            "note": f"CASE WHEN {h(key, 108, 8)} = 0 THEN 'Im Gespräch besprochen.' ELSE '' END",
        }, """
            SELECT pr.id, pr.derived_category, d.dimension, d.d - 1 AS d
            FROM profiling_profiling pr JOIN cases_case c ON c.id = pr.case_id
            CROSS JOIN LATERAL unnest(%(dimensions)s::text[]) WITH ORDINALITY AS d(dimension, d)
            WHERE c.contact_point_id = %(office)s
        """, p | {"dimensions": list(DIMENSIONS)})
        histories = insert_select(SocialHistory, {
            "case_id": "s.case_id", "recorded_on": "least(%(today)s, s.profiled_on + 14)",
            "household": "'Alleinerziehend, zwei Kinder (4 und 9 Jahre).'",
            "housing": "'Mietwohnung, Mietrückstand von zwei Monaten.'",
            "recorded_by_id": "s.recorded_by_id", "updated_by_id": "s.recorded_by_id",
            "created_at": "s.profiled_on::timestamptz", "updated_at": "s.profiled_on::timestamptz",
        }, f"""
            SELECT pr.case_id, pr.profiled_on, pr.recorded_by_id
            FROM profiling_profiling pr JOIN cases_case c ON c.id = pr.case_id
            WHERE c.contact_point_id = %(office)s AND c.closed_on IS NULL AND pr.category = 'betreuung'
              AND {h('pr.case_id', 104, 10)} < 7
        """, p)  # noqa: S608 - generated benchmark data
        return profilings + ratings + histories

    def _referrals(self, office: ContactPoint, p: dict[str, Any]) -> int:
        """The office's partner registry (13 service providers with two offers each, 14 labour-market partners),
        a referral for every second case (running ones for open cases, ended ones for closed cases) and the
        disclosure it caused."""
        district = DISTRICTS[(p["index"] - 1) % len(DISTRICTS)]
        partners = Partner.objects.bulk_create(
            [Partner(contact_point=office, name=f"{name} {district}", kind=kind, city=CITY, postal_code="04109",
                     street=f"{STREETS[i % len(STREETS)]} {i + 3}", phone=f"0341 {5550000 + i}",
                     contact_person=" ".join(STAFF_NAMES[i % len(STAFF_NAMES)]), active=i % 9 != 8)
             for i, (name, kind) in enumerate(SERVICE_PARTNERS + LABOUR_PARTNERS)])
        service = [partner for partner in partners if partner.kind in SERVICE_KINDS]
        offers = Offer.objects.bulk_create([
            Offer(partner=partner, title=f"{title} ({partner.name})", category=partner.kind,
                  places=15 + (i * 37) % 200, cost_per_month=80 + 35 * (i % 12),
                  commissionable_by=[Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE] if i % 3
                  else [Agency.Kind.ARBEITSAMT], valid_from=p["start"],
                  valid_until=None if i % 7 else p["today"] + timedelta(days=90), active=i % 11 != 10)
            for i, (partner, title) in enumerate(
                (partner, title) for partner in service for title in ("Einzelberatung", "Gruppenmaßnahme"))])
        p = p | {"offers": [o.pk for o in offers]}
        status = (f"CASE WHEN s.closed_on IS NOT NULL THEN (ARRAY['completed','completed','completed','aborted',"
                  f"'declined'])[1 + {h('s.id', 111, 5)}] ELSE (ARRAY['proposed','waiting','accepted','started',"
                  f"'started','started','completed','completed','aborted','declined'])[1 + {h('s.id', 111, 10)}] END")
        referrals = insert_select(Referral, {
            "case_id": "s.id",
            "offer_id": f"(%(offers)s::bigint[])[1 + {h('s.id', 112, len(offers))}]",
            "referred_on": "s.day", "purpose": "'Stabilisierung und Heranführung an den Arbeitsmarkt'",
            "status": "s.status", "status_changed_on": f"least(%(today)s, s.day + {h('s.id', 113, 40)})",
            "planned_months": f"1 + {h('s.id', 114, 6)}", "monthly_cost": f"100 + {h('s.id', 115, 300)}",
            "paying_agency_id": f"CASE WHEN {h('s.id', 116, 2)} = 0 THEN %(aa)s ELSE %(sh)s END",
            "paying_basis": f"CASE WHEN {h('s.id', 116, 2)} = 0 THEN 'sgb3_37' ELSE 'bshg_17_18' END",
            "shared_data": f"CASE WHEN {h('s.id', 117, 2)} = 0 THEN '{{identity}}'::varchar[] "
                           "ELSE '{identity,career}'::varchar[] END",
            "last_feedback_on": f"CASE WHEN s.status IN ('started', 'completed') AND {h('s.id', 118, 10)} < 6 "
                                f"THEN least(%(today)s, s.day + 20 + {h('s.id', 119, 90)}) END",
            "referred_by_id": f"CASE WHEN {h('s.id', 120, 5)} = 0 THEN %(vermittler)s "
                              "ELSE coalesce(s.case_manager_id, %(teamleitung)s) END",
            "created_at": "s.day::timestamptz", "updated_at": "s.day::timestamptz",
        }, f"""
            SELECT s.*, {status} AS status FROM (
                SELECT c.id, c.opened_on, c.closed_on, c.case_manager_id,
                       least(%(today)s, c.opened_on + 30 + {h('c.id', 110, 150)}) AS day
                FROM cases_case c WHERE c.contact_point_id = %(office)s AND c.status <> 'intake'
                  AND {h('c.id', 121, 2)} = 0
            ) s
        """, p)  # noqa: S608 - generated benchmark data
        disclosures = insert_select(DisclosureRecord, {
            "client_id": "s.client_id", "partner_id": "s.partner_id", "referral_id": "s.id",
            "disclosed_on": "s.referred_on", "basis": "'commission'", "data_categories": "s.shared_data",
            "recorded_by_id": "s.referred_by_id", "created_at": "s.referred_on::timestamptz",
        }, """
            SELECT r.id, c.client_id, o.partner_id, r.referred_on, r.shared_data, r.referred_by_id
            FROM partners_referral r JOIN cases_case c ON c.id = r.case_id JOIN partners_offer o ON o.id = r.offer_id
            WHERE c.contact_point_id = %(office)s AND r.status NOT IN ('proposed', 'declined')
        """, p)
        return len(partners) + len(offers) + referrals + disclosures

    def _vacancies(self, office: ContactPoint, p: dict[str, Any], clients: int) -> int:
        """Vacancies acquired from the employers over the last year (about one per 250 clients; open, filled or
        withdrawn), ten logged contacts per employer, and up to eight placement proposals per vacancy."""
        employers = list(Partner.objects.filter(contact_point=office, kind=PartnerKind.EMPLOYER)
                         .order_by("pk").values_list("pk", flat=True))
        p = p | {"employers": employers, "titles": [t for t, _ in OCCUPATIONS], "fields": [f for _, f in OCCUPATIONS]}
        contacts = insert_select(EmployerContact, {
            "partner_id": f"(%(employers)s::bigint[])[1 + s.i % {len(employers)}]",
            "occurred_on": f"%(today)s - {h('s.i + %(office)s * 1000', 130, 365)}",
            "channel": f"(ARRAY['phone','in_person','email'])[1 + {h('s.i', 131, 3)}]",
            "subject": "'Stellenakquise und Bewerberauswahl'", "recorded_by_id": "%(vermittler)s",
        }, f"SELECT generate_series(0, {10 * len(employers) - 1}) AS i", p)
        count = max(20, clients // 250)
        status = f"(ARRAY['open','open','open','open','filled','filled','filled','filled','withdrawn'])[1 + {h('s.i', 132, 9)}]"
        vacancies = insert_select(Vacancy, {
            "employer_id": f"(%(employers)s::bigint[])[1 + {h('s.i', 133, len(employers))}]",
            "title": f"(%(titles)s::text[])[1 + {h('s.i', 134, len(OCCUPATIONS))}] || ' (m/w)'",
            "occupation": f"(%(fields)s::text[])[1 + {h('s.i', 134, len(OCCUPATIONS))}]",
            "hours_per_week": f"(ARRAY[20, 30, 38, 40, 40])[1 + {h('s.i', 135, 5)}]",
            "location": f"'{CITY}'", "positions": f"1 + {h('s.i', 136, 3)}",
            "description": "'Schichtdienst, Einarbeitung im Betrieb.'",
            "status": "s.status", "acquired_on": "s.acquired",
            "filled_on": "CASE WHEN s.status = 'filled' THEN least(%(today)s, s.acquired + 30) END",
            "acquired_by_id": "%(vermittler)s", "created_at": "s.acquired::timestamptz",
            "updated_at": "s.acquired::timestamptz",
        }, f"""
            SELECT s.i, {status} AS status, %(today)s - {h('s.i + %(office)s * 100000', 137, 365)} AS acquired
            FROM generate_series(0, {count - 1}) AS s(i)
        """, p)  # noqa: S608 - generated benchmark data
        result = "(ARRAY['','','','','hired','rejected','rejected','no_answer'])[1 + {}]"
        proposals = insert_select(PlacementProposal, {
            "case_id": "s.case_id", "vacancy_id": "s.vacancy_id",
            "proposed_on": "least(%(today)s, s.acquired_on + 3 + s.j * 2)",
            "result": result.format(h("s.vacancy_id * 10 + s.j", 140, 8)),
            "result_on": f"CASE WHEN {result.format(h('s.vacancy_id * 10 + s.j', 140, 8))} <> '' "
                         "THEN least(%(today)s, s.acquired_on + 20 + s.j * 2) END",
            "proposed_by_id": "%(vermittler)s",
            "created_at": "s.acquired_on::timestamptz", "updated_at": "s.acquired_on::timestamptz",
        }, f"""
            SELECT DISTINCT ON (v.id, c.id) v.id AS vacancy_id, v.acquired_on, c.id AS case_id, g.j
            FROM partners_vacancy v
            CROSS JOIN LATERAL generate_series(1, {h('v.id', 141, 9)}) AS g(j)
            JOIN cases_case c ON c.id = %(k0)s + {h('v.id * 10 + g.j', 142, 1000000)} % %(n)s
            WHERE v.employer_id = ANY(%(employers)s::bigint[])
            ORDER BY v.id, c.id
        """, p)  # noqa: S608 - generated benchmark data
        return contacts + vacancies + proposals

    def _plans(self, p: dict[str, Any], count: int) -> int:
        """Plans for every case past profiling: 1 to 5 versions (Fortschreibungen, each superseding the one
        before) until about ``count`` plans exist. The newest version of an open case is signed (70 %), final,
        awaiting approval or a draft, and ends between 3 weeks ago and 6 months ahead (so that some expire
        within 30 days and some reviews are due); a closed case's last plan expired. A third of the plans list a
        service, the newest versions a step and, when in force, an obligation with its next check."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case WHERE contact_point_id = %s "
                           "AND status NOT IN ('intake', 'profiling')", [p["office"]])
            cases = int(cursor.fetchone()[0])
        average = count / max(cases, 1)
        spread = max(1, round(2 * average - 1))  # versions uniform in 1..spread: mean ≈ average
        table = IntegrationPlan._meta.db_table
        p = p | {"p0": self._next_id(table), "spread": spread, "vmax": spread}
        versions = f"(1 + {h('c.id', 150, spread)})"
        last = "(s.v = s.versions)"
        ends = f"coalesce(c.closed_on, %(today)s - 21 + {h('c.id', 155, 200)})"
        status = (f"CASE WHEN NOT {last} THEN 'superseded' WHEN s.closed_on IS NOT NULL OR s.valid_until < %(today)s "
                  f"THEN 'expired' WHEN {h('s.id', 151, 20)} < 14 THEN 'signed' WHEN {h('s.id', 151, 20)} < 17 "
                  f"THEN 'final' WHEN {h('s.id', 151, 20)} < 18 THEN 'pending_approval' ELSE 'draft' END")
        plans = 0
        for low, high in self._case_ranges(p, average):
            plans += insert_select(IntegrationPlan, {
                "id": "%(p0)s + (s.id - %(k0)s) * %(vmax)s + s.v - 1",
                "case_id": "s.id", "version": "s.v",
                "previous_id": "CASE WHEN s.v > 1 THEN %(p0)s + (s.id - %(k0)s) * %(vmax)s + s.v - 2 END",
                "kind": f"CASE WHEN {h('s.id', 152, 25)} = 0 THEN 'decision' ELSE 'agreement' END",
                "status": "s.status",
                "goal": "'Aufnahme einer sozialversicherungspflichtigen Beschäftigung im Einzelhandel'",
                "placement_efforts": "'Zwei Vermittlungsvorschläge im Monat, Kontakt zu Arbeitgebern der Region.'",
                "decision_reason": f"CASE WHEN {h('s.id', 152, 25)} = 0 THEN 'Eine Vereinbarung kam nicht zustande.' "
                                   "ELSE '' END",
                "review_clause": f"CASE WHEN {h('s.id', 152, 25)} = 0 THEN 'Überprüfung nach drei Monaten.' "
                                 "ELSE '' END",
                "valid_from": "s.valid_from", "valid_until": "s.valid_until", "review_on": "s.review_on",
                "reviewed_on": f"CASE WHEN NOT {last} OR (s.review_on + 5 < %(today)s AND {h('s.id', 153, 4)} > 0) "
                               "THEN s.review_on + 5 END",
                "finalised_at": "CASE WHEN s.status IN ('draft', 'pending_approval') THEN NULL "
                                "ELSE s.valid_from + time '10:00' END",
                "finalised_by_id": "CASE WHEN s.status IN ('draft', 'pending_approval') THEN NULL "
                                   "ELSE coalesce(s.case_manager_id, %(teamleitung)s) END",
                "submitted_at": "CASE WHEN s.status = 'pending_approval' THEN now() - interval '1 day' END",
                "submitted_by_id": "CASE WHEN s.status = 'pending_approval' THEN "
                                   "coalesce(s.case_manager_id, %(teamleitung)s) END",
                "content_sha256": "CASE WHEN s.status IN ('draft', 'pending_approval') THEN '' "
                                  "ELSE md5(s.id::text || s.v) || md5(s.v || s.id::text) END",
                "signed_on": "CASE WHEN s.status IN ('signed', 'superseded', 'expired') THEN s.valid_from + 2 END",
                "signed_by_id": "CASE WHEN s.status IN ('signed', 'superseded', 'expired') THEN %(teamleitung)s END",
                "edit_count": f"{h('s.id * 7 + s.v', 154, 6)}",
                "created_by_id": "coalesce(s.case_manager_id, %(teamleitung)s)",
                "updated_by_id": "coalesce(s.case_manager_id, %(teamleitung)s)",
                "created_at": "s.valid_from::timestamptz - interval '3 days'",
                "updated_at": "s.valid_from::timestamptz",
            }, f"""
                SELECT s.*, {status} AS status FROM (
                    SELECT s.*, s.valid_from + s.length / 2 AS review_on,
                           CASE WHEN s.v = s.versions THEN greatest(s.valid_from + 1, s.ends - 1)
                                ELSE s.valid_from + s.length - 1 END AS valid_until
                    FROM (
                        SELECT s.*, s.opened_on + (s.v - 1) * s.length AS valid_from FROM (
                            SELECT c.id, c.case_manager_id, c.opened_on, c.closed_on, g.v, {versions} AS versions,
                                   {ends} AS ends, greatest(30, ({ends} - c.opened_on) / {versions}) AS length
                            FROM cases_case c CROSS JOIN LATERAL generate_series(1, {versions}) AS g(v)
                            WHERE c.contact_point_id = %(office)s AND c.status NOT IN ('intake', 'profiling')
                              AND c.id BETWEEN {low} AND {high}
                        ) s
                    ) s
                ) s
            """, p)  # noqa: S608 - generated benchmark data
        self._sync_sequence(table)
        in_office = f"""
            SELECT pl.id, pl.status, pl.version, pl.case_id, pl.valid_from, pl.valid_until, pl.review_on,
                   c.closed_on, c.case_manager_id
            FROM {table} pl JOIN cases_case c ON c.id = pl.case_id
            WHERE c.contact_point_id = %(office)s
        """  # noqa: S608 - table from the model
        service_kinds = ["qualification", "placement", "application_costs", "debt_counselling", "childcare"]
        services = insert_select(PlanService, {
            "plan_id": "s.id", "kind": f"(%(service_kinds)s::text[])[1 + {h('s.id', 160, len(service_kinds))}]",
            "description": "'Teilnahme an der Maßnahme laut Angebot'",
            "legal_basis": f"(ARRAY['sgb3_77','sgb3_37','bshg_17_18'])[1 + {h('s.id', 161, 3)}]",
            "estimated_cost": f"300 + {h('s.id', 162, 900)}",
            "paying_agency_id": f"CASE WHEN {h('s.id', 163, 2)} = 0 THEN %(aa)s ELSE %(sh)s END",
        }, f"SELECT * FROM ({in_office}) s WHERE {h('s.id', 164, 3)} = 0", p | {"service_kinds": service_kinds})  # noqa: S608
        newest = f"SELECT * FROM ({in_office}) s WHERE s.status <> 'superseded'"  # noqa: S608
        steps = insert_select(PlanStep, {
            "plan_id": "s.id", "description": f"(%(steps)s::text[])[1 + {h('s.id', 165, len(STEP_TEXTS))}]",
            "due_on": "s.review_on",
            "status": f"CASE WHEN s.review_on < %(today)s THEN (ARRAY['done','done','open','dropped'])"
                      f"[1 + {h('s.id', 166, 4)}] ELSE 'open' END",
        }, newest, p | {"steps": STEP_TEXTS})
        obligations = insert_select(Obligation, {
            "plan_id": "s.id", "kind": "'applications'", "description": "'Eigene Bewerbungen'",
            "quantity": f"3 + {h('s.id', 167, 6)}", "period": "'month'",
            "proof": "'Kopien der Bewerbungsschreiben und Antworten'",
            "next_check_on": f"CASE WHEN s.closed_on IS NULL THEN %(today)s - 20 + {h('s.id', 168, 60)} END",
        }, f"{newest} AND s.status IN ('signed', 'final')", p)
        return plans + services + steps + obligations

    def _hearings(self, p: dict[str, Any]) -> int:
        """A hearing for one case in 40 with plans (shortfall; two in five still open, the rest decided) and an
        open one for every third case flagged with an unexcused no-show."""
        decided = f"{h('s.id', 170, 5)} >= 2"
        shortfall = insert_select(Hearing, {
            "case_id": "s.id", "plan_id": "s.plan_id", "reason": "'shortfall'",
            "breach": "'Weniger Bewerbungen nachgewiesen als vereinbart'",
            "status": f"CASE WHEN {decided} THEN 'decided' ELSE 'open' END",
            "opened_on": "s.opened", "opened_by_id": "coalesce(s.case_manager_id, %(teamleitung)s)",
            "statement": f"CASE WHEN {decided} THEN 'Kunde war zwei Wochen krank.' ELSE '' END",
            "statement_on": f"CASE WHEN {decided} THEN s.opened + 7 END",
            "good_reason_accepted": f"CASE WHEN {decided} THEN {h('s.id', 171, 2)} = 0 END",
            "consequence": f"CASE WHEN NOT ({decided}) THEN '' WHEN {h('s.id', 171, 2)} = 0 THEN 'none' "
                           "ELSE 'reduction' END",
            "legal_basis": f"CASE WHEN {decided} AND {h('s.id', 171, 2)} = 1 THEN 'bshg_25' ELSE '' END",
            "decision": f"CASE WHEN {decided} THEN 'Entscheidung nach Anhörung' ELSE '' END",
            "decided_on": f"CASE WHEN {decided} THEN s.opened + 14 END",
            "decided_by_id": f"CASE WHEN {decided} THEN %(teamleitung)s END",
            "created_at": "s.opened::timestamptz", "updated_at": "s.opened::timestamptz",
        }, f"""
            SELECT c.id, c.case_manager_id, least(%(today)s - 1, c.opened_on + 100 + {h('c.id', 172, 300)}) AS opened,
                   latest.id AS plan_id
            FROM cases_case c
            LEFT JOIN LATERAL (SELECT pl.id FROM integration_plans_integrationplan pl WHERE pl.case_id = c.id
                               ORDER BY pl.version DESC LIMIT 1) latest ON true
            WHERE c.contact_point_id = %(office)s AND c.status NOT IN ('intake', 'profiling')
              AND {h('c.id', 173, 40)} = 0
        """, p)  # noqa: S608 - generated benchmark data
        no_show = insert_select(Hearing, {
            "case_id": "s.id", "reason": "'no_show'", "breach": "'Termin ohne wichtigen Grund versäumt'",
            "status": "'open'", "opened_on": "%(today)s - 3",
            "opened_by_id": "coalesce(s.case_manager_id, %(teamleitung)s)",
            "created_at": "now()", "updated_at": "now()",
        }, f"""
            SELECT c.id, c.case_manager_id FROM cases_case c
            WHERE c.contact_point_id = %(office)s AND c.no_show_pending AND {h('c.id', 174, 3)} = 0
        """, p)  # noqa: S608 - generated benchmark data
        return shortfall + no_show


def city_offices() -> list[ContactPoint]:
    """The seeded offices, by their number (``bench-oN-…``)."""
    return sorted(ContactPoint.objects.filter(name__startswith=OFFICE_PREFIX),
                  key=lambda office: _office_index(office.name))


def _office_index(name: str) -> int:
    rest = name.removeprefix(OFFICE_PREFIX)
    district, _, number = rest.partition(" ")
    if number.isdigit():
        return int(number)
    return DISTRICTS.index(district) + 1 if district in DISTRICTS else 10_000


def office_index(office: ContactPoint) -> int:
    return _office_index(office.name)

