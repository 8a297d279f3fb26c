"""Recording a profiling and setting its category (see ``profiling.rules`` for the category rule and
``profiling.services.common`` for the status moves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from cases.services.cases import CaseError, set_segment
from profiling.errors import ProfilingError
from profiling.models import Profiling, ProfilingRating
from profiling.rules import (
    DIMENSIONS,
    SEGMENT_OF_CATEGORY,
    Dimension,
    IncompleteProfiling,
    ProfileCategory,
    derive_category,
    notes_missing,
    override_needs_reason,
)
from profiling.services.common import locked_case, move_case, start_profiling

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


@dataclass(frozen=True)
class RatingInput:
    dimension: str
    rating: str
    note: str = ""


@transaction.atomic
def record_profiling(
    *,
    case: Case,
    ratings: Sequence[RatingInput],
    by: User,
    profiled_on: date | None = None,
    summary: str = "",
) -> Profiling:
    """Save a dated profiling with one rating per dimension; the rule derives the category. A case still in
    intake moves to "profiling"."""
    locked = locked_case(case)
    today = timezone.localdate()
    profiled_on = profiled_on or today
    if profiled_on > today:
        raise ProfilingError(_("A profiling cannot be dated in the future."), field="profiled_on")
    if profiled_on < locked.opened_on:
        raise ProfilingError(_("A profiling cannot be dated before the case was opened."), field="profiled_on")
    by_dimension = {item.dimension: item for item in ratings}
    if len(by_dimension) != len(ratings):
        raise ProfilingError(_("Every dimension is rated exactly once."))
    try:
        decision = derive_category({d: item.rating for d, item in by_dimension.items()})
    except IncompleteProfiling as error:
        raise ProfilingError(_("Rate every dimension before saving the profiling.")) from error
    undescribed = notes_missing((d, item.rating, item.note) for d, item in by_dimension.items())
    if undescribed:
        raise ProfilingError(
            _("Describe each need and obstacle in a short note: %(dimensions)s.")
            % {"dimensions": ", ".join(str(Dimension(d).label) for d in undescribed)}
        )
    with pghistory.context(user=by.pk):
        profiling = Profiling.objects.create(
            case=locked, profiled_on=profiled_on, summary=summary.strip(), derived_category=decision.category,
            category=decision.category, recorded_by=by,
        )
        ProfilingRating.objects.bulk_create(
            ProfilingRating(profiling=profiling, dimension=d, rating=by_dimension[d].rating,
                            note=by_dimension[d].note.strip())
            for d in DIMENSIONS
        )
    start_profiling(locked, by=by)
    return profiling


def latest_of_case(case_id: int) -> Profiling | None:
    return Profiling.objects.filter(case_id=case_id).order_by("-profiled_on", "-id").first()


@transaction.atomic
def confirm_category(
    *, profiling: Profiling, category: str, by: User, reason: str = "", apply_segment: bool = True
) -> Profiling:
    """Set the category of the case's latest profiling: the rule's, or another one with a written reason (kept
    and shown). Optionally takes over the proposed customer segment. A case in "profiling" moves to "planning"."""
    locked = Profiling.objects.select_for_update(of=("self",)).get(pk=profiling.pk)
    case = locked_case(locked.case)
    if locked.is_confirmed:
        raise ProfilingError(_("The category of this profiling has already been set. Record a new profiling to "
                               "change it."))
    latest = latest_of_case(case.pk)
    if latest is None or latest.pk != locked.pk:
        raise ProfilingError(_("Only the category of the latest profiling can be set."))
    if category not in ProfileCategory.values:
        raise ProfilingError(_("Unknown profile category."), field="category")
    reason = reason.strip()
    if override_needs_reason(locked.derived_category, category):
        if not reason:
            raise ProfilingError(
                _("Give a reason for deviating from the category the rule proposes (%(category)s).")
                % {"category": ProfileCategory(locked.derived_category).label},
                field="reason",
            )
    else:
        reason = ""
    locked.category = category
    locked.override_reason = reason
    locked.confirmed_at = timezone.now()
    locked.confirmed_by = by
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["category", "override_reason", "confirmed_at", "confirmed_by"])
    if apply_segment:
        try:
            case = set_segment(case=case, segment=SEGMENT_OF_CATEGORY[category], by=by)
        except CaseError as error:  # pragma: no cover - the segment comes from our own mapping
            raise ProfilingError(error.message) from error
    move_case(case, from_status=CaseStatus.PROFILING, to_status=CaseStatus.PLANNING, by=by)
    return locked
