"""Help plans and integration agreements (docs/domain.md §5 "Hilfeplan mit Eingliederungsvereinbarung (einschließlich
Fortschreibung)", §6 "Fördern und Fordern", "Keine Leistung ohne Gegenleistung").

An ``IntegrationPlan`` is one version of a case's plan: version 1 is the first, every Fortschreibung is version
n+1 pointing at n (``previous``). A draft is edited; finalising freezes it: its printed content is kept in
``content`` (a JSON snapshot, see ``integration_plans.content``) with its SHA-256 (``content_sha256``), and the
agreement PDF is rendered from that snapshot alone. Rules live in ``rules.py``/``paying.py`` (pure) and
``services/`` (writes); models hold data, constraints and small derived properties only.
"""

from __future__ import annotations

import uuid
from datetime import date

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from jobcenter.authz import PLAN_SIGNERS
from jobcenter.models import Agency, ContactPoint
from jobcenter.models_documents import StoredDocument
from jobcenter.scoping import OfficeScopedManager
from partners.models import Offer, Referral

# --- office setting -----------------------------------------------------------------------------------------
# The roles that may be named as the signing role of an agency (jobcenter.authz.PLAN_SIGNERS).
SIGNER_ROLE_CHOICES = [(role.value, role.label) for role in PLAN_SIGNERS]


@pghistory.track()
class PlanSettings(models.Model):
    """Per contact point: how a plan is approved before it is finalised (edited in the admin).

    ``approval_required``: the Teamleitung approves (and finalises) every plan a case manager submits.
    ``joint_signoff_required``: a plan is finalised only once a representative of every agency whose services it
    commits (``PlanService.paying_agency``) has signed it off (docs/domain.md §4, §7); per agency a role and/or
    named staff (``PlanSignatory``) may sign, and one person signs for both only where ``one_person_signs_both``.
    Joint sign-off takes the place of the Teamleitung's approval (the Teamleitung can be a representative)."""

    office_path = "contact_point"

    contact_point = models.OneToOneField(
        ContactPoint, on_delete=models.CASCADE, related_name="plan_settings", verbose_name=_("contact point")
    )
    approval_required = models.BooleanField(
        _("team lead approval before finalising"), default=False,
        help_text=_("When set, case managers submit plans; the team lead approves and finalises them."),
    )
    joint_signoff_required = models.BooleanField(
        _("sign-off by the agencies before finalising"), default=False,
        help_text=_("When set, a plan is submitted and finalised only when a representative of each agency whose "
                    "services it commits has signed it off (both agencies for a plan with services of both)."),
    )
    employment_signer_role = models.CharField(
        _("role signing for the employment office"), max_length=40, choices=SIGNER_ROLE_CHOICES, blank=True,
        help_text=_("Everyone with this role at the contact point may sign off for the employment office; "
                    "further named staff can be added below."),
    )
    welfare_signer_role = models.CharField(
        _("role signing for the social welfare agency"), max_length=40, choices=SIGNER_ROLE_CHOICES, blank=True,
        help_text=_("Everyone with this role at the contact point may sign off for the social welfare agency; "
                    "further named staff can be added below."),
    )
    one_person_signs_both = models.BooleanField(
        _("one person may sign off for both agencies"), default=False,
        help_text=_("Only where the contact point allows it may the same person sign off a plan for both agencies."),
    )

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("plan settings of a contact point")
        verbose_name_plural = _("plan settings of contact points")

    def __str__(self) -> str:
        return str(self.contact_point)

    def signer_role(self, agency_kind: str) -> str:
        return self.employment_signer_role if agency_kind == Agency.Kind.ARBEITSAMT else self.welfare_signer_role


