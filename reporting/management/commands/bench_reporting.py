"""Benchmark the success measurement on a seeded office (see ``seed_reporting_bench``): dashboard render time and
queries, monthly-report generation time and peak memory, and the time of the aggregate SQL behind them.

Not a test: it prints figures (Markdown) to compare with the targets (dashboard ≤ 1 s; monthly report ≤ 20 s and
≤ 3 × its raw aggregate SQL, in memory that does not grow with the number of clients).

Usage: DATABASE_URL=postgresql://…/anl_bench python manage.py bench_reporting [--output /tmp/reporting-bench.md]
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import BenefitEntitlement, Case, ContactNote
from cases.models import Client as CaseClient
from integration_plans.models import IntegrationPlan
from jobcenter.models import ContactPoint
from reporting import services, store
from reporting.figures import Figures
from reporting.management.commands.seed_reporting_bench import OFFICE_NAME, SMALL_OFFICE_NAME
from reporting.models import MonthlyReport
from reporting.periods import Month, last_complete_month

METRICS = ("quotes", "transfers", "caseload", "referrals", "costs", "plans", "sustainability", "cohorts")


@contextmanager
def sql_timer() -> Iterator[dict[str, float]]:
    """Time spent in the database (every statement on this connection) and the number of statements."""
    totals = {"seconds": 0.0, "queries": 0}

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            totals["seconds"] += time.perf_counter() - started
            totals["queries"] += 1

    with connection.execute_wrapper(wrapper):
        yield totals


class Command(BaseCommand):
    help = "Benchmark dashboard, monthly report and their aggregate SQL on the benchmark office."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the last complete month)")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--output", help="also write the Markdown to this file")
        parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each metric")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        month = Month.parse(options["month"], last_complete_month(today))
        office = ContactPoint.objects.filter(name=OFFICE_NAME).first()
        small = ContactPoint.objects.filter(name=SMALL_OFFICE_NAME).first()
        if office is None or small is None:
            raise CommandError("run seed_reporting_bench first")
        repeat = options["repeat"]
        lines = [f"## Reporting benchmark ({timezone.localtime():%Y-%m-%d %H:%M}, month {month.label})", ""]
        lines += self._sizes(office, small)
        big = self._office(office, "bench-teamleitung", month, today, repeat, options["explain"])
        little = self._office(small, "bench-teamleitung-klein", month, today, repeat, False)
        lines += ["", "| | large office | small office |", "|---|---:|---:|"]
        for key, label in (
            ("dashboard", "dashboard render, median of runs (s)"), ("dashboard_first", "dashboard, first run (s)"),
            ("dashboard_queries", "queries per dashboard"), ("dashboard_sql", "of which SQL (s)"),
            ("report", "monthly report: figures + PDF + CSV (s)"), ("report_sql", "of which SQL (s)"),
            ("raw_sql", "raw aggregate SQL of the report (s)"), ("ratio", "report ÷ raw SQL"),
            ("peak_mb", "report: peak Python memory (MB, tracemalloc)"),
            ("rss_mb", "process max RSS after the report (MB)"),
            ("pdf_kb", "PDF size (kB)"),
            ("rebuild", "reporting store: full rebuild (s)"), ("refresh", "reporting store: refresh, nothing changed (s)"),
        ):
            lines.append(f"| {label} | {big[key]} | {little[key]} |")
        lines += ["", "Raw aggregate SQL per metric, large office (s):", "",
                  "| " + " | ".join(METRICS) + " |", "|" + "---:|" * len(METRICS),
                  "| " + " | ".join(f"{big['per_metric'][m]:.3f}" for m in METRICS) + " |"]
        text = "\n".join(lines) + "\n"
        self.stdout.write(text)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)

    def _sizes(self, office: ContactPoint, small: ContactPoint) -> list[str]:
        def count(office: ContactPoint) -> str:
            return ", ".join(f"{label} {n:,}" for label, n in (
                ("clients", CaseClient.objects.filter(contact_point=office).count()),
                ("benefits", BenefitEntitlement.objects.filter(client__contact_point=office).count()),
                ("cases", Case.objects.filter(contact_point=office).count()),
                ("contact notes", ContactNote.objects.filter(case__contact_point=office).count()),
                ("plans", IntegrationPlan.objects.filter(case__contact_point=office).count()),
            ))

        return [f"* large office: {count(office)}", f"* small office: {count(small)}"]

    def _office(self, office: ContactPoint, username: str, month: Month, today: Any, repeat: int,
                explain: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        started = time.perf_counter()
        store.rebuild(office.pk)
        result["rebuild"] = f"{time.perf_counter() - started:.1f}"
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_groupspan; ANALYZE reporting_integrationrecord")
        started = time.perf_counter()
        store.refresh(office.pk)
        result["refresh"] = f"{time.perf_counter() - started:.3f}"
        user = get_user_model().objects.get(username=username)
        # production settings: HTTPS behind a proxy that says so
        client = Client(secure=True, HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        timings, first = [], None
        for _ in range(repeat + 1):
            with sql_timer() as sql:
                started = time.perf_counter()
                response = client.get(f"/erfolgsmessung/?month={month.key}", HTTP_HOST="localhost")
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"dashboard answered {response.status_code} {response.get('Location', '')}")
            if first is None:
                first = elapsed
            else:
                timings.append(elapsed)
        result.update(dashboard=f"{statistics.median(timings):.2f}", dashboard_first=f"{first:.2f}",
                      dashboard_queries=sql["queries"], dashboard_sql=f"{sql['seconds']:.2f}")

        report = MonthlyReport(office=office, month=month.start, requested_by=user)
        report_times = []
        for _ in range(max(1, repeat - 1)):
            with sql_timer() as sql:
                started = time.perf_counter()
                rendered = services.render_report(report, today=today)
                report_times.append(time.perf_counter() - started)
        result.update(report=f"{statistics.median(report_times):.2f}", report_sql=f"{sql['seconds']:.2f}",
                      pdf_kb=f"{len(rendered.pdf) / 1024:.0f}")

        tracemalloc.start()
        services.render_report(report, today=today)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result.update(peak_mb=f"{peak / 1024 / 1024:.1f}",
                      rss_mb=f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")

        per_metric: dict[str, float] = {}
        figures = Figures(office=office, month=month, today=today)
        for name in METRICS:
            with sql_timer() as sql:
                getattr(figures, name)
            per_metric[name] = sql["seconds"]
        raw = sum(per_metric.values())
        result.update(per_metric=per_metric, raw_sql=f"{raw:.2f}",
                      ratio=f"{statistics.median(report_times) / raw:.1f}" if raw else "–")
        if explain:
            self._explain(office, month, today)
        return result

    def _explain(self, office: ContactPoint, month: Month, today: Any) -> None:
        """EXPLAIN ANALYZE of every statement behind the figures (to decide on indexes)."""
        statements: list[tuple[str, Any]] = []

        def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append((sql, params))
            return execute(sql, params, many, context)

        figures = Figures(office=office, month=month, today=today)
        with connection.execute_wrapper(capture):
            for name in METRICS:
                getattr(figures, name)
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                self.stdout.write(f"\n----\n{plan}\n")
