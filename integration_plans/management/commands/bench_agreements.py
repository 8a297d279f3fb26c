"""Benchmark the agreement PDF: render N agreements in this process (as a worker does) and report median and p95
render time, peak memory, memory after 500 against after 50 renders, and the time to enqueue the render task.

    python manage.py bench_agreements                 # 500 renders of a representative 3–4 page agreement
    python manage.py bench_agreements --plan 17       # the content snapshot of a finalised plan instead
    REDIS_URL=redis://… python manage.py bench_agreements --enqueue 200

Nothing is written to the database; enqueueing goes to a throw-away queue that is deleted afterwards.
"""

from __future__ import annotations

import copy
import gc
import io
import os
import resource
import statistics
import time
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

import psutil
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from integration_plans.content import checksum
from integration_plans.models import IntegrationPlan
from integration_plans.pdf import render_pdf
from integration_plans.tasks import render_agreement
from jobcenter.celery import app as celery_app
from jobcenter.tasking import enqueue_on_commit

if TYPE_CHECKING:
    from kombu.transport.virtual import Channel


def sample_content() -> dict[str, Any]:
    """A representative agreement (Kombibezieher, Fortschreibung): five steps, four services, three obligations,
    both legal notices and a list of changes — three to four A4 pages."""
    start = date(2003, 4, 1)
    notice_text = ("Wenn Sie ohne wichtigen Grund eine zumutbare Arbeit oder eine vereinbarte Maßnahme ablehnen, "
                   "abbrechen oder nicht antreten, kann Ihre Leistung gekürzt oder gesperrt werden. ") * 3
    return {
        "schema": 1, "plan_id": 1, "version": 2, "kind": "agreement", "kind_label": "Eingliederungsvereinbarung",
        "office": {"name": "Gemeinsame Anlaufstelle Leipzig-Mitte", "address": "Georg-Schwarz-Straße 12\n04177 Leipzig"},
        "agencies": {"employment": "Arbeitsamt Leipzig", "welfare": "Sozialamt der Stadt Leipzig"},
        "client": {"id": 4711, "name": "Özlem Schäfer", "birth_date": "1971-05-03", "street": "Eisenbahnstraße 101",
                   "postal_code": "04315", "city": "Leipzig", "customer_number": "073A123456",
                   "file_number": "50-123456/03"},
        "case": {"id": 815, "case_manager": "Thomas Becker"},
        "goal": "Sozialversicherungspflichtige Beschäftigung als Fachkraft für Lagerlogistik im Raum Leipzig, "
                "vorbereitet durch den Staplerschein und ein Praktikum.",
        "placement_efforts": "Mindestens zwei passende Vermittlungsvorschläge pro Monat; Kontakt zu drei "
                             "Logistikbetrieben im Güterverkehrszentrum.",
        "valid_from": start.isoformat(), "valid_until": (start + timedelta(days=182)).isoformat(),
        "review_on": (start + timedelta(days=91)).isoformat(), "decision_reason": "", "review_clause": "",
        "steps": [{"key": str(i), "description": f"Schritt {i}: Bewerbungsunterlagen überarbeiten und vorlegen",
                   "due_on": (start + timedelta(days=14 * i)).isoformat()} for i in range(1, 6)],
        "services": [{"key": f"s{i}", "kind": "qualification", "kind_label": "Qualifizierung",
                      "description": "Abschluss mit Zertifikat, danach gezielte Bewerbungen",
                      "offer": "Staplerschein mit Lagerlogistik", "partner": "Bildungswerk der Sächsischen Wirtschaft",
                      "paying_agency": "Arbeitsamt Leipzig", "legal_basis": "sgb3_integration",
                      "legal_basis_label": "SGB III (Eingliederungsleistungen)", "override_reason": "",
                      "estimated_cost": "2520.00"} for i in range(4)],
        "obligations": [{"key": f"o{i}", "kind": "applications", "kind_label": "Bewerbungen",
                         "description": "Bewerbungen auf Stellen im Zielberuf", "quantity": 6, "period": "month",
                         "extent": "6× pro Monat", "proof": "Kopien der Anschreiben und Eingangsbestätigungen"}
                        for i in range(3)],
        "legal_notices": [
            {"id": 1, "basis": "bshg_25", "basis_label": "§ 25 BSHG (Hilfe zum Lebensunterhalt)", "version": 1,
             "title": "Was passiert, wenn Sie Ihre Pflichten nicht erfüllen? – Hilfe zum Lebensunterhalt",
             "text": "\n\n".join([notice_text] * 4), "valid_from": "2003-01-01", "is_example": True},
            {"id": 2, "basis": "sgb3_144", "basis_label": "§ 144 SGB III (Sperrzeit bei Alg/Alhi)", "version": 1,
             "title": "Was passiert, wenn Sie Ihre Pflichten nicht erfüllen? – Sperrzeit",
             "text": "\n\n".join([notice_text] * 4), "valid_from": "2003-01-01", "is_example": True}],
        "finalised_on": start.isoformat(), "finalised_by": "Thomas Becker",
        "previous": {"version": 1, "finalised_on": "2002-10-01", "checksum": "0" * 64},
        "changes": {"fields": [{"label": "Gültig ab", "before": "01.10.2002", "after": "01.04.2003"}],
                    "items": [{"section": "steps", "section_label": "Schritt", "status": "added",
                               "summary": "Praktikum im Lager", "fields": []},
                              {"section": "obligations", "section_label": "Gegenleistung", "status": "changed",
                               "summary": "Bewerbungen", "fields": [{"label": "Umfang", "before": "4× pro Monat",
                                                                      "after": "6× pro Monat"}]}]},
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


class Command(BaseCommand):
    help = "Render N agreements and report render time, memory and enqueue time."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--renders", type=int, default=500)
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--plan", type=int, help="use the content snapshot of this finalised plan")
        parser.add_argument("--enqueue", type=int, default=200, help="enqueue measurements (needs REDIS_URL)")

    def handle(self, *args: Any, **options: Any) -> None:
        content = self._content(options.get("plan"))
        digest = checksum(content)
        pages = self._pages(render_pdf(content, digest))
        for _ in range(options["warmup"]):
            render_pdf(content, digest)
        times: list[float] = []
        cpu: list[float] = []
        rss: dict[int, float] = {}
        start_rss = _rss_mb()
        load_before = os.getloadavg()[0]
        for index in range(1, options["renders"] + 1):
            began, began_cpu = time.perf_counter(), time.process_time()
            render_pdf(copy.deepcopy(content), digest)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            if index in (50, 500) or index == options["renders"]:
                gc.collect()
                rss[index] = _rss_mb()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        median = statistics.median(times)
        lines = [
            f"agreement: {pages} pages; {len(times)} warm renders after {options['warmup']} warm-up renders",
            f"render time: median {median:.0f} ms, p95 {_pct(times, 0.95):.0f} ms, max {max(times):.0f} ms "
            f"(≈ {60_000 / median:.0f} per minute per worker process)",
            f"CPU time per render: median {statistics.median(cpu):.0f} ms, p95 {_pct(cpu, 0.95):.0f} ms "
            f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs: "
            "wall time includes waiting for the CPU on a busy machine)",
            f"memory (RSS): start {start_rss:.0f} MB, peak {peak_mb:.0f} MB"
            + "".join(f", after {n} renders {mb:.0f} MB" for n, mb in sorted(rss.items())),
        ]
        if 50 in rss and 500 in rss:
            lines.append(f"memory after 500 ÷ after 50: {rss[500] / rss[50]:.3f}")
        lines.append(self._enqueue(options["enqueue"]))
        self.stdout.write("\n".join(lines))

    def _content(self, plan_id: int | None) -> dict[str, Any]:
        if plan_id is None:
            return sample_content()
        plan = IntegrationPlan.objects.filter(pk=plan_id).exclude(content=None).first()
        if plan is None:
            raise CommandError(f"no finalised plan {plan_id}")
        return cast(dict[str, Any], plan.content)  # excluded above: not None

    def _pages(self, data: bytes) -> int | str:
        try:
            from pypdf import PdfReader
        except ImportError:  # pragma: no cover - pypdf is a dev dependency
            return "?"
        return len(PdfReader(io.BytesIO(data)).pages)

    def _enqueue(self, count: int) -> str:
        """What a request pays to hand the render to the broker: the on-commit enqueue, timed around the commit."""
        if not count:
            return "enqueue: skipped"
        if not getattr(settings, "REDIS_URL", ""):
            return "enqueue: not measured (no REDIS_URL: tasks run eagerly in the embedded default)"
        queue = f"bench-enqueue-{uuid.uuid4().hex[:8]}"
        times = []
        for _ in range(count):
            began = time.perf_counter()
            with transaction.atomic():
                enqueue_on_commit(render_agreement.s(0).set(queue=queue))
            times.append((time.perf_counter() - began) * 1000)
        with celery_app.connection_for_write() as connection:
            cast("Channel", connection.default_channel).queue_delete(queue)  # Redis: a virtual channel
        return (f"enqueue from a request (on commit, Redis): median {statistics.median(times[5:]):.1f} ms, "
                f"p95 {_pct(times[5:], 0.95):.1f} ms ({count} tasks to a throw-away queue)")
