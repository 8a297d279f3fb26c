"""The partners app's part of the retention rule (``cases.retention``): when a client is anonymised, the free
texts of releases from confidentiality, referrals, partner feedback and placement proposals go (in the rows and
their audit-trail copies). Partners, offers, dates, statuses, costs, paying agencies and the categories of data
passed on stay (the disclosure log and the cost statistics)."""

from __future__ import annotations

from cases.retention import RetentionPolicy
from partners.models import Consent, PlacementProposal, Referral, ReferralFeedback

POLICIES = (
    RetentionPolicy("consents", Consent, "client_id", {"scope": ""}),
    RetentionPolicy("referrals", Referral, "case__client_id", {"purpose": "", "paying_override_reason": ""}),
    RetentionPolicy("feedback", ReferralFeedback, "referral__case__client_id", {"text": ""}),
    RetentionPolicy("proposals", PlacementProposal, "case__client_id", {"note": ""}),
)
