"""The domain error of the partners app: a broken rule, with a translated message fit for the user."""

from __future__ import annotations

from jobcenter.errors import DomainError


class PartnerError(DomainError):
    """A broken rule of partners, offers, referrals or vacancies."""


class OfferFullError(PartnerError):
    """Accepting or starting a referral would overbook the offer; the waiting list is the way out."""
