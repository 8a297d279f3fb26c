"""The test factories themselves: staff names can never meet a client's random name."""

from __future__ import annotations

from faker.providers.person.de_DE import Provider

from tests.factories import STAFF_FIRST_NAMES, STAFF_LAST_NAMES


def test_staff_names_share_no_word_with_the_names_clients_are_drawn_from() -> None:
    faker_names = " ".join([*Provider.first_names, *Provider.last_names])
    # substrings too: a check for "Ott" must not meet a staff member called "Otto", nor "Otto" a "Ottokar"
    clashes = [name for name in (*STAFF_FIRST_NAMES, *STAFF_LAST_NAMES)
               if name in faker_names or any(word in name for word in faker_names.split())]
    assert clashes == []
