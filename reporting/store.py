"""The reporting store: per client, the target-group history and the integrations, derived once and kept up to
date, so that the figures are sums over a few hundred thousand prepared rows instead of re-deriving every
client's history for every request (see the benchmark in README).

* ``GroupSpan`` – the days a client spent in each target group (and whether under 25), and the same cut to the
  days with an open case. A client's time is cut at every benefit start, the day after every benefit end and
  the 25th birthday; the target-group rule is ``cases.rules.target_group_on`` (in SQL: ``sql.group_case``).
* ``IntegrationRecord`` – the integrations, at most one per client and month, with their group.
* ``CaseIntake`` – every case of the office with the group and youth flag on its opening day and the client's
  first integration on or after it (the intake cohorts).

Up to date: before the figures are read, ``refresh`` recomputes the clients whose benefits, cases or client
record changed since the last refresh. Changes are found in the audit trail (the pghistory event tables written
by triggers for every insert, update and delete): a refresh costs a few index lookups when nothing changed.
Event ids are assigned when a transaction writes, not when it commits: ids below the last position that were not
visible yet (a transaction still open during the refresh) are remembered and looked at again on the next
refreshes, for up to an hour. ``rebuild`` (nightly, and the management command ``rebuild_reporting_store``)
recomputes everything.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from cases.rules import YOUTH_AGE_LIMIT
from reporting.metrics.sql import BENEFIT, CASE, CLIENT, base_params, group_case
from reporting.models import CaseIntake, GroupSpan, IntegrationRecord, StoreState

logger = logging.getLogger(__name__)

SPAN = GroupSpan._meta.db_table
INTEGRATION = IntegrationRecord._meta.db_table
INTAKE = CaseIntake._meta.db_table
PENDING_FOR = timedelta(hours=1)  # how long an unseen event id is waited for
FULL_REBUILD_SHARE = 0.2  # more changed clients than this share of the office (and than 500): rebuild it whole
FULL_REBUILD_MIN = 500


def _event_table(model: str) -> str:
    return str(apps.get_model("cases", f"{model}Event")._meta.db_table)


_CLIENTS = f"""
clients AS (
    SELECT id AS client_id, (birth_date + make_interval(years => {YOUTH_AGE_LIMIT}))::date AS adult_on
    FROM {CLIENT} WHERE contact_point_id = %(office)s AND (%(all)s OR id = ANY(%(dirty)s))
)
"""  # noqa: S608 - constants only; values are parameters

_SPANS_SQL = f"""
INSERT INTO {SPAN} (office_id, client_id, open_case, target_group, youth, span)
WITH {_CLIENTS},
benefit_spans AS (
    SELECT b.client_id, b.kind, daterange(b.start, b."end", '[]') AS span
    FROM {BENEFIT} b JOIN clients USING (client_id)
),
change_points AS (
    SELECT client_id, '-infinity'::date AS day FROM clients
    UNION SELECT client_id, adult_on FROM clients
    UNION SELECT client_id, lower(span) FROM benefit_spans
    UNION SELECT client_id, upper(span) FROM benefit_spans WHERE NOT upper_inf(span)
),
pieces AS (
    SELECT client_id, daterange(day, lead(day) OVER (PARTITION BY client_id ORDER BY day)) AS piece
    FROM change_points
),
grouped AS (
    SELECT p.client_id, p.piece,
           {group_case("coalesce(bool_or(b.kind = %(hlu)s), false)",
                       "coalesce(bool_or(b.kind = ANY(%(alg_alhi)s)), false)",
                       "coalesce(bool_or(b.kind = %(alhi)s), false)")} AS target_group,
           lower(p.piece) < c.adult_on AS youth
    FROM pieces p
    JOIN clients c USING (client_id)
    LEFT JOIN benefit_spans b ON b.client_id = p.client_id AND b.span && p.piece
    GROUP BY p.client_id, p.piece, c.adult_on
),
merged AS (
    SELECT client_id, target_group, youth, range_agg(piece) AS days
    FROM grouped GROUP BY client_id, target_group, youth
),
open_days AS (
    SELECT oc.client_id, range_agg(daterange(oc.opened_on, oc.closed_on, '[]')) AS days
    FROM {CASE} oc JOIN clients USING (client_id)
    WHERE oc.contact_point_id = %(office)s
    GROUP BY oc.client_id
)
SELECT %(office)s, m.client_id, false, m.target_group, m.youth, r
FROM merged m CROSS JOIN LATERAL unnest(m.days) AS r
UNION ALL
SELECT %(office)s, m.client_id, true, m.target_group, m.youth, r
FROM merged m JOIN open_days o USING (client_id) CROSS JOIN LATERAL unnest(m.days * o.days) AS r
"""  # noqa: S608 - constants only; values are parameters

_INTEGRATIONS_SQL = f"""
INSERT INTO {INTEGRATION} (office_id, client_id, day, month, case_id, benefit_id, target_group, youth)
WITH {_CLIENTS},
events AS (
    -- a recorded integration counts on its first working day, while the case is still in follow-up; a case
    -- closed as integrated without one (before follow-up existed) on the day it was closed
    SELECT c.client_id, coalesce(c.integrated_on, c.closed_on) AS day, 1 AS priority, c.id AS case_id,
           NULL::bigint AS benefit_id
    FROM {CASE} c JOIN clients USING (client_id)
    WHERE c.contact_point_id = %(office)s AND c.outcome = ANY(%(integration_outcomes)s)
      AND (c.integrated_on IS NOT NULL OR (c.status = %(closed)s AND c.closed_on IS NOT NULL))
    UNION ALL
    SELECT b.client_id, b."end", 2, NULL, b.id
    FROM {BENEFIT} b JOIN clients USING (client_id)
    WHERE b.end_reason = ANY(%(integration_reasons)s) AND b."end" IS NOT NULL
),
firsts AS (
    SELECT DISTINCT ON (e.client_id, date_trunc('month', e.day)) e.client_id, e.day, e.case_id, e.benefit_id
    FROM events e
    ORDER BY e.client_id, date_trunc('month', e.day), e.day, e.priority, e.case_id, e.benefit_id
)
SELECT %(office)s, f.client_id, f.day, date_trunc('month', f.day)::date, f.case_id, f.benefit_id,
       coalesce(g.target_group, 'none'), f.day < c.adult_on
