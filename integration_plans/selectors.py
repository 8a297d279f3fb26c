"""Reads of help plans: scoped to the user's offices, filtered, sorted and paginated in the database.

Worklists ("Mein Tag"): a case manager sees the cases they manage, a team lead the whole active office.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from cases.models import Case, Client
from cases.rules import normalise_name
from integration_plans import access
from integration_plans.models import (
    IN_FORCE_STATUSES,
    OPEN_STATUSES,
    Hearing,
    HearingStatus,
    IntegrationPlan,
    LegalNotice,
    Obligation,
    ObligationCheck,
    PlanService,
    PlanSignoff,
    PlanStatus,
)
from integration_plans.rules import EXPIRY_WARNING_DAYS, REVIEW_WARNING_DAYS
from integration_plans.services.plans import with_items
from integration_plans.services.tracking import CHECKABLE_STATUSES
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

PAGE_SIZE = 25
MIN_SEARCH_LENGTH = 2
STATUS_FILTER_IN_FORCE = "in_force"
STATUS_FILTER_OPEN = "open"
STATUS_FILTER_ALL = "all"
STATUS_FILTERS = {
    STATUS_FILTER_IN_FORCE: IN_FORCE_STATUSES,
    STATUS_FILTER_OPEN: OPEN_STATUSES,
    STATUS_FILTER_ALL: frozenset(PlanStatus.values),
    **{value: frozenset({value}) for value in PlanStatus.values},
}
PLAN_SORTS: dict[str, tuple[str, ...]] = {
    "client": ("case__client__last_name", "case__client__first_name", "id"),
    "-client": ("-case__client__last_name", "-case__client__first_name", "-id"),
    "until": ("valid_until", "id"),
    "-until": ("-valid_until", "-id"),
    "review": ("review_on", "id"),
    "-review": ("-review_on", "-id"),
    "changed": ("updated_at", "id"),
    "-changed": ("-updated_at", "-id"),
}
DEFAULT_SORT = "-changed"


def _plans(user: User) -> QuerySet[IntegrationPlan]:
    return IntegrationPlan.objects.for_user(user).select_related("case__client", "case__case_manager")


def team_scope(user: User, roles: frozenset[str], office: ContactPoint | None) -> Q:
    """The active office; for anyone but a team lead only the cases they manage. For rows that keep their case's
    office and case manager (``office``, ``manager``: plans, obligations, hearings), so that a worklist reads the
    index of either in its order instead of joining every row with its case."""
    scope = Q(office=office)
    if Role.TEAMLEITUNG not in roles:
        scope &= Q(manager=user)
    return scope


# --- the plan list ------------------------------------------------------------------------------------------
def plan_list(
    *, user: User, office: ContactPoint, status: str = STATUS_FILTER_IN_FORCE, kind: str = "",
    mine: bool = False, query: str = "", sort: str = DEFAULT_SORT,
) -> QuerySet[IntegrationPlan]:
    plans = _plans(user).filter(office=office)
    plans = plans.filter(status__in=STATUS_FILTERS.get(status, IN_FORCE_STATUSES))
    if kind:
        plans = plans.filter(kind=kind)
    if mine:
        plans = plans.filter(case__case_manager=user)
    if len(query.strip()) >= MIN_SEARCH_LENGTH:
        # the client is at the plan's office (a hand-over moves both): the office's part of the name index
        plans = plans.filter(case__client__name_search__contains=normalise_name(query),
                             case__client__contact_point=office)
    if sort.removeprefix("-") == "client":
        # a case's client is at the case's office (the hand-over moves both): said here, the planner walks the
        # office's clients in name order (client_office_name_idx) instead of sorting every plan of the office
        plans = plans.filter(case__client__contact_point=office)
    return plans.order_by(*PLAN_SORTS.get(sort, PLAN_SORTS[DEFAULT_SORT]))


def mark_successors(plans: list[IntegrationPlan]) -> list[IntegrationPlan]:
    """Set ``has_successor`` on the plans of a page, in one query. (As an EXISTS in the list's query the planner
    may hash every plan's ``previous`` once, a sequential scan of the table, instead of looking up the page's 25.)"""
    newer = set(IntegrationPlan.objects.filter(previous__in=[plan.pk for plan in plans]).order_by()
                .values_list("previous_id", flat=True))
    for plan in plans:
        plan.has_successor = plan.pk in newer  # type: ignore[attr-defined]  # shown by the list
    return plans


# --- one plan -----------------------------------------------------------------------------------------------
def plan_for_page(user: User, pk: int) -> IntegrationPlan | None:
    """The plan with everything its page shows, in a constant number of queries (None: not in the user's
    offices)."""
    plan = (
        with_items(IntegrationPlan.objects.for_user(user))
        .select_related("case__client", "case__case_manager", "previous", "document", "scan")
        .prefetch_related(
            # the office with its two agencies in a query of their own: joined, they took the plan's query to 12
            # tables, whose planning (3 ms) cost ten times its run
            Prefetch("case__contact_point",
                     queryset=ContactPoint.objects.select_related("employment_agency", "welfare_agency")),
            Prefetch("legal_notices", queryset=LegalNotice.objects.order_by("basis")),
            Prefetch("services__referral"),
            Prefetch("obligations__checks", queryset=ObligationCheck.objects.order_by("-period_start")),
        )
        .annotate(next_version_id=Subquery(IntegrationPlan.objects.filter(previous=OuterRef("pk")).values("pk")[:1]))
        .filter(pk=pk)
        .order_by()
        .first()
    )
    if plan is not None:
        # the people named on the page in one query: joined too, they took the query past PostgreSQL's
        # geqo_threshold (12 tables), and planning it cost more than running it
        people = ("signed_by", "finalised_by", "approved_by", "submitted_by", "updated_by")
        ids = {getattr(plan, f"{name}_id") for name in people} - {None}
        found = User.objects.in_bulk(ids)
        for name in people:
            setattr(plan, name, found.get(getattr(plan, f"{name}_id")))
    return plan


def versions_of(case: Case) -> list[IntegrationPlan]:
    return list(IntegrationPlan.objects.filter(case=case).order_by("-version").only(
        "pk", "version", "status", "kind", "valid_from", "valid_until", "finalised_at", "signed_on", "case_id"))


def case_hearings(case: Case) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case=case).select_related("opened_by", "decided_by").order_by("-opened_on", "-id")


def client_plans(client: Client, limit: int = 10) -> list[IntegrationPlan]:
    """The client-page section: every plan version of the client's cases, newest first."""
    return list(
        IntegrationPlan.objects.filter(case__client=client)
        .select_related("case")
        .annotate(has_successor=Exists(IntegrationPlan.objects.filter(previous=OuterRef("pk"))),
                  open_hearings=Count("hearings", filter=Q(hearings__status=HearingStatus.OPEN)))
        .order_by("-case__opened_on", "-version")[:limit]
    )


