"""Reads of the cases app that scope, join and annotate. Writes live in ``cases/services/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.utils.translation import gettext as _

from cases.models import (
    CASE_STATUS_ORDER,
    BenefitEntitlement,
    BenefitKind,
    Case,
    CaseStatus,
    Client,
    Outcome,
    Segment,
)
from cases.rules import TargetGroup
from cases.search import search_condition
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

    from jobcenter.models import ContactPoint


def with_target_group(queryset: QuerySet[Client], day: date, prefix: str = "") -> QuerySet:
    """Annotate ``target_group`` as in force on ``day``, computed in the database (same rule as
    ``cases.rules.target_group_on``). ``prefix`` is the path to the client, e.g. ``"client__"`` for cases."""
    pk = f"{prefix}pk" if prefix else "pk"

    def active(kinds: list[str]) -> Exists:
        return Exists(
            BenefitEntitlement.objects.filter(client=OuterRef(pk), kind__in=kinds, start__lte=day).filter(
                Q(end__isnull=True) | Q(end__gte=day)
            )
        )

    return queryset.alias(  # aliases, not columns: each EXISTS runs only inside the CASE
        _has_hlu=active([BenefitKind.HLU]),
        _has_alg_alhi=active([BenefitKind.ALG, BenefitKind.ALHI]),
        _has_alhi=active([BenefitKind.ALHI]),
    ).annotate(
        target_group=When_(
            When(_has_hlu=True, _has_alg_alhi=True, then=Value(TargetGroup.KOMBI)),
            When(_has_hlu=True, then=Value(TargetGroup.HLU)),
            When(_has_alhi=True, then=Value(TargetGroup.ALHI)),
            default=Value(TargetGroup.NONE),
        )
    )


# --- case list ------------------------------------------------------------------------------------------
CASE_PAGE_SIZE = 25
COUNT_CAP = 1000

STATUS_FILTER_OPEN = "open"
STATUS_FILTER_ALL = "all"
MANAGER_FILTER_ALL = "all"
MANAGER_FILTER_MINE = "mine"
MANAGER_FILTER_NONE = "none"

_STATUS_ORDER = CASE_STATUS_ORDER  # served by ``case_office_status_order_idx``

# Whitelisted sort keys → ORDER BY (a leading "-" in the request reverses). The primary key ends every order,
# so pages are stable. Names sort by the folded normal form: Müller next to Muller, Özdemir under O. Each order is
# read from an index of the office (``Client.client_office_sort_idx``, ``Case.case_office_*_idx``) and stops after
# the page: no sort of the whole office.
CASE_SORTS: dict[str, tuple[OrderBy | F | When_ | str, ...]] = {
    "name": (F("client__name_search").asc(), "client__birth_date"),
    "opened": (F("opened_on").asc(),),
    "contact": (F("last_contact_on").asc(nulls_first=True),),
    "status": (_STATUS_ORDER.asc(),),
}
DEFAULT_CASE_SORT = "name"


class SameText(Func):
    """The text unchanged, but no longer the indexed column (see ``case_ordering``, ``client_ordering``)."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


class _SameValue(Func):
    """A date or number unchanged (``+ 0``), but no longer the indexed expression (see ``case_ordering``)."""

    template = "(%(expressions)s + 0)"


# The sort keys with their first column hidden from the indexes: for a list of a few rows (a caseload, a search),
# which the planner should fetch through the index of the filter and sort, not find by walking the whole office in
# sort order and filtering (which reads every row of the office when few or none match).
_FEW_ROWS_SORTS: dict[str, tuple[OrderBy | F | When_ | str, ...]] = {
    "name": (SameText(F("client__name_search")).asc(), "client__birth_date"),
    "opened": (_SameValue(F("opened_on"), output_field=DateField()).asc(),),
    "contact": (_SameValue(F("last_contact_on"), output_field=DateField()).asc(nulls_first=True),),
    "status": (_SameValue(_STATUS_ORDER, output_field=IntegerField()).asc(),),
}


