"""The deployed stack (marker ``deployed``): real gunicorn, Celery worker and beat processes started from the
entry points in ``scripts/``, with production settings; see ``tests/deployed/stack.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User

from tests.deployed.stack import Stack

# The browser is a session fixture of tests/conftest.py; the demo, the axe gate and its hook come from the journeys' conftest.
from tests.e2e.conftest import demo, pytest_runtest_call  # noqa: F401
from tests.e2e.test_plans_journey import profiled_case  # noqa: F401


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/deployed/" in str(item.fspath):
            item.add_marker(pytest.mark.deployed)


def production_passwords(*usernames: str, password: str = "anlaufstelle-demo") -> None:
    """The test settings hash with MD5 for speed; the deployed processes only know the production hashers."""
    hasher = PBKDF2PasswordHasher()
    for username in usernames:
        User.objects.filter(username=username).update(
            password=hasher.encode(password, hasher.salt(), iterations=1000))


@pytest.fixture
def stack(tmp_path, redis_url) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """A deployment against the test database (committed: the test uses ``transactional_db``) and Redis; every
    process still running at the end is stopped."""
    from tests.conftest import _database_url

    deployment = Stack(database_url=_database_url(), redis_url=redis_url, workdir=tmp_path / "stack")
    try:
        yield deployment
    finally:
        for name in list(deployment.processes):
            try:
                deployment.stop(name)
            except AssertionError:
                pass
