"""Seed a large office for the reporting benchmark: 100,000 clients with effective-dated benefits over 5 years,
their cases, 1,000,000 contact notes, 300,000 integration plans (with services), referrals and hearings.

Everything is generated in the database (``INSERT … SELECT generate_series``) in batches, with triggers off for
the session (``session_replication_role = replica``: no audit rows for generated data, no per-row FK checks), so
it needs a superuser connection and refuses to run on a database whose name does not contain "bench" unless
``--force`` is given. Re-running adds nothing when the office is already seeded.

Usage: DATABASE_URL=postgresql://…/anl_bench python manage.py seed_reporting_bench [--clients 100000]
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from cases.models import BenefitEntitlement, Case, Client, ContactNote
from cases.target_groups import refresh_target_groups
from integration_plans.models import Hearing, IntegrationPlan, PlanService
from jobcenter.models import Agency, ContactPoint, StaffProfile
from jobcenter.roles import Module, Role
from partners.models import Offer, Partner, Referral
from reporting.metrics.sql import REASSIGNMENT
from reporting.tasks import rebuild_reporting_stores

OFFICE_NAME = "Benchmark-Anlaufstelle Großstadt"
SMALL_OFFICE_NAME = "Benchmark-Anlaufstelle Klein"
PASSWORD = "bench-password-2003"  # noqa: S105 - benchmark database only
CASE_MANAGERS = 40
BATCH = 25_000


def _literal_default(field: models.Field) -> tuple[str, list[Any]]:
    """SQL for a column the seed does not set: NULL, the field's default, or an empty value."""
    if field.null:
        return "NULL", []
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "now()", []
    if isinstance(field, models.UUIDField):
        return "gen_random_uuid()", []
    if field.has_default():
        default = field.get_default()
        if isinstance(default, list):
            return "'{}'", []
        return "%s", [default]
    if isinstance(field, models.CharField | models.TextField):
        return "''", []
    if isinstance(field, models.BooleanField):
        return "false", []
    if isinstance(field, models.IntegerField | models.DecimalField):
        return "0", []
    raise CommandError(f"no value for {field.model.__name__}.{field.name}")


def insert_select(model: type[models.Model], values: dict[str, str], source: str,
                  params: dict[str, Any] | None = None) -> int:
    """``INSERT INTO <table> (every column) SELECT <values or defaults> FROM (<source>) s``. Columns come from the
    model, so a field added later gets its default instead of breaking the seed."""
    columns, expressions, extra = [], [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.GeneratedField) or (field.primary_key and field.column not in values):
            continue
        column = field.column
        columns.append(f'"{column}"')
        if column in values:
            expressions.append(values[column])
        else:
            sql, args = _literal_default(field)
            if args:
                name = f"d_{column}"
                extra.append((name, args[0]))
                sql = f"%({name})s"
            expressions.append(sql)
    unknown = set(values) - {f.column for f in model._meta.concrete_fields}
    if unknown:
        raise CommandError(f"unknown columns for {model.__name__}: {sorted(unknown)}")
    table = model._meta.db_table
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - columns from the model
           f"SELECT {', '.join(expressions)} FROM ({source}) s")
    inserted = execute(sql, {**(params or {}), **dict(extra)})
    _keep_statistics(table, inserted)
    return inserted


