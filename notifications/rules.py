"""What a notification may say, decided without the database (unit-tested in ``tests/notifications``).

A subject is a name and a number (``"Müller, Käthe · Fall 17"``) or a month; the sentence comes from the kind.
The callers build subjects only from a client's name and ids (``subject_for``), never from free text;
``check_subject`` is the last guard against a caller handing over figures: an amount or a currency is refused with
a ``ValueError`` (a programming error, not something a user can cause). Words are not screened: a name may contain
anything ("Krankl"), and a rule that refused it would stop the assignment it belongs to.
"""

from __future__ import annotations

import re

SUBJECT_MAX = 120

# A currency or an amount with a decimal comma ("312,50"); dates ("12.05.2003") and numbers ("Fall 17") pass.
_FORBIDDEN = re.compile(r"(€|\bEUR\b|\d,\d{2}\b)")


def check_subject(subject: str) -> str:
    """The subject, stripped and cut to the column; ``ValueError`` if it carries an amount."""
    text = " ".join(subject.split())
    if not text:
        raise ValueError("a notification needs a subject (a name and a number)")
    match = _FORBIDDEN.search(text)
    if match:
        raise ValueError(f"a notification's subject must not carry content ({match.group(0)!r})")
    return text[:SUBJECT_MAX]


def check_url(url: str) -> str:
    """A path inside the application (never another host): the page behind it checks the permissions."""
    if not url.startswith("/") or url.startswith("//") or len(url) > 300:
        raise ValueError(f"a notification links to a path of this application, not {url!r}")
    return url


def subject_for(name: str, reference: str = "") -> str:
    """``"Müller, Käthe · Fall 17"``: a client's name (``str(client)``) and what the notification is about."""
    return check_subject(f"{name} · {reference}" if reference else name)
