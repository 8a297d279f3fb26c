"""Reads of the partners app that scope, join, annotate and order, all in the database.

Lists return querysets for ``Paginator``: one query for the page and one for the count, whatever the number of
rows (aggregates and joins, never a lookup per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from cases.models import Case, CaseStatus, Client
from cases.rules import normalise_name
from cases.search import search_condition
from partners.models import (
    Consent,
    DisclosureRecord,
    EmployerContact,
    Offer,
    Partner,
    PartnerKind,
    PlacementProposal,
    ProposalResult,
    Referral,
    ReferralStatus,
    Vacancy,
    VacancyStatus,
    kinds_of_group,
)
from partners.rules import ACTIVE_STATUSES, FEEDBACK_DUE_DAYS, TAKING_STATUSES

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django_stubs_ext import WithAnnotations

    from cases.auskunft import Rows
    from jobcenter.models import ContactPoint

PAGE_SIZE = 25


class Occupancy(TypedDict):
    """What ``with_occupancy`` annotates on an offer."""

    taken: int
    waiting: int
    free: int


class Awaiting(TypedDict):
    """What ``referral_list`` annotates on a referral."""

    awaiting_since: date


class ProposalCounts(TypedDict):
    """What ``with_proposal_counts`` annotates on a vacancy."""

    proposal_count: int
    hires: int
    pending: int


if TYPE_CHECKING:
    OfferWithOccupancy = WithAnnotations[Offer, Occupancy]
    ReferralWithAwaiting = WithAnnotations[Referral, Awaiting]
    VacancyWithCounts = WithAnnotations[Vacancy, ProposalCounts]

Sorts = dict[str, tuple[OrderBy | F | str, ...]]


def _directed(expression: OrderBy | F | str, descending: bool) -> OrderBy:
    if isinstance(expression, str):
        expression = F(expression)
    if isinstance(expression, OrderBy):
        directed = expression.copy()
        if descending:
            directed.reverse_ordering()
        return directed
    return expression.desc() if descending else expression.asc()


def ordering(sorts: Sorts, sort: str, default: str) -> list[OrderBy]:
    """ORDER BY for a whitelisted key such as ``"name"`` or ``"-name"`` (unknown keys: ``default``); the
    primary key ends every order so pages are stable."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in sorts:
        key, descending = default.removeprefix("-"), default.startswith("-")
    return [*(_directed(column, descending) for column in sorts[key]), _directed("pk", descending)]


# --- registry -----------------------------------------------------------------------------------------------
PARTNER_SORTS: Sorts = {
    "name": ("name_search",),
    "kind": ("kind", "name_search"),
    "city": (F("city").asc(nulls_last=True), "name_search"),
    "updated": ("updated_at",),
}
ACTIVE_FILTER_ALL = "all"
ACTIVE_FILTER_INACTIVE = "inactive"


def partner_list(
    *, user: AbstractBaseUser, office: ContactPoint, query: str = "", group: str = "", kind: str = "",
    active: str = "", sort: str = "name",
) -> QuerySet[Partner]:
    """The registry of one office; the name search ignores case and umlaut spelling (trigram index)."""
    partners = Partner.objects.for_user(user).filter(contact_point=office)
    if active == ACTIVE_FILTER_INACTIVE:
        partners = partners.filter(active=False)
    elif active != ACTIVE_FILTER_ALL:
        partners = partners.filter(active=True)
    if kind:
        partners = partners.filter(kind=kind)
    elif group:
        partners = partners.filter(kind__in=kinds_of_group(group))
    for word in normalise_name(query).split():
        partners = partners.filter(name_search__contains=word)
    offers = (
        Offer.objects.filter(partner=OuterRef("pk"), active=True).order_by().values("partner")
        .annotate(n=Count("pk")).values("n")
    )
    return (
        partners.select_related("contract_agency")
        .annotate(active_offers=Coalesce(Subquery(offers, output_field=IntegerField()), 0))
        .order_by(*ordering(PARTNER_SORTS, sort, "name"))
    )


def export_partners(*, user: AbstractBaseUser, office: ContactPoint) -> QuerySet[Partner]:
    return Partner.objects.for_user(user).filter(contact_point=office).select_related("contract_agency").order_by(
        "name_search", "pk"
    )


