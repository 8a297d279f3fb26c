"""Writes of help plans: create (pre-filled from the profiling), save a draft (optimistic locking), submit,
approve/return, finalise (freeze the content, choose the legal notices, start the PDF), sign, Fortschreibung,
discard, step status, expiry.

Every function is keyword-only, runs in one transaction, locks the plan row (``SELECT … FOR UPDATE``) before it
reads the state it checks, and raises ``PlanError`` with a translated message when a rule is broken. The acting
user goes into the history context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from cases.rules import can_transition
from cases.services.cases import change_status, is_staff_of
from integration_plans import access, rules
from integration_plans import notices as plan_notices
from integration_plans.content import build_content, checksum
from integration_plans.errors import EditConflict, FinaliseRefused, PlanError
from integration_plans.models import (
    IN_FORCE_STATUSES,
    OPEN_STATUSES,
    DocumentState,
    IntegrationPlan,
    LegalBasis,
    LegalNotice,
    Obligation,
    PlanKind,
    PlanService,
    PlanSettings,
    PlanSignoff,
    PlanStatus,
    PlanStep,
    ServiceKind,
    StepStatus,
)
from integration_plans.paying import BOTH_AGENCIES, decide_service_paying
from integration_plans.proposals import latest_service_proposals
from integration_plans.wording import proposed_service_description
from jobcenter import documents
from jobcenter.models import Agency, ContactPoint
from jobcenter.roles import Role
from jobcenter.tasking import enqueue_on_commit
from partners.models import Offer
from partners.rules import PayingRuleError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# --- inputs (what the editor hands over) --------------------------------------------------------------------
@dataclass(frozen=True)
class PlanInput:
    kind: str
    goal: str
    placement_efforts: str
    valid_from: date
    valid_until: date
    review_on: date
    decision_reason: str = ""
    review_clause: str = ""


@dataclass(frozen=True)
class StepInput:
    id: int | None
    description: str
    due_on: date | None = None
    status: str = StepStatus.OPEN


@dataclass(frozen=True)
class ServiceInput:
    id: int | None
    kind: str
    description: str = ""
    offer: Offer | None = None
    estimated_cost: Decimal | None = None
    paying_override: str = ""
    override_reason: str = ""


@dataclass(frozen=True)
class ObligationInput:
    id: int | None
    kind: str
    description: str = ""
    quantity: int | None = None
    period: str = ""
    proof: str = ""


class ItemError(PlanError):
    """A broken rule in one row of the editor: ``section`` (steps/services/obligations), ``index`` (0-based)."""

    def __init__(self, message: str, *, section: str, index: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.section = section
        self.index = index


# --- helpers ------------------------------------------------------------------------------------------------
def approval_required(office: ContactPoint) -> bool:
    """Does the office's Teamleitung approve plans (``PlanSettings.approval_required``)? Joint sign-off by the
    agencies is ``integration_plans.access.joint_signoff``; who must submit is ``access.must_submit``."""
    return PlanSettings.objects.filter(contact_point=office, approval_required=True).exists()


def committed_kinds(plan: IntegrationPlan) -> frozenset[str]:
    """The kinds of agency whose money the plan's services commit (each service's paying agency)."""
    return frozenset(PlanService.objects.filter(plan=plan).values_list("paying_agency__kind", flat=True).distinct())


def _lock(plan: IntegrationPlan) -> IntegrationPlan:
    return (
        IntegrationPlan.objects.select_for_update(of=("self",))
        .select_related("case__client", "case__case_manager", "case__contact_point__employment_agency",
                        "case__contact_point__welfare_agency", "previous")
        .get(pk=plan.pk)
    )


def with_items(queryset: Any) -> Any:
    """Prefetch what the content snapshot prints (a constant number of queries)."""
    return queryset.prefetch_related(
        Prefetch("steps", queryset=PlanStep.objects.order_by("position", "id")),
        Prefetch("services", queryset=PlanService.objects.select_related("offer__partner", "paying_agency")
                 .order_by("position", "id")),
        Prefetch("obligations", queryset=Obligation.objects.order_by("position", "id")),
    )


def _reload(plan: IntegrationPlan) -> IntegrationPlan:
    return with_items(IntegrationPlan.objects.select_related(
        "case__client", "case__case_manager", "case__contact_point__employment_agency",
        "case__contact_point__welfare_agency", "previous",
    )).get(pk=plan.pk)


def _conflict(plan: IntegrationPlan) -> EditConflict:
    when = formats.date_format(timezone.localtime(plan.updated_at), "d.m.Y H:i")
    who = plan.updated_by.get_full_name() or plan.updated_by.get_username()
    return EditConflict(
        _("%(name)s saved this plan at %(when)s, after you opened it. Your changes were not saved; they are shown "
          "below. Check the current version (open it in a new tab) and save again to overwrite it.")
        % {"name": who, "when": when},
        current=plan.edit_count,
    )


def _move_case(case: Case, target: str, by: User) -> None:
    """Advance the case (profiling → planning, planning → implementation) where the lifecycle allows it."""
    if case.status != CaseStatus.CLOSED and can_transition(case.status, target):
        change_status(case=case, status=target, by=by)


def _entitlements(case: Case) -> list[Any]:
    return list(case.client.benefits.all())


def _paying(case: Case, kind: str, offer: Offer | None, day: date, override: str, reason: str,
            index: int) -> tuple[Agency, str, str]:
    try:
        decision = decide_service_paying(
            kind=kind, entitlements=_entitlements(case), day=day,
            commissionable_by=offer.commissionable_by if offer else BOTH_AGENCIES,
            override=override or None, reason=reason,
        )
    except PayingRuleError as error:
        raise ItemError(error.message, section="services", index=index, field=error.field) from error
    return case.contact_point.agency_of_kind(decision.agency_kind), decision.basis, decision.reason


# --- create -------------------------------------------------------------------------------------------------
@transaction.atomic
def create_plan(*, case: Case, by: User, valid_from: date | None = None) -> IntegrationPlan:
    """Version 1 of a case's plan, as a draft valid for six months; services pre-filled from the offer
    proposals of the latest profiling. Moves the case from "profiling" to "planning"."""
    locked = Case.objects.select_for_update(of=("self",)).select_related(
        "client", "contact_point__employment_agency", "contact_point__welfare_agency").get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise PlanError(_("This case is closed; a plan needs an open case."))
    if IntegrationPlan.objects.filter(case=locked).exists():
        raise PlanError(_("This case already has a plan. Continue the latest version instead (Fortschreibung)."))
    start = valid_from or timezone.localdate()
    until, review = rules.default_validity(start)
    with pghistory.context(user=by.pk):
        plan = IntegrationPlan.objects.create(
            case=locked, office_id=locked.contact_point_id, version=1, valid_from=start, valid_until=until,
            review_on=review, created_by=by, updated_by=by,
        )
        for position, proposal in enumerate(latest_service_proposals(locked, by)):
            if proposal.offer_category not in ServiceKind.values:
                continue
            agency, basis, _reason = _paying(locked, proposal.offer_category, None, start, "", "", position)
            PlanService.objects.create(
                plan=plan, position=position, kind=proposal.offer_category,
                description=proposed_service_description(kind=proposal.offer_category, title=proposal.title,
                                                         dimension=proposal.dimension),
                paying_agency=agency, legal_basis=basis, from_profiling=True,
            )
        _move_case(locked, CaseStatus.PLANNING, by)
    return plan


# --- edit ---------------------------------------------------------------------------------------------------
def _check_dates(data: PlanInput) -> None:
    if data.valid_until < data.valid_from:
        raise PlanError(_("The plan cannot end before it starts."), field="valid_until")
    if not data.valid_from <= data.review_on <= data.valid_until:
        raise PlanError(_("The review date must lie within the validity of the plan."), field="review_on")


def _sync_steps(plan: IntegrationPlan, steps: Sequence[StepInput]) -> None:
    existing = {step.pk: step for step in plan.steps.all()}
    keep = set()
    for position, item in enumerate(steps):
        if item.status not in StepStatus.values:
            raise ItemError(_("Unknown step status."), section="steps", index=position, field="status")
        step = existing.get(item.id) if item.id else None
        if step is None:
            step = PlanStep(plan=plan)
        step.position, step.description, step.due_on, step.status = (
            position, item.description.strip(), item.due_on, item.status)
        step.save()
        keep.add(step.pk)
    PlanStep.objects.filter(plan=plan).exclude(pk__in=keep).delete()


def _sync_services(plan: IntegrationPlan, services: Sequence[ServiceInput], valid_from: date,
                   valid_until: date) -> None:
    case = plan.case
    existing = {service.pk: service for service in plan.services.all()}
    keep = set()
    for position, item in enumerate(services):
        if item.kind not in ServiceKind.values:
            raise ItemError(_("Choose the kind of service."), section="services", index=position, field="kind")
        offer = item.offer
        if offer is not None:
            if offer.partner.contact_point_id != case.contact_point_id:
                raise ItemError(_("This offer belongs to another contact point."), section="services",
                                index=position, field="offer")
            if offer.category != item.kind:
                raise ItemError(
                    _("The offer is of another kind (%(kind)s); choose that kind or another offer.")
                    % {"kind": offer.get_category_display()}, section="services", index=position, field="offer")
        agency, basis, reason = _paying(case, item.kind, offer, valid_from, item.paying_override,
                                        item.override_reason, position)
        cost = item.estimated_cost
        if cost is None and offer is not None:
            cost = offer.cost_per_month * rules.validity_months(valid_from, valid_until)
        service = existing.get(item.id) if item.id else None
        if service is None:
            service = PlanService(plan=plan)
        elif service.kind != item.kind:
            service.from_profiling = False
        service.position, service.kind, service.description, service.offer = (
            position, item.kind, item.description.strip(), offer)
        service.paying_agency, service.legal_basis, service.paying_override_reason = agency, basis, reason
        service.estimated_cost = cost
        service.save()
        keep.add(service.pk)
    PlanService.objects.filter(plan=plan).exclude(pk__in=keep).delete()


def _sync_obligations(plan: IntegrationPlan, obligations: Sequence[ObligationInput]) -> None:
    existing = {obligation.pk: obligation for obligation in plan.obligations.all()}
    keep = set()
    for position, item in enumerate(obligations):
        obligation = existing.get(item.id) if item.id else None
        if obligation is None:
            obligation = Obligation(plan=plan)
        obligation.position, obligation.kind, obligation.description = position, item.kind, item.description.strip()
        obligation.quantity, obligation.period, obligation.proof = item.quantity, item.period, item.proof.strip()
        obligation.save()
        keep.add(obligation.pk)
    Obligation.objects.filter(plan=plan).exclude(pk__in=keep).delete()


@transaction.atomic
def save_draft(
    *,
    plan: IntegrationPlan,
    expected_edit_count: int,
    data: PlanInput,
    steps: Sequence[StepInput],
    services: Sequence[ServiceInput],
    obligations: Sequence[ObligationInput],
    by: User,
) -> IntegrationPlan:
    """Save the whole draft (plan fields and every row). Refused when someone saved since ``expected_edit_count``
    was read; incomplete content is allowed in a draft (finalising checks it)."""
    locked = _lock(plan)
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be edited; this plan is “%(status)s”.")
                        % {"status": locked.get_status_display()})
    if locked.edit_count != expected_edit_count:
        raise _conflict(locked)
    if data.kind not in PlanKind.values:
        raise PlanError(_("Choose the form of the plan."), field="kind")
    _check_dates(data)
    with pghistory.context(user=by.pk):
        _sync_steps(locked, steps)
        _sync_services(locked, services, data.valid_from, data.valid_until)
        _sync_obligations(locked, obligations)
        for name in ("kind", "valid_from", "valid_until", "review_on"):
            setattr(locked, name, getattr(data, name))
        for name in ("goal", "placement_efforts", "decision_reason", "review_clause"):
            setattr(locked, name, getattr(data, name).strip())
        locked.edit_count += 1
        locked.updated_by = by
        locked.return_note = ""
        locked.save()
    return locked


# --- finalise -----------------------------------------------------------------------------------------------
def draft_of(plan: IntegrationPlan) -> rules.PlanDraft:
    """The plan's content as the finalise rules see it (items prefetched or queried)."""
    return rules.PlanDraft(
        kind=plan.kind, goal=plan.goal, valid_from=plan.valid_from, valid_until=plan.valid_until,
        review_on=plan.review_on, decision_reason=plan.decision_reason, review_clause=plan.review_clause,
        services=len(plan.services.all()),
        obligations=[rules.ObligationDraft(o.kind, o.description, o.quantity, o.period, o.proof)
                     for o in plan.obligations.all()],
    )


