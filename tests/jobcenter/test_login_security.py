import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _attempt(client, password: str):
    return client.post(reverse("login"), {"username": "bea", "password": password})


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, office):
    UserFactory(username="bea", password="richtig-und-lang", offices=[office])
    for _ in range(4):
        assert _attempt(client, "falsch").status_code == 200
    assert _attempt(client, "falsch").status_code == 429  # the fifth failure locks
    locked = _attempt(client, "richtig-und-lang")
    assert locked.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in locked.content.decode()


def test_a_successful_login_resets_the_failure_count(client, office):
    UserFactory(username="bea", password="richtig-und-lang", offices=[office])
    for _ in range(4):
        _attempt(client, "falsch")
    assert _attempt(client, "richtig-und-lang").status_code == 302
    client.logout()
    for _ in range(4):
        _attempt(client, "falsch")
    assert _attempt(client, "richtig-und-lang").status_code == 302


def test_pages_carry_a_strict_content_security_policy(fm_client):
    policy = fm_client.get(reverse("home")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_session_expires_after_inactivity_and_slides_with_use(fm_client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    fm_client.get(reverse("home"))
    session = Session.objects.get(session_key=fm_client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)  # renewed by the request

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = fm_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_expiry_slides_at_most_once_a_minute_not_with_a_write_per_request(fm_client):
    import time
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jobcenter.staff import SESSION_RENEWED_KEY

    assert fm_client.get(reverse("home")).status_code == 200  # renews: the login did not
    key = fm_client.session.session_key
    soon = timezone.now() + timedelta(minutes=10)
    Session.objects.filter(pk=key).update(expire_date=soon)
    with CaptureQueriesContext(connection) as queries:
        assert fm_client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if 'UPDATE "django_session"' in q["sql"]]
    assert Session.objects.get(pk=key).expire_date == soon  # renewed a moment ago: left alone

    session = fm_client.session
    session[SESSION_RENEWED_KEY] = int(time.time()) - 61  # the last renewal a minute ago
    session.save()
    Session.objects.filter(pk=key).update(expire_date=soon)
    assert fm_client.get(reverse("home")).status_code == 200
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_log_out_everywhere_ends_the_sessions_on_other_devices(fallmanager):
    from django.test import Client

    laptop, phone = Client(), Client()
    laptop.force_login(fallmanager)
    phone.force_login(fallmanager)
    assert phone.get(reverse("home")).status_code == 200
    response = laptop.post(reverse("logout_everywhere"))
    assert response["Location"] == reverse("login")
    ended = phone.get(reverse("home"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("home")).status_code == 302
    # a fresh login works again
    assert phone.post(reverse("login"), {"username": "fallmanager", "password": "pw-for-tests"}).status_code == 302
    assert phone.get(reverse("home")).status_code == 200
