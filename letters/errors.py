"""The domain error of the letters app: a letter that cannot be printed, with a message fit for the user."""

from __future__ import annotations

from jobcenter.errors import DomainError


class LetterError(DomainError):
    """A letter (or a batch) that the rules do not allow to print, or a template that cannot be saved."""
