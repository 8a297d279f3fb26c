"""Rebuild the reporting store (derived target-group spans and integrations) of every office, or of one."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from jobcenter.models import ContactPoint
from reporting import store


class Command(BaseCommand):
    help = "Recompute the reporting store from the records (after a restore or a change of the rules)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--office", type=int, help="only this contact point (id)")

    def handle(self, *args: Any, **options: Any) -> None:
        offices = ContactPoint.objects.order_by("pk")
        if options["office"]:
            offices = offices.filter(pk=options["office"])
        for office in offices:
            started = time.monotonic()
            store.rebuild(office.pk)
            self.stdout.write(f"{office}: {time.monotonic() - started:.1f}s")
