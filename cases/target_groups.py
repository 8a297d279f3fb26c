"""The maintained target group of each client (``Client.current_target_group``): today's value of
``cases.rules.target_group_on``, kept in the client row so that lists filter, sort and show it from an index instead
of deriving it from the benefits on every request.

Who writes it:

* the database trigger ``cases_benefit_target_group`` on ``cases_benefitentitlement`` (migration
  ``cases/0008_list_indexes_target_group``): every insert, update or delete of a benefit, by a service, the admin,
  a data import or a test, rewrites the client's value in the same transaction, from the SQL function
  ``cases_target_group_on(client_id, day)`` (the rule of ``target_group_on`` in SQL);
* the trigger ``cases_client_target_group`` on ``cases_client``: any update of a client row (a save from the app
  writes every column, perhaps with a value read before a benefit changed) sets the value afresh;
* ``refresh_target_groups`` below, run nightly by the beat entry ``refresh-target-groups``
  (``cases.tasks.refresh_target_groups``): a benefit that starts or ends changes the group without any write, only
  because the date moved on. The refresh is one set-based ``UPDATE`` over all clients; it changes only rows whose
  value differs, so running it twice changes nothing the second time. Bulk loads that switch triggers off
  (``seed_reporting_bench``) call it afterwards.

The value is today's in the time zone of the app (``settings.TIME_ZONE``). The reports never read it: they derive the
group for past days themselves (``reporting.metrics``).
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

# The rule of ``cases.rules.target_group_on`` over the benefits running on %(day)s, per client; clients without such
# a benefit get 'none'. Kept equal to the SQL function ``cases_target_group_on`` of the migration.
REFRESH_SQL = """
    UPDATE cases_client c SET current_target_group = g.target_group
    FROM (
        SELECT c2.id, coalesce(b.target_group, 'none') AS target_group
        FROM cases_client c2
        LEFT JOIN (
            SELECT client_id,
                   CASE WHEN bool_or(kind = 'hlu') AND bool_or(kind IN ('alg', 'alhi')) THEN 'kombi'
                        WHEN bool_or(kind = 'hlu') THEN 'hlu'
                        WHEN bool_or(kind = 'alhi') THEN 'alhi'
                        ELSE 'none' END AS target_group
            FROM cases_benefitentitlement
            WHERE start <= %(day)s AND ("end" IS NULL OR "end" >= %(day)s)
            GROUP BY client_id
        ) b ON b.client_id = c2.id
    ) g
    WHERE c.id = g.id AND c.current_target_group <> g.target_group
"""


def refresh_target_groups() -> int:
    """Set every client's ``current_target_group`` to today's value; returns the number of clients changed."""
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL, {"day": timezone.localdate()})
        return cursor.rowcount

