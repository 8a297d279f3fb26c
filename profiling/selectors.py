"""Reads of the profiling app: profilings with their ratings, the comparison, the offer proposals (also read by
``integration_plans``), the client-page overview, the start-page worklists, assessments and the read audit.

The sensitive dimensions (health, debts, addiction: rating and remark) are masked here, before they reach a
template, for readers who are neither the case's assigned case manager nor a Teamleitung
(``cases.need_to_know``): their rows say "confidential", and the category reasons, the comparison and the offer
proposals such a reader sees are computed without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as CaseWhen
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, Client
from cases.need_to_know import can_see_sensitive
from jobcenter.models import AccessRecord, ContactPoint
from jobcenter.roles import Role
from partners.models import Consent, PartnerKind
from profiling.models import Assessment, OfferSuggestion, Profiling, ProfilingRating, SocialHistory
from profiling.rules import (
    DIMENSIONS,
    PROBLEM_RATINGS,
    SENSITIVE_DIMENSIONS,
    CategoryDecision,
    Comparison,
    Dimension,
    ProfileCategory,
    Rating,
    compare,
    derive_category,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# --- proposals (the interface for integration plans) --------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    """An integration offer the latest profiling suggests: for ``dimension`` rated ``rating`` (need or
    obstacle), an offer of the partners category ``offer_category`` titled ``title``; ``reason`` says why."""

    dimension: str
    rating: str
    offer_category: str  # a partners.models.PartnerKind value (an Offer.category)
    title: str
    reason: str

    @property
    def dimension_label(self) -> str:
        return str(Dimension(self.dimension).label)

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label)

    @property
    def offer_category_label(self) -> str:
        return str(PartnerKind(self.offer_category).label)


def proposals_for(ratings: Mapping[str, str]) -> list[Proposal]:
    """Offer proposals for ``{dimension: rating}`` from the administrator's mapping (one query): obstacles first,
    then needs, each in the order of the dimensions."""
    problems = {d: r for d, r in ratings.items() if r in PROBLEM_RATINGS}
    if not problems:
        return []
    suggestions = OfferSuggestion.objects.filter(active=True, dimension__in=problems).order_by("position", "id")
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    result = []
    for suggestion in suggestions:
        rating = problems[suggestion.dimension]
        if (rating == Rating.NEED and not suggestion.on_need) or (
            rating == Rating.OBSTACLE and not suggestion.on_obstacle
        ):
            continue
        reason = _("%(dimension)s: %(rating)s") % {
            "dimension": Dimension(suggestion.dimension).label, "rating": Rating(rating).label,
        }
        result.append(Proposal(suggestion.dimension, rating, suggestion.offer_category, suggestion.title, reason))
    result.sort(key=lambda p: (p.rating != Rating.OBSTACLE, order[p.dimension]))
    return result


def latest_profiling(case: Case) -> Profiling | None:
    return Profiling.objects.filter(case=case).order_by("-profiled_on", "-id").first()


def latest_proposals(case: Case, *, user: AbstractBaseUser | None = None) -> list[Proposal]:
    """Offer proposals of the case's latest profiling (confirmed or not); empty without a profiling.
    The caller passes a case it has already fetched through the user's office scope; with ``user``, the
    sensitive dimensions count only if the user may see them (``cases.need_to_know``)."""
    profiling = latest_profiling(case)
    if profiling is None:
        return []
    show = user is None or can_see_sensitive(user, case)
    return proposals_for(visible_ratings(dict(profiling.ratings.values_list("dimension", "rating")),
                                         show_sensitive=show))


# --- one profiling, as the pages show it --------------------------------------------------------------------
@dataclass(frozen=True)
class RatingRow:
    dimension: str
    rating: str  # empty when masked
    note: str  # empty when masked
    masked: bool  # a sensitive dimension the reader may not see (rating and remark)

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)

    @property
    def rating_label(self) -> str:
        return str(Rating(self.rating).label) if self.rating in Rating.values else ""


@dataclass
class ProfilingView:
    profiling: Profiling
    rows: list[RatingRow]
    decision: CategoryDecision | None = None
    comparison: Comparison | None = None
    previous: Profiling | None = None
    proposals: list[Proposal] = field(default_factory=list)
    reasons_withheld: bool = False  # the rule's reasons include dimensions the reader may not see

    @property
    def ratings(self) -> dict[str, str]:
        """The ratings the reader may see (masked dimensions left out)."""
        return {row.dimension: row.rating for row in self.rows if not row.masked}

    @property
    def masked(self) -> list[RatingRow]:
        return [row for row in self.rows if row.masked]

    def _with(self, rating: str) -> list[RatingRow]:
        return [row for row in self.rows if row.rating == rating]

    @property
    def strengths(self) -> list[RatingRow]:
        return self._with(Rating.STRENGTH)

    @property
    def needs(self) -> list[RatingRow]:
        return self._with(Rating.NEED)

    @property
    def obstacles(self) -> list[RatingRow]:
        return self._with(Rating.OBSTACLE)

    @property
    def category_label(self) -> str:
        return str(ProfileCategory(self.profiling.category).label)


def rating_rows(ratings: list[ProfilingRating], *, show_sensitive: bool) -> list[RatingRow]:
    by_dimension = {r.dimension: r for r in ratings}
    rows = []
    for d in DIMENSIONS:
        rating = by_dimension.get(d)
        if rating is None:  # pragma: no cover - a profiling is always complete
            continue
        if d in SENSITIVE_DIMENSIONS and not show_sensitive:
            rows.append(RatingRow(d, "", "", True))
        else:
            rows.append(RatingRow(d, rating.rating, rating.note, False))
    return rows


def visible_ratings(ratings: Mapping[str, str], *, show_sensitive: bool) -> dict[str, str]:
    """``{dimension: rating}`` without the sensitive dimensions for a reader who may not see them."""
    return {d: r for d, r in ratings.items() if show_sensitive or d not in SENSITIVE_DIMENSIONS}


def _profilings(user: AbstractBaseUser) -> QuerySet[Profiling]:
    return Profiling.objects.for_user(user).select_related(
        "case__client", "case__contact_point", "recorded_by", "confirmed_by"
    ).prefetch_related(Prefetch("ratings", queryset=ProfilingRating.objects.order_by("id")))


def profiling_view(
    profiling: Profiling, *, user: AbstractBaseUser, roles: frozenset[str], previous: Profiling | None = None,
    with_proposals: bool = True,
) -> ProfilingView:
    """``profiling`` (fetched with ``_profilings`` or ``profiling_detail``) ready for a page: rows with masked
    notes, the rule's decision with its reasons, the comparison with ``previous`` and the offer proposals."""
    show = can_see_sensitive(user, profiling.case, roles=roles)
    ratings = list(profiling.ratings.all())
    view = ProfilingView(profiling, rating_rows(ratings, show_sensitive=show))
    decision = derive_category({r.dimension: r.rating for r in ratings})  # the category needs every rating
    reasons = tuple(d for d in decision.reasons if show or d not in SENSITIVE_DIMENSIONS)
    view.decision = replace(decision, reasons=reasons)
    view.reasons_withheld = reasons != decision.reasons
    if previous is not None:
        view.previous = previous
        view.comparison = compare(
            visible_ratings({r.dimension: r.rating for r in previous.ratings.all()}, show_sensitive=show),
            view.ratings, category_before=previous.category, category_after=profiling.category,
        )
    if with_proposals:
        view.proposals = proposals_for(view.ratings)
    return view


