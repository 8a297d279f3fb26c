"""Hand a client over to another contact point under a cooperation agreement (docs/domain.md §3a).

Everything about a client is tied to a contact point through two columns: ``Client.contact_point`` (the client,
benefits, consents, disclosures: ``client__contact_point``) and ``Case.contact_point`` (notes, appointments,
profilings, referrals, plans with their documents: ``case__contact_point``); benefit applications carry their own
``contact_point``; plans, their obligations, hearings and referrals keep a copy of their case's contact point
(``office``, for the office's lists), which triggers on ``cases_case`` move with the case in the same statement
(integration_plans migration 0007, partners migration 0003). The hand-over moves all three in one transaction, so
the whole file (the stored documents are reached through their plan or assessment) goes to the receiving office and
none of it stays visible to the sending one, which keeps only the ``HandOver`` row. The case manager of the sending
office is taken off the open case (the receiving Teamleitung assigns one), the lead agency becomes the receiving
office's agency of the same Träger, and appointments still ahead are called off by the office. Every row written is
audited with the acting user.

This lives in the cases app: it may import ``jobcenter.cooperation`` (the agreement), never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NoReturn

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import (
    Appointment,
    AppointmentOutcome,
    BenefitApplication,
    CancelledBy,
    Case,
    CaseStatus,
    Client,
)
from cases.models_handover import HandOver
from cases.services.cases import is_staff_of
from jobcenter.cooperation.selectors import agreement_on, covering_agreements
from jobcenter.errors import DomainError
from jobcenter.models import ContactPoint
from jobcenter.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class HandOverError(DomainError):
    """A hand-over that breaks a rule: no agreement valid on the day, a number taken at the receiving office …"""


@dataclass(frozen=True)
class Moved:
    cases: int
    applications: int
    appointments_cancelled: int


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


def _period(valid_from: date, valid_until: date | None) -> str:
    if valid_until is None:
        return _("from %(start)s, open-ended") % {"start": _day(valid_from)}
    return _("%(start)s to %(end)s") % {"start": _day(valid_from), "end": _day(valid_until)}


def _refuse_without_agreement(from_office: ContactPoint, to_office: ContactPoint, on: date) -> NoReturn:
    """Explain why no agreement allows the hand-over on ``on``: none covers both offices, or none is valid then."""
    covering = list(covering_agreements(from_office, to_office))
    if not covering:
        raise HandOverError(
            _("No cooperation agreement covers %(from)s and %(to)s; a client can only be handed over between "
              "contact points that an agreement covers.") % {"from": from_office.name, "to": to_office.name},
            field="to_office")
    periods = "; ".join(f"„{a.title}“: {_period(a.valid_from, a.valid_until)}" for a in covering)
    raise HandOverError(
        _("No cooperation agreement between %(from)s and %(to)s is valid on %(day)s (%(periods)s). The agreement's "
          "period bounds the hand-over.") % {"from": from_office.name, "to": to_office.name, "day": _day(on),
                                             "periods": periods},
        field="handed_over_on")


def _check_numbers(client: Client, to_office: ContactPoint) -> None:
    """The customer and file numbers are unique per office: a duplicate at the receiving office is cleared first."""
    taken = Client.objects.filter(contact_point=to_office).exclude(pk=client.pk)
    if client.customer_number and taken.filter(customer_number=client.customer_number).exists():
        raise HandOverError(_("At %(office)s another client already has the customer number %(number)s. Clear up the "
                              "possible duplicate with the receiving office first.")
                            % {"office": to_office.name, "number": client.customer_number})
    if client.file_number and taken.filter(file_number=client.file_number).exists():
        raise HandOverError(_("At %(office)s another client already has the file number %(number)s. Clear up the "
                              "possible duplicate with the receiving office first.")
                            % {"office": to_office.name, "number": client.file_number})


@transaction.atomic
def hand_over(*, client: Client, to_office: ContactPoint, on: date, note: str, by: User) -> HandOver:
    """Hand ``client`` over to ``to_office`` on ``on`` (today or earlier) under the agreement that covers both
    contact points and is valid on that day; refuses otherwise. Moves the client, all their cases and benefit
    applications; records the ``HandOver`` (visible to both offices)."""
    locked = Client.objects.select_for_update(of=("self",)).select_related("contact_point").get(pk=client.pk)
    from_office = locked.contact_point
    if not (is_staff_of(by, from_office, Role.FALLMANAGER) or is_staff_of(by, from_office, Role.TEAMLEITUNG)):
        raise HandOverError(_("Only a case manager or the team lead of %(office)s may hand this client over.")
                            % {"office": from_office.name})
    if locked.anonymised_at is not None:
        raise HandOverError(_("This client has been anonymised and cannot be handed over."))
    if to_office.pk == from_office.pk:
        raise HandOverError(_("The client is already registered at %(office)s.") % {"office": to_office.name},
                            field="to_office")
    if on > timezone.localdate():
        raise HandOverError(_("A hand-over cannot be dated in the future: the file moves now."),
                            field="handed_over_on")
    agreement = agreement_on(from_office, to_office, on)
    if agreement is None:
        _refuse_without_agreement(from_office, to_office, on)
    _check_numbers(locked, to_office)
    cases = list(Case.objects.select_for_update(of=("self",)).select_related("lead_agency").filter(client=locked))
    open_cases = [case for case in cases if case.status != CaseStatus.CLOSED]
    if len(open_cases) > 1:
        raise HandOverError(_("The client has more than one open case; close the others before the hand-over."))
    with pghistory.context(user=by.pk, handover_to=to_office.pk):
        moved = _move(locked, cases, from_office, to_office)
        locked.contact_point = to_office
        locked.save(update_fields=["contact_point", "updated_at"])
        return HandOver.objects.create(
            client=locked, case=open_cases[0] if open_cases else None, from_office=from_office, to_office=to_office,
            agreement=agreement, handed_over_on=on, note=note, by=by, cases_moved=moved.cases,
            applications_moved=moved.applications, appointments_cancelled=moved.appointments_cancelled)


def _move(client: Client, cases: list[Case], from_office: ContactPoint, to_office: ContactPoint) -> Moved:
    for case in cases:
        case.contact_point = to_office
        if case.lead_agency is not None:  # the same Träger's agency at the receiving office
            case.lead_agency = to_office.agency_of_kind(case.lead_agency.kind)
        fields = ["contact_point", "lead_agency", "updated_at"]
        if case.is_open:  # the sending office's case manager no longer works on it: the receiving team lead assigns
            case.case_manager = None
            case.assignment_seen_at = None
            fields += ["case_manager", "assignment_seen_at"]
        case.save(update_fields=fields)
    applications = BenefitApplication.objects.filter(client=client).update(contact_point=to_office)
    ahead = Appointment.objects.filter(case__client=client, starts_at__gt=timezone.now(), outcome="")
    cancelled = ahead.update(
        outcome=AppointmentOutcome.CANCELLED, cancelled_by=CancelledBy.OFFICE,
        outcome_note=_("Called off: the client was handed over from %(from)s to %(to)s.")
        % {"from": from_office.name, "to": to_office.name})
    return Moved(cases=len(cases), applications=applications, appointments_cancelled=cancelled)