# --- offers and the free-places board -----------------------------------------------------------------------
def with_occupancy(offers: QuerySet[Offer]) -> QuerySet[OfferWithOccupancy]:
    """Annotate ``taken`` (accepted + started), ``waiting`` and ``free``. The counts are the offer's own columns,
    kept from its referrals by the database (partners migration 0005), so no referral is read."""
    return offers.annotate(
        taken=F("taken_count"), waiting=F("waiting_count"), free=Greatest(F("places") - F("taken_count"), Value(0)),
    )


def running_on(offers: QuerySet[Offer], day: date) -> QuerySet[Offer]:
    """Offers that can be commissioned on ``day``: active, in their period, with an active partner."""
    return offers.filter(active=True, partner__active=True, valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


BOARD_SORTS: Sorts = {
    "free": ("free", "title"),
    "title": ("title",),
    "partner": ("partner__name_search", "title"),
    "category": ("category", "title"),
    "waiting": ("waiting", "title"),
}


def board(
    *, user: AbstractBaseUser, office: ContactPoint, day: date, group: str = "", category: str = "",
    free_only: bool = False, query: str = "", sort: str = "-free", categories: list[str] | None = None,
) -> QuerySet[OfferWithOccupancy]:
    """The free-places board: every offer running on ``day`` with places, taken, free and waiting."""
    offers = running_on(Offer.objects.for_user(user).filter(partner__contact_point=office), day)
    if categories is not None:
        offers = offers.filter(category__in=categories)
    if category:
        offers = offers.filter(category=category)
    elif group:
        offers = offers.filter(category__in=kinds_of_group(group))
    for word in normalise_name(query).split():
        offers = offers.filter(Q(partner__name_search__contains=word) | Q(title__icontains=word))
    occupied = with_occupancy(offers)
    if free_only:
        occupied = occupied.filter(free__gt=0)
    return occupied.select_related("partner").order_by(*ordering(BOARD_SORTS, sort, "-free"))


def partner_offers(partner: Partner) -> QuerySet[OfferWithOccupancy]:
    return with_occupancy(partner.offers.all()).order_by("-active", "title", "pk")


def taken_places(offer_id: int) -> int:
    """Places of an offer occupied right now. Called by the services with the offer row locked."""
    return Referral.objects.filter(offer_id=offer_id, status__in=TAKING_STATUSES).count()


def occupancy(offer: Offer) -> OfferWithOccupancy:
    """The offer again, with ``taken``, ``waiting`` and ``free``."""
    return with_occupancy(Offer.objects.filter(pk=offer.pk)).select_related("partner").get()


OFFER_REFERRAL_FILTERS = {
    "current": tuple(ACTIVE_STATUSES),
    "waiting": (ReferralStatus.WAITING,),
    "ended": (ReferralStatus.COMPLETED, ReferralStatus.ABORTED, ReferralStatus.DECLINED),
}


def offer_referrals(offer: Offer, view: str) -> QuerySet[Referral]:
    statuses = OFFER_REFERRAL_FILTERS.get(view, OFFER_REFERRAL_FILTERS["current"])
    order = ("referred_on", "pk") if view == "waiting" else ("-referred_on", "-pk")
    return (
        offer.referrals.filter(status__in=statuses)
        .select_related("case__client", "case__case_manager")
        .order_by(*order)
    )


# --- referrals ----------------------------------------------------------------------------------------------
REFERRAL_SORTS: Sorts = {
    "date": ("referred_on",),
    "client": ("case__client__name_search",),
    "status": ("status", "referred_on"),
    "feedback": (F("awaiting_since").asc(), "referred_on"),
}
STATUS_FILTER_ACTIVE = "active"
STATUS_FILTER_ALL = "all"


def awaiting_since() -> Greatest:
    """Since when the office has had no news from the partner: the later of status change and last feedback
    (PostgreSQL's GREATEST ignores NULL)."""
    return Greatest("status_changed_on", "last_feedback_on")


def feedback_overdue(referrals: QuerySet[ReferralWithAwaiting], day: date) -> QuerySet[ReferralWithAwaiting]:
    """Referrals still running whose partner has not reported for ``FEEDBACK_DUE_DAYS`` days."""
    return referrals.filter(status__in=ACTIVE_STATUSES, awaiting_since__lte=day - timedelta(days=FEEDBACK_DUE_DAYS))


def referral_list(
    *, user: AbstractBaseUser, office: ContactPoint, day: date, status: str = STATUS_FILTER_ACTIVE,
    group: str = "", overdue: bool = False, mine: bool = False, client_id: int | None = None,
    query: str = "", sort: str = "-date",
) -> QuerySet[ReferralWithAwaiting]:
    referrals = Referral.objects.for_user(user).filter(office=office).annotate(awaiting_since=awaiting_since())
    if status == STATUS_FILTER_ACTIVE:
        referrals = referrals.filter(status__in=ACTIVE_STATUSES)
    elif status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    if group:
        referrals = referrals.filter(offer__category__in=kinds_of_group(group))
    if overdue:
        referrals = feedback_overdue(referrals, day)
    if mine:
        # the case's manager as kept on the referral (referral_manager_running_idx), not a join to every case
        referrals = referrals.filter(Q(manager=user) | Q(referred_by=user))
    if client_id:
        referrals = referrals.filter(case__client_id=client_id)
    if query:
        condition = search_condition(query, prefix="case__client__")
        # the case's client is at the referral's office (a hand-over moves all three): the office's part of the
        # client indexes, not every office's clients of a city
        referrals = referrals.none() if condition is None else referrals.filter(condition,
                                                                                case__client__contact_point=office)
    if sort.removeprefix("-") == "client":
        # a case's client is at the case's office (the hand-over moves both): said here, the planner walks the
        # office's clients in name order (client_office_sort_idx) instead of sorting every referral of the office
        referrals = referrals.filter(case__client__contact_point=office)
    return referrals.select_related("case__client", "offer__partner", "paying_agency").order_by(
        *ordering(REFERRAL_SORTS, sort, "-date")
    )


def overdue_for_home(
    *, user: AbstractBaseUser, office: ContactPoint, day: date, team: bool,
) -> QuerySet[ReferralWithAwaiting]:
    """Start page: referrals awaiting feedback for 14 days; the team lead sees the office, others their own."""
    return referral_list(user=user, office=office, day=day, overdue=True, mine=not team, sort="feedback")


def referral_feedback(referral: Referral, *, masked: bool = False) -> QuerySet[Any]:
    """The partner's feedback, newest first; ``masked`` (a reader without need-to-know on an assessment referral)
    leaves the text in the database."""
    feedback = referral.feedback.select_related("recorded_by").order_by("-received_on", "-pk")
    return feedback.defer("text") if masked else feedback


def client_referrals(client: Client) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(case__client=client)
        .select_related("offer__partner", "paying_agency")
        .order_by("-referred_on", "-pk")
    )


