"""Recording the Sozialanamnese of a case: one per case, changed over time (pghistory keeps every version)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from profiling.errors import ProfilingError
from profiling.models import SocialHistory
from profiling.services.common import locked_case, require_sensitive_access, start_profiling

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


@dataclass(frozen=True)
class SocialHistoryInput:
    recorded_on: date
    household: str = ""
    housing: str = ""
    health: str = ""
    debts: str = ""
    addiction: str = ""
    biography: str = ""

    def sections(self) -> dict[str, str]:
        return {name: value.strip() for name, value in asdict(self).items() if name in SocialHistory.SECTIONS}


@transaction.atomic
def save_social_history(*, case: Case, data: SocialHistoryInput, by: User) -> SocialHistory:
    """Create or update the case's Sozialanamnese. Only the assigned case manager and the Teamleitung may write
    it (who may not read it cannot write it either). A case still in intake moves to "profiling"."""
    locked = locked_case(case)
    require_sensitive_access(by, locked)
    sections = data.sections()
    if not any(sections.values()):
        raise ProfilingError(_("Fill in at least one section of the social history."))
    if data.recorded_on > timezone.localdate():
        raise ProfilingError(_("The conversation cannot be dated in the future."), field="recorded_on")
    if data.recorded_on < locked.opened_on:
        raise ProfilingError(_("The conversation cannot be dated before the case was opened."), field="recorded_on")
    with pghistory.context(user=by.pk):
        history = SocialHistory.objects.select_for_update().filter(case=locked).first()
        if history is None:
            history = SocialHistory.objects.create(
                case=locked, recorded_on=data.recorded_on, recorded_by=by, updated_by=by, **sections
            )
        else:
            for name, value in sections.items():
                setattr(history, name, value)
            history.recorded_on = data.recorded_on
            history.updated_by = by
            history.save()
    start_profiling(locked, by=by)
    return history
