"""Settings for the test run: the app's settings (``jobcenter/settings.py``) plus what only tests need.

pytest-django uses this module (``DJANGO_SETTINGS_MODULE`` in pyproject.toml) and puts it in the environment, so
the Celery workers and ``manage.py`` processes the tests start use it too. The tests run with ``DJANGO_DEBUG`` off,
as production does; ``DATABASE_URL`` and ``REDIS_URL`` work as for the app (unset: the embedded default, started
by the test run itself in ``tests/conftest.py``).
"""

from __future__ import annotations

import os

# The app's settings refuse to load without a secret key and host names when debugging is off. The tests sign
# nothing that outlives them, so a fixed key serves; both go into the environment before the app's settings read
# it (and so reach the processes the tests start).
if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
    os.environ["SECRET_KEY"] = "test-only-" + "not-a-secret-" * 4
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from jobcenter.env import env_bool  # noqa: E402
from jobcenter.settings import *  # noqa: E402, F403
from jobcenter.settings import STORAGES  # noqa: E402

TESTING = True

# Hashing passwords for thousands of test users with PBKDF2 would dominate the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files straight from the app directories: no `collectstatic` manifest is built for tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