FROM firsts f
JOIN clients c USING (client_id)
CROSS JOIN LATERAL (
    SELECT coalesce(
        (SELECT f.day WHERE EXISTS (
            SELECT 1 FROM {BENEFIT} ab WHERE ab.client_id = f.client_id AND ab.start <= f.day
              AND (ab."end" IS NULL OR ab."end" >= f.day))),
        (SELECT max(lb."end") FROM {BENEFIT} lb WHERE lb.client_id = f.client_id
            AND lb."end" < f.day AND lb."end" >= f.day - %(lookback)s)
    ) AS group_day
) gd
LEFT JOIN {SPAN} g ON g.office_id = %(office)s AND NOT g.open_case AND g.client_id = f.client_id
     AND g.span @> gd.group_day
"""  # noqa: S608 - constants only; values are parameters

# After the spans and the integrations: what the intake cohorts read of each case (reporting.metrics.outcomes).
_INTAKES_SQL = f"""
INSERT INTO {INTAKE} (office_id, case_id, client_id, opened_on, target_group, youth, integrated_on)
WITH {_CLIENTS}
SELECT %(office)s, c.id, c.client_id, c.opened_on, coalesce(g.target_group, 'none'), c.opened_on < cl.adult_on,
       (SELECT min(i.day) FROM {INTEGRATION} i
        WHERE i.office_id = %(office)s AND i.client_id = c.client_id AND i.day >= c.opened_on)
FROM {CASE} c
JOIN clients cl USING (client_id)
LEFT JOIN {SPAN} g ON g.office_id = %(office)s AND NOT g.open_case AND g.client_id = c.client_id
     AND g.span @> c.opened_on
