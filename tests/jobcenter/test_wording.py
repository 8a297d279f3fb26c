"""Unambiguous German for staff (issue 14, point 9): "Eingestellt" no longer means both "hired" and "benefits
stopped", a referral heading does not read as if the client were commissioned, no "profilen" jargon."""

from __future__ import annotations

import gettext as gnu_gettext
import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from partners.models import ProposalResult


@pytest.fixture(autouse=True)
def _german():  # type: ignore[no-untyped-def]
    with translation.override("de"):
        yield


def test_a_hire_reads_as_taking_up_work():
    assert str(ProposalResult.HIRED.label) == "Arbeit aufgenommen"
    assert gettext("Hired as %(title)s at %(employer)s (placement proposal of %(date)s).").startswith(
        "Arbeit aufgenommen als")


def test_eingestellt_only_ever_means_that_a_benefit_was_stopped():
    with open(settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalog = gnu_gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]  # msgid -> msgstr
    texts = [(str(msgid), str(msgstr)) for msgid, msgstr in catalog.items()]
    assert any(msgid == "Ended transfer payments" for msgid, _ in texts)  # the catalog was read
    hired = [msgid for msgid, msgstr in texts if re.search(r"\bhire", msgid, re.I)
             and re.search(r"\beingestellt", msgstr, re.I)]
    assert hired == []


def test_a_referral_is_for_the_client_and_profiling_is_recorded():
    assert gettext("Refer %(name)s") % {"name": "Käthe Müller"} == "Beauftragung für Käthe Müller"
    assert gettext("Profile again") == "Neues Profiling erfassen"
