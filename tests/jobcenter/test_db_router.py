"""The replica router (``jobcenter/db_router.py``) without a replica: everything on the primary. The reporting views
are the ones marked for the replica; with a real standby: tests/deployed/test_database_cluster.py."""

from __future__ import annotations

from django.urls import resolve, reverse

from cases.models import Client
from jobcenter import db_router


def test_without_a_replica_every_read_goes_to_the_primary() -> None:
    assert not db_router.configured() and not db_router.replica_usable()
    with db_router.reading_from_replica() as alias:
        assert alias == "default"
        assert Client.objects.all().db == "default"
    assert db_router.ReplicaRouter().db_for_write(Client) == "default"
    assert db_router.ReplicaRouter().allow_migrate("replica", "cases") is False


def test_the_reports_and_only_they_read_from_the_replica() -> None:
    marked: dict[str, tuple[str, ...]] = {"reporting:dashboard": (), "reporting:drilldown": ("quote",),
                                          "reporting:export_table": ("quote",), "reporting:carrier_flows": ()}
    for name, args in marked.items():
        assert getattr(resolve(reverse(name, args=args)).func, "reads_from_replica", False), name
    for name in ("reporting:report_request", "reporting:programme", "home"):
        assert not getattr(resolve(reverse(name)).func, "reads_from_replica", False), name