def profiling_detail(user: AbstractBaseUser, roles: frozenset[str], profiling: Profiling) -> ProfilingView:
    """One profiling with the one before it in the same case (for the comparison)."""
    current = _profilings(user).get(pk=profiling.pk)
    previous = (
        _profilings(user).filter(case_id=current.case_id)
        .filter(Q(profiled_on__lt=current.profiled_on) | Q(profiled_on=current.profiled_on, pk__lt=current.pk))
        .order_by("-profiled_on", "-id").first()
    )
    return profiling_view(current, user=user, roles=roles, previous=previous)


def is_latest(profiling: Profiling) -> bool:
    latest = latest_profiling(profiling.case)
    return latest is not None and latest.pk == profiling.pk


def case_profilings(user: AbstractBaseUser, roles: frozenset[str], case: Case) -> list[ProfilingView]:
    """Every profiling of a case, newest first, each compared with the one before (two queries in all)."""
    profilings = list(_profilings(user).filter(case=case).order_by("-profiled_on", "-id"))
    views = []
    for index, profiling in enumerate(profilings):
        previous = profilings[index + 1] if index + 1 < len(profilings) else None
        views.append(profiling_view(profiling, user=user, roles=roles, previous=previous, with_proposals=False))
    return views


@dataclass
class ClientOverview:
    latest: ProfilingView | None
    total: int


def client_overview(user: AbstractBaseUser, roles: frozenset[str], client: Client) -> ClientOverview:
    """The client page: the latest profiling (of any of the client's cases in the user's offices), compared
    with the one before, and its offer proposals. Four queries, however many profilings exist."""
    profilings = list(_profilings(user).filter(case__client=client).order_by("-profiled_on", "-id")[:2])
    if not profilings:
        return ClientOverview(None, 0)
    total = Profiling.objects.for_user(user).filter(case__client=client).count() if len(profilings) > 1 else 1
    previous = profilings[1] if len(profilings) > 1 else None
    return ClientOverview(profiling_view(profilings[0], user=user, roles=roles, previous=previous), total)


