"""Run as a process of the deployment (production settings from the environment) by test_database_cluster.py:

* ``seed N``: N clients more on the primary (a small data set the figures count);
* ``figures``: the reporting reads as the dashboard makes them (``reading_from_replica``): which database they went
  to, whether it is a standby, the number of clients seen there and on the primary; one JSON line.
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
django.setup()

from django.db import DEFAULT_DB_ALIAS, connections  # noqa: E402

from cases.models import Client  # noqa: E402
from jobcenter.db_router import reading_from_replica  # noqa: E402


def main(action: str, *args: str) -> None:
    if action == "seed":
        from jobcenter.models import ContactPoint
        from tests.cases.factories import ClientFactory
        from tests.factories import ContactPointFactory

        office = ContactPoint.objects.order_by("pk").first() or ContactPointFactory()  # sequences restart per run
        ClientFactory.create_batch(int(args[0]), contact_point=office)
        return
    with reading_from_replica():
        clients = Client.objects.all()
        alias = clients.db
        seen = clients.count()
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            in_recovery = bool(cursor.fetchone()[0])
    primary = Client.objects.using(DEFAULT_DB_ALIAS).count()
    print(json.dumps({"alias": alias, "in_recovery": in_recovery, "clients": seen, "primary": primary}))


if __name__ == "__main__":
    main(*sys.argv[1:])
