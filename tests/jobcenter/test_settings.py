import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jobcenter.env import database_url_of, env_bool, parse_database_url

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # The app's own settings (manage.py's default), not the tests' (pytest-django exports DJANGO_SETTINGS_MODULE).
    drop = {"DATABASE_URL", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run([*MANAGE, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_database_url_parses_host_port_and_socket_directory():
    tcp = parse_database_url("DATABASE_URL", "postgresql://app:s%40cret@db.example:5433/anlauf")
    assert (tcp.user, tcp.password, tcp.host, tcp.port, tcp.name) == ("app", "s@cret", "db.example", "5433", "anlauf")
    sock = parse_database_url("DATABASE_URL", "postgres://postgres@/test?host=/run/pg&port=5432")
    assert (sock.host, sock.port, sock.name) == ("/run/pg", "5432", "test")


@pytest.mark.parametrize("url", ["postgresql://app:s%40cret@db.example:5433/anlauf", "postgresql://postgres@/test?host=/run/pg&port=5432",
                                 "postgresql://postgres@127.0.0.1/plain"])
def test_a_connection_is_handed_on_as_the_url_it_was_parsed_from(url):
    assert database_url_of(parse_database_url("DATABASE_URL", url).as_django()) == url


@pytest.mark.parametrize("bad", ["nonsense", "mysql://u@h/db", "postgresql://u@h:5432/"])
def test_a_database_url_that_is_not_postgresql_is_refused_with_a_message(bad):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url("DATABASE_URL", bad)


def test_a_boolean_setting_with_a_typo_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG='ture' is not a boolean"):
        env_bool("DJANGO_DEBUG", False)


def test_bad_database_url_stops_start_up_with_a_clear_message():
    result = _run({"DATABASE_URL": "nonsense", "DJANGO_DEBUG": "1"}, "check")
    assert result.returncode == 2
    assert "Configuration error: DATABASE_URL must be a PostgreSQL URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = _run({"DATABASE_URL": "postgresql://u@localhost/x", "DJANGO_DEBUG": "0"}, "check")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        "DATABASE_URL": "postgresql://app@db.internal:5432/anlaufstelle",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "k" * 10 + "Qw3rTy-ZxCv_8901uIoP7asdfGhJkL2mN4bV6cX0zLp9oIu8yT7rE6wQ5",
        "ALLOWED_HOSTS": "anlaufstelle.example.org",
    }
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