# --- Sozialanamnese and assessments -------------------------------------------------------------------------
def social_history_of(user: AbstractBaseUser, case: Case) -> SocialHistory | None:
    return (
        SocialHistory.objects.for_user(user).filter(case=case).select_related("recorded_by", "updated_by").first()
    )


def client_social_histories(user: AbstractBaseUser, client: Client) -> list[SocialHistory]:
    """The Sozialanamnesen of the client's cases (open case first); only dates and authors are loaded."""
    return list(
        SocialHistory.objects.for_user(user).filter(case__client=client)
        .only("id", "case_id", "recorded_on", "updated_at", "case__status", "case__case_manager_id",
              "case__contact_point_id", "case__opened_on", "updated_by__first_name", "updated_by__last_name",
              "updated_by__username")
        .select_related("case", "updated_by").order_by("-recorded_on", "-id")
    )


def _assessments(user: AbstractBaseUser) -> QuerySet[Assessment]:
    return Assessment.objects.for_user(user).select_related(
        "referral__case__client", "referral__case__contact_point", "referral__offer__partner", "commissioned_by",
        "result_recorded_by", "report",
    )


def assessment_detail(user: AbstractBaseUser, pk: int) -> Assessment:
    return _assessments(user).get(pk=pk)


def client_assessments(user: AbstractBaseUser, client: Client) -> list[Assessment]:
    """Assessments of the client (newest first) without their sensitive texts (deferred)."""
    return list(
        _assessments(user).filter(referral__case__client=client)
        .defer("question", "result_summary", "recommendations").order_by("-referral__referred_on", "-id")
    )


def assessment_consents(client: Client, day: date) -> QuerySet[Consent]:
    """The client's releases towards assessment partners that are in force on ``day``."""
    return (
        Consent.objects.filter(client=client, partner__kind=PartnerKind.ASSESSMENT, given_on__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        .select_related("partner").order_by("-given_on", "-pk")
    )


def access_log(case: Case, labels: list[str], *, limit: int = 10) -> list[AccessRecord]:
    """The latest readings of the given parts of a case (``profiling.services.access.audit_label``)."""
    return list(
        AccessRecord.objects.filter(client_id=case.client_id, contact_point_id=case.contact_point_id,
                                    what__in=labels)
        .select_related("user").order_by("-at", "-id")[:limit]
    )


# --- start page ---------------------------------------------------------------------------------------------
def _mine(user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint) -> Q:
    """A Teamleitung sees the office's cases, a case manager their own."""
    return Q(contact_point=office) if Role.TEAMLEITUNG in roles else Q(contact_point=office, case_manager=user)


def _latest(field_name: str) -> Subquery:
    return Subquery(
        Profiling.objects.filter(case=OuterRef("pk")).order_by("-profiled_on", "-id").values(field_name)[:1]
    )


def _opaque(condition: Q) -> CaseWhen:
    """``condition`` as ``CASE WHEN … THEN true ELSE false END``: PostgreSQL cannot estimate a condition on a
    per-row subquery and takes it to keep 0.5 % of the rows, so it would read and sort all of an office's
    candidates for a short card (``LIMIT``); a CASE counts as keeping half, and the cases are read in the order of
    the index (``case_office_intake_idx`` and the like) until the card is full."""
    return CaseWhen(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


class LatestProfiling(TypedDict):
    """What ``profiling_worklist`` annotates on each case: its latest profiling (``None`` if none yet)."""

    latest_profiling_id: int | None
    latest_confirmed_at: datetime | None


def profiling_worklist(
    user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint
) -> QuerySet[WithAnnotations[Case, LatestProfiling]]:
    """Open cases in intake or profiling whose latest profiling is missing or has no category set yet."""
    return (
        Case.objects.for_user(user).filter(_mine(user, roles, office))
        .filter(status__in=(CaseStatus.INTAKE, CaseStatus.PROFILING))
        .annotate(latest_profiling_id=_latest("id"), latest_confirmed_at=_latest("confirmed_at"))
        .filter(_opaque(Q(latest_confirmed_at__isnull=True)))
        .select_related("client").order_by("opened_on", "id")
    )


def social_history_worklist(user: AbstractBaseUser, roles: frozenset[str], office: ContactPoint) -> QuerySet[Case]:
    """Open cases whose latest profiling puts the client in case management (Betreuungskunde) and that have no
    Sozialanamnese yet: the social history belongs to the analysis of these clients.

    Read from ``SocialHistoryDue`` (kept by the database, migration ``profiling/0007``), in the order of its index
    on the office (or the case manager) and the opening date, so a card of five costs five index entries however
    large the office."""
    due = Q(social_history_due__office=office)
    if Role.TEAMLEITUNG not in roles:
        due &= Q(social_history_due__manager=user)
    return (
        Case.objects.for_user(user).filter(_mine(user, roles, office)).filter(due)
        .select_related("client").order_by("social_history_due__opened_on", "social_history_due__case_id")
    )
