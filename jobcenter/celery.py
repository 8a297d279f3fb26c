"""The Celery app. Configuration comes from Django settings (``CELERY_*``); the periodic schedule is in code
(``CELERY_BEAT_SCHEDULE``) and copied by django-celery-beat into the database for administrators."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")

app = Celery("jobcenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
