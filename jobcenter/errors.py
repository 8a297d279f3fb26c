"""The one domain error: a broken business rule, with a message fit for the user.

Every app's errors (``cases.services.*Error``, ``partners.errors``, ``profiling.errors``, ``integration_plans.errors``,
``reporting.services.ReportingError``, ``partners.rules.PayingRuleError``, ``jobcenter.documents.DocumentError``)
subclass it and add nothing but a name (or extra data, e.g. ``IntakeError.matches``). A service raises it; a view
shows it with ``jobcenter.shortcuts.refuse``: at the form field it names, above the form, or as a message.
Modelled on HackSoftware's Django-Styleguide-Example ``core/exceptions.py`` (``ApplicationError``).
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """``message`` is translated and shown as it is; ``field`` names the form field it belongs to (None: the whole
    form or the page). The field is attached in one way only: the keyword ``field=``."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message: str = str(message)
        self.field: str | None = field
