"""Writes of the cooperation agreements: record one, end one. Nothing is deleted; the audit trail (pghistory) keeps
every state, the parties and contact points included."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobcenter.cooperation.selectors import own_agency_ids
from jobcenter.errors import DomainError
from jobcenter.models import Agency, ContactPoint, CooperationAgreement

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AgreementError(DomainError):
    """A cooperation agreement that breaks a rule (period, parties, contact points)."""


def _day(value: date) -> str:
    return date_format(value, "d.m.Y")


@transaction.atomic
def create_agreement(*, title: str, scope: str, parties: Collection[Agency], contact_points: Collection[ContactPoint],
                     valid_from: date, valid_until: date | None, by: User) -> CooperationAgreement:
    """Record an agreement. At least two parties, one of them an agency of the user's own contact points (else the
    user could not see what they wrote); every contact point covered works for one of the parties; the period
    does not end before it starts."""
    if len(parties) < 2:
        raise AgreementError(_("An agreement needs at least two parties."), field="parties")
    if not {agency.pk for agency in parties} & own_agency_ids(by):
        raise AgreementError(_("One of the parties must be an agency of your contact point."), field="parties")
    party_ids = {agency.pk for agency in parties}
    outside = [office.name for office in contact_points
               if not {office.employment_agency_id, office.welfare_agency_id} & party_ids]
    if outside:
        raise AgreementError(
            _("These contact points work for none of the parties: %(names)s. Add their agency as a party or leave "
              "them out.") % {"names": ", ".join(sorted(outside))}, field="contact_points")
    if valid_until is not None and valid_until < valid_from:
        raise AgreementError(_("The agreement cannot end before it starts (%(start)s).") % {"start": _day(valid_from)},
                             field="valid_until")
    agreement = CooperationAgreement.objects.create(title=title, scope=scope, valid_from=valid_from,
                                                    valid_until=valid_until)
    agreement.parties.set(parties)
    agreement.contact_points.set(contact_points)
    return agreement


@transaction.atomic
def end_agreement(*, agreement: CooperationAgreement, until: date, reason: str) -> CooperationAgreement:
    """End the agreement on ``until`` (its last valid day). From the day after, no client can be handed over under
    it; earlier hand-overs stay as recorded. An agreement can be ended earlier than planned, never extended here."""
    agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
    if until < agreement.valid_from:
        raise AgreementError(_("The agreement cannot end before it starts (%(start)s).")
                             % {"start": _day(agreement.valid_from)}, field="valid_until")
    if agreement.valid_until is not None and until >= agreement.valid_until:
        raise AgreementError(_("The agreement already ends on %(end)s; it can only be ended earlier.")
                             % {"end": _day(agreement.valid_until)}, field="valid_until")
    agreement.valid_until = until
    agreement.end_reason = reason
    agreement.save(update_fields=["valid_until", "end_reason"])
    return agreement