# One case manager's cases (a caseload) in each sort, read from the case manager's index of it (``Case.case_manager_*_idx``)
# and stopped after the page: the name order from the client's name and birth date kept on the case (cases/0014).
CASELOAD_SORTS: dict[str, tuple[OrderBy | F | When_ | str, ...]] = {
    **CASE_SORTS, "name": (F("client_name").asc(), F("client_birth_date").asc()),
}


def client_ordering(*, searched: bool = False, prefix: str = "") -> list[OrderBy]:
    """Clients by name, birth date and id (the client list; the name order of the case list): the order of
    ``client_office_sort_idx``, which an office's whole list reads from its start and stops after the page.
    ``searched``: the rows are a search's (the trigram index finds them): the same order, but with the name hidden
    from the index, so that the planner sorts the matches instead of walking the office in name order until it has
    found a page of them (half the office for "Müller")."""
    name = F(f"{prefix}name_search")
    return [(SameText(name) if searched else name).asc(), F(f"{prefix}birth_date").asc(), F(f"{prefix}pk").asc()]


def _reverse(expression: OrderBy | F | When_ | str) -> OrderBy:
    if isinstance(expression, str):
        return F(expression).desc()
    if isinstance(expression, OrderBy):
        reverse = expression.copy()
        reverse.reverse_ordering()
        return reverse
    return expression.desc()


def case_ordering(sort: str, *, few: bool = False, caseload: bool = False) -> list[OrderBy | F | When_ | str]:
    """ORDER BY for a whitelisted sort key such as ``"name"`` or ``"-opened"`` (unknown keys: by name). ``few``: the
    filtered rows are few (``capped_count`` did not reach its cap) or a search's: sort them rather than walk the
    office's index in this order; ``caseload``: the rows are one case manager's, read from their index in this
    order (the same order in every case)."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in CASE_SORTS:
        key, descending = DEFAULT_CASE_SORT, False
    columns = list((CASELOAD_SORTS if caseload else _FEW_ROWS_SORTS if few else CASE_SORTS)[key])
    ordering = [_reverse(column) for column in columns] if descending else columns
    return [*ordering, F("pk").desc() if descending else F("pk").asc()]


def is_caseload(manager: str) -> bool:
    """The manager filter names one case manager ("mine" or a user id): the rows are a caseload, which the case
    manager's own indexes serve (``CASELOAD_SORTS``, ``case_manager_group_idx``)."""
    return manager == MANAGER_FILTER_MINE or (manager.isascii() and manager.isdigit())


def case_list(
    *,
    user: AbstractBaseUser,
    office: ContactPoint,
    day: date,
    status: str = STATUS_FILTER_OPEN,
    segment: str = "",
    target_group: str = "",
    manager: str = "",
    query: str = "",
    sort: str = DEFAULT_CASE_SORT,
) -> QuerySet[Case]:
    """The work list of one office: filtered, searched and ordered, all in the database. One query per page,
    whatever the number of rows (joins, no per-row lookups).

    The target group is the client's maintained one (``case.client.current_target_group``: today's, kept by
    ``cases.target_groups``); ``day`` is the day it is meant for (today). ``case_ordering`` says how the view orders
    a page. No column is annotated, so that counting the list joins only what its filters need.

    ``status``: "open" (default), "all" or a status; ``manager``: "all" (or empty), "mine", "none" or a user id;
    ``query``: the client search of ``cases/search.py`` (names in any order, birth date, numbers)."""
    cases = Case.objects.for_user(user).filter(contact_point=office)
    if status == STATUS_FILTER_OPEN:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif status in CaseStatus.values:
        cases = cases.filter(status=status)
    if segment:
        cases = cases.filter(segment=segment)
    if manager == MANAGER_FILTER_MINE:
        cases = cases.filter(case_manager=user)
    elif manager == MANAGER_FILTER_NONE:
        cases = cases.filter(case_manager__isnull=True)
    elif manager.isascii() and manager.isdigit():  # a choice of the filter form (ids of the office's managers)
        cases = cases.filter(case_manager_id=int(manager))
    if query:
        condition = search_condition(query, prefix="client__")
        # the client's office is the case's (a hand-over moves both): said here, the search reads the office's part
        # of the client indexes (names, numbers: office first) instead of every office's clients of a city
        cases = cases.none() if condition is None else cases.filter(condition, client__contact_point=office)
    if target_group in TargetGroup.values and is_caseload(manager):
        # the client's group kept on the case (cases/0016): counted from the case manager's index
        cases = cases.filter(client_target_group=target_group)
    elif target_group in TargetGroup.values:
        # the client's office is the case's: the office's group index of the clients serves the filter
        cases = cases.filter(client__current_target_group=target_group, client__contact_point=office)
    return cases.select_related("client", "case_manager", "lead_agency").order_by(*case_ordering(sort))


