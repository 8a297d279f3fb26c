"""Domain errors of help plans: a broken rule, with a translated message fit for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobcenter.errors import DomainError

if TYPE_CHECKING:
    from integration_plans.rules import Problem


class PlanError(DomainError):
    """A broken rule of help plans, checks or hearings."""


class FinaliseRefused(PlanError):
    """The plan is not complete; ``problems`` names every missing item (and where the editor marks it)."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class EditConflict(PlanError):
    """Someone saved the plan since the form was opened (optimistic locking); ``current`` is the edit counter now."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current