# --- worklists ----------------------------------------------------------------------------------------------
def reviews_due(user: User, roles: frozenset[str], office: ContactPoint | None,
                today: date) -> QuerySet[IntegrationPlan]:
    """Plans in force whose review date is reached (or within a week) and that were not reviewed yet."""
    return (
        _plans(user).filter(team_scope(user, roles, office), status__in=IN_FORCE_STATUSES,
                            review_on__lte=today + timedelta(days=REVIEW_WARNING_DAYS), reviewed_on__isnull=True)
        .exclude(Exists(IntegrationPlan.objects.filter(previous=OuterRef("pk"))))
        .order_by("review_on", "id")
    )


def expiring(user: User, roles: frozenset[str], office: ContactPoint | None,
             today: date) -> QuerySet[IntegrationPlan]:
    """Plans in force that end within 30 days and have no Fortschreibung yet (finalised or in preparation)."""
    return (
        _plans(user).filter(team_scope(user, roles, office), status__in=IN_FORCE_STATUSES,
                            valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRY_WARNING_DAYS))
        .exclude(Exists(IntegrationPlan.objects.filter(previous=OuterRef("pk"))))
        .order_by("valid_until", "id")
    )


def checks_due(user: User, roles: frozenset[str], office: ContactPoint | None,
               today: date) -> QuerySet[Obligation]:
    """Obligations whose period ended without a recorded check."""
    return (
        Obligation.objects.for_user(user)
        .filter(team_scope(user, roles, office), plan__status__in=CHECKABLE_STATUSES,
                next_check_on__lte=today)
        .select_related("plan__case__client", "plan__case__case_manager")
        .order_by("next_check_on", "id")
    )


