"""Every URL with an object id answers 404 for an object of another contact point."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.models import ReferralStatus
from tests.helpers import assert_other_office_refused
from tests.profiling.factories import AssessmentFactory, SocialHistoryFactory, make_profiling

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds(case, other_case, fallmanager, fallmanager_other_office):  # type: ignore[no-untyped-def]
    own = {"case": case, "profiling": make_profiling(case, fallmanager, german="need"),
           "assessment": AssessmentFactory(referral__case=case, referral__status=ReferralStatus.ACCEPTED)}
    other = {"case": other_case, "profiling": make_profiling(other_case, fallmanager_other_office, debts="need"),
             "assessment": AssessmentFactory(referral__case=other_case, referral__status=ReferralStatus.ACCEPTED)}
    SocialHistoryFactory(case=case, recorded_by=fallmanager)
    SocialHistoryFactory(case=other_case, recorded_by=fallmanager_other_office)
    return own, other


@pytest.mark.parametrize(("name", "kind"), [
    ("profiling:case_profilings", "case"),
    ("profiling:profiling_create", "case"),
    ("profiling:profiling_detail", "profiling"),
    ("profiling:profiling_confirm", "profiling"),
    ("profiling:social_history", "case"),
    ("profiling:social_history_edit", "case"),
    ("profiling:assessment_create", "case"),
    ("profiling:assessment_detail", "assessment"),
    ("profiling:assessment_result", "assessment"),
    ("profiling:assessment_report", "assessment"),
])
def test_other_office_is_refused(fm_client, worlds, name, kind):
    own, other = worlds
    own_url = reverse(name, args=[own[kind].pk])
    post_only = name in ("profiling:profiling_confirm", "profiling:assessment_result")
    assert_other_office_refused(fm_client, reverse(name, args=[other[kind].pk]),
                                own_url=None if post_only else own_url)
    if post_only:
        assert fm_client.post(own_url, {}).status_code not in (403, 404)
