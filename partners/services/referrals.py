"""Writes of referrals (Beauftragung / Zuweisung): consent, the referral with its disclosure record, status
changes under the capacity rule, and partner feedback.

Capacity: a change that occupies a place (to accepted or started) locks the offer row (SELECT … FOR UPDATE)
before counting the places taken, so two clerks starting the last place at the same moment are served one
after the other and the second is refused. Locks are always taken referral first, then offer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, Client
from jobcenter.models import Agency
from partners import selectors
from partners.errors import OfferFullError, PartnerError
from partners.models import (
    Consent,
    DataCategory,
    DisclosureBasis,
    DisclosureRecord,
    Offer,
    Partner,
    PartnerGroup,
    Referral,
    ReferralFeedback,
    ReferralStatus,
)
from partners.notices import feedback_received
from partners.rules import (
    PayingDecision,
    PayingRuleError,
    can_transition,
    consent_required,
    decide_paying_agency,
    free_places,
    may_refer,
    takes_place,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


# --- consent ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsentInput:
    """A release from confidentiality as the form records it."""

    given_on: date
    scope: str
    data_categories: list[str]
    valid_until: date | None = None


def _check_consent_input(data: ConsentInput) -> None:
    if data.given_on > timezone.localdate():
        raise PartnerError(_("A release from confidentiality cannot be dated in the future."),
                           field="consent_given_on")
    if data.valid_until and data.valid_until < data.given_on:
        raise PartnerError(_("The release cannot expire before it was given."), field="consent_valid_until")
    if not data.scope.strip():
        raise PartnerError(_("State the scope and purpose of the release."), field="consent_scope")
    if not data.data_categories or set(data.data_categories) - set(DataCategory.values):
        raise PartnerError(_("Name the data the client allows to be shared."), field="consent_data")


@transaction.atomic
def record_consent(*, client: Client, partner: Partner, data: ConsentInput, by: User) -> Consent:
    if partner.contact_point_id != client.contact_point_id:
        raise PartnerError(_("The partner belongs to another contact point."))
    _check_consent_input(data)
    with pghistory.context(user=by.pk):
        return Consent.objects.create(
            client=client, partner=partner, given_on=data.given_on, valid_until=data.valid_until,
            scope=data.scope.strip(), data_categories=sorted(set(data.data_categories)), recorded_by=by,
        )


@transaction.atomic
def revoke_consent(*, consent: Consent, by: User, on: date | None = None) -> Consent:
    """The client withdraws the release; it no longer covers referrals from that day on."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.revoked_on is not None:
        raise PartnerError(_("This release has already been revoked."))
    on = on or timezone.localdate()
    if on < locked.given_on:
        raise PartnerError(_("A release cannot be revoked before it was given."))
    locked.revoked_on = on
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["revoked_on"])
    return locked


# --- who pays -----------------------------------------------------------------------------------------------
def paying_decision(
    *, case: Case, offer: Offer, day: date, override: str | None = None, reason: str = ""
) -> tuple[PayingDecision, Agency]:
    """The paying-agency rule applied to this client's benefits on ``day`` (``partners.rules``)."""
    try:
        decision = decide_paying_agency(
            category=offer.category, entitlements=list(case.client.benefits.all()), day=day,
            commissionable_by=offer.commissionable_by, override=override, reason=reason,
        )
    except PayingRuleError as error:
        raise PartnerError(error.message, field=error.field) from error
    return decision, case.contact_point.agency_of_kind(decision.agency_kind)


# --- referral -----------------------------------------------------------------------------------------------
def _check_offer_for(case: Case, offer: Offer, day: date) -> None:
    office = case.contact_point
    if offer.partner.contact_point_id != office.pk:
        raise PartnerError(_("This offer belongs to another contact point."))
    if offer.group == PartnerGroup.LABOUR_MARKET:  # pragma: no cover - offers of such partners are refused
        raise PartnerError(_("Labour-market partners are not commissioned with services."))
    if not may_refer(offer.category, office.enabled_modules):
        raise PartnerError(_("Referrals to this kind of offer are not switched on at this contact point."))
    if not offer.active or not offer.partner.active:
        raise PartnerError(_("This offer is no longer active."))
    if day < offer.valid_from or (offer.valid_until and day > offer.valid_until):
        raise PartnerError(_("The offer does not run on the referral date."), field="referred_on")


def _check_consent_for(consent: Consent, case: Case, offer: Offer, day: date, shared: set[str]) -> None:
    if consent.client_id != case.client_id or consent.partner_id != offer.partner_id:
        raise PartnerError(_("This release was given for another client or partner."), field="consent")
    if not consent.is_valid_on(day):
        raise PartnerError(_("This release is not in force on the referral date."), field="consent")
    beyond = shared - set(consent.data_categories)
    if beyond:
        labels = ", ".join(str(DataCategory(value).label) for value in sorted(beyond))
        raise PartnerError(_("The release does not cover: %(data)s.") % {"data": labels}, field="shared_data")


