"""Create (or bring up to date) the demo organisation and its demo data. Safe to run repeatedly."""

from __future__ import annotations

import importlib
from typing import Any

import pghistory
from django.core.management.base import BaseCommand
from django.db import transaction

from jobcenter.demo import DEMO_ACTOR, demo_actor, name_demo_actor, seed_organisation

# Apps contribute demo data through `<app>.demo.seed(organisation)`, in dependency order.
DEMO_APPS = ["cases", "partners", "profiling", "integration_plans", "letters", "reporting", "notifications"]


class Command(BaseCommand):
    help = "Seed the demo offices, users (password anlaufstelle-demo) and demo clients. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic(), pghistory.context(source="seed_demo") as audit:
            actor = demo_actor()
            pghistory.context(user=actor.pk, actor=DEMO_ACTOR)
            organisation = seed_organisation()
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                summary = module.seed(organisation)
                if summary:
                    self.stdout.write(f"{app}: {summary}")
            name_demo_actor(audit, actor)
        names = ", ".join(sorted(organisation.staff))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (demo only): {names}"))