@dataclass(frozen=True)
class _NoPaginator:
    num_pages: None = None


@dataclass(frozen=True)
class LazyPage:
    """A page fetched as ``size + 1`` rows: whether there is a next page is known without COUNT(*).
    Quacks like a Django ``Page`` for ``partials/pagination.html`` (no page total)."""

    object_list: list[Any]
    number: int
    has_next: bool
    paginator: _NoPaginator = _NoPaginator()

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * CASE_PAGE_SIZE + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * CASE_PAGE_SIZE + len(self.object_list)


def fetch_page(queryset: QuerySet[Any], number: int, size: int = CASE_PAGE_SIZE) -> LazyPage:
    """OFFSET/LIMIT in the database, one row more than shown to learn whether a next page exists."""
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return LazyPage(object_list=rows[:size], number=number, has_next=len(rows) > size)


# The order in which ``capped_count`` reads the rows of a list filtered by nothing but the office (every case of it):
# the office's index ``case_office_opened_idx``, read from its start, instead of the table (which the planner
# may read sequentially when the office holds most of it) or a sort.
WHOLE_OFFICE_COUNT_ORDER = ("opened_on", "pk")


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP,
                 ordering: tuple[str, ...] = ()) -> tuple[int, bool]:
    """Count at most ``cap`` rows: ``(count, capped)``. A COUNT over a LIMITed subquery stops early on large
    offices instead of counting every row. ``ordering``: read the rows in this order (an index's, which serves the
    filter too, e.g. ``WHOLE_OFFICE_COUNT_ORDER``); by default, in any order."""
    count = queryset.order_by(*ordering).values("pk")[: cap + 1].count()
    return min(count, cap), count > cap


def case_managers(office: ContactPoint) -> QuerySet[User]:
    """Active case managers working in ``office`` (for filters and assignment)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.FALLMANAGER, staff_profile__contact_points=office)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- new assignments ("Neu zugewiesen" on the start page) -------------------------------------------------
NEW_ASSIGNMENT_DAYS = 14


def with_is_new(cases: QuerySet[Case]) -> QuerySet:
    """Annotate ``is_new``: the case manager has not opened the client's page (``Case.assignment_seen_at``) since
    they got the case (``Case.assigned_at``, kept by the database from the reassignment trail: team lead, reception
    triage, admin, whoever wrote the case)."""
    return cases.annotate(
        is_new=ExpressionWrapper(
            Q(assignment_seen_at__isnull=True) | Q(assignment_seen_at__lt=F("assigned_at")),
            output_field=BooleanField(),
        )
    )


def new_assignments(user: AbstractBaseUser, office: ContactPoint | None, now: datetime) -> QuerySet[Case]:
    """The open cases of ``office`` assigned to ``user`` in the last ``NEW_ASSIGNMENT_DAYS`` days: those not yet
    opened first, then the newest (none without an office). Read from ``case_manager_assigned_idx``: the case
    manager's few recent assignments, whatever the size of the office."""
    since = now - timedelta(days=NEW_ASSIGNMENT_DAYS)
    cases = (
        Case.objects.for_user(user).filter(contact_point=office, case_manager=user, assigned_at__gte=since)
        .exclude(status=CaseStatus.CLOSED)
    )
    return with_is_new(cases).select_related("client").order_by(F("is_new").desc(), F("assigned_at").desc(), "-pk")


# --- one case -----------------------------------------------------------------------------------------------
def client_cases(client: Client) -> tuple[Case | None, list[Case]]:
    """The client's open case at their office and the closed ones (newest first), in one query."""
    cases = list(
        Case.objects.filter(client=client, contact_point_id=client.contact_point_id)
        .select_related("case_manager", "lead_agency", "contact_point")
        .order_by("-opened_on", "-pk")
    )
    open_case = next((case for case in cases if case.is_open), None)
    return open_case, [case for case in cases if not case.is_open]


