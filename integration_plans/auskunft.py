"""The plans app's parts of the Auskunft (``cases.auskunft``): every version of the help plan / integration
agreement (with the agencies' sign-offs) with its steps, services and obligations, the checks of the obligations and
the hearings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.auskunft import AuskunftPart, Rows, day, euros, moment, person, register, text, yes_no
from integration_plans.models import (
    Hearing,
    IntegrationPlan,
    Obligation,
    ObligationCheck,
    PlanService,
    PlanSignoff,
    PlanStep,
)
from integration_plans.paying import basis_label

if TYPE_CHECKING:
    from cases.models import Client


def _version(plan: IntegrationPlan) -> str:
    return _("Version %(version)s of %(day)s") % {"version": plan.version, "day": day(plan.valid_from)}


def _signoff(signoff: PlanSignoff) -> str:
    value = f"{person(signoff.signed_by)}, {moment(signoff.signed_at)}"
    if signoff.voided_at:
        value += " " + _("(void: the plan was returned on %(when)s)") % {"when": moment(signoff.voided_at)}
    return value


def _plans(client: Client) -> Rows:
    """One row per stated fact of a plan version (plans have many long texts; a wide table would not fit)."""
    plans = (IntegrationPlan.objects.filter(case__client=client)
             .select_related("signed_by").order_by("case__opened_on", "case_id", "version")
             .prefetch_related(Prefetch("signoffs", queryset=PlanSignoff.objects.select_related("agency", "signed_by")
                                        .order_by("signed_at", "id"))))
    result: list[tuple[str, str, str]] = []
    for plan in plans:
        facts = [
            (_("form"), plan.get_kind_display()),
            (_("status"), plan.get_status_display()),
            (_("valid"), _("%(start)s to %(end)s") % {"start": day(plan.valid_from), "end": day(plan.valid_until)}),
            (_("review on"), day(plan.review_on)),
            (_("integration goal"), plan.goal),
            (_("placement efforts of the contact point"), plan.placement_efforts),
            (_("reason for the duration"), plan.decision_reason),
            (_("review clause"), plan.review_clause),
            (_("finalised at"), moment(plan.finalised_at) if plan.finalised_at else ""),
            (_("signed on"), day(plan.signed_on) if plan.signed_on else ""),
            (_("signed for the agencies by"), person(plan.signed_by) if plan.signed_by else ""),
            (_("note on the signature"), plan.signature_note),
            *((_("signed off for %(agency)s") % {"agency": signoff.agency.name}, _signoff(signoff))
              for signoff in plan.signoffs.all()),
            (_("note on returning the plan"), plan.return_note),
            (_("reviewed on"), day(plan.reviewed_on) if plan.reviewed_on else ""),
            (_("result of the review"), plan.review_note),
        ]
        shown = [(name[:1].upper() + name[1:], value) for name, value in facts if value]
        # the plan's name only on its first line: the following lines belong to it
        result.extend(((_version(plan) if i == 0 else ""), name, value) for i, (name, value) in enumerate(shown))
    return result


def _steps(client: Client) -> Rows:
    rows = (PlanStep.objects.filter(plan__case__client=client).select_related("plan")
            .order_by("plan__case_id", "plan__version", "position", "id"))
    return [(_version(s.plan), s.description, day(s.due_on), s.get_status_display()) for s in rows]


def _services(client: Client) -> Rows:
    rows = (PlanService.objects.filter(plan__case__client=client).select_related("plan", "paying_agency", "offer")
            .order_by("plan__case_id", "plan__version", "position", "id"))
    result = []
    for s in rows:
        paid = f"{s.paying_agency.name}, {basis_label(s.legal_basis)}"
        if s.paying_override_reason:
            paid += " " + _("Reason for deviating from the table: %(reason)s") % {"reason": s.paying_override_reason}
        description = s.description if not s.offer else f"{s.description} ({s.offer.title})".strip()
        result.append((_version(s.plan), s.get_kind_display(), text(description), paid, euros(s.estimated_cost)))
    return result


def _amount(obligation: Obligation) -> str:
    if obligation.quantity is None:
        return text(obligation.get_period_display())
    return f"{obligation.quantity} {obligation.get_period_display()}".strip()


def _obligations(client: Client) -> Rows:
    rows = (Obligation.objects.filter(plan__case__client=client).select_related("plan")
            .order_by("plan__case_id", "plan__version", "position", "id"))
    return [(_version(o.plan), text(o.get_kind_display()), text(o.description), _amount(o), text(o.proof))
            for o in rows]


def _checks(client: Client) -> Rows:
    rows = (ObligationCheck.objects.filter(obligation__plan__case__client=client)
            .select_related("obligation__plan").order_by("period_start", "id"))
    return [(f"{text(c.obligation.get_kind_display())}, {_version(c.obligation.plan)}",
             f"{day(c.period_start)} – {day(c.period_end)}", text(c.achieved), yes_no(c.fulfilled), text(c.note))
            for c in rows]


def _hearings(client: Client) -> Rows:
    rows = Hearing.objects.filter(case__client=client).order_by("opened_on", "id")
    result = []
    for h in rows:
        statement = text(h.statement)
        if h.statement_on:
            statement = f"{day(h.statement_on)}: {statement}"
        decision = text(h.decision)
        if h.decided_on:
            decision = _("%(day)s: good reason accepted: %(accepted)s; consequence: %(consequence)s. %(text)s") % {
                "day": day(h.decided_on), "accepted": yes_no(h.good_reason_accepted),
                "consequence": text(h.get_consequence_display()), "text": h.decision,
            }
            if h.legal_basis:
                decision += f" ({h.get_legal_basis_display()})"
        result.append((day(h.opened_on), h.get_reason_display(), h.breach, statement, decision))
    return result


def register_parts() -> None:
    register(AuskunftPart("plans", gettext_lazy("Help plans and integration agreements"), [
        gettext_lazy("help plan"), gettext_lazy("Field"), gettext_lazy("Value"),
    ], _plans, order=80, models=(IntegrationPlan, PlanSignoff)))
    register(AuskunftPart("plan_steps", gettext_lazy("Steps of the help plan"), [
        gettext_lazy("help plan"), gettext_lazy("step"), gettext_lazy("due on"), gettext_lazy("status"),
    ], _steps, order=81, models=(PlanStep,)))
    register(AuskunftPart("plan_services", gettext_lazy("Services of the agencies"), [
        gettext_lazy("help plan"), gettext_lazy("kind of service"), gettext_lazy("description"),
        gettext_lazy("paid by"), gettext_lazy("estimated cost (EUR)"),
    ], _services, order=82, models=(PlanService,)))
    register(AuskunftPart("obligations", gettext_lazy("Your own efforts (obligations)"), [
        gettext_lazy("help plan"), gettext_lazy("kind of obligation"), gettext_lazy("description"),
        gettext_lazy("quantity"), gettext_lazy("form of proof"),
    ], _obligations, order=83, models=(Obligation,)))
    register(AuskunftPart("obligation_checks", gettext_lazy("Checks of the obligations"), [
        gettext_lazy("obligation"), gettext_lazy("period"), gettext_lazy("achieved"), gettext_lazy("fulfilled"),
        gettext_lazy("note"),
    ], _checks, order=84, models=(ObligationCheck,)))
    register(AuskunftPart("hearings", gettext_lazy("Hearings"), [
        gettext_lazy("opened on"), gettext_lazy("occasion"), gettext_lazy("possible breach"),
        gettext_lazy("statement of the client"), gettext_lazy("decision"),
    ], _hearings, order=86, models=(Hearing,)))
