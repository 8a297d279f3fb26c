"""Writes of the partners app, one module per area: ``registry`` (partners, offers, CSV import),
``referrals`` (consent, referrals, feedback) and ``placement`` (vacancies, employer contacts, proposals)."""
