"""Joint sign-off of help plans by the agencies (``PlanSettings.joint_signoff_required``; docs/domain.md §4, §7).

A submitted plan (status "awaiting approval") needs the sign-off of a representative of every agency whose services
it commits: a plan with services of both agencies needs two, a plan with services of one agency needs one. The last
sign-off finalises the plan (``plans.finalise_locked``); a representative (or the Teamleitung) who disagrees returns
the plan with a reason (``plans.return_to_draft``), which voids the sign-offs given so far. Who may sign is
``integration_plans.access``; the rule itself is ``integration_plans.rules.signoff_refusal``. Every sign-off is a
``PlanSignoff`` row, tracked by the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_plans import access, rules
from integration_plans.errors import PlanError
from integration_plans.models import IntegrationPlan, PlanSettings, PlanSignoff, PlanStatus
from integration_plans.services.plans import committed_kinds, finalise_locked, refresh_paying
from jobcenter.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def signoff_state(plan: IntegrationPlan) -> rules.Signoffs:
    """Which agencies the plan commits and who signed off for which (the sign-offs not voided by a return)."""
    signed = {kind: user_id for kind, user_id in PlanSignoff.objects.filter(plan=plan, voided_at__isnull=True)
              .values_list("agency__kind", "signed_by_id")}
    return rules.Signoffs(required=committed_kinds(plan), signed=signed)


@transaction.atomic
def sign_off(*, plan: IntegrationPlan, agency_kind: str, by: User, on: date | None = None,
             render: bool = True) -> IntegrationPlan:
    """``by`` signs the submitted plan off for the office's agency of ``agency_kind``; when that was the last
    sign-off the plan needs, it is finalised (``by`` recorded as finaliser and approver).

    ``on`` dates a sign-off given on paper earlier (demo data); ``render=False`` leaves the PDF to be requested."""
    locked = (IntegrationPlan.objects.select_for_update(of=("self",))
              .select_related("case__contact_point__employment_agency", "case__contact_point__welfare_agency")
              .get(pk=plan.pk))
    office = locked.case.contact_point
    config = access.settings_of(office)
    if config is None or not access.joint_signoff(config):
        raise PlanError(_("At this contact point plans are not signed off by the agencies."))
    if locked.status != PlanStatus.PENDING_APPROVAL:
        raise PlanError(_("Only a plan submitted for sign-off can be signed off."))
    if not locked.case.is_open:
        raise PlanError(_("This case is closed; a plan needs an open case."))
    if agency_kind not in access.AGENCY_KINDS:
        raise PlanError(_("Choose the agency you sign off for."))
    today = timezone.localdate()
    if on is not None and on > today:
        raise PlanError(_("A sign-off cannot be dated in the future."))
    with pghistory.context(user=by.pk):
        refresh_paying(locked)  # who pays as of the plan's first day, as finalising will see it
        state = signoff_state(locked)
        problem = rules.signoff_refusal(state, kind=agency_kind, user_id=by.pk,
                                        may_sign=access.signable_kinds(by, office, config),
                                        one_person_signs_both=config.one_person_signs_both)
        if problem:
            raise PlanError(problem)
        signed_at = timezone.now() if on is None else timezone.make_aware(datetime.combine(on, time(10)))
        PlanSignoff.objects.create(plan=locked, agency=office.agency_of_kind(agency_kind), signed_by=by,
                                   signed_at=signed_at)
    after = rules.Signoffs(state.required, {**state.signed, agency_kind: by.pk})
    if after.complete:
        return finalise_locked(locked, by=by, finalised_on=on, render=render, approved=True)
    return locked


# --- for the plan page --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencySignoff:
    """One agency's line of the plan page's sign-off panel."""

    kind: str
    agency: Agency
    signoff: PlanSignoff | None  # given (or None: still missing)
    signatories: list[Any]  # who may give it (shown while it is missing)
    can_sign: bool  # the current user may give it now


@dataclass(frozen=True)
class SignoffPanel:
    rows: list[AgencySignoff]
    one_person_signs_both: bool
    represents: bool  # the user represents an agency the pending plan commits (may sign off or return it)

    @property
    def signable(self) -> list[AgencySignoff]:
        return [row for row in self.rows if row.can_sign]


def signoff_panel(plan: IntegrationPlan, user: Any, config: PlanSettings | None) -> SignoffPanel | None:
    """The agencies a plan needs (or got) the sign-off of, who signed when, who may still sign; None where there
    is nothing to show (the office has no joint sign-off and the plan never had any, or it was finalised without)."""
    office = plan.case.contact_point
    given = {s.agency.kind: s for s in PlanSignoff.objects.filter(plan=plan, voided_at__isnull=True)
             .select_related("agency", "signed_by")}
    if not access.joint_signoff(config) and not given:
        return None
    pending = plan.status == PlanStatus.PENDING_APPROVAL and config is not None and access.joint_signoff(config)
    required = committed_kinds(plan) if plan.status in (PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL) else frozenset(given)
    state = rules.Signoffs(required=required, signed={kind: s.signed_by_id for kind, s in given.items()})
    may_sign = access.signable_kinds(user, office, config) if pending else frozenset()
    rows = []
    for kind in access.AGENCY_KINDS:
        if kind not in required and kind not in given:
            continue
        can_sign = pending and config is not None and rules.signoff_refusal(
            state, kind=kind, user_id=user.pk, may_sign=may_sign,
            one_person_signs_both=config.one_person_signs_both) is None
        rows.append(AgencySignoff(
            kind=kind, agency=office.agency_of_kind(kind), signoff=given.get(kind),
            signatories=access.signatories(office, config, kind) if config is not None and kind not in given else [],
            can_sign=bool(can_sign)))
    if not rows:  # e.g. a plan finalised before the office introduced joint sign-off
        return None
    return SignoffPanel(rows=rows, one_person_signs_both=bool(config and config.one_person_signs_both),
                        represents=bool(may_sign & required))
