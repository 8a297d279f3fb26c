"""The dashboard's figures kept in the reporting store (``reporting.snapshots``): a snapshot decodes to exactly the
figures the records give (the raw metric selectors, as the monthly report computes them), on a seeded office and
for several months; and a snapshot is served only while it may be (same reference day, nothing changed or young
enough)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import BenefitKind
from jobcenter.models import ContactPoint
from reporting import snapshots
from reporting.figures import Figures
from reporting.management.commands.seed_reporting_bench import OFFICE_NAME, SMALL_OFFICE_NAME
from reporting.models import FigureSnapshot
from reporting.periods import Month
from reporting.tables import TABLES
from tests.reporting.conftest import D, add_benefit

pytestmark = pytest.mark.django_db


def _raw(office: ContactPoint, month: Month, today: datetime.date) -> dict[str, object]:
    figures = Figures(office=office, month=month, today=today)
    return {name: getattr(figures, name) for name in snapshots.PROPERTIES}


def _cells(figures: Figures) -> dict[str, list[tuple[object, ...]]]:
    return {key: [(row.label, [(c.value, c.kind, c.url) for c in row.cells]) for row in build(figures).rows]
            for key, build in TABLES.items()}


def test_snapshots_of_a_seeded_office_give_the_figures_of_the_records() -> None:
    call_command("seed_reporting_bench", clients=600, notes=600, plans=900, small_clients=120, force=True,
                 stdout=StringIO())  # ends by computing the current month's snapshot of every office
    today = timezone.localdate()
    current = Month.of(today)
    offices = [ContactPoint.objects.get(name=OFFICE_NAME), ContactPoint.objects.get(name=SMALL_OFFICE_NAME)]
    assert FigureSnapshot.objects.filter(office__in=offices, month=current.start).count() == 2
    for office in offices:
        for month in (current, current.shift(-1), current.shift(-7), current.shift(-13)):
            served = snapshots.dashboard_figures(office, month, today)
            stored = snapshots._load(office, month, FigureSnapshot.objects.get(office=office, month=month.start))
            raw = _raw(office, month, today)
            for name in snapshots.PROPERTIES:
                assert getattr(stored, name) == raw[name], f"{office} {month}: {name}"
                assert getattr(served.figures, name) == raw[name], f"{office} {month}: {name}"
            assert _cells(stored) == _cells(Figures(office=office, month=month, today=today))
        assert any(q.integrations for q in raw["quotes"].figures.values()), "the seed has integrations to compare"


def test_the_world_figures_survive_the_round_trip(world) -> None:  # type: ignore[no-untyped-def]
    today = D(2003, 4, 10)
    for month in (Month(2003, 3), Month(2003, 4)):
        served = snapshots.compute(world.office, month, today)
        stored = snapshots._load(world.office, month, FigureSnapshot.objects.get(office=world.office,
                                                                                 month=month.start))
        for name in snapshots.PROPERTIES:
            assert getattr(stored, name) == getattr(served.figures, name), name
    march = snapshots.dashboard_figures(world.office, Month(2003, 3), today)
    assert march.from_snapshot
    assert march.figures.quotes.row("all", Month(2003, 3)).integrations == 2  # K (HLU) and D (Alhi)
    assert march.figures.quotes.row("alhi", Month(2003, 3)).integrations == 1


def test_a_changed_record_is_shown_at_once_without_tolerance(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORTING_FIGURES_MAX_AGE = 0
    today, month = D(2003, 4, 10), Month(2003, 3)
    first = snapshots.dashboard_figures(world.office, month, today)
    assert not first.from_snapshot
    again = snapshots.dashboard_figures(world.office, month, today)
    assert again.from_snapshot and again.computed_at == first.computed_at  # nothing changed: the same row
    add_benefit(world.h, BenefitKind.ALHI, D(2003, 3, 1), D(2003, 3, 31))  # H becomes a Kombibezieher in March
    changed = snapshots.dashboard_figures(world.office, month, today)
    assert not changed.from_snapshot
    assert changed.figures.quotes.row("kombi", month).average_clients > first.figures.quotes.row(
        "kombi", month).average_clients
    assert changed.figures.quotes == _raw(world.office, month, today)["quotes"]


def test_within_the_tolerance_the_snapshot_is_served_and_says_when_it_was_computed(world, settings):  # type: ignore[no-untyped-def]
    settings.REPORTING_FIGURES_MAX_AGE = 300
    today, month = D(2003, 4, 10), Month(2003, 3)
    first = snapshots.dashboard_figures(world.office, month, today)
    add_benefit(world.h, BenefitKind.ALHI, D(2003, 3, 1), D(2003, 3, 31))
    served = snapshots.dashboard_figures(world.office, month, today)
    assert served.from_snapshot and served.computed_at == first.computed_at  # at most 5 minutes behind
    FigureSnapshot.objects.filter(office=world.office).update(
        computed_at=first.computed_at - datetime.timedelta(seconds=301))
    assert not snapshots.dashboard_figures(world.office, month, today).from_snapshot  # too old: recomputed
    assert not snapshots.dashboard_figures(world.office, month, D(2003, 4, 11)).from_snapshot  # another day


def test_the_dashboard_shows_when_its_figures_were_computed(tl_client, world, settings):  # type: ignore[no-untyped-def]
    settings.REPORTING_FIGURES_MAX_AGE = 0
    response = tl_client.get("/erfolgsmessung/", {"month": "2003-03"})
    assert response.status_code == 200
    snapshot = FigureSnapshot.objects.get(office=world.office, month=D(2003, 3, 1))
    stamp = timezone.localtime(snapshot.computed_at).strftime("%d.%m.%Y %H:%M")
    assert stamp in response.content.decode()
    assert response.context["computed_at"] == snapshot.computed_at
