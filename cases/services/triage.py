"""Reception triage (docs/domain.md §6 Kundensteuerung): record the concern and route the client to a case manager.

Routing opens a case when the client has none open in the office (status intake, opened today) or updates the
open one. The concern becomes a contact note (in person, today, written by the receptionist). Changing the
case manager of a case that already has one is a reassignment and needs the permission to reassign.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, Channel, Client, ContactNote, Segment
from cases.selectors import case_managers
from jobcenter.errors import DomainError
from jobcenter.models import Agency, ContactPoint

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class TriageError(DomainError):
    """Routing was refused."""


@dataclass(frozen=True)
class Routed:
    case: Case
    note: ContactNote
    case_opened: bool


def current_open_case(client: Client, office: ContactPoint) -> Case | None:
    """The client's case in ``office`` that is not closed, if any (a read; ``cases.services.cases.open_case``
    opens one)."""
    return (
        Case.objects.for_office(office.pk).filter(client=client).exclude(status=CaseStatus.CLOSED)
        .select_related("case_manager", "lead_agency").first()
    )


@transaction.atomic
def route_client(
    *, client: Client, office: ContactPoint, receptionist: User, concern: str, segment: str,
    case_manager: User, lead_agency: Agency | None = None, may_reassign: bool = False,
) -> Routed:
    concern = concern.strip()
    if not concern:
        raise TriageError(_("Describe the client's concern."), field="concern")
    if segment not in Segment.values:
        raise TriageError(_("Choose a customer segment."), field="segment")
    if client.contact_point_id != office.pk:
        raise TriageError(_("The client is not registered in your active contact point."))
    if not case_managers(office).filter(pk=case_manager.pk).exists():
        raise TriageError(_("Choose a case manager of this contact point."), field="case_manager")
    if lead_agency is not None and lead_agency.pk not in {office.employment_agency_id, office.welfare_agency_id}:
        raise TriageError(_("The lead agency must be one of the two agencies of this contact point."),
                          field="lead_agency")

    today = timezone.localdate()
    # Serialise routings of one client so two receptionists cannot open two cases at once.
    Client.objects.select_for_update(no_key=True).filter(pk=client.pk).values_list("pk", flat=True).get()
    case = current_open_case(client, office)
    opened = case is None
    if case is None:
        case = Case(client=client, contact_point=office, status=CaseStatus.INTAKE, opened_on=today)
    elif case.case_manager_id not in (None, case_manager.pk) and not may_reassign:
        current = case.case_manager
        assert current is not None  # case_manager_id is set
        raise TriageError(
            _("The open case is handled by %(name)s. Only the team lead can assign it to someone else.")
            % {"name": current.get_full_name() or current.get_username()},
            field="case_manager",
        )
    case.segment = segment
    case.case_manager = case_manager
    if lead_agency is not None:
        case.lead_agency = lead_agency
    case.last_contact_on = max(filter(None, [case.last_contact_on, today]))
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # the one-open-case constraint is the last line
        raise TriageError(_("The client already has an open case in this contact point.")) from error
    note = ContactNote.objects.create(
        case=case, author=receptionist, occurred_on=today, channel=Channel.IN_PERSON, text=concern,
    )
    return Routed(case=case, note=note, case_opened=opened)