def notices_for(case: Case, day: date) -> tuple[list[LegalNotice], list[str]]:
    """The legal notices in force on ``day`` for the client's benefits on that day, and the bases lacking one."""
    bases = rules.legal_bases_on(_entitlements(case), day)
    found = {
        notice.basis: notice
        for notice in LegalNotice.objects.filter(basis__in=bases, valid_from__lte=day)
        .exclude(valid_until__lt=day)
    }
    return [found[basis] for basis in bases if basis in found], [basis for basis in bases if basis not in found]


def refresh_paying(plan: IntegrationPlan) -> None:
    """Re-derive who pays for every service as of the plan's first day (benefits may have changed since the
    draft was saved); overridden services keep their override."""
    entitlements = _entitlements(plan.case)
    for service in plan.services.select_related("offer"):
        if service.paying_override_reason:
            continue
        derived = decide_service_paying(
            kind=service.kind, entitlements=entitlements, day=plan.valid_from,
            commissionable_by=service.offer.commissionable_by if service.offer else BOTH_AGENCIES,
        )
        agency = plan.case.contact_point.agency_of_kind(derived.agency_kind)
        if (service.paying_agency_id, service.legal_basis) != (agency.pk, derived.basis):
            service.paying_agency, service.legal_basis = agency, derived.basis
            service.save(update_fields=["paying_agency", "legal_basis"])


