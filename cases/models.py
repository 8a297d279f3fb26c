"""Clients, benefits, cases, contacts and appointments (docs/domain.md §2, §3, §5 Grundangebot, §6).

Rules live in ``cases/rules.py`` (pure) and ``cases/services.py`` (writes); models hold data, constraints and
small derived properties only.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from jobcenter.models import Agency, ContactPoint
from jobcenter.scoping import OfficeScopedManager

# Number formats (documented in README "Number formats"):
#   Kundennummer (Arbeitsamt): 3-digit office code, one capital letter, 6 digits, e.g. 073A123456.
#   Aktenzeichen (Sozialhilfe): 2-digit department, hyphen, 4-8 digits, optional /YY, e.g. 50-123456/03.
KUNDENNUMMER_RE = r"^\d{3}[A-Z]\d{6}$"
AKTENZEICHEN_RE = r"^\d{2}-\d{4,8}(/\d{2})?$"


def _search_normal_form(expression: models.Expression) -> models.Expression:
    """SQL mirror of ``cases.rules.normalise_name``: lower case, umlauts folded (ü/ue → u, ß → ss)."""
    folded: models.Expression = Lower(expression)
    for old, new in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ae", "a"), ("oe", "o"), ("ue", "u")):
        folded = Replace(folded, models.Value(old, models.TextField()), models.Value(new, models.TextField()))
    return folded


# The values of a kept target group (``cases.rules.TargetGroup``; its labels live with the rule, not in the schema).
TARGET_GROUP_VALUES = [(value, value) for value in ("hlu", "kombi", "alhi", "none")]

# ``current_target_group`` is derived (from the benefits, by the database), not a change anyone made: not in the history.
@pghistory.track(exclude=["name_search", "current_target_group"])
class Client(models.Model):
    """A person registered at a contact point (Erhebung von Personendaten)."""

    office_path = "contact_point"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="clients", verbose_name=_("contact point")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A postal code has exactly 5 digits."))],
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    customer_number = models.CharField(
        _("customer number (employment office)"), max_length=10, blank=True,
        validators=[RegexValidator(KUNDENNUMMER_RE, _("Format: 3 digits, 1 capital letter, 6 digits, e.g. 073A123456."))],
    )
    file_number = models.CharField(
        _("file number (social welfare)"), max_length=14, blank=True,
        validators=[RegexValidator(AKTENZEICHEN_RE, _("Format: 2 digits, hyphen, 4 to 8 digits, optionally /YY, e.g. 50-123456/03."))],
    )
    household_size = models.PositiveSmallIntegerField(
        _("persons in household"), default=1, validators=[MinValueValidator(1)]
    )
    children_under_15 = models.PositiveSmallIntegerField(_("children under 15"), default=0)
    duplicate_override_reason = models.TextField(_("reason for registering despite a possible duplicate"), blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"), null=True, blank=True, editable=False,
        help_text=_("Set when the retention period ended; the personal data was removed irreversibly."),
    )
    name_search = models.GeneratedField(
        expression=_search_normal_form(
            models.functions.Concat("last_name", models.Value(" "), "first_name", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    # The target group in force today (``cases.rules.target_group_on``), kept by the database: a trigger on the
    # benefits rewrites it in the same transaction as any benefit write, and the nightly task
    # ``cases.tasks.refresh_target_groups`` catches the changes that only the date makes (a benefit starting or
    # ending). Lists filter and show it instead of deriving it from the benefits on every request
    # (``cases/target_groups.py``).
    current_target_group = models.CharField(
        _("target group"), max_length=10, default="none", editable=False, choices=TARGET_GROUP_VALUES,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["contact_point", "last_name", "first_name"], name="client_office_name_idx"),
            # The search (``cases/search.py``): trigrams of the name, led by the office (btree_gin) so that a search in
            # one office reads only that office's matches (also usable without the office, for several offices).
            GinIndex(models.F("contact_point"), OpClass("name_search", name="gin_trgm_ops"), name="client_name_trgm_idx"),
            models.Index(fields=["contact_point", "birth_date"], name="client_office_birth_idx"),
            # The lists sorted by name (case list, client list), read in order and stopped after one page.
            models.Index(fields=["contact_point", "name_search", "birth_date", "id"], name="client_office_sort_idx"),
            models.Index(fields=["contact_point", "current_target_group", "name_search", "birth_date", "id"],
                         name="client_office_group_sort_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contact_point", "customer_number"], condition=~models.Q(customer_number=""),
                name="client_unique_customer_number_per_office",
            ),
            models.UniqueConstraint(
                fields=["contact_point", "file_number"], condition=~models.Q(file_number=""),
                name="client_unique_file_number_per_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class BenefitKind(models.TextChoices):
    ALG = "alg", _("Unemployment benefit (Alg)")
    ALHI = "alhi", _("Unemployment assistance (Alhi)")
    HLU = "hlu", _("Subsistence assistance (HLU)")


class EndReason(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    TRAINING = "training", _("Vocational training")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    OTHER_INCOME = "other_income", _("Other income")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


@pghistory.track()
class BenefitEntitlement(models.Model):
    """An effective-dated benefit: Alg/Alhi paid by the Arbeitsamt, HLU by the Sozialhilfeträger."""

    office_path = "client__contact_point"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("client"))
    kind = models.CharField(_("benefit"), max_length=10, choices=BenefitKind.choices)
    monthly_amount = models.DecimalField(
        _("monthly amount (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("benefit entitlement")
        verbose_name_plural = _("benefit entitlements")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["client", "kind", "start", "end"], name="benefit_client_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="benefit_period_ordered",
            ),
            ExclusionConstraint(
                name="benefit_no_overlap_same_kind",
                expressions=[
                    ("client", RangeOperators.EQUAL),
                    ("kind", RangeOperators.EQUAL),
                    (models.Func("start", "end", models.Value("[]"), function="daterange",
                                 output_field=DateRangeField()), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}" if self.end else (
            f"{self.get_kind_display()} ab {self.start:%d.%m.%Y}"
        )

    @property
    def paying_agency_kind(self) -> str:
        return Agency.Kind.SOZIALHILFE if self.kind == BenefitKind.HLU else Agency.Kind.ARBEITSAMT


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    PROFILING = "profiling", _("Profiling")
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


# The colour of each status's badge (``templates/partials/status_badge.html``).
CASE_STATUS_TONES: dict[str, str] = {
    CaseStatus.INTAKE: "text-bg-secondary", CaseStatus.PROFILING: "text-bg-info", CaseStatus.PLANNING: "text-bg-primary",
    CaseStatus.IMPLEMENTATION: "text-bg-success", CaseStatus.FOLLOW_UP: "text-bg-warning",
}


# The order of the status column of the case list (the statuses' order above), and the day since which an open
# case has had no contact: expressions of the case list and "Mein Tag" that indexes below serve.
CASE_STATUS_ORDER = models.Case(
    *(models.When(status=value, then=models.Value(index)) for index, value in enumerate(CaseStatus.values)),
    default=models.Value(len(CaseStatus.values)),
    output_field=models.IntegerField(),
)
SILENT_SINCE = models.functions.Coalesce("last_contact_on", "opened_on", output_field=models.DateField())


class Segment(models.TextChoices):
    """Kundenstrom (docs/domain.md §6)."""

    INFORMATION = "information", _("Information client")
    BERATUNG = "beratung", _("Advice client")
    FALLMANAGEMENT = "fallmanagement", _("Case management client")


class Outcome(models.TextChoices):
    EMPLOYMENT = "employment", _("Integrated: employment subject to social insurance")
    TRAINING = "training", _("Integrated: vocational training")
    SELF_EMPLOYMENT = "self_employment", _("Integrated: self-employment")
    MOVED = "moved", _("Not integrated: moved away")
    TRANSFERRED = "transferred", _("Not integrated: transferred")
    NO_COOPERATION = "no_cooperation", _("Not integrated: no cooperation")
    OTHER = "other", _("Not integrated: other reason")


INTEGRATED_OUTCOMES = frozenset({Outcome.EMPLOYMENT, Outcome.TRAINING, Outcome.SELF_EMPLOYMENT})


# The marker of a case manager's first look at a new assignment is not an event of the case (nor a change to show).
@pghistory.track(exclude=["assignment_seen_at", "assigned_at", "client_name", "client_birth_date",
                          "client_target_group"])
# Every change of the case manager, as the assignment *before* it (the old row): the caseload of a past day is the
# current assignment except for the cases reassigned since, which had the case manager of their first
# reassignment after that day (reporting.metrics.workload.OPEN_CASES_CTE).
@pghistory.track(
    pghistory.UpdateEvent("reassigned", row=pghistory.Old, condition=pghistory.AnyChange("case_manager")),
    fields=["case_manager", "contact_point"],
    model_name="CaseReassignment",
    obj_field=pghistory.ObjForeignKey(related_name="reassignments"),
    meta={"indexes": [models.Index(fields=["contact_point", "pgh_created_at"], name="case_reassigned_office_idx")]},
)
class Case(models.Model):
    """The integration process of one client at one office (Fallmanagement)."""

    office_path = "contact_point"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client"))
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="cases", verbose_name=_("contact point")
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    segment = models.CharField(_("customer segment"), max_length=20, choices=Segment.choices, blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="managed_cases",
        verbose_name=_("case manager"),
    )
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lead agency")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    # Nachbetreuung: an integration (a hire, training, self-employment) is recorded with its start; the case stays
    # open in follow-up until the case manager closes it. The reports count the integration on ``integrated_on``.
    integrated_on = models.DateField(
        _("integration starts on"), null=True, blank=True,
        help_text=_("First day of the job, training or self-employment; counted as the day of the integration."),
    )
    follow_up_since = models.DateField(_("follow-up since"), null=True, blank=True)
    follow_up_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("integration recorded by"),
    )
    no_show_pending = models.BooleanField(
        _("unexcused no-show to handle"), default=False,
        help_text=_("Set by an unexcused no-show; cleared when the possible obligation breach has been handled."),
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    # When the current case manager first opened the client's page after their assignment (``assigned_at``):
    # "Neu zugewiesen" on the start page.
    assignment_seen_at = models.DateTimeField(_("assignment seen at"), null=True, blank=True, editable=False)
    # Kept by the database (ADR 0008, migration ``cases/0014``): when the current case manager got the case (the
    # last change of the case manager, else the opening day), for "Neu zugewiesen" …
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True, editable=False)
    # … and the client's name in its sort form and birth date, so a case manager's caseload is read in name order
    # from an index of the case manager (``case_manager_name_idx``) instead of joining and sorting every case.
    client_name = models.TextField(_("client name (sort form)"), blank=True, default="", editable=False)
    client_birth_date = models.DateField(_("client's birth date"), null=True, blank=True, editable=False)
    # … and the client's target group in force (``Client.current_target_group``, cases/0016): a caseload filtered
    # by group is counted from the case manager's index instead of joining every client of the caseload.
    client_target_group = models.CharField(
        _("target group"), max_length=10, default="none", editable=False, choices=TARGET_GROUP_VALUES,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["contact_point", "status"], name="case_office_status_idx"),
            models.Index(fields=["contact_point", "segment"], name="case_office_segment_idx"),
            models.Index(fields=["case_manager", "status"], name="case_manager_status_idx"),
            # Each sort of the case list (``cases.selectors.CASE_SORTS``), office first, read in order.
            models.Index("contact_point", models.F("last_contact_on").asc(nulls_first=True), "id",
                         name="case_office_contact_idx"),
            models.Index(fields=["contact_point", "opened_on", "id"], name="case_office_opened_idx"),
            models.Index(models.F("contact_point"), CASE_STATUS_ORDER, models.F("id"), name="case_office_status_order_idx"),
            models.Index(models.F("contact_point"), CASE_STATUS_ORDER, models.F("id"), name="case_office_open_status_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),  # the default list: open cases by status
            # "Mein Tag": open cases by the day of their last contact (``cases.selectors_contacts``).
            models.Index(models.F("contact_point"), SILENT_SINCE, models.F("id"), name="case_office_silent_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),
            models.Index(models.F("case_manager"), SILENT_SINCE, models.F("id"), name="case_manager_silent_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),
            # "Mein Tag" and the benefits clerks' card: pending no-shows and cases in follow-up, office (Teamleitung)
            # or case manager first, so a card reads its first rows and its capped count from a small index.
            models.Index(fields=["contact_point", "id"], name="case_office_no_show_idx",
                         condition=models.Q(no_show_pending=True) & ~models.Q(status=CaseStatus.CLOSED)),
            models.Index(fields=["case_manager", "id"], name="case_manager_no_show_idx",
                         condition=models.Q(no_show_pending=True) & ~models.Q(status=CaseStatus.CLOSED)),
            models.Index(fields=["contact_point", "follow_up_since", "id"], name="case_office_follow_up_idx",
                         condition=models.Q(status=CaseStatus.FOLLOW_UP, integrated_on__isnull=False)),
            models.Index(fields=["case_manager", "follow_up_since", "id"], name="case_manager_follow_up_idx",
                         condition=models.Q(status=CaseStatus.FOLLOW_UP, integrated_on__isnull=False)),
            models.Index(fields=["contact_point", "integrated_on", "id"], name="case_office_integrated_idx",
                         condition=models.Q(status=CaseStatus.FOLLOW_UP, integrated_on__isnull=False)),
            # the profiling cards ("Profiling offen", "Sozialanamnese offen"): the oldest cases first
            models.Index(fields=["contact_point", "opened_on", "id"], name="case_office_intake_idx",
                         condition=models.Q(status__in=[CaseStatus.INTAKE, CaseStatus.PROFILING])),
            models.Index(fields=["case_manager", "opened_on", "id"], name="case_manager_intake_idx",
                         condition=models.Q(status__in=[CaseStatus.INTAKE, CaseStatus.PROFILING])),
            models.Index(fields=["contact_point", "opened_on", "id"], name="case_office_open_opened_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),
            models.Index(fields=["case_manager", "opened_on", "id"], name="case_manager_open_opened_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),
            # A case manager's caseload in each sort of the case list (``cases.selectors.CASELOAD_SORTS``), read in
            # order and stopped after the page; the open cases' "Neu zugewiesen" by the time of the assignment.
            models.Index(fields=["case_manager", "client_name", "client_birth_date", "id"], name="case_manager_name_idx"),
            models.Index(fields=["case_manager", "opened_on", "id"], name="case_manager_opened_idx"),
            models.Index("case_manager", models.F("last_contact_on").asc(nulls_first=True), "id",
                         name="case_manager_contact_idx"),
            models.Index(models.F("case_manager"), CASE_STATUS_ORDER, models.F("id"), name="case_manager_status_order_idx"),
            models.Index(fields=["case_manager", "assigned_at"], name="case_manager_assigned_idx",
                         condition=~models.Q(status=CaseStatus.CLOSED)),
            models.Index(fields=["case_manager", "client_target_group", "id"], name="case_manager_group_idx"),
            # the office's open cases nobody manages yet (``manager=none``): the case manager indexes hold the
            # unassigned cases of every office of a city under one key
            models.Index(fields=["contact_point", "id"], name="case_office_unassigned_idx",
                         condition=models.Q(case_manager__isnull=True) & ~models.Q(status=CaseStatus.CLOSED)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "contact_point"], condition=~models.Q(status=CaseStatus.CLOSED),
                name="case_one_open_per_client_and_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | ~models.Q(outcome=""),
                name="case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(integrated_on__isnull=True) | models.Q(outcome__in=sorted(INTEGRATED_OUTCOMES)),
                name="case_integration_date_has_integrated_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def is_new_to(self, user_id: int | None) -> bool:
        """Open, assigned to the user, and not looked at by them since (the row-wise ``selectors.with_is_new``)."""
        return self.is_open and user_id is not None and self.case_manager_id == user_id and (
            self.assignment_seen_at is None
            or (self.assigned_at is not None and self.assignment_seen_at < self.assigned_at))

    @property
    def status_tone(self) -> str:
        return CASE_STATUS_TONES.get(self.status, "text-bg-dark")

    @property
    def is_integrated(self) -> bool:
        return self.outcome in INTEGRATED_OUTCOMES

    @property
    def in_follow_up(self) -> bool:
        """In Nachbetreuung after a recorded integration (open; closing is the case manager's explicit step)."""
        return self.status == CaseStatus.FOLLOW_UP and self.integrated_on is not None


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")


@pghistory.track()
class ContactNote(models.Model):
    """Gesprächsvermerk. A sensitive note is readable only by the assigned case manager and the team lead."""

    office_path = "case__contact_point"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    text = models.TextField(_("note"))
    sensitive = models.BooleanField(_("sensitive"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("contact note")
        verbose_name_plural = _("contact notes")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="note_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.get_channel_display()}"


class AppointmentOutcome(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")
    NO_SHOW = "no_show", _("Unexcused no-show")
    CANCELLED = "cancelled", _("Cancelled")


class CancelledBy(models.TextChoices):
    """Who called an appointment off: a cancellation by the office must not read as the client's."""

    CLIENT = "client", _("the client")
    OFFICE = "office", _("the contact point")


@pghistory.track(exclude=["office"])
class Appointment(models.Model):
    office_path = "case__contact_point"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("case"))
    # The case's contact point, kept on the row by the database (ADR 0008, migration ``cases/0015``): an office's
    # appointments of a day are read from its own index, not from every office's of a city.
    office = models.ForeignKey(
        "jobcenter.ContactPoint", on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("contact point"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    purpose = models.CharField(_("purpose"), max_length=200)
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments",
        verbose_name=_("with"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=AppointmentOutcome.choices, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True)
    # A move keeps the row (its earlier times are in the audit trail); these say what the timeline shows.
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    move_reason = models.CharField(_("reason for the move"), max_length=500, blank=True)
    times_moved = models.PositiveSmallIntegerField(_("times moved"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["with_user", "starts_at"], name="appointment_user_time_idx"),
            models.Index(fields=["case", "starts_at"], name="appointment_case_time_idx"),
            # a day's appointments still without outcome ("Mein Tag" of the Teamleitung, the invitation letters)
            models.Index(fields=["starts_at"], name="appointment_open_time_idx", condition=models.Q(outcome="")),
            models.Index(fields=["office", "starts_at"], name="appointment_office_open_idx",
                         condition=models.Q(outcome="")),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d.%m.%Y %H:%M} {self.purpose}"


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    FORWARDED = "forwarded", _("Forwarded")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_STATUS_TONES: dict[str, str] = {
    ApplicationStatus.RECEIVED: "text-bg-warning", ApplicationStatus.FORWARDED: "text-bg-info",
    ApplicationStatus.DECIDED: "text-bg-success",
}


class ApplicationKind(models.TextChoices):
    ALG = "alg", _("Unemployment benefit (Alg)")
    ALHI = "alhi", _("Unemployment assistance (Alhi)")
    HLU = "hlu", _("Subsistence assistance (HLU)")
    ONE_OFF = "one_off", _("One-off assistance")
    OTHER = "other", _("Other")


# Applications still waiting for their agency's decision, and among them those not forwarded yet: the worklist
# shows these first (``cases.selectors_contacts.application_worklist`` orders by this expression, which its
# indexes hold).
OPEN_APPLICATION_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.FORWARDED)
AWAITING_FORWARDING = models.ExpressionWrapper(models.Q(status=ApplicationStatus.RECEIVED),
                                               output_field=models.BooleanField())


@pghistory.track()
class BenefitApplication(models.Model):
    """A benefit application received at the office (module Antragsannahme) and forwarded to its agency."""

    office_path = "contact_point"

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="applications", verbose_name=_("client")
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact point")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ApplicationKind.choices)
    received_on = models.DateField(_("received on"))
    forwarded_to = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("forwarded to")
    )
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    note = models.TextField(_("note"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("benefit application")
        verbose_name_plural = _("benefit applications")
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(fields=["contact_point", "status", "received_on"], name="application_worklist_idx"),
            # the worklist's order ("not yet forwarded first", then oldest) read from an index, for the open ones
            # (the default) and for all of them, instead of sorting the office's applications
            models.Index(models.F("contact_point"), AWAITING_FORWARDING.desc(), models.F("received_on"),
                         models.F("id"), condition=models.Q(status__in=OPEN_APPLICATION_STATUSES),
                         name="application_open_queue_idx"),
            models.Index(models.F("contact_point"), AWAITING_FORWARDING.desc(), models.F("received_on"),
                         models.F("id"), name="application_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(forwarded_on__isnull=True) | models.Q(forwarded_on__gte=models.F("received_on")),
                name="application_forwarded_after_received",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_on:%d.%m.%Y})"

    @property
    def status_tone(self) -> str:
        return APPLICATION_STATUS_TONES.get(self.status, "text-bg-light border")


class AnonymisationRun(models.Model):
    """What one run of the retention job did (kept; it holds no personal data)."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    cutoff = models.DateField(_("cases closed before"))
    clients = models.PositiveIntegerField(_("clients anonymised"), default=0)
    details = models.JSONField(_("records changed per kind"), default=dict)
    triggered_by = models.CharField(_("triggered by"), max_length=150)

    class Meta:
        verbose_name = _("anonymisation run")
        verbose_name_plural = _("anonymisation runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d.%m.%Y %H:%M}: {self.clients}"


from cases.models_closure import CaseSettings, ClosureRequest, ClosureStatus  # noqa: E402, F401  (closure approval)
from cases.models_handover import HandOver  # noqa: E402, F401  (hand-overs under a cooperation agreement)
from cases.models_import import ImportRun, ImportStatus  # noqa: E402, F401  (taking over an office's clients)
