"""The domain error of the profiling app: a broken rule, with a translated message fit for the user."""

from __future__ import annotations


class ProfilingError(Exception):
    """``message`` is translated and can be shown as it is; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
