"""The Celery app. Configuration comes from Django settings (``CELERY_*``); the periodic schedule is in code
(``CELERY_BEAT_SCHEDULE``) and copied by django-celery-beat into the database for administrators."""

from __future__ import annotations

import os

from celery import Celery, signals

from jobcenter import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")

app = Celery("jobcenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.import_modules.connect
def _start_embedded_database(sender: Celery, **kwargs: object) -> None:
    """``celery worker`` and ``celery beat`` (entry points of their own) start or join the embedded PostgreSQL
    when no ``DATABASE_URL`` is set, before they import the task modules; Celery handles the signals itself."""
    if sender is app:
        embedded.ensure_started(handle_signals=False)


@signals.worker_ready.connect
def _heartbeat_on_start(sender: object = None, **kwargs: object) -> None:
    """A starting worker sends itself a heartbeat task, so ``/readyz`` sees it within seconds instead of waiting
    for beat's first five-minute heartbeat; a broker that refuses the message only delays that."""
    import uuid

    try:
        app.send_task("jobcenter.tasks.record_worker_heartbeat", kwargs={"token": f"start-{uuid.uuid4().hex}"})
    except Exception:  # noqa: S110 - the periodic heartbeat follows anyway
        pass