@transaction.atomic
def refer(
    *,
    case: Case,
    offer: Offer,
    purpose: str,
    shared_data: Collection[str],
    by: User,
    referred_on: date | None = None,
    planned_months: int = 3,
    consent: Consent | None = None,
    new_consent: ConsentInput | None = None,
    paying_override: str | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer the client of an open case to an offer (status "proposed") and log the disclosure.

    Social services need a release from confidentiality (an existing one or ``new_consent``, recorded here);
    so does passing on health, debt or family data to anyone. The paying agency follows the rule as of the
    referral date unless overridden with a reason."""
    case = Case.objects.select_for_update(of=("self",)).select_related(
        "client", "contact_point__employment_agency", "contact_point__welfare_agency"
    ).get(pk=case.pk)
    offer = Offer.objects.select_related("partner").get(pk=offer.pk)
    if case.status == CaseStatus.CLOSED:
        raise PartnerError(_("This case is closed; referrals need an open case."))
    today = timezone.localdate()
    day = referred_on or today
    if day > today:
        raise PartnerError(_("A referral cannot be dated in the future."), field="referred_on")
    if day < case.opened_on:
        raise PartnerError(_("A referral cannot be dated before the case was opened."), field="referred_on")
    _check_offer_for(case, offer, day)
    if not purpose.strip():
        raise PartnerError(_("State the purpose of the referral."), field="purpose")
    shared = set(shared_data)
    if not shared or shared - set(DataCategory.values):
        raise PartnerError(_("Name the data passed on to the partner."), field="shared_data")
    if not 1 <= planned_months <= 36:
        raise PartnerError(_("The planned duration is 1 to 36 months."), field="planned_months")
    if new_consent is not None and consent is None:
        consent = record_consent(client=case.client, partner=offer.partner, data=new_consent, by=by)
    elif consent is not None:  # the current row, locked against a revocation in the meantime
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent is not None:
        _check_consent_for(consent, case, offer, day, shared)
    elif consent_required(offer.category, shared):
        raise PartnerError(
            _("A release from confidentiality (Schweigepflichtentbindung) is required: for social services and "
              "whenever health, debt or family data are passed on."),
            field="consent_given_on",
        )
    decision, agency = paying_decision(case=case, offer=offer, day=day, override=paying_override,
                                       reason=override_reason)
    with pghistory.context(user=by.pk):
        referral = Referral.objects.create(
            case=case, offer=offer, referred_on=day, purpose=purpose.strip(), status=ReferralStatus.PROPOSED,
            status_changed_on=day, planned_months=planned_months, monthly_cost=offer.cost_per_month,
            paying_agency=agency, paying_basis=decision.basis, paying_override_reason=decision.reason,
            consent=consent, shared_data=sorted(shared), referred_by=by,
        )
        DisclosureRecord.objects.create(
            client=case.client, partner=offer.partner, referral=referral, consent=consent, disclosed_on=day,
            basis=DisclosureBasis.CONSENT if consent else DisclosureBasis.COMMISSION,
            data_categories=sorted(shared), recorded_by=by,
        )
    return referral


def _full(offer: Offer) -> OfferFullError:
    return OfferFullError(
        _("“%(offer)s” is fully booked: all %(places)s places are taken. Put the referral on the waiting list; "
          "it can be accepted as soon as a place is free.") % {"offer": offer.title, "places": offer.places}
    )


@transaction.atomic
def change_status(*, referral: Referral, status: str, by: User, on: date | None = None) -> Referral:
    """Move a referral along ``partners.rules.REFERRAL_TRANSITIONS``. Accepting or starting needs a free
    place; the waiting list is for full offers only."""
    locked = Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=referral.pk)
    if status not in ReferralStatus.values:
        raise PartnerError(_("Unknown referral status."))
    if not can_transition(locked.status, status):
        raise PartnerError(
            _("A referral cannot move from “%(current)s” to “%(target)s”.")
            % {"current": locked.get_status_display(), "target": ReferralStatus(status).label}
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise PartnerError(_("A status change cannot be dated in the future."))
    if on < locked.status_changed_on:
        raise PartnerError(_("The date is before the previous status change (%(date)s).")
                           % {"date": locked.status_changed_on.strftime("%d.%m.%Y")})
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.WAITING):
        if locked.case.status == CaseStatus.CLOSED:
            raise PartnerError(_("This case is closed; the referral can only be ended."))
        offer = Offer.objects.select_for_update().get(pk=locked.offer_id)  # serialises capacity decisions
        free = free_places(offer.places, selectors.taken_places(offer.pk))
        if takes_place(locked.status, status) and free == 0:
            raise _full(offer)
        if status == ReferralStatus.WAITING and free > 0:
            raise PartnerError(_("“%(offer)s” still has free places; accept the referral instead.")
                               % {"offer": offer.title})
    locked.status = status
    locked.status_changed_on = on
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["status", "status_changed_on", "updated_at"])
    return locked


@transaction.atomic
def record_feedback(*, referral: Referral, received_on: date, text: str, by: User) -> ReferralFeedback:
    """The partner's report; it resets the 14-day feedback reminder."""
    locked = Referral.objects.select_for_update(of=("self",)).select_related("case__client").get(pk=referral.pk)
    if not text.strip():
        raise PartnerError(_("Write down what the partner reported."), field="text")
    if received_on > timezone.localdate():
        raise PartnerError(_("Feedback cannot be dated in the future."), field="received_on")
    if received_on < locked.referred_on:
        raise PartnerError(_("Feedback cannot be dated before the referral."), field="received_on")
    with pghistory.context(user=by.pk):
        feedback = ReferralFeedback.objects.create(
            referral=locked, received_on=received_on, text=text.strip(), recorded_by=by
        )
        if locked.last_feedback_on is None or received_on > locked.last_feedback_on:
            locked.last_feedback_on = received_on
            locked.save(update_fields=["last_feedback_on", "updated_at"])
    feedback_received(locked, by=by)
    return feedback
