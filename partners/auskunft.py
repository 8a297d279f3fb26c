"""The partners app's parts of the Auskunft (``cases.auskunft``): releases from confidentiality, referrals to
partners, the partners' feedback, the disclosure log and placement proposals — as the client would read them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.auskunft import AuskunftPart, Rows, day, euros, person, register, text
from partners.models import Consent, DisclosureRecord, PlacementProposal, Referral, ReferralFeedback
from partners.selectors import auskunft_disclosures

if TYPE_CHECKING:
    from cases.models import Client


def _consents(client: Client) -> Rows:
    rows = Consent.objects.filter(client=client).select_related("partner").order_by("given_on", "id")
    return [(day(c.given_on), c.partner.name, c.scope, ", ".join(c.data_labels()), day(c.valid_until),
             day(c.revoked_on)) for c in rows]


def _offer(referral: Referral) -> str:
    return f"{referral.offer.title} ({referral.offer.partner.name})"


def _referrals(client: Client) -> Rows:
    rows = (Referral.objects.filter(case__client=client)
            .select_related("offer__partner", "paying_agency").order_by("referred_on", "id"))
    result = []
    for r in rows:
        cost = _("%(amount)s per month, planned for %(months)s months. Paid by %(agency)s, %(basis)s.") % {
            "amount": euros(r.monthly_cost), "months": r.planned_months, "agency": r.paying_agency.name,
            "basis": r.get_paying_basis_display(),
        }
        if r.paying_override_reason:
            cost += " " + _("Reason for deviating from the rule: %(reason)s") % {"reason": r.paying_override_reason}
        status = _("%(status)s since %(day)s") % {"status": r.get_status_display(), "day": day(r.status_changed_on)}
        result.append((day(r.referred_on), _offer(r), r.purpose, status, cost))  # the data passed on: disclosure log
    return result


def _feedback(client: Client) -> Rows:
    rows = (ReferralFeedback.objects.filter(referral__case__client=client)
            .select_related("referral__offer__partner", "recorded_by").order_by("received_on", "id"))
    return [(day(f.received_on), _offer(f.referral), f.text, person(f.recorded_by)) for f in rows]


def _proposals(client: Client) -> Rows:
    rows = (PlacementProposal.objects.filter(case__client=client)
            .select_related("vacancy__employer").order_by("proposed_on", "id"))
    return [(day(p.proposed_on), f"{p.vacancy.title} ({p.vacancy.employer.name})", text(p.get_result_display()),
             day(p.result_on), text(p.note)) for p in rows]


def register_parts() -> None:
    register(AuskunftPart("consents", gettext_lazy("Releases from confidentiality"), [
        gettext_lazy("given on"), gettext_lazy("partner"), gettext_lazy("scope and purpose"),
        gettext_lazy("data that may be shared"), gettext_lazy("valid until"), gettext_lazy("revoked on"),
    ], _consents, order=60, models=(Consent,)))
    register(AuskunftPart("referrals", gettext_lazy("Referrals to partners"), [
        gettext_lazy("referral date"), gettext_lazy("offer"), gettext_lazy("purpose"), gettext_lazy("status"),
        gettext_lazy("cost and paying agency"),
    ], _referrals, order=62, models=(Referral,)))
    register(AuskunftPart("feedback", gettext_lazy("Feedback from partners"), [
        gettext_lazy("received on"), gettext_lazy("offer"), gettext_lazy("feedback"), gettext_lazy("recorded by"),
    ], _feedback, order=64, models=(ReferralFeedback,)))
    register(AuskunftPart("disclosures", gettext_lazy("Data passed on to partners"), [
        gettext_lazy("disclosed on"), gettext_lazy("partner"), gettext_lazy("data passed on"), gettext_lazy("basis"),
    ], auskunft_disclosures, order=66, models=(DisclosureRecord,)))
    register(AuskunftPart("proposals", gettext_lazy("Placement proposals to employers"), [
        gettext_lazy("proposed on"), gettext_lazy("vacancy"), gettext_lazy("result"), gettext_lazy("result on"),
        gettext_lazy("note"),
    ], _proposals, order=68, models=(PlacementProposal,)))
