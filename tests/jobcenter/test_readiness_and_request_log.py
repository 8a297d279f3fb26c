"""``/readyz`` (database, broker, worker heartbeat, migrations) and the JSON request log (no client data)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobcenter.models import WorkerHeartbeat
from jobcenter.request_log import JsonFormatter
from tests.cases.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """The lines of the ``jobcenter.requests`` logger, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jobcenter.requests")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_healthz_stays_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200


def test_readyz_is_200_with_every_check_fine(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    WorkerHeartbeat.objects.create(hostname="worker-1", token="t-1")
    response = client.get(reverse("readyz"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker", "migrations"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_is_503_without_a_recent_worker_heartbeat(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    WorkerHeartbeat.objects.all().delete()  # one a worker of an earlier test committed
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}
    old = WorkerHeartbeat.objects.create(hostname="worker-1", token="t-old")
    WorkerHeartbeat.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_readyz_is_503_when_the_broker_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    WorkerHeartbeat.objects.create(hostname="worker-1", token="t-1")
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False
    assert checks["database"]["ok"] is True and checks["migrations"]["ok"] is True


def test_readyz_names_pending_migrations(client, settings):
    settings.REDIS_URL = ""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    newest = recorder.migration_qs.filter(app="jobcenter").order_by("-id").first()
    assert newest is not None
    name = newest.name
    newest.delete()  # rolled back with the test's transaction
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 pending"}
    recorder.record_applied("jobcenter", name)


def test_one_json_line_per_request_without_client_data(fm_client, fallmanager, office, request_log):
    client_row = ClientFactory(contact_point=office, last_name="Zwiebelhuber")
    response = fm_client.get(reverse("cases:client_list"), {"q": "Zwiebelhuber"})
    assert response.status_code == 200
    detail = fm_client.get(reverse("cases:client_detail", args=[client_row.pk]) + "?tab=Zwiebelhuber")
    assert detail.status_code == 200
    text = request_log.getvalue()
    assert "Zwiebelhuber" not in text
    assert f"/{client_row.pk}/" not in text
    lines = _lines(request_log)
    assert len(lines) == 2
    first, second = lines
    assert first["route"] == "cases:client_list" and second["route"] == "cases:client_detail"
    assert first["user_id"] == fallmanager.pk and first["method"] == "GET" and first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["request_id"] == response["X-Request-ID"]
    assert first["request_id"] != second["request_id"]


def test_a_sane_incoming_request_id_is_honoured_and_a_strange_one_replaced(client, request_log):
    kept = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="proxy-4f2a.17")
    assert kept["X-Request-ID"] == "proxy-4f2a.17"
    for strange in ("<script>", "a" * 65, "id with spaces", "Müller"):
        replaced = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=strange)
        assert replaced["X-Request-ID"] != strange
        assert len(replaced["X-Request-ID"]) == 32
    lines = _lines(request_log)
    assert lines[0]["request_id"] == "proxy-4f2a.17" and lines[0]["user_id"] is None
    assert "Müller" not in request_log.getvalue() and "<script>" not in request_log.getvalue()


@override_settings(DEBUG=False)
def test_a_path_nothing_matches_logs_no_route(client, request_log):
    assert client.get("/gibt-es-nicht/Zwiebelhuber").status_code in (302, 404)
    line = _lines(request_log)[-1]
    assert line["route"] is None
    assert "Zwiebelhuber" not in request_log.getvalue()
