"""Writes of the module Antragsannahme: benefit applications received at the office and forwarded to their agency.

Life of an application: received → forwarded (to the office's Arbeitsamt or Sozialhilfeträger) → decided;
withdrawn is possible until it is decided.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ApplicationKind, ApplicationStatus, BenefitApplication, Client
from jobcenter.errors import DomainError
from jobcenter.models import Agency, ContactPoint

# Which agency handles a kind of application: Alg/Alhi the Arbeitsamt (SGB III), HLU and one-off
# assistance the Sozialhilfeträger (BSHG); "other" has no default and is chosen by hand.
AGENCY_KIND_FOR = {
    ApplicationKind.ALG: Agency.Kind.ARBEITSAMT,
    ApplicationKind.ALHI: Agency.Kind.ARBEITSAMT,
    ApplicationKind.HLU: Agency.Kind.SOZIALHILFE,
    ApplicationKind.ONE_OFF: Agency.Kind.SOZIALHILFE,
}

# Allowed status changes by hand (forwarding has its own service).
STATUS_CHANGES: dict[str, frozenset[str]] = {
    ApplicationStatus.RECEIVED: frozenset({ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.FORWARDED: frozenset({ApplicationStatus.DECIDED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.DECIDED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}


class ApplicationError(DomainError):
    """A broken rule of the application workflow."""


def default_agency(*, kind: str, office: ContactPoint) -> Agency | None:
    """The agency an application of ``kind`` goes to from ``office`` (None: the user chooses)."""
    wanted = AGENCY_KIND_FOR.get(ApplicationKind(kind)) if kind in ApplicationKind.values else None
    if wanted is None:
        return None
    return office.agency_of_kind(wanted)


@transaction.atomic
def record_application(
    *, client: Client, by: AbstractBaseUser, kind: str, received_on: date, note: str = ""
) -> BenefitApplication:
    """Record an application handed in at the client's contact point."""
    if kind not in ApplicationKind.values:
        raise ApplicationError(_("Choose the kind of application."), field="kind")
    if received_on > timezone.localdate():
        raise ApplicationError(_("An application cannot be received in the future."), field="received_on")
    return BenefitApplication.objects.create(
        client=client, contact_point_id=client.contact_point_id, kind=kind, received_on=received_on,
        note=note.strip(), received_by=by,
    )


@transaction.atomic
def forward_application(
    *, application: BenefitApplication, by: AbstractBaseUser, agency: Agency, forwarded_on: date
) -> BenefitApplication:
    """Forward a received application to one of the office's two agencies."""
    locked = BenefitApplication.objects.select_for_update().select_related("contact_point").get(pk=application.pk)
    if locked.status != ApplicationStatus.RECEIVED:
        raise ApplicationError(_("Only a received application that has not been forwarded can be forwarded."))
    if agency.pk not in {locked.contact_point.employment_agency_id, locked.contact_point.welfare_agency_id}:
        raise ApplicationError(_("Choose one of the two agencies of this contact point."), field="forwarded_to")
    if forwarded_on < locked.received_on:
        raise ApplicationError(
            _("An application cannot be forwarded before it was received (%(date)s).")
            % {"date": locked.received_on.strftime("%d.%m.%Y")},
            field="forwarded_on",
        )
    if forwarded_on > timezone.localdate():
        raise ApplicationError(_("The forwarding date cannot lie in the future."), field="forwarded_on")
    locked.forwarded_to = agency
    locked.forwarded_on = forwarded_on
    locked.status = ApplicationStatus.FORWARDED
    locked.save(update_fields=["forwarded_to", "forwarded_on", "status"])
    return locked


@transaction.atomic
def set_application_status(
    *, application: BenefitApplication, by: AbstractBaseUser, status: str
) -> BenefitApplication:
    """Mark an application decided (after forwarding) or withdrawn (until decided)."""
    locked = BenefitApplication.objects.select_for_update().get(pk=application.pk)
    if status not in STATUS_CHANGES.get(locked.status, frozenset()):
        if status == ApplicationStatus.DECIDED and locked.status == ApplicationStatus.RECEIVED:
            raise ApplicationError(_("Forward the application before marking it decided."), field="status")
        raise ApplicationError(
            _("An application that is “%(current)s” cannot be set to “%(new)s”.")
            % {"current": locked.get_status_display(), "new": ApplicationStatus(status).label
               if status in ApplicationStatus.values else status},
            field="status",
        )
    locked.status = status
    locked.save(update_fields=["status"])
    return locked