def finalise_problems(plan: IntegrationPlan, day: date) -> list[rules.Problem]:
    problems = rules.finalise_problems(draft_of(plan))
    if plan.valid_until < day:
        problems.append(rules.Problem(_("The validity has already ended; adjust the dates."), fields=("valid_until",)))
    _found, missing = notices_for(plan.case, day)
    for basis in missing:
        problems.append(rules.Problem(
            _("No legal notice on consequences is in force for %(basis)s; an administrator must add one.")
            % {"basis": LegalBasis(basis).label}))
    return problems


def _refuse(problems: list[rules.Problem]) -> FinaliseRefused:
    return FinaliseRefused(_("The plan cannot be finalised yet. Missing:"), problems)


def _check_editor(locked: IntegrationPlan, expected_edit_count: int | None) -> None:
    if expected_edit_count is not None and locked.edit_count != expected_edit_count:
        raise _conflict(locked)


@transaction.atomic
def submit_for_approval(*, plan: IntegrationPlan, by: User, expected_edit_count: int | None = None) -> IntegrationPlan:
    """Hand a complete draft to the team lead (offices that require approval) or, with joint sign-off, to the
    representatives of the agencies whose services it commits. The draft is locked meanwhile."""
    locked = _lock(plan)
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be submitted for approval."))
    _check_editor(locked, expected_edit_count)
    problems = finalise_problems(with_items(IntegrationPlan.objects).get(pk=locked.pk), timezone.localdate())
    if problems:
        raise _refuse(problems)
    office = locked.case.contact_point
    config = access.settings_of(office)
    if config is not None and access.joint_signoff(config):
        for kind in sorted(committed_kinds(locked)):
            if not access.signatories(office, config, kind):
                raise PlanError(_("Nobody at this contact point may sign off plans for %(agency)s yet; an "
                                  "administrator must name a representative in the plan settings.")
                                % {"agency": office.agency_of_kind(kind).name})
    with pghistory.context(user=by.pk):
        locked.status = PlanStatus.PENDING_APPROVAL
        locked.submitted_at, locked.submitted_by, locked.return_note = timezone.now(), by, ""
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "return_note", "updated_at"])
    return locked


