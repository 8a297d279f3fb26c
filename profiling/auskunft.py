"""The profiling app's parts of the Auskunft (``cases.auskunft``): profilings with every rating (health,
addiction and debts included: the client is entitled to all of it), the Sozialanamnese and assessments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.auskunft import AuskunftPart, Rows, day, moment, register, text
from profiling.models import Assessment, Profiling, ProfilingRating, SocialHistory

if TYPE_CHECKING:
    from cases.models import Client


def _profilings(client: Client) -> Rows:
    rows = Profiling.objects.filter(case__client=client).order_by("profiled_on", "id")
    result = []
    for p in rows:
        category = p.get_category_display()
        if p.is_overridden:
            category = _("%(category)s (the rule gave: %(derived)s)") % {
                "category": category, "derived": p.get_derived_category_display()}
        result.append((day(p.profiled_on), category, text(p.override_reason), text(p.summary),
                       moment(p.confirmed_at)))
    return result


def _ratings(client: Client) -> Rows:
    rows = (ProfilingRating.objects.filter(profiling__case__client=client).select_related("profiling")
            .order_by("profiling__profiled_on", "profiling_id", "id"))
    return [(day(r.profiling.profiled_on), r.get_dimension_display(), r.get_rating_display(), text(r.note))
            for r in rows]


def _social_history(client: Client) -> Rows:
    result = []
    for history in SocialHistory.objects.filter(case__client=client).order_by("recorded_on", "id"):
        for name in SocialHistory.SECTIONS:
            value = getattr(history, name)
            if value:
                label = str(SocialHistory.section_label(name))
                result.append((day(history.recorded_on), label[:1].upper() + label[1:], value))
    return result


def _assessments(client: Client) -> Rows:
    rows = (Assessment.objects.filter(referral__case__client=client)
            .select_related("referral__offer__partner").order_by("referral__referred_on", "id"))
    result = []
    for a in rows:
        commissioned = f"{day(a.referral.referred_on)}, {a.referral.offer.partner.name}"
        outcome = text(a.result_summary)
        if a.has_result:
            outcome = _("received on %(day)s: %(summary)s") % {"day": day(a.result_on), "summary": outcome}
        report = _("report on file") if a.has_report else "–"
        result.append((commissioned, a.question, outcome, text(a.recommendations), report))
    return result


def register_parts() -> None:
    register(AuskunftPart("profilings", gettext_lazy("Profiling (strengths and weaknesses)"), [
        gettext_lazy("profiling date"), gettext_lazy("profile category"),
        gettext_lazy("reason for deviating from the rule"), gettext_lazy("overall assessment"),
        gettext_lazy("category set at"),
    ], _profilings, order=70, models=(Profiling,)))
    register(AuskunftPart("ratings", gettext_lazy("Ratings in the profiling"), [
        gettext_lazy("profiling date"), gettext_lazy("dimension"), gettext_lazy("rating"), gettext_lazy("remark"),
    ], _ratings, order=72, models=(ProfilingRating,)))
    register(AuskunftPart("social_history", gettext_lazy("Social history"), [
        gettext_lazy("date of the conversation"), gettext_lazy("area"), gettext_lazy("content"),
    ], _social_history, order=74, models=(SocialHistory,)))
    register(AuskunftPart("assessments", gettext_lazy("In-depth profiling / assessment"), [
        gettext_lazy("commissioned"), gettext_lazy("question for the assessment"), gettext_lazy("result"),
        gettext_lazy("recommendations"), gettext_lazy("report"),
    ], _assessments, order=76, models=(Assessment,)))