@dataclass(frozen=True)
class Change:
    field: str  # translated field label
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    opened: bool
    changes: list[Change] = field(default_factory=list)


def _person(user: User | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


def _described(event: Any) -> dict[str, str]:
    """What the history shows of one event row: the steering fields, as the user reads them."""
    outcome = Outcome(event.outcome).label if event.outcome else ""
    if outcome and event.outcome_note:
        outcome = f"{outcome} ({event.outcome_note})"
    return {
        "status": str(CaseStatus(event.status).label),
        "case_manager": _person(event.case_manager),
        "segment": str(Segment(event.segment).label) if event.segment else "–",
        "lead_agency": event.lead_agency.name if event.lead_agency else "–",
        "outcome": str(outcome) or "–",
    }


def case_history(case: Case) -> list[HistoryEntry]:
    """Who changed status, case manager, segment, lead agency or outcome, and when (newest first).

    Read from the case's pghistory event rows in one query: the acting user comes from the history context
    (set by the middleware in requests and by the services elsewhere); the diff is taken between
    consecutive rows, and rows that changed none of these fields (e.g. the date of last contact) are left out."""
    user_model = get_user_model()
    actor = Subquery(
        user_model.objects.filter(pk=OuterRef("actor_id")).annotate(
            display=Coalesce(
                NullIf(Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField())), Value("")),
                "username",
            )
        ).values("display")[:1]
    )
    events = (
        case.events.select_related("case_manager", "lead_agency")  # type: ignore[attr-defined]  # pghistory's events
        .annotate(actor_id=Cast(KeyTextTransform("user", "pgh_context__metadata"), IntegerField()))
        .annotate(actor=actor)
        .order_by("pgh_id")
    )
    labels = {
        "status": _("Status"),
        "case_manager": _("Case manager"),
        "segment": _("Customer segment"),
        "lead_agency": _("Lead agency"),
        "outcome": _("Outcome"),
    }
    entries: list[HistoryEntry] = []
    previous: dict[str, str] | None = None
    for event in events:
        current = _described(event)
        if previous is None:
            shown = {key: value for key, value in current.items() if value != "–"}
            changes = [Change(str(labels[key]), "", value) for key, value in shown.items()]
            entries.append(HistoryEntry(event.pgh_created_at, event.actor or "–", True, changes))
        else:
            changes = [
                Change(str(labels[key]), previous[key], value)
                for key, value in current.items()
                if value != previous[key]
            ]
            if changes:
                entries.append(HistoryEntry(event.pgh_created_at, event.actor or "–", False, changes))
        previous = current
    return entries[::-1]


# --- bulk reassignment (cases.views.bulk) -------------------------------------------------------------------
def case_holders(office: ContactPoint) -> QuerySet[User]:
    """Everyone who holds an open case of ``office`` — also a case manager deactivated since (who left)."""
    return get_user_model().objects.filter(
        pk__in=Case.objects.filter(contact_point=office, case_manager__isnull=False)
        .exclude(status=CaseStatus.CLOSED).values("case_manager")
    ).order_by("last_name", "first_name", "username")


def bulk_candidates(*, user: AbstractBaseUser, office: ContactPoint, manager: str, segment: str = "",
                    status: str = "") -> QuerySet[Case]:
    """The open cases of ``office`` with the case manager ``manager`` (a user id, or "none"), optionally of one
    segment and status, by client name. One query."""
    cases = Case.objects.for_user(user).filter(contact_point=office).exclude(status=CaseStatus.CLOSED)
    if manager == MANAGER_FILTER_NONE:
        cases = cases.filter(case_manager__isnull=True)
    elif manager.isascii() and manager.isdigit():
        cases = cases.filter(case_manager_id=int(manager))
    else:
        return cases.none()
    if segment:
        cases = cases.filter(segment=segment)
    if status and status != CaseStatus.CLOSED:
        cases = cases.filter(status=status)
    return cases.select_related("client", "case_manager").order_by("client__last_name", "client__first_name", "pk")