@transaction.atomic
def return_to_draft(*, plan: IntegrationPlan, by: User, note: str) -> IntegrationPlan:
    """The team lead (or, with joint sign-off, a representative of an agency the plan commits) sends a submitted
    plan back with a note on what to change; sign-offs already given become void (the plan is signed off afresh
    once it is submitted again)."""
    locked = _lock(plan)
    office = locked.case.contact_point
    config = access.settings_of(office)
    representative = bool(access.signable_kinds(by, office, config) & committed_kinds(locked))
    if not representative and not is_staff_of(by, office, Role.TEAMLEITUNG):
        if access.joint_signoff(config):
            raise PlanError(_("Only the team lead or a representative of an agency whose services the plan "
                              "commits may return it."))
        raise PlanError(_("Only the team lead of this contact point may return a plan."))
    if locked.status != PlanStatus.PENDING_APPROVAL:
        raise PlanError(_("Only a plan awaiting approval can be returned."))
    if not note.strip():
        raise PlanError(_("Write what should be changed."), field="note")
    with pghistory.context(user=by.pk):
        for signoff in PlanSignoff.objects.filter(plan=locked, voided_at__isnull=True):
            signoff.voided_at = timezone.now()
            signoff.save(update_fields=["voided_at"])
        locked.status, locked.return_note = PlanStatus.DRAFT, note.strip()
        locked.edit_count += 1
        locked.updated_by = by
        locked.save(update_fields=["status", "return_note", "edit_count", "updated_by", "updated_at"])
    plan_notices.plan_returned(locked, by=by)
    return locked