def _keep_statistics(table: str, inserted: int) -> None:
    """ANALYZE ``table`` when its statistics claim fewer rows than were just inserted.

    A table that held rows once and was analyzed empty (test data rolled back, autovacuum ran) has a density of 0 rows
    per page in ``pg_class``; the planner then takes the thousands of rows loaded here for one row and joins them in
    nested loops: the seed's later steps and ``refresh_target_groups`` went from seconds to over ten minutes (seen in
    the EXPLAIN guard of the test suite). One ANALYZE with the new rows is enough: the planner scales the density by
    the table's current size as more batches arrive. ANALYZE sees the rows of its own transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        if cursor.fetchone()[0] < inserted:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def execute(sql: str, params: dict[str, Any]) -> int:
    """Run ``sql`` with named parameters; a ``%`` that is not a placeholder is the modulo operator."""
    with connection.cursor() as cursor:
        cursor.execute(_MODULO.sub("%%", sql), params)
        return cursor.rowcount


_MODULO = re.compile(r"%(?!\()")


class Command(BaseCommand):
    help = "Seed a large office for the reporting benchmark (benchmark databases only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--notes", type=int, default=1_000_000)
        parser.add_argument("--plans", type=int, default=300_000)
        parser.add_argument("--small-clients", type=int, default=1_000)
        parser.add_argument("--force", action="store_true", help="run on a database not named *bench*")

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["force"]:
            raise CommandError(f"refusing to seed {name!r}: use a database named *bench* or --force")
        started = time.monotonic()
        office, small, managers = self._organisation()
        for target, clients, notes, plans in ((office, options["clients"], options["notes"], options["plans"]),
                                              (small, options["small_clients"], options["small_clients"] * 10,
                                               options["small_clients"] * 3)):
            if Client.objects.filter(contact_point=target).exists():
                self.stdout.write(f"{target}: already seeded")
                continue
            self._seed_office(target, managers, clients, notes, plans)
        # The benefits went in with triggers off: the clients' maintained target groups, as the nightly task does.
        self.stdout.write(f"target groups refreshed: {refresh_target_groups():,} clients")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # As the nightly task leaves an office: its reporting store rebuilt, its current month's dashboard figures
        # computed (reporting.snapshots).
        self.stdout.write(f"reporting stores and dashboard figures: {rebuild_reporting_stores():,} offices")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.0f}s"))

    # --- organisation -------------------------------------------------------------------------------------
    def _organisation(self) -> tuple[ContactPoint, ContactPoint, list[Any]]:
        aa, _ = Agency.objects.get_or_create(name="Arbeitsamt Benchstadt", defaults={"kind": Agency.Kind.ARBEITSAMT})
        sh, _ = Agency.objects.get_or_create(name="Sozialamt Benchstadt", defaults={"kind": Agency.Kind.SOZIALHILFE})
        offices = [ContactPoint.objects.get_or_create(name=n, defaults={
            "variant": ContactPoint.Variant.GROSSSTADT, "employment_agency": aa, "welfare_agency": sh,
            "enabled_modules": list(Module.values), "address": "Marktplatz 1\n04109 Benchstadt"})[0]
            for n in (OFFICE_NAME, SMALL_OFFICE_NAME)]
        user_model = get_user_model()
        groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
        managers = []
        for index in range(CASE_MANAGERS):
            user, created = user_model.objects.get_or_create(
                username=f"bench-fm{index:02d}", defaults={"first_name": "Fallmanager", "last_name": f"Nr. {index:02d}"})
            if created:
                user.groups.add(groups[Role.FALLMANAGER])
                StaffProfile.objects.get_or_create(user=user)[0].contact_points.set(offices)
            managers.append(user)
        for username, office in (("bench-teamleitung", offices[0]), ("bench-teamleitung-klein", offices[1])):
            lead, created = user_model.objects.get_or_create(username=username, defaults={"first_name": "Team",
                                                                                          "last_name": "Leitung"})
            if created:
                lead.set_password(PASSWORD)
                lead.save()
                lead.groups.add(groups[Role.TEAMLEITUNG])
                StaffProfile.objects.get_or_create(user=lead)[0].contact_points.set([office])
        return offices[0], offices[1], managers

    def _step(self, label: str, started: float, rows: int) -> None:
        self.stdout.write(f"  {label}: {rows:,} rows ({time.monotonic() - started:.0f}s)")

    # --- one office ---------------------------------------------------------------------------------------
    def _seed_office(self, office: ContactPoint, managers: list[Any], clients: int, notes: int, plans: int) -> None:
        self.stdout.write(f"{office}: {clients:,} clients, {notes:,} notes, {plans:,} plans")
        today = timezone.localdate()
        start = today - timedelta(days=5 * 365)
        p = {"office": office.pk, "today": today, "start": start, "aa": office.employment_agency_id,
             "sh": office.welfare_agency_id, "managers": [m.pk for m in managers], "author": managers[0].pk}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no triggers (audit, deferred FKs)
            t = time.monotonic()
            first_client = self._clients(office, clients, p)
            self._step("clients", t, clients)
            p["c0"], p["c1"] = first_client, first_client + clients - 1
            t = time.monotonic()
            self._step("benefits", t, self._benefits(p))
            t = time.monotonic()
            self._step("cases", t, self._cases(p))
            t = time.monotonic()
            self._step("contact notes", t, self._notes(p, notes))
            t = time.monotonic()
            self._step("partners, offers, referrals", t, self._referrals(office, p))
            t = time.monotonic()
            self._step("plans, services, hearings", t, self._plans(p, plans))

    def _clients(self, office: ContactPoint, count: int, p: dict[str, Any]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Client._meta.db_table}")  # noqa: S608
            first = int(cursor.fetchone()[0]) + 1
        for offset in range(0, count, BATCH):
            n = min(BATCH, count - offset)
            insert_select(Client, {
                "id": "%(first)s + s.i", "contact_point_id": "%(office)s",
                "first_name": "(ARRAY['Anna','Maria','Jörg','Özlem','Mehmet','Sandra','Thomas','Olga','René','Björn'])"
                              "[1 + s.i % 10]",
                "last_name": "(ARRAY['Müller','Schmidt','Schäfer','Yılmaz','Weiß','Krüger','Neumann','Köhler',"
                             "'Groß','Iwanow','Becker','Lange'])[1 + (s.i / 10) % 12] || ' ' || s.i",
                "birth_date": "date '1950-01-01' + (s.i * 7919) % 18000",
                "postal_code": "'04109'", "city": "'Benchstadt'",
            }, f"SELECT generate_series({offset}, {offset + n - 1}) AS i", p | {"first": first})
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Client._meta.db_table}', 'id'), "  # noqa: S608
                           f"(SELECT max(id) FROM {Client._meta.db_table}))")
        return first

    def _benefits(self, p: dict[str, Any]) -> int:
        """1–3 spells per client over 5 years, 420 days apart; a spell is HLU, Alhi, Alg or Kombi (HLU + Alhi);
        ended spells end for employment (30 %), training, self-employment, other income or other reasons; the
        last spell of three clients in four is still running."""
        spells = """
            SELECT c.id AS client_id, sp.n,
                   %(start)s::date + ((c.id * 37) % 300)::int + (sp.n * 420)::int AS b_start,
                   (200 + (c.id * 13) % 200)::int AS length,
                   ((c.id + sp.n) % 5)::int AS mix,
                   ((c.id * 7 + sp.n) % 20)::int AS why,
                   sp.n = (c.id % 3) AND c.id % 4 < 3 AS running
            FROM cases_client c CROSS JOIN LATERAL generate_series(0, c.id % 3) AS sp(n)
            WHERE c.id BETWEEN %(c0)s AND %(c1)s
        """
        return sum(self._benefit_kind(kind, mixes, spells, p)
                   for kind, mixes in (("hlu", "(0, 3)"), ("alhi", "(1, 3, 4)"), ("alg", "(2)")))

    def _benefit_kind(self, kind: str, mixes: str, spells: str, p: dict[str, Any]) -> int:
        base = {"hlu": 180, "alhi": 380, "alg": 550}[kind]
        ended = "NOT s.running AND s.b_start + s.length <= %(today)s"
        return insert_select(BenefitEntitlement, {
            "client_id": "s.client_id", "kind": f"'{kind}'",
            "monthly_amount": f"{base} + (s.client_id * 31) % 400",
            "start": "s.b_start",
            "end": f"CASE WHEN {ended} THEN s.b_start + s.length END",
            "end_reason": f"CASE WHEN {ended} THEN (ARRAY['employment','employment','employment','employment',"
                          "'employment','employment','training','self_employment','other_income','other_income',"
                          "'moved','other','other','other','other','other','other','other','other','other'])"
                          "[1 + s.why] ELSE '' END",
            "created_at": "now()",
        }, f"SELECT * FROM ({spells}) x WHERE x.mix IN {mixes}", p)  # noqa: S608 - generated benchmark data, no user input

    def _cases(self, p: dict[str, Any]) -> int:
        """Every client has a case opened with the first benefit; it closes 150–600 days later for 60 % of the
        clients (half of them as integrated), the others are open; every third closed client has a second,
        open case."""
        first = insert_select(Case, {
            "client_id": "s.id", "contact_point_id": "%(office)s",
            "status": "CASE WHEN s.closed THEN 'closed' ELSE (ARRAY['intake','profiling','planning','implementation',"
                      "'implementation','follow_up'])[1 + s.id % 6] END",
            "segment": "(ARRAY['information','beratung','fallmanagement','fallmanagement'])[1 + s.id % 4]",
            "case_manager_id": "CASE WHEN s.id % 10 = 0 THEN NULL ELSE "
                               "(%(managers)s::int[])[1 + s.id % array_length(%(managers)s::int[], 1)] END",
            "lead_agency_id": "CASE WHEN s.id % 2 = 0 THEN %(aa)s ELSE %(sh)s END",
            "opened_on": "s.opened", "closed_on": "CASE WHEN s.closed THEN s.closed_on END",
            "outcome": "CASE WHEN s.closed THEN (ARRAY['employment','employment','training','self_employment',"
                       "'moved','transferred','no_cooperation','other','other','moved'])[1 + s.id % 10] ELSE '' END",
            "created_at": "now()", "updated_at": "now()",
        }, """
            SELECT c.id, o.opened, o.opened + (150 + (c.id * 17) % 450)::int AS closed_on,
                   c.id % 5 < 3 AND o.opened + (150 + (c.id * 17) % 450)::int < %(today)s AS closed
            FROM cases_client c
            CROSS JOIN LATERAL (SELECT %(start)s::date + ((c.id * 37) % 300 + (c.id % 2) * 420)::int AS opened) o
            WHERE c.id BETWEEN %(c0)s AND %(c1)s
        """, p)
        second = insert_select(Case, {
            "client_id": "s.client_id", "contact_point_id": "%(office)s", "status": "'implementation'",
            "segment": "'fallmanagement'",
            "case_manager_id": "(%(managers)s::int[])[1 + s.client_id % array_length(%(managers)s::int[], 1)]",
            "opened_on": "s.closed_on + 30", "created_at": "now()", "updated_at": "now()",
        }, """
            SELECT client_id, closed_on FROM cases_case
            WHERE contact_point_id = %(office)s AND status = 'closed' AND client_id % 3 = 0
              AND closed_on + 30 < %(today)s
        """, p)
        # Handovers (the triggers are off, so the audit trail is written here): every 50th open case was
        # reassigned on one of the last 60 days, the record keeping the case manager before.
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO {REASSIGNMENT}
                    (pgh_created_at, pgh_label, pgh_obj_id, case_manager_id, contact_point_id)
                SELECT now() - (id %% 60) * interval '1 day', 'reassigned', id,
                       (%(managers)s::int[])[1 + (id + 1) %% array_length(%(managers)s::int[], 1)], contact_point_id
                FROM {Case._meta.db_table}
                WHERE contact_point_id = %(office)s AND closed_on IS NULL AND id %% 50 = 0
            """, p)  # noqa: S608 - table names from the models; values are parameters
        return first + second

    def _notes(self, p: dict[str, Any], count: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM cases_case WHERE contact_point_id = %s", [p["office"]])
            low, high = cursor.fetchone()
        total = 0
        for offset in range(0, count, BATCH * 4):
            n = min(BATCH * 4, count - offset)
            total += insert_select(ContactNote, {
                "case_id": "s.case_id", "author_id": "%(author)s",
                "occurred_on": "least(%(today)s, s.opened_on + (s.i % 400))",
                "channel": "(ARRAY['in_person','phone','letter','email'])[1 + s.i % 4]",
                "text": "'Gespräch geführt; Bewerbungsunterlagen besprochen (Nr. ' || s.i || ').'",
                "sensitive": "s.i % 17 = 0", "created_at": "now()",
            }, f"""
                SELECT g.i, x.id AS case_id, x.opened_on
                FROM generate_series({offset}, {offset + n - 1}) AS g(i)
                JOIN cases_case x ON x.id = %(low)s + (g.i::bigint * 7907) % (%(high)s - %(low)s + 1)
            """, p | {"low": low, "high": high})  # noqa: S608 - generated benchmark data, no user input
        return total

    def _referrals(self, office: ContactPoint, p: dict[str, Any]) -> int:
        kinds = ["debt_counselling", "childcare", "qualification", "application_support", "psa"]
        partners = Partner.objects.bulk_create([
            Partner(contact_point=office, name=f"Bench-Partner {office.pk}-{i}", kind=kinds[i % len(kinds)])
            for i in range(25)])
        offers = Offer.objects.bulk_create([
            Offer(partner=partner, title=f"Angebot {partner.name}", category=partner.kind, places=50,
                  cost_per_month=100 + 20 * (i % 10), commissionable_by=[Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE],
                  valid_from=p["start"]) for i, partner in enumerate(partners)])
        p = p | {"offers": [o.pk for o in offers]}
        return insert_select(Referral, {
            "case_id": "s.case_id", "offer_id": "(%(offers)s::bigint[])[1 + s.case_id % 25]",
            "referred_on": "s.day", "purpose": "'Bench'",
            "status": "(ARRAY['proposed','accepted','started','completed','aborted','declined','started'])"
                      "[1 + s.case_id % 7]",
            "status_changed_on": "s.day", "planned_months": "1 + s.case_id % 6",
            "monthly_cost": "100 + s.case_id % 200",
            "paying_agency_id": "CASE WHEN s.case_id % 2 = 0 THEN %(aa)s ELSE %(sh)s END",
            "paying_basis": "CASE WHEN s.case_id % 2 = 0 THEN 'sgb3_37' ELSE 'bshg_17_18' END",
            "shared_data": "'{identity}'", "referred_by_id": "%(author)s",
            "created_at": "now()", "updated_at": "now()",
        }, """
            SELECT id AS case_id, least(%(today)s, opened_on + (60 + id % 90)::int) AS day
            FROM cases_case WHERE contact_point_id = %(office)s AND id % 2 = 0
        """, p) + len(partners) + len(offers)

    def _plans(self, p: dict[str, Any], count: int) -> int:
        """Version 1 for every case, further versions (Fortschreibungen, each superseding the previous one)
        until ``count`` plans exist; the newest version of a case is signed (70 %), final or a draft."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case WHERE contact_point_id = %s", [p["office"]])
            cases = int(cursor.fetchone()[0])
        base, extra = divmod(count, max(cases, 1))
        p = p | {"base": base, "extra": extra}
        versions = base + (1 if extra else 0)
        total = 0
        for version in range(1, versions + 1):
            last = f"(s.version_count = {version})"
            total += insert_select(IntegrationPlan, {
                "case_id": "s.case_id", "version": str(version),
                "previous_id": "NULL" if version == 1 else
                               f"(SELECT id FROM integration_plans_integrationplan q WHERE q.case_id = s.case_id "  # noqa: S608 - generated benchmark data, no user input
                               f"AND q.version = {version - 1})",
                "kind": "'agreement'",
                "status": f"CASE WHEN NOT {last} THEN 'superseded' WHEN s.case_id % 10 < 7 THEN 'signed' "
                          "WHEN s.case_id % 10 < 9 THEN 'final' ELSE 'draft' END",
                "goal": "'Aufnahme einer Beschäftigung'",
                "valid_from": f"s.opened_on + {(version - 1) * 180}",
                "valid_until": f"s.opened_on + {(version - 1) * 180 + 180}",
                "review_on": f"s.opened_on + {(version - 1) * 180 + 90}",
                "finalised_at": f"CASE WHEN {last} AND s.case_id % 10 >= 9 THEN NULL "
                                f"ELSE (s.opened_on + {(version - 1) * 180})::timestamptz END",
                "content_sha256": f"CASE WHEN {last} AND s.case_id % 10 >= 9 THEN '' ELSE md5(s.case_id::text) || "
                                  "md5(s.case_id::text) END",
                "signed_on": f"CASE WHEN {last} AND s.case_id % 10 >= 7 THEN NULL "
                             f"ELSE s.opened_on + {(version - 1) * 180 + 3} END",
                "created_by_id": "%(author)s", "updated_by_id": "%(author)s",
                "created_at": "now()", "updated_at": "now()",
            }, f"""
                SELECT * FROM (
                    SELECT c.id AS case_id, c.opened_on,
                           %(base)s + CASE WHEN row_number() OVER (ORDER BY c.id) <= %(extra)s THEN 1 ELSE 0 END
                               AS version_count
                    FROM cases_case c WHERE c.contact_point_id = %(office)s
                ) x WHERE x.version_count >= {version}
            """, p)  # noqa: S608 - generated benchmark data, no user input
        services = insert_select(PlanService, {
            "plan_id": "s.id", "key": "gen_random_uuid()", "kind": "'qualification'",
            "legal_basis": "'sgb3_77'", "estimated_cost": "300 + s.id % 900",
            "paying_agency_id": "CASE WHEN s.id % 2 = 0 THEN %(aa)s ELSE %(sh)s END",
        }, """
            SELECT p.id FROM integration_plans_integrationplan p JOIN cases_case c ON c.id = p.case_id
            WHERE c.contact_point_id = %(office)s AND p.id % 3 = 0
        """, p)
        hearings = insert_select(Hearing, {
            "case_id": "s.id", "reason": "'shortfall'", "breach": "'Weniger Bewerbungen als vereinbart'",
            "status": "'open'", "opened_on": "least(%(today)s, s.opened_on + 100)", "opened_by_id": "%(author)s",
            "created_at": "now()", "updated_at": "now()",
        }, "SELECT id, opened_on FROM cases_case WHERE contact_point_id = %(office)s AND id % 50 = 0", p)
        return total + services + hearings