WHERE c.contact_point_id = %(office)s
"""  # noqa: S608 - constants only; values are parameters


def _execute(sql: str, params: dict[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


EVENT_MODELS = {"benefit_events": "BenefitEntitlement", "case_events": "Case", "client_events": "Client"}
CLIENT_COLUMN = {"benefit_events": "client_id", "case_events": "client_id", "client_events": "pgh_obj_id"}


def _watermarks() -> dict[str, int]:
    marks = {}
    with connection.cursor() as cursor:
        for field, model in EVENT_MODELS.items():
            cursor.execute(f"SELECT coalesce(max(pgh_id), 0) FROM {_event_table(model)}")  # noqa: S608
            marks[field] = int(cursor.fetchone()[0])
    return marks


def _changes(state: StoreState, marks: dict[str, int]) -> tuple[set[int], dict[str, list[int]]]:
    """The clients with an audit event after the state's positions (or among its pending ids), in any office
    (a client who moved away must leave this office's store too), and the ids still not visible."""
    clients: set[int] = set()
    pending: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        for field, model in EVENT_MODELS.items():
            table, column = _event_table(model), CLIENT_COLUMN[field]
            old, new = getattr(state, field), marks[field]
            waiting = [int(i) for i in state.pending.get(field, [])]
            cursor.execute(
                f"SELECT DISTINCT {column} FROM {table} "  # noqa: S608 - names from the models
                "WHERE (pgh_id > %(old)s AND pgh_id <= %(new)s) OR pgh_id = ANY(%(waiting)s)",
                {"old": old, "new": new, "waiting": waiting})
            clients.update(int(row[0]) for row in cursor.fetchall())
            cursor.execute(
                f"SELECT g FROM (SELECT generate_series(%(old)s + 1, %(new)s) AS g "  # noqa: S608
                f"UNION SELECT unnest(%(waiting)s::bigint[])) ids "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} e WHERE e.pgh_id = ids.g)",
                {"old": old, "new": new, "waiting": waiting})
            pending[field] = sorted(int(row[0]) for row in cursor.fetchall())
    return clients, pending


def _compute(office_id: int, clients: list[int] | None) -> None:
    """Delete and recompute the rows of ``clients`` (None: every client) of the office."""
    params = base_params(office=office_id, all=clients is None, dirty=clients or [])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        where = "office_id = %(office)s AND (%(all)s OR client_id = ANY(%(dirty)s))"
        cursor.execute(f"DELETE FROM {INTAKE} WHERE {where}", params)  # noqa: S608
        cursor.execute(f"DELETE FROM {INTEGRATION} WHERE {where}", params)  # noqa: S608
        cursor.execute(f"DELETE FROM {SPAN} WHERE {where}", params)  # noqa: S608
    _execute(_SPANS_SQL, params)
    _execute(_INTEGRATIONS_SQL, params)
    _execute(_INTAKES_SQL, params)


def refresh(office_id: int) -> int:
    """Bring the office's store up to date; returns the number of clients recomputed (-1: rebuilt whole).
    Concurrent refreshes of one office wait for each other (row lock on its state)."""
    with transaction.atomic():
        state, _created = StoreState.objects.select_for_update().get_or_create(office_id=office_id)
        marks = _watermarks()
        pending: dict[str, list[int]]
        if state.built_at is None:
            _compute(office_id, None)
            recomputed, pending = -1, {}
            state.built_at = timezone.now()
        else:
            changed, pending = _changes(state, marks)
            recomputed = len(changed)
            if changed:
                if len(changed) > max(FULL_REBUILD_MIN, FULL_REBUILD_SHARE * _office_clients(office_id, changed)):
                    _compute(office_id, None)
                    recomputed = -1
                else:
                    _compute(office_id, sorted(changed))
        _save(state, marks, pending)
    return recomputed


def _office_clients(office_id: int, changed: set[int]) -> int:
    """The office's clients, counted only as far as the rebuild decision needs (more than ``changed`` ÷
    ``FULL_REBUILD_SHARE`` means a partial refresh), and read along the office's name index instead of a scan."""
    if len(changed) <= FULL_REBUILD_MIN:
        return 0  # a partial refresh whatever the office's size
    enough = int(len(changed) / FULL_REBUILD_SHARE) + 1
    clients = (apps.get_model("cases", "Client").objects.filter(contact_point_id=office_id)
               .order_by("last_name", "first_name").values("pk")[:enough])
    return int(clients.count())


def _save(state: StoreState, marks: dict[str, int], pending: dict[str, list[int]]) -> None:
    now = timezone.now()
    if not any(pending.values()):
        state.pending, state.pending_since = {}, None
    elif state.pending_since is not None and now - state.pending_since > PENDING_FOR:
        state.pending, state.pending_since = {}, None  # rolled back long ago; the nightly rebuild checks anyway
    else:
        state.pending, state.pending_since = pending, state.pending_since or now
    for field, value in marks.items():
        setattr(state, field, value)
    state.refreshed_at = now
    state.save()


def rebuild(office_id: int) -> None:
    """Recompute the office's store from scratch (nightly; after restoring data)."""
    with transaction.atomic():
        state, _created = StoreState.objects.select_for_update().get_or_create(office_id=office_id)
        marks = _watermarks()
        _compute(office_id, None)
        state.built_at = timezone.now()
        _save(state, marks, {})