def client_disclosures(client: Client) -> QuerySet[DisclosureRecord]:
    return (
        DisclosureRecord.objects.filter(client=client)
        .select_related("partner", "consent", "referral__offer", "recorded_by")
        .order_by("-disclosed_on", "-pk")
    )


def client_consents(client: Client) -> QuerySet[Consent]:
    return Consent.objects.filter(client=client).select_related("partner").order_by("-given_on", "-pk")


def valid_consents(*, client: Client, partner: Partner, day: date) -> QuerySet[Consent]:
    """Releases from confidentiality of this client towards this partner that are in force on ``day``."""
    return (
        Consent.objects.filter(client=client, partner=partner, given_on__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        .order_by("-given_on", "-pk")
    )


# --- employers and vacancies --------------------------------------------------------------------------------
VACANCY_SORTS: Sorts = {
    "date": ("acquired_on",),
    "title": ("title",),
    "employer": ("employer__name_search", "title"),
    "proposals": ("proposal_count", "acquired_on"),
}
VACANCY_FILTER_ALL = "all"


def with_proposal_counts(vacancies: QuerySet[Vacancy]) -> QuerySet[VacancyWithCounts]:
    return vacancies.annotate(
        proposal_count=Count("proposals"),
        hires=Count("proposals", filter=Q(proposals__result=ProposalResult.HIRED)),
        pending=Count("proposals", filter=Q(proposals__result="")),
    )


def vacancy_list(
    *, user: AbstractBaseUser, office: ContactPoint, status: str = VacancyStatus.OPEN, query: str = "",
    without_proposals: bool = False, employer_id: int | None = None, sort: str = "-date",
) -> QuerySet[VacancyWithCounts]:
    vacancies = Vacancy.objects.for_user(user).filter(employer__contact_point=office)
    if status in VacancyStatus.values:
        vacancies = vacancies.filter(status=status)
    if employer_id:
        vacancies = vacancies.filter(employer_id=employer_id)
    for word in query.split():
        folded = normalise_name(word)
        vacancies = vacancies.filter(
            Q(title__icontains=word) | Q(occupation__icontains=word) | Q(employer__name_search__contains=folded)
        )
    if without_proposals:
        vacancies = vacancies.filter(~Exists(PlacementProposal.objects.filter(vacancy=OuterRef("pk"))))
    return with_proposal_counts(vacancies).select_related("employer").order_by(
        *ordering(VACANCY_SORTS, sort, "-date")
    )


def vacancies_without_proposals(
    *, user: AbstractBaseUser, office: ContactPoint,
) -> QuerySet[VacancyWithCounts]:
    return vacancy_list(user=user, office=office, without_proposals=True, sort="date")


def vacancy_proposals(vacancy: Vacancy) -> QuerySet[PlacementProposal]:
    return vacancy.proposals.select_related("case__client", "proposed_by").order_by("-proposed_on", "-pk")


CANDIDATE_LIMIT = 10


def vacancy_candidates(*, user: AbstractBaseUser, vacancy: Vacancy, query: str) -> list[Case]:
    """Open cases of the vacancy's office whose client matches ``query`` and who were not yet proposed."""
    condition = search_condition(query, prefix="client__")
    if condition is None:
        return []
    cases = (
        Case.objects.for_user(user)
        .filter(contact_point_id=vacancy.employer.contact_point_id)
        .exclude(status=CaseStatus.CLOSED)
        .filter(condition, client__contact_point_id=vacancy.employer.contact_point_id)  # the office's clients
        .exclude(placement_proposals__vacancy=vacancy)
        .select_related("client", "case_manager")
        .order_by("client__name_search", "pk")
    )
    return list(cases[:CANDIDATE_LIMIT])


def client_proposals(client: Client) -> QuerySet[PlacementProposal]:
    return (
        PlacementProposal.objects.filter(case__client=client)
        .select_related("vacancy__employer")
        .order_by("-proposed_on", "-pk")
    )


def employer_contacts(partner: Partner) -> QuerySet[EmployerContact]:
    return partner.contacts.select_related("recorded_by").order_by("-occurred_on", "-pk")


def employers(office: ContactPoint) -> QuerySet[Partner]:
    return Partner.objects.filter(contact_point=office, kind=PartnerKind.EMPLOYER, active=True).order_by(
        "name_search", "pk"
    )


@dataclass(frozen=True)
class PartnerStats:
    active_referrals: int
    open_vacancies: int


def partner_stats(partner: Partner) -> PartnerStats:
    row = Partner.objects.filter(pk=partner.pk).aggregate(
        active_referrals=Count("offers__referrals", filter=Q(offers__referrals__status__in=ACTIVE_STATUSES)),
    )
    vacancies = partner.vacancies.filter(status=VacancyStatus.OPEN).count() if partner.is_employer else 0
    return PartnerStats(active_referrals=row["active_referrals"], open_vacancies=vacancies)


def auskunft_disclosures(client: Client) -> Rows:
    """Rows of the Auskunft part "data passed on to partners" (see cases/auskunft.py)."""
    from django.utils.formats import date_format

    from partners.models import DisclosureRecord

    rows = DisclosureRecord.objects.filter(client=client).select_related("partner").order_by("disclosed_on", "id")
    return [
        (date_format(r.disclosed_on, "d.m.Y"), r.partner.name, ", ".join(str(label) for label in r.data_labels()),
         r.get_basis_display())
        for r in rows
    ]
