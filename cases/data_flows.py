"""Whose data the cases app shows: the kinds of client data recorded by one Träger (docs/domain.md §9) and, per
row shown, the Träger that recorded it, for ``jobcenter.access_log.shown_data``.

* a benefit belongs to the Träger that pays it (Alg/Alhi: Arbeitsamt, HLU: Sozialhilfeträger);
* a contact note to the Träger of its author (the home agency of their staff profile);
* a benefit application to the Träger of the staff member who received it.

A sensitive note whose text the reader may not see (``need_to_know``) is not counted: its content did not flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import BenefitApplication, BenefitEntitlement, Client
from jobcenter import access_log
from jobcenter.http import AuthenticatedHttpRequest

BENEFIT, NOTE, APPLICATION = "benefit", "note", "application"


def register_data_kinds() -> None:
    """Called from ``CasesConfig.ready``."""
    access_log.register_data_kind(BENEFIT, _("Benefit records"))
    access_log.register_data_kind(NOTE, _("Contact notes"))
    access_log.register_data_kind(APPLICATION, _("Applications for benefits"))


def _report(request: AuthenticatedHttpRequest, client: Client, data: str, carriers: Iterable[str | None]) -> None:
    access_log.shown_data(request, client_id=client.pk, office_id=client.contact_point_id, data=data,
                          recorded_by=carriers)


def benefits_shown(request: AuthenticatedHttpRequest, client: Client, benefits: Sequence[BenefitEntitlement]) -> None:
    _report(request, client, BENEFIT, [benefit.paying_agency_kind for benefit in benefits])


def notes_shown(request: AuthenticatedHttpRequest, client: Client, carriers: Sequence[str | None]) -> None:
    """The Träger of the authors of the notes whose text the page showed (the timeline selects them:
    ``TimelineEntry.carrier``)."""
    _report(request, client, NOTE, carriers)


def applications_shown(request: AuthenticatedHttpRequest, client: Client,
                       applications: Sequence[BenefitApplication]) -> None:
    """Applications annotated by ``with_recording_carrier``."""
    _report(request, client, APPLICATION, [getattr(a, "recorded_by_carrier", None) for a in applications])


def with_recording_carrier(applications: QuerySet[BenefitApplication]) -> QuerySet[BenefitApplication]:
    """The Träger of the staff member who received each application, in the same query."""
    return applications.annotate(recorded_by_carrier=F("received_by__staff_profile__home_agency__kind"))
