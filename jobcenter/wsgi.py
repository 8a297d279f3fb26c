"""The WSGI entry point (gunicorn in docker-compose.yml). Without ``DATABASE_URL`` it starts (or joins) the embedded
PostgreSQL; signal handling is left to the WSGI server (``handle_signals=False``)."""

import os

from django.core.wsgi import get_wsgi_application

from jobcenter import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
embedded.ensure_started(handle_signals=False)
application = get_wsgi_application()
