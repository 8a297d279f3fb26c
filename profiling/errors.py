"""The domain error of the profiling app: a broken rule, with a translated message fit for the user."""

from __future__ import annotations

from jobcenter.errors import DomainError


class ProfilingError(DomainError):
    """A broken rule of profilings, the Sozialanamnese or assessments."""