@transaction.atomic
def finalise(
    *, plan: IntegrationPlan, by: User, expected_edit_count: int | None = None, finalised_on: date | None = None,
    render: bool = True,
) -> IntegrationPlan:
    """Freeze the plan: check the rules, choose the legal notices in force today for the client's benefits,
    store the content snapshot with its checksum, supersede the previous version, start the PDF (after commit).
    Where the office requires approval, only its team lead finalises (that is the approval).

    ``finalised_on`` records a plan agreed on paper earlier (not in the future); ``render=False`` leaves the PDF
    to be requested on demand (demo data, imports)."""
    locked = _lock(plan)
    if locked.status not in OPEN_STATUSES:
        raise PlanError(_("This plan has already been finalised."))
    _check_editor(locked, expected_edit_count)
    office = locked.case.contact_point
    if access.joint_signoff(access.settings_of(office)):
        raise PlanError(_("At this contact point a representative of each agency whose services the plan commits "
                          "signs it off; the last sign-off finalises it. Submit the plan for sign-off."))
    is_lead = is_staff_of(by, office, Role.TEAMLEITUNG)
    needs_approval = approval_required(office)
    if needs_approval and not is_lead:
        raise PlanError(_("At this contact point the team lead approves plans before they are finalised. "
                          "Submit the plan for approval."))
    if locked.status == PlanStatus.PENDING_APPROVAL and not is_lead:
        raise PlanError(_("This plan awaits the team lead's approval."))
    return finalise_locked(locked, by=by, finalised_on=finalised_on, render=render,
                           approved=needs_approval or locked.status == PlanStatus.PENDING_APPROVAL)


def finalise_locked(locked: IntegrationPlan, *, by: User, finalised_on: date | None = None, render: bool = True,
                    approved: bool = False) -> IntegrationPlan:
    """The freezing itself, for a plan row locked by the caller whose approval rules were checked (``finalise``,
    or the last sign-off in ``integration_plans.services.signoff``). ``approved``: record ``by`` as approver."""
    today = finalised_on or timezone.localdate()
    if today > timezone.localdate():
        raise PlanError(_("A plan cannot be finalised in the future."))
    with pghistory.context(user=by.pk):
        refresh_paying(locked)
        current = _reload(locked)
        problems = finalise_problems(current, today)
        if problems:
            raise _refuse(problems)
        notices, _missing = notices_for(current.case, today)
        previous = None
        if current.previous_id:
            previous = IntegrationPlan.objects.select_for_update().get(pk=current.previous_id)
            if previous.status in IN_FORCE_STATUSES:
                previous.status = PlanStatus.SUPERSEDED
                previous.save(update_fields=["status", "updated_at"])
                Obligation.objects.filter(plan=previous).update(next_check_on=None)
        content = build_content(current, notices=notices, finalised_on=today, finalised_by=by)
        now = timezone.now() if finalised_on is None else timezone.make_aware(datetime.combine(today, time(10)))
        locked.content, locked.content_sha256 = content, checksum(content)
        locked.status, locked.finalised_at, locked.finalised_by = PlanStatus.FINAL, now, by
        if approved:
            locked.approved_at, locked.approved_by = now, by
        locked.document_state = DocumentState.PENDING if render else DocumentState.NONE
        locked.updated_by = by
        locked.save()
        locked.legal_notices.set(notices)
        for obligation in current.obligations.all():
            obligation.next_check_on = rules.next_check_due(obligation.period, current.valid_from,
                                                            current.valid_until, [])
            obligation.save(update_fields=["next_check_on"])
        _move_case(current.case, CaseStatus.IMPLEMENTATION, by)
    if approved:  # the approval: whoever submitted the plan is told (in this transaction)
        plan_notices.plan_approved(locked, by=by)
    if render:
        from integration_plans.tasks import render_agreement

        enqueue_on_commit(render_agreement, locked.pk)
    return locked


