"""Benchmark letters: how many letters one worker renders per minute, and "Einladungen für morgen" for 200
appointments as one PDF.

    python manage.py bench_letters                       # 60 single letters, a batch of 200 invitations
    python manage.py bench_letters --letters 120 --appointments 300

Everything happens in one transaction that is rolled back (an office of its own, clients, appointments,
letters); the PDFs go to a temporary directory that is removed. The render is what the worker's task runs
(``generate_letter`` / ``generate_batch``: claim, render, store), in this process.
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import Appointment, BenefitEntitlement, BenefitKind, Case, CaseStatus, Client
from jobcenter import documents
from jobcenter.models import Agency, ContactPoint, StaffProfile
from jobcenter.roles import Role
from letters import rules
from letters.services import batches, letters


class Rollback(Exception):
    """Leaves the benchmark's transaction without a trace."""


class Command(BaseCommand):
    help = "Measure letters per minute per worker and a batch of invitations (nothing is kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--letters", type=int, default=60, help="single letters to render (default 60)")
        parser.add_argument("--appointments", type=int, default=200, help="appointments in the batch (default 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        root = tempfile.mkdtemp(prefix="bench-letters-")
        try:
            with override_settings(DOCUMENTS_ROOT=root), transaction.atomic():
                self._run(options["letters"], options["appointments"])
                raise Rollback
        except Rollback:
            pass
        finally:
            shutil.rmtree(root, ignore_errors=True)

    def _world(self, count: int, day: date) -> tuple[ContactPoint, Any, list[Appointment]]:
        tag = uuid.uuid4().hex[:8]
        office = ContactPoint.objects.create(
            name=f"Bench-Anlaufstelle {tag}", address="Georg-Schwarz-Straße 12\n04177 Leipzig",
            variant=ContactPoint.Variant.GROSSSTADT,
            employment_agency=Agency.objects.create(kind=Agency.Kind.ARBEITSAMT, name=f"Arbeitsamt Bench {tag}"),
            welfare_agency=Agency.objects.create(kind=Agency.Kind.SOZIALHILFE, name=f"Sozialamt Bench {tag}"))
        manager = get_user_model().objects.create_user(f"bench-{tag}", first_name="Thomas", last_name="Becker")
        manager.groups.add(Group.objects.get_or_create(name=Role.TEAMLEITUNG)[0])
        StaffProfile.objects.get_or_create(user=manager)[0].contact_points.add(office)
        clients = Client.objects.bulk_create([
            Client(contact_point=office, first_name=f"Vorname{i}", last_name=f"Nachname{i:04d}",
                   birth_date=date(1970, 1, 1) + timedelta(days=37 * i), street=f"Eisenbahnstraße {i + 1}",
                   postal_code="04315", city="Leipzig") for i in range(count)])
        kinds = [BenefitKind.HLU, BenefitKind.ALG, BenefitKind.ALHI]
        BenefitEntitlement.objects.bulk_create([
            BenefitEntitlement(client=client, kind=kinds[i % 3], monthly_amount=300, start=date(2002, 1, 1))
            for i, client in enumerate(clients) if i % 4])  # every fourth draws nothing
        cases = Case.objects.bulk_create([
            Case(client=client, contact_point=office, case_manager=manager, opened_on=date(2002, 6, 1),
                 status=CaseStatus.PROFILING) for client in clients])
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(hours=7)
        appointments = Appointment.objects.bulk_create([
            Appointment(case=case, starts_at=start + timedelta(minutes=3 * i), purpose="Beratungsgespräch",
                        with_user=manager) for i, case in enumerate(cases)])
        return office, manager, appointments

    def _run(self, single: int, batch_size: int) -> None:
        day = rules.next_working_day(timezone.localdate())
        office, manager, appointments = self._world(max(single, batch_size), day)

        # 1. single letters, as the worker renders them one task after the other
        issued = [letters.issue_invitation(appointment=a, by=manager, render=False) for a in appointments[:single]]
        letters.generate_letter(letter_id=issued[0].pk, token=f"warm-up-{issued[0].pk}")  # fonts and stylesheet are cached
        timings = []
        for letter in issued[1:]:
            began = time.perf_counter()
            letters.generate_letter(letter_id=letter.pk, token=f"bench-{letter.pk}")
            timings.append(time.perf_counter() - began)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        self.stdout.write(f"single letters: {len(timings)} rendered, median {median * 1000:.0f} ms, "
                          f"p95 {p95 * 1000:.0f} ms → {60 / statistics.mean(timings):.0f} letters per minute "
                          f"per worker")

        # 2. "Einladungen für morgen" for ``batch_size`` appointments: the request, then the one task
        began = time.perf_counter()
        batch = batches.print_invitations(office=office, by=manager, roles=[Role.TEAMLEITUNG], day=day)
        requested = time.perf_counter() - began
        began = time.perf_counter()
        document = batches.generate_batch(batch_id=batch.pk, token=f"bench-{batch.pk}")
        rendered = time.perf_counter() - began
        assert document is not None
        data = documents.read(document)
        try:
            from pypdf import PdfReader
        except ImportError:  # pragma: no cover - pypdf is a dev dependency
            pages = "?"
        else:
            pages = str(len(PdfReader(io.BytesIO(data)).pages))
        self.stdout.write(f"batch: {batch.size} invitations, request {requested:.1f} s (letters frozen), "
                          f"render {rendered:.1f} s in one task, {pages} pages, {len(data) / 1024 / 1024:.1f} MB")
