"""Dashboard figures kept in the reporting store: one ``FigureSnapshot`` row per office and month holds every figure
of the dashboard (the ``Figures`` properties), computed by the same metric code as the monthly report, so the
dashboard reads one row instead of aggregating the office's records (about 0.8 s of SQL for 100,000 clients) on
every request.

When a snapshot is served (``dashboard_figures``), and how fresh it is:

* it was computed for the same reference day (``today``: a running month counts up to today) and in the current
  encoding (``FORMAT``), and
* nothing the figures read has changed since (the audit-trail positions of clients, cases, benefits, referrals,
  offers, plans and plan services, and the case reassignments: ``marks``, a few index lookups), or it is younger
  than ``settings.REPORTING_FIGURES_MAX_AGE`` seconds (default ``MAX_AGE``: 5 minutes; 0 serves only unchanged
  figures).

Otherwise the figures are computed from the records (the store refreshed first, as before) and the snapshot is
replaced. The page shows the time the figures were computed ("Stand: …"), so it never claims more freshness than
it has: at most ``MAX_AGE`` behind the records while staff work, exact when nothing changed. The nightly task
(``reporting.tasks.rebuild_reporting_stores``) computes every office's current month after rebuilding its store,
so the first view of the day is fast too. The monthly report and the drill-downs do not read snapshots: they
compute from the records, except two drill-downs through ``served_figure`` (the summed client-days of the average
clients, the number of open cases of the caseload): they then show the dashboard's number and walk their list page
by page instead of computing it whole. ``tests/reporting/test_snapshots.py`` checks that a snapshot decodes to
exactly the figures the records give.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from jobcenter.models import ContactPoint
from reporting.figures import Figures
from reporting.metrics import integrations, outcomes, plans, slices, transfers, workload
from reporting.models import FigureSnapshot
from reporting.periods import Month

FORMAT = 2  # bump when the encoded figures change shape: older snapshots are then recomputed
MAX_AGE = 300  # seconds a snapshot is served although records changed (settings.REPORTING_FIGURES_MAX_AGE)
PROPERTIES = ("quotes", "transfers", "caseload", "referrals", "costs", "plans", "sustainability", "cohorts")
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    integrations.QuoteFigures, integrations.QuoteSeries, transfers.EndedTransfers, workload.Caseload,
    workload.ReferralFigures, workload.CostFigures, plans.PlansSigned, outcomes.Sustainability, outcomes.CohortCell,
)}
# What the figures read, as audit-trail event models (pghistory) and plain tables whose rows are only added.
TRACKED = (("cases", "ClientEvent"), ("cases", "CaseEvent"), ("cases", "BenefitEntitlementEvent"),
           ("partners", "ReferralEvent"), ("partners", "OfferEvent"), ("integration_plans", "IntegrationPlanEvent"),
           ("integration_plans", "PlanServiceEvent"))
APPENDED = (("cases", "CaseReassignment"),)


def max_age() -> timedelta:
    return timedelta(seconds=getattr(settings, "REPORTING_FIGURES_MAX_AGE", MAX_AGE))


def marks() -> dict[str, int]:
    """The position of every table the figures read: the newest event (or row) id. One statement."""
    parts = []
    for app, name in TRACKED:
        model = apps.get_model(app, name)
        parts.append((name, model._meta.db_table, "pgh_id"))
    for app, name in APPENDED:
        model = apps.get_model(app, name)
        parts.append((name, model._meta.db_table, model._meta.pk.column))
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(max({column}), 0) FROM {table})"  # noqa: S608 - model names
                                for _name, table, column in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {name: int(value) for (name, _table, _column), value in zip(parts, row, strict=True)}


# --- encoding: the metric dataclasses as JSON, with the slices, months, decimals and dates they hold -----------
def encode(value: Any) -> Any:
    if isinstance(value, slices.Slice):
        return {"s": value.key}
    if isinstance(value, Month):
        return {"m": value.key}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):
        raise TypeError("figures hold dates, not datetimes")
    if isinstance(value, date):
        return {"t": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise TypeError(f"{name} is not a figure class")
        return {"c": name, "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        return {"k": [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"u": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in a figure snapshot")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "s" in value:
        return slices.SLICES[value["s"]]
    if "m" in value:
        return Month.parse(value["m"], Month(1990, 1))
    if "d" in value:
        return Decimal(value["d"])
    if "t" in value:
        return date.fromisoformat(value["t"])
    if "c" in value:
        return CLASSES[value["c"]](**{key: decode(item) for key, item in value["f"].items()})
    if "k" in value:
        return {_hashable(decode(key)): decode(item) for key, item in value["k"]}
    if "u" in value:
        return tuple(decode(item) for item in value["u"])
    raise ValueError(f"unknown figure encoding {sorted(value)}")


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# --- serving -----------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Served:
    figures: Figures
    computed_at: datetime
    from_snapshot: bool


def _load(office: ContactPoint, month: Month, snapshot: FigureSnapshot) -> Figures:
    figures = Figures(office=office, month=month, today=snapshot.today, refresh_store=False)
    for name in PROPERTIES:
        figures.__dict__[name] = decode(snapshot.data[name])  # what the cached_property would have computed
    return figures


def compute(office: ContactPoint, month: Month, today: date) -> Served:
    """Compute the figures from the records (the store refreshed first) and keep them as the month's snapshot.
    The positions are read before the figures, so a change made meanwhile makes the snapshot look changed; no
    transaction is held open while the figures are computed (the store's refresh locks the office only for itself).
    ``computed_at`` is the time the computation started: the figures are at least that fresh."""
    positions = marks()
    now = timezone.now()
    figures = Figures(office=office, month=month, today=today)
    data = {name: encode(getattr(figures, name)) for name in PROPERTIES}
    FigureSnapshot.objects.update_or_create(
        office=office, month=month.start,
        defaults={"today": today, "computed_at": now, "marks": {**positions, "format": FORMAT}, "data": data})
    return Served(figures, now, from_snapshot=False)


def _servable(snapshot: FigureSnapshot | None, today: date) -> bool:
    if snapshot is None or snapshot.today != today or snapshot.marks.get("format") != FORMAT:
        return False
    return timezone.now() - snapshot.computed_at < max_age() or {**marks(), "format": FORMAT} == snapshot.marks


def dashboard_figures(office: ContactPoint, month: Month, today: date) -> Served:
    """The figures of the dashboard: the snapshot when it may be served (module docstring), else computed."""
    snapshot = FigureSnapshot.objects.filter(office=office, month=month.start).first()
    if snapshot is not None and _servable(snapshot, today):
        return Served(_load(office, month, snapshot), snapshot.computed_at, from_snapshot=True)
    return compute(office, month, today)


def served_figure(office_id: int, month: Month, today: date, name: str) -> Any:
    """One figure of ``PROPERTIES`` (e.g. the ``QuoteSeries`` of "quotes") as the dashboard of ``month`` shows it
    now, when it would serve it from its snapshot; None otherwise (nothing is computed here). Drill-downs take the
    numbers they were opened from here: the summed client-days of the average clients, the open cases."""
    snapshot = FigureSnapshot.objects.filter(office_id=office_id, month=month.start).first()
    if snapshot is None or not _servable(snapshot, today):
        return None
    return decode(snapshot.data[name])