@pghistory.track()
class PlanSignatory(models.Model):
    """A named member of staff who may sign off plans for one agency of the contact point (besides the role)."""

    office_path = "plan_settings__contact_point"

    plan_settings = models.ForeignKey(
        PlanSettings, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("plan settings")
    )
    agency_kind = models.CharField(_("signs for"), max_length=20, choices=Agency.Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("named signatory")
        verbose_name_plural = _("named signatories")
        ordering = ["plan_settings", "agency_kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan_settings", "agency_kind", "user"], name="plan_signatory_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_agency_kind_display()})"


# --- legal notices (Rechtsfolgenbelehrung) -----------------------------------------------------------------
class LegalBasis(models.TextChoices):
    """The legal bases a notice on the consequences of a breach is written for."""

    BSHG_25 = "bshg_25", _("§ 25 BSHG (subsistence assistance, HLU)")
    SGB3_144 = "sgb3_144", _("§ 144 SGB III (blocking period for Alg/Alhi)")
    # printed on written invitations (the letters app), chosen by the benefits on the appointment's day
    BSHG_25_INVITATION = "bshg_25_inv", _("§ 25 BSHG (invitation of an HLU recipient)")
    SGB3_309 = "sgb3_309", _("§§ 309, 145 SGB III (duty to report: invitation of an Alg/Alhi recipient)")


# The bases a hearing's decision rests on (an invitation's notice is no ground for a consequence of its own).
DECISION_BASES = (LegalBasis.BSHG_25, LegalBasis.SGB3_144)


@pghistory.track()
class LegalNotice(models.Model):
    """One version of a Rechtsfolgenbelehrung for one legal basis, in force from ``valid_from`` (to
    ``valid_until``). Versions of one basis never overlap; a finalised plan keeps the versions it printed."""

    basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    version = models.PositiveSmallIntegerField(_("version"), validators=[MinValueValidator(1)])
    title = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Concrete and understandable: what happens, when, and how the "
                                                   "client can avoid it. Paragraphs are separated by a blank line."))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example text"), default=False,
        help_text=_("Shipped example; the office must check and adapt it before using it with clients."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal notice on consequences")
        verbose_name_plural = _("legal notices on consequences")
        ordering = ["basis", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "version"], name="legal_notice_unique_version"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="legal_notice_period_ordered",
            ),
            ExclusionConstraint(
                name="legal_notice_no_overlap",
                expressions=[
                    ("basis", RangeOperators.EQUAL),
                    (models.Func("valid_from", "valid_until", models.Value("[]"), function="daterange",
                                 output_field=DateRangeField()), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("Another version of this legal basis is in force in this period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}, Version {self.version}"

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


# --- the plan -----------------------------------------------------------------------------------------------
class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    FINAL = "final", _("Finalised")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


# The colour of each status's badge (``templates/partials/status_badge.html``).
PLAN_STATUS_TONES: dict[str, str] = {
    PlanStatus.DRAFT: "text-bg-secondary", PlanStatus.PENDING_APPROVAL: "text-bg-info", PlanStatus.FINAL: "text-bg-primary",
    PlanStatus.SIGNED: "text-bg-success", PlanStatus.SUPERSEDED: "text-bg-light border",
}


# Content may change only in a draft; from "final" on it is frozen (content snapshot + checksum).
OPEN_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL})
FROZEN_STATUSES = frozenset({PlanStatus.FINAL, PlanStatus.SIGNED, PlanStatus.SUPERSEDED, PlanStatus.EXPIRED})
IN_FORCE_STATUSES = frozenset({PlanStatus.FINAL, PlanStatus.SIGNED})


class PlanKind(models.TextChoices):
    AGREEMENT = "agreement", _("Integration agreement")
    DECISION = "decision", _("One-sided decision (administrative act)")


class DocumentState(models.TextChoices):
    NONE = "", _("not requested")
    PENDING = "pending", _("being generated")
    READY = "ready", _("ready")


@pghistory.track(exclude=["pdf_claim", "pdf_claimed_at", "pdf_attempts", "office", "manager"])
class IntegrationPlan(models.Model):
    # ``office`` is the case's contact point, kept on the plan so the office's lists lead their indexes with it
    # (issue 13). The database keeps it right (migration 0007): a trigger fills it from the case on insert, and one on
    # ``cases_case`` moves a case's plans with the case (the hand-over), in the same statement. Not in the history
    # (it is the case's, which has its own). ``manager`` likewise: the case's case manager, kept by the database
    # (migration 0008: on insert from the case, and with the case when it is reassigned), so a case manager's
    # worklists read their own index instead of the office's plans joined with the cases.
    office_path = "office"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans", verbose_name=_("case"))
    office = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("contact point"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("case manager"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor",
        verbose_name=_("previous version"),
    )
    kind = models.CharField(_("form"), max_length=20, choices=PlanKind.choices, default=PlanKind.AGREEMENT)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    goal = models.TextField(_("integration goal"), blank=True)
    placement_efforts = models.TextField(
        _("placement efforts of the contact point"), blank=True,
        help_text=_("What the office does to place the client (e.g. placement proposals, contacts to employers)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    review_on = models.DateField(_("review on"))
    decision_reason = models.TextField(
        _("reason for the duration"), blank=True,
        help_text=_("Only for a one-sided decision: why no agreement was reached and why this duration."),
    )
    review_clause = models.TextField(
        _("review clause"), blank=True,
        help_text=_("Only for a one-sided decision: when and how the decision is reviewed."),
    )
    # the review (tracking; not part of the printed content)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("result of the review"), blank=True)
    # optimistic locking: every saved change of a draft increments this; a save naming an older value is refused
    edit_count = models.PositiveIntegerField(_("edit counter"), default=0)
    # approval by the Teamleitung (office setting)
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    return_note = models.TextField(_("note on returning the plan"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    # frozen content
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("finalised by"),
    )
    content = models.JSONField(_("printed content"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(_("content checksum"), max_length=64, blank=True, editable=False)
    legal_notices = models.ManyToManyField(
        LegalNotice, blank=True, related_name="plans", verbose_name=_("legal notices printed")
    )
    # the agreement PDF (rendered by a task from ``content``)
    document = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("agreement PDF"),
    )
    document_state = models.CharField(
        _("agreement PDF"), max_length=10, choices=DocumentState.choices, default=DocumentState.NONE, blank=True
    )
    pdf_claim = models.CharField(max_length=64, blank=True, editable=False)
    pdf_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # signature
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("signed for the agencies by"),
    )
    signature_note = models.TextField(_("note on the signature"), blank=True)
    scan = models.ForeignKey(
        StoredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("signed scan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("last changed by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("help plan")
        verbose_name_plural = _("help plans")
        ordering = ["case", "-version"]
        indexes = [
            models.Index(fields=["status", "review_on"], name="plan_status_review_idx"),
            models.Index(fields=["status", "valid_until"], name="plan_status_until_idx"),
            # plans in force, for the dashboard's overdue-review and expiring-agreement work lists (EXPLAIN:
            # 0.21 s → 0.01 s at 300,000 plans, see README "Performance")
            models.Index(fields=["review_on"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_in_force_review_idx"),
            models.Index(fields=["valid_until"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_in_force_until_idx"),
            # the plan list of one office, each sort read in order (any status filter: walked and filtered, the
            # rare ones through the status index), and the worklists (issue 13)
            models.Index(fields=["office", "updated_at", "id"], name="plan_office_changed_idx"),
            models.Index(fields=["office", "valid_until", "id"], name="plan_office_until_idx"),
            models.Index(fields=["office", "review_on", "id"], name="plan_office_review_idx"),
            models.Index(fields=["office", "status", "updated_at", "id"], name="plan_office_status_idx"),
            models.Index(fields=["office", "status", "updated_at", "id"], condition=models.Q(kind="decision"),
                         name="plan_office_decision_idx"),
            models.Index(fields=["office", "updated_at", "id"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_office_in_force_idx"),
            models.Index(fields=["office", "valid_until", "id"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_office_force_until_idx"),
            models.Index(fields=["office", "review_on", "id"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_office_force_review_idx"),
            models.Index(fields=["office", "review_on", "id"],
                         condition=models.Q(status__in=["final", "signed"], reviewed_on__isnull=True),
                         name="plan_office_review_due_idx"),
            # the agreements an office signed in a period (monthly report, its drill-down)
            models.Index(fields=["office", "signed_on"], condition=models.Q(signed_on__isnull=False),
                         name="plan_office_signed_idx"),
            # a case manager's worklists (reviews due, agreements expiring), in their order
            models.Index(fields=["manager", "review_on", "id"],
                         condition=models.Q(status__in=["final", "signed"], reviewed_on__isnull=True),
                         name="plan_manager_review_due_idx"),
            models.Index(fields=["manager", "valid_until", "id"], condition=models.Q(status__in=["final", "signed"]),
                         name="plan_manager_until_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_unique_version_per_case"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status__in=["draft", "pending_approval"]),
                name="plan_one_open_draft_per_case",
            ),
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="plan_validity_ordered"),
            models.CheckConstraint(
                condition=models.Q(version=1, previous__isnull=True) | models.Q(version__gt=1, previous__isnull=False),
                name="plan_version_chain",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "pending_approval"])
                | (~models.Q(content_sha256="") & models.Q(finalised_at__isnull=False)),
                name="plan_frozen_has_content",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed") | models.Q(signed_on__isnull=False),
                name="plan_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case.client}, Version {self.version}"

    @property
    def status_tone(self) -> str:
        return PLAN_STATUS_TONES.get(self.status, "text-bg-dark")

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_in_force(self) -> bool:
        return self.status in IN_FORCE_STATUSES

    @property
    def is_decision(self) -> bool:
        return self.kind == PlanKind.DECISION


@pghistory.track()
class PlanSignoff(models.Model):
    """A representative's sign-off of a submitted plan for one agency (``PlanSettings.joint_signoff_required``).

    Kept when the plan is finalised (the plan page and the agreement show it); ``voided_at`` is set when the plan
    is returned to the case manager, so a resubmitted plan is signed off afresh. The audit trail keeps every row."""

    office_path = "plan__case__contact_point"

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="signoffs",
                             verbose_name=_("help plan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("for the agency"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed off by")
    )
    signed_at = models.DateTimeField(_("signed off at"))
    voided_at = models.DateTimeField(_("void since (plan returned)"), null=True, blank=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("sign-off of a help plan")
        verbose_name_plural = _("sign-offs of help plans")
        ordering = ["plan", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], condition=models.Q(voided_at__isnull=True),
                                    name="plan_signoff_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.signed_at:%d.%m.%Y})"


class StepStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class _PlanItem(models.Model):
    """Common to steps, services and obligations: the plan, a position, and ``key`` — the identity an item keeps
    across Fortschreibungen, so the diff can tell a changed item from a removed and an added one."""

    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = OfficeScopedManager()

    class Meta:
        abstract = True
        ordering = ["plan", "position", "id"]


@pghistory.track()
class PlanStep(_PlanItem):
    office_path = "plan__case__contact_point"

    plan = models.ForeignKey(IntegrationPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("help plan"))
    description = models.TextField(_("step"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)

    class Meta(_PlanItem.Meta):
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plan_step_unique_key")]

    def __str__(self) -> str:
        return self.description[:60]


class ServiceKind(models.TextChoices):
    """What the agencies provide. The partner offer categories (partners.models.PartnerKind) plus services the
    agencies give themselves; ``integration_plans.paying`` says who pays for each."""

    PLACEMENT = "placement", _("Placement proposals by the employment office")
    APPLICATION_COSTS = "application_costs", _("Covering application and travel costs")
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    ADDICTION_COUNSELLING = "addiction_counselling", _("Addiction counselling")
    CHILDCARE = "childcare", _("Childcare")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial counselling")
    OTHER_SOCIAL = "other_social", _("Other social service")
    QUALIFICATION = "qualification", _("Qualification")
    ASSESSMENT = "assessment", _("Assessment")
    APPLICATION_SUPPORT = "application_support", _("Application support")
    WORK_PLACEMENT = "work_placement", _("Work placements")
    OTHER_JOB = "other_job", _("Other job-related service")
    PSA = "psa", _("Personal-Service-Agentur (PSA)")
    EMPLOYMENT_COMPANY = "employment_company", _("Employment company")


@pghistory.track()
class PlanService(_PlanItem):
    """A Leistung: what the agencies provide, who pays (derived by the table, overridable with a reason)."""

    office_path = "plan__case__contact_point"

    plan = models.ForeignKey(
        IntegrationPlan, on_delete=models.CASCADE, related_name="services", verbose_name=_("help plan")
    )
    kind = models.CharField(_("kind of service"), max_length=30, choices=ServiceKind.choices)
    description = models.TextField(_("description"), blank=True)
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partner offer")
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("referral")
    )
    paying_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("paying agency")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=30)
    paying_override_reason = models.TextField(_("reason for deviating from the paying-agency table"), blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    from_profiling = models.BooleanField(_("proposed by the profiling"), default=False)

    class Meta(_PlanItem.Meta):
        verbose_name = _("plan service")
        verbose_name_plural = _("plan services")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plan_service_unique_key")]

    def __str__(self) -> str:
        return self.get_kind_display()


class ObligationKind(models.TextChoices):
    APPLICATIONS = "applications", _("Job applications")
    PARTICIPATION = "participation", _("Taking part in a measure")
    APPOINTMENTS = "appointments", _("Keeping appointments")
    COUNSELLING = "counselling", _("Using counselling")
    REGISTRATION = "registration", _("Registering as a job seeker")
    OTHER = "other", _("Other own effort")


class ObligationPeriod(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    VALIDITY = "validity", _("during the validity of the plan")


@pghistory.track(exclude=["office", "manager"])
class Obligation(_PlanItem):
    """A Gegenleistung: the client's own effort, concrete in kind, quantity, period and proof.

    ``office`` and ``manager``: the case's contact point and case manager, kept by the database as on the plan
    (migrations 0007, 0008), for the worklist of checks due."""

    office_path = "office"

    plan = models.ForeignKey(
        IntegrationPlan, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("help plan")
    )
    office = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("contact point"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("case manager"),
    )
    kind = models.CharField(_("kind of obligation"), max_length=20, choices=ObligationKind.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"), null=True, blank=True,
                                                validators=[MinValueValidator(1)])
    period = models.CharField(_("period"), max_length=10, choices=ObligationPeriod.choices, blank=True)
    proof = models.CharField(_("form of proof"), max_length=300, blank=True)
    # the end of the next period without a recorded check (set when the plan is finalised; None: nothing due)
    next_check_on = models.DateField(_("next check due"), null=True, blank=True, editable=False)

    class Meta(_PlanItem.Meta):
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="obligation_unique_key")]
        indexes = [
            models.Index(fields=["next_check_on"], name="obligation_next_check_idx"),
            models.Index(fields=["office", "next_check_on", "id"], condition=models.Q(next_check_on__isnull=False),
                         name="obligation_office_check_idx"),
            models.Index(fields=["manager", "next_check_on", "id"], condition=models.Q(next_check_on__isnull=False),
                         name="obligation_manager_check_idx"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display() or str(_("obligation"))


@pghistory.track()
class ObligationCheck(models.Model):
    """Whether an obligation was met in one period (e.g. applications counted against the quota)."""

    office_path = "obligation__plan__case__contact_point"

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="checks", verbose_name=_("obligation")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    achieved = models.PositiveSmallIntegerField(_("achieved"), null=True, blank=True)
    fulfilled = models.BooleanField(_("fulfilled"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("obligation check")
        verbose_name_plural = _("obligation checks")
        ordering = ["obligation", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "period_start"], name="check_once_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="check_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"


# --- hearings (Anhörung) ------------------------------------------------------------------------------------
class HearingReason(models.TextChoices):
    SHORTFALL = "shortfall", _("Obligation not fulfilled")
    NO_SHOW = "no_show", _("Unexcused no-show")


class HearingStatus(models.TextChoices):
    OPEN = "open", _("open")
    DECIDED = "decided", _("decided")


class HearingConsequence(models.TextChoices):
    NONE = "none", _("No consequence")
    REDUCTION = "reduction", _("Reduction of assistance (§ 25 BSHG)")
    BLOCKING_PERIOD = "blocking_period", _("Blocking period (§ 144 SGB III)")


@pghistory.track(exclude=["office", "manager"])
class Hearing(models.Model):
    """Anhörung after a possible breach: the client's statement, whether a good reason (wichtiger Grund) was
    accepted, the decision and its legal basis. It records a decision; nothing is sanctioned automatically.

    ``office`` and ``manager``: the case's contact point and case manager, kept by the database as on the plan
    (migrations 0007, 0008), for the worklist of open hearings."""

    office_path = "office"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case"))
    office = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("contact point"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("case manager"),
    )
    plan = models.ForeignKey(
        IntegrationPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="hearings",
        verbose_name=_("help plan"),
    )
    check_record = models.OneToOneField(
        ObligationCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="hearing",
        verbose_name=_("obligation check"),
    )
    reason = models.CharField(_("occasion"), max_length=20, choices=HearingReason.choices)
    breach = models.TextField(_("possible breach"))
    status = models.CharField(_("status"), max_length=10, choices=HearingStatus.choices,
                              default=HearingStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    statement = models.TextField(_("statement of the client"), blank=True)
    statement_on = models.DateField(_("statement given on"), null=True, blank=True)
    good_reason_accepted = models.BooleanField(_("good reason accepted"), null=True, blank=True)
    consequence = models.CharField(_("consequence"), max_length=20, choices=HearingConsequence.choices, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "opened_on"], name="hearing_status_idx"),
            models.Index(fields=["office", "status", "opened_on", "id"], name="hearing_office_status_idx"),
            models.Index(fields=["manager", "status", "opened_on", "id"], name="hearing_manager_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | (
                    models.Q(decided_on__isnull=False, good_reason_accepted__isnull=False)
                    & ~models.Q(consequence="") & ~models.Q(decision="")
                ),
                name="hearing_decided_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(good_reason_accepted=True) | models.Q(consequence__in=["", "none"]),
                name="hearing_good_reason_no_consequence",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(reason="no_show", status="open"),
                name="hearing_one_open_no_show_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.opened_on:%d.%m.%Y})"

    @property
    def status_tone(self) -> str:
        """The colour of the status badge (``templates/partials/status_badge.html``)."""
        return "text-bg-warning" if self.status == HearingStatus.OPEN else "text-bg-secondary"