# --- after finalising ---------------------------------------------------------------------------------------
@transaction.atomic
def record_signature(
    *, plan: IntegrationPlan, by: User, signed_on: date, note: str = "", scan: bytes | None = None,
    scan_name: str = "",
) -> IntegrationPlan:
    """The client signed the printed agreement (a decision: it was handed over). Optionally keep the signed
    scan (a PDF, checked by the caller with ``documents.check_pdf_upload``)."""
    locked = _lock(plan)
    if locked.status != PlanStatus.FINAL:
        raise PlanError(_("Only a finalised plan can be signed."))
    if signed_on > timezone.localdate():
        raise PlanError(_("A signature cannot be dated in the future."), field="signed_on")
    if locked.finalised_at and signed_on < timezone.localdate(locked.finalised_at):
        raise PlanError(_("The plan cannot have been signed before it was finalised."), field="signed_on")
    with pghistory.context(user=by.pk):
        if scan:
            locked.scan = _store_scan(locked, scan, by)
        locked.status, locked.signed_on, locked.signed_by = PlanStatus.SIGNED, signed_on, by
        locked.signature_note = note.strip()
        locked.updated_by = by
        locked.save()
    return locked


def _store_scan(plan: IntegrationPlan, data: bytes, by: User) -> Any:
    return documents.store(
        key=f"integration_plan:{plan.pk}:scan", kind="integration_plan_scan", data=data,
        filename=f"Eingliederungsvereinbarung-Fall-{plan.case_id}-v{plan.version}-unterschrieben.pdf",
        created_by=by,
    )


@transaction.atomic
def attach_scan(*, plan: IntegrationPlan, by: User, scan: bytes) -> IntegrationPlan:
    """Add the signed scan later; once stored it is never replaced."""
    locked = _lock(plan)
    if locked.status not in (PlanStatus.SIGNED, PlanStatus.SUPERSEDED, PlanStatus.EXPIRED) or not locked.signed_on:
        raise PlanError(_("A scan can only be added to a signed plan."))
    if locked.scan_id:
        raise PlanError(_("This plan already has a signed scan; it cannot be replaced."))
    with pghistory.context(user=by.pk):
        locked.scan = _store_scan(locked, scan, by)
        locked.save(update_fields=["scan", "updated_at"])
    return locked


@transaction.atomic
def record_review(*, plan: IntegrationPlan, by: User, reviewed_on: date, note: str) -> IntegrationPlan:
    """Note that the plan was reviewed with the client (the printed review date stays as agreed). A review that
    changes the plan continues with a Fortschreibung."""
    locked = _lock(plan)
    if locked.status not in IN_FORCE_STATUSES:
        raise PlanError(_("Only a plan in force is reviewed."))
    if reviewed_on > timezone.localdate():
        raise PlanError(_("A review cannot be dated in the future."), field="reviewed_on")
    if locked.finalised_at and reviewed_on < timezone.localdate(locked.finalised_at):
        raise PlanError(_("A review cannot be dated before the plan was finalised."), field="reviewed_on")
    if not note.strip():
        raise PlanError(_("Write down the result of the review."), field="note")
    with pghistory.context(user=by.pk):
        locked.reviewed_on, locked.review_note = reviewed_on, note.strip()
        locked.save(update_fields=["reviewed_on", "review_note", "updated_at"])
    return locked