def open_hearings(user: User, roles: frozenset[str], office: ContactPoint | None,
                  today: date) -> QuerySet[Hearing]:
    return (
        Hearing.objects.for_user(user)
        .filter(team_scope(user, roles, office), status=HearingStatus.OPEN)
        .select_related("case__client", "case__case_manager")
        .order_by("opened_on", "id")
    )


# --- legal notices ------------------------------------------------------------------------------------------
def notices_with_usage(user: User) -> QuerySet[LegalNotice]:
    """Every notice version with the number of plans in the user's offices that printed it."""
    from jobcenter.scoping import contact_point_ids

    return LegalNotice.objects.annotate(
        used=Count("plans", filter=Q(plans__office__in=contact_point_ids(user)))
    ).order_by("basis", "-version")


def notice_usage(user: User, notice: LegalNotice, *, office: ContactPoint) -> QuerySet[IntegrationPlan]:
    """The agreements of the user's active office that printed ``notice``."""
    return _plans(user).filter(legal_notices=notice, office=office).order_by("-finalised_at", "-id")


def awaiting_my_approval(user: User, roles: frozenset[str], office: ContactPoint | None,
                         today: date) -> QuerySet[IntegrationPlan]:
    """Submitted plans of the active office this user can approve now, oldest submission first: with joint
    sign-off those committing an agency the user represents that still lacks its sign-off (not those the user
    signed off for the other agency unless one person may sign both); with Teamleitung approval every submitted
    plan, for the Teamleitung."""
    plans = _plans(user).filter(office=office, status=PlanStatus.PENDING_APPROVAL).select_related(
        "submitted_by").order_by("submitted_at", "id")
    if office is None:
        return plans.none()
    config = access.settings_of(office)
    if config is not None and access.joint_signoff(config):
        kinds = access.signable_kinds(user, office, config)
        if not kinds:
            return plans.none()
        given = PlanSignoff.objects.filter(plan=OuterRef("pk"), voided_at__isnull=True)
        services = PlanService.objects.filter(plan=OuterRef("pk"))
        wanted = Q()
        for kind in sorted(kinds):
            wanted |= Q(Exists(services.filter(paying_agency__kind=kind))) & ~Q(Exists(given.filter(agency__kind=kind)))
        plans = plans.filter(wanted)
        if not config.one_person_signs_both:
            plans = plans.exclude(Exists(given.filter(signed_by=user)))
        return plans
    if config is not None and config.approval_required and Role.TEAMLEITUNG in roles:
        return plans
    return plans.none()


def approves_plans(user: User, roles: frozenset[str], office: ContactPoint | None) -> bool:
    """Does this user approve plans at the office at all (a representative, or the Teamleitung where it approves)?
    Decides whether the start page shows the card."""
    if office is None:
        return False
    config = access.settings_of(office)
    if config is not None and access.joint_signoff(config):
        return bool(access.signable_kinds(user, office, config))
    return bool(config is not None and config.approval_required and Role.TEAMLEITUNG in roles)
