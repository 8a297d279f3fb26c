"""Reads of the cooperation agreements: who sees which, the list, the history, and the agreement that covers a
hand-over between two contact points on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.http import Http404
from django.utils.translation import gettext as _

from jobcenter.models import Agency, ContactPoint, CooperationAgreement
from jobcenter.scoping import contact_point_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

STATUSES = ("current", "ended", "all")

Party = CooperationAgreement.parties.through
Covered = CooperationAgreement.contact_points.through


def own_agency_ids(user: AbstractBaseUser | AnonymousUser) -> frozenset[int]:
    """The agencies (both Träger) of the contact points the user works in."""
    offices = ContactPoint.objects.filter(pk__in=contact_point_ids(user))
    return frozenset(pk for pair in offices.values_list("employment_agency_id", "welfare_agency_id") for pk in pair)


def visible_agreements(user: AbstractBaseUser | AnonymousUser) -> QuerySet[CooperationAgreement]:
    """The agreements one of whose parties is an agency of one of the user's contact points; every other agreement
    is answered with 404, as another office's data."""
    party = Party.objects.filter(cooperationagreement_id=OuterRef("pk"), agency_id__in=own_agency_ids(user))
    return CooperationAgreement.objects.filter(Exists(party))


def get_agreement_or_404(user: AbstractBaseUser | AnonymousUser, pk: int) -> CooperationAgreement:
    try:
        return visible_agreements(user).prefetch_related("parties", "contact_points").get(pk=pk)
    except CooperationAgreement.DoesNotExist:
        raise Http404 from None


def agreement_list(user: AbstractBaseUser | AnonymousUser, *, status: str, today: date
                   ) -> QuerySet[CooperationAgreement]:
    """The visible agreements, current (valid today or starting later), ended, or all; newest first, with the
    names of parties and contact points aggregated in the same query."""
    agreements = visible_agreements(user)
    running = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    if status == "current":
        agreements = agreements.filter(running)
    elif status == "ended":
        agreements = agreements.exclude(running)
    party_names = ArraySubquery(
        Party.objects.filter(cooperationagreement_id=OuterRef("pk")).order_by("agency__name").values("agency__name"))
    office_names = ArraySubquery(
        Covered.objects.filter(cooperationagreement_id=OuterRef("pk")).order_by("contactpoint__name")
        .values("contactpoint__name"))
    return agreements.annotate(party_names=party_names, office_names=office_names).order_by("-valid_from", "-id")


def covering_agreements(from_office: ContactPoint, to_office: ContactPoint) -> QuerySet[CooperationAgreement]:
    """Every agreement (in any period) that covers both contact points."""
    return CooperationAgreement.objects.filter(
        Exists(Covered.objects.filter(cooperationagreement_id=OuterRef("pk"), contactpoint_id=from_office.pk)),
        Exists(Covered.objects.filter(cooperationagreement_id=OuterRef("pk"), contactpoint_id=to_office.pk)),
    ).order_by("-valid_from", "-id")


def agreement_on(from_office: ContactPoint, to_office: ContactPoint, day: date) -> CooperationAgreement | None:
    """The agreement valid on ``day`` that covers both contact points (the one started last if several)."""
    running = Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    return covering_agreements(from_office, to_office).filter(running, valid_from__lte=day).first()


def target_offices(from_office: ContactPoint) -> QuerySet[ContactPoint]:
    """The contact points that share at least one agreement (in any period) with ``from_office``: the choices
    of a hand-over; whether an agreement is valid on the hand-over day is the service's rule."""
    shared = Covered.objects.filter(
        contactpoint_id=OuterRef("pk"),
        cooperationagreement__contact_points=from_office,
    )
    return ContactPoint.objects.filter(Exists(shared)).exclude(pk=from_office.pk).order_by("name")


# --- history -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    text: str


def _actor() -> Subquery:
    full = NullIf(Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField())), Value(""))
    users = get_user_model().objects.filter(pk=OuterRef("actor_id")).annotate(display=Coalesce(full, "username"))
    return Subquery(users.values("display")[:1])


def _with_actor(events: QuerySet[Any]) -> QuerySet[Any]:
    return (events.annotate(actor_id=Cast(KeyTextTransform("user", "pgh_context__metadata"), IntegerField()))
            .annotate(actor=_actor()))


def _period(valid_from: date, valid_until: date | None) -> str:
    start = valid_from.strftime("%d.%m.%Y")
    if valid_until is None:
        return _("from %(start)s, open-ended") % {"start": start}
    return _("%(start)s to %(end)s") % {"start": start, "end": valid_until.strftime("%d.%m.%Y")}


def agreement_history(agreement: CooperationAgreement) -> list[HistoryEntry]:
    """What happened to the agreement, newest first, from the audit trail: recorded, period changed or ended,
    parties and contact points added or removed (with who did it)."""
    entries: list[HistoryEntry] = []
    previous = None
    for event in _with_actor(agreement.events.order_by("pgh_id")):  # type: ignore[attr-defined]  # pghistory
        if previous is None:
            text = _("Agreement recorded: %(title)s, %(period)s") % {
                "title": event.title, "period": _period(event.valid_from, event.valid_until)}
        elif (event.valid_from, event.valid_until) != (previous.valid_from, previous.valid_until):
            text = _("Period changed to %(period)s") % {"period": _period(event.valid_from, event.valid_until)}
            if event.end_reason and event.end_reason != previous.end_reason:
                text += " – " + _("reason: %(reason)s") % {"reason": event.end_reason}
        elif (event.title, event.scope) != (previous.title, previous.scope):
            text = _("Title or scope changed")
        else:
            text = ""
        if text:
            entries.append(HistoryEntry(event.pgh_created_at, event.actor or "–", text))
        previous = event
    labels = {
        "party.add": _("Party added: %(name)s"), "party.remove": _("Party removed: %(name)s"),
        "contact_point.add": _("Contact point covered: %(name)s"),
        "contact_point.remove": _("Contact point no longer covered: %(name)s"),
    }
    for model_name, target, name_model in (("CooperationAgreementPartyEvent", "agency", Agency),
                                           ("CooperationAgreementContactPointEvent", "contactpoint", ContactPoint)):
        events = _with_actor(apps.get_model("jobcenter", model_name).objects.filter(cooperationagreement_id=agreement.pk))
        rows = list(events.values("pgh_created_at", "pgh_label", "actor", f"{target}_id"))
        names = dict(name_model.objects.filter(pk__in={row[f"{target}_id"] for row in rows}).values_list("pk", "name"))
        entries += [HistoryEntry(row["pgh_created_at"], row["actor"] or "–",
                                 labels[row["pgh_label"]] % {"name": names.get(row[f"{target}_id"], "–")})
                    for row in rows if row["pgh_label"] in labels]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