@transaction.atomic
def create_revision(*, plan: IntegrationPlan, by: User, valid_from: date | None = None) -> IntegrationPlan:
    """Fortschreibung: a new draft version n+1 with the content of version n (items keep their identity, so the
    diff shows what changed), valid for six months from ``valid_from`` (today). Version n stays in force until
    n+1 is finalised."""
    locked = _lock(plan)
    if locked.status in OPEN_STATUSES:
        raise PlanError(_("A draft is edited directly; a Fortschreibung starts from a finalised plan."))
    if IntegrationPlan.objects.filter(previous=locked).exists():
        raise PlanError(_("A newer version of this plan exists already."))
    if locked.case.status == CaseStatus.CLOSED:
        raise PlanError(_("This case is closed; a plan needs an open case."))
    start = valid_from or timezone.localdate()
    until, review = rules.default_validity(start)
    try:
        with pghistory.context(user=by.pk), transaction.atomic():
            new = IntegrationPlan.objects.create(
                case=locked.case, office_id=locked.office_id, version=locked.version + 1, previous=locked, kind=locked.kind, goal=locked.goal,
                placement_efforts=locked.placement_efforts, valid_from=start, valid_until=until, review_on=review,
                decision_reason=locked.decision_reason, review_clause=locked.review_clause, created_by=by,
                updated_by=by,
            )
            PlanStep.objects.bulk_create([
                PlanStep(plan=new, key=s.key, position=s.position, description=s.description, due_on=s.due_on,
                         status=s.status) for s in locked.steps.all()])
            PlanService.objects.bulk_create([
                PlanService(plan=new, key=s.key, position=s.position, kind=s.kind, description=s.description,
                            offer=s.offer, referral=s.referral, paying_agency=s.paying_agency,
                            legal_basis=s.legal_basis, paying_override_reason=s.paying_override_reason,
                            estimated_cost=s.estimated_cost, from_profiling=s.from_profiling)
                for s in locked.services.all()])
            Obligation.objects.bulk_create([
                Obligation(plan=new, key=o.key, position=o.position, kind=o.kind, description=o.description,
                           quantity=o.quantity, period=o.period, proof=o.proof) for o in locked.obligations.all()])
            refresh_paying(new)
    except IntegrityError as error:  # the one-draft-per-case constraint, should two clerks race
        raise PlanError(_("This case already has a plan in preparation.")) from error
    return new


@transaction.atomic
def discard_draft(*, plan: IntegrationPlan, by: User) -> Case:
    """Delete a draft that will not be used (the history keeps it)."""
    locked = _lock(plan)
    if locked.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be discarded."))
    case = locked.case
    with pghistory.context(user=by.pk):
        locked.steps.all().delete()
        locked.services.all().delete()
        locked.obligations.all().delete()
        locked.delete()
    return case


@transaction.atomic
def set_step_status(*, step: PlanStep, status: str, by: User) -> PlanStep:
    """Track a step (done / dropped / open again); allowed while the plan is in preparation or in force. The
    status is not part of the printed content."""
    locked = PlanStep.objects.select_for_update().select_related("plan").get(pk=step.pk)
    if status not in StepStatus.values:
        raise PlanError(_("Unknown step status."))
    if locked.plan.status not in OPEN_STATUSES | IN_FORCE_STATUSES:
        raise PlanError(_("Steps of a superseded or expired plan are no longer tracked."))
    with pghistory.context(user=by.pk):
        locked.status = status
        locked.save(update_fields=["status"])
    return locked


def expire_due_plans(*, today: date | None = None) -> int:
    """Plans in force whose validity ended become "expired" (one conditional UPDATE; safe to run twice)."""
    day = today or timezone.localdate()
    return IntegrationPlan.objects.filter(status__in=IN_FORCE_STATUSES, valid_until__lt=day).update(
        status=PlanStatus.EXPIRED, updated_at=timezone.now())
