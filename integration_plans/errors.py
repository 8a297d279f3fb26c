"""Domain errors of help plans: a broken rule, with a translated message fit for the user."""

from __future__ import annotations


class PlanError(Exception):
    """``message`` is translated and can be shown as it is; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class FinaliseRefused(PlanError):
    """The plan is not complete; ``problems`` names every missing item."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class EditConflict(PlanError):
    """Someone saved the plan since the form was opened (optimistic locking); ``current`` is the edit counter now."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current
