"""Partners (docs/domain.md §3b, §3c, §5): the registry, offers, referrals with consent and disclosure log, employers,
vacancies and placement proposals.

Ownership: every partner belongs to one contact point (``Partner.contact_point``); an office keeps its own
registry, and everything below a partner (offers, vacancies, contacts) is scoped through it. Referrals and
placement proposals are scoped through their case, consents and disclosures through their client.

Rules live in ``partners/rules.py`` (pure) and ``partners/services/`` (writes); models hold data, constraints and
small derived properties only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Greatest, Lower, Replace
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Channel, Client
from jobcenter.models import Agency, ContactPoint
from jobcenter.scoping import OfficeScopedManager

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _search_normal_form(expression: models.Expression | models.F) -> models.Func:
    """SQL mirror of ``cases.rules.normalise_name``: lower case, umlauts folded (ü/ue → u, ß → ss)."""
    folded: models.Func = Lower(expression)
    for old, new in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ae", "a"), ("oe", "o"), ("ue", "u")):
        folded = Replace(folded, models.Value(old, models.TextField()), models.Value(new, models.TextField()))
    return folded


# --- kinds --------------------------------------------------------------------------------------------------
class PartnerGroup(models.TextChoices):
    """The sections of docs/domain.md §3b/§3c/§5 a partner kind belongs to."""

    SOCIAL = "social", _("Social services")
    JOB = "job", _("Job-related services")
    PSA = "psa", _("Personal-Service-Agentur (PSA)")
    EMPLOYMENT_COMPANY = "employment_company", _("Employment company")
    LABOUR_MARKET = "labour_market", _("Labour-market partners")


class PartnerKind(models.TextChoices):
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
    EMPLOYER = "employer", _("Employer")
    CHAMBER = "chamber", _("Chamber")
    GUILD = "guild", _("Guild")
    ASSOCIATION = "association", _("Association")
    UNION = "union", _("Trade union")


GROUP_OF_KIND: dict[str, str] = {
    PartnerKind.DEBT_COUNSELLING: PartnerGroup.SOCIAL,
    PartnerKind.ADDICTION_COUNSELLING: PartnerGroup.SOCIAL,
    PartnerKind.CHILDCARE: PartnerGroup.SOCIAL,
    PartnerKind.PSYCHOSOCIAL: PartnerGroup.SOCIAL,
    PartnerKind.OTHER_SOCIAL: PartnerGroup.SOCIAL,
    PartnerKind.QUALIFICATION: PartnerGroup.JOB,
    PartnerKind.ASSESSMENT: PartnerGroup.JOB,
    PartnerKind.APPLICATION_SUPPORT: PartnerGroup.JOB,
    PartnerKind.WORK_PLACEMENT: PartnerGroup.JOB,
    PartnerKind.OTHER_JOB: PartnerGroup.JOB,
    PartnerKind.PSA: PartnerGroup.PSA,
    PartnerKind.EMPLOYMENT_COMPANY: PartnerGroup.EMPLOYMENT_COMPANY,
    PartnerKind.EMPLOYER: PartnerGroup.LABOUR_MARKET,
    PartnerKind.CHAMBER: PartnerGroup.LABOUR_MARKET,
    PartnerKind.GUILD: PartnerGroup.LABOUR_MARKET,
    PartnerKind.ASSOCIATION: PartnerGroup.LABOUR_MARKET,
    PartnerKind.UNION: PartnerGroup.LABOUR_MARKET,
}
# Kinds that provide services (offers); labour-market partners have vacancies and contacts instead.
SERVICE_KINDS = tuple(kind for kind, group in GROUP_OF_KIND.items() if group != PartnerGroup.LABOUR_MARKET)
LABOUR_MARKET_KINDS = tuple(kind for kind, group in GROUP_OF_KIND.items() if group == PartnerGroup.LABOUR_MARKET)


def kinds_of_group(group: str) -> tuple[str, ...]:
    return tuple(kind for kind, kind_group in GROUP_OF_KIND.items() if kind_group == group)


def grouped_kind_choices(
    kinds: tuple[str, ...] | None = None,
) -> list[tuple[StrPromise, list[tuple[str, StrPromise]]]]:
    """Kind choices grouped by section (for ``<optgroup>``)."""
    result = []
    for group in PartnerGroup:
        options = [(kind.value, kind.label) for kind in PartnerKind
                   if GROUP_OF_KIND[kind] == group and (kinds is None or kind in kinds)]
        if options:
            result.append((group.label, options))
    return result


class DataCategory(models.TextChoices):
    """What a consent allows to share and what a referral disclosed."""

    @classmethod
    def labels_of(cls, values: list[str]) -> list[str]:
        """Labels in the order of the choices (not of storage)."""
        return [str(item.label) for item in cls if item.value in values]

    IDENTITY = "identity", _("Name, date of birth, address")
    CONTACT = "contact", _("Phone and e-mail")
    BENEFITS = "benefits", _("Benefits drawn")
    CAREER = "career", _("Schooling, training and work history")
    PROFILING = "profiling", _("Profiling results")
    HEALTH = "health", _("Health restrictions")
    FINANCES = "finances", _("Debts and financial situation")
    FAMILY = "family", _("Family and household situation")


# --- registry -----------------------------------------------------------------------------------------------
@pghistory.track(exclude=["name_search"])
class Partner(models.Model):
    """A third party the office works with: a commissioned service provider or a labour-market partner."""

    office_path = "contact_point"

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="partners", verbose_name=_("contact point")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A postal code has exactly 5 digits."))],
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    contract_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("commissioned by"),
    )
    contract_from = models.DateField(_("contract from"), null=True, blank=True)
    contract_until = models.DateField(_("contract until"), null=True, blank=True)
    name_search = models.GeneratedField(
        expression=_search_normal_form(models.F("name")), output_field=models.TextField(), db_persist=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name_search", "id"]
        indexes = [
            models.Index(fields=["contact_point", "kind", "active"], name="partner_office_kind_idx"),
            models.Index(fields=["contact_point", "name_search"], name="partner_office_name_idx"),
            GinIndex(OpClass("name_search", name="gin_trgm_ops"), name="partner_name_trgm_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "contact_point", name="partner_unique_name_per_office",
                violation_error_message=_("This contact point already has a partner of this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(contract_agency__isnull=True, contract_from__isnull=True,
                                   contract_until__isnull=True)
                | models.Q(contract_agency__isnull=False, contract_from__isnull=False),
                name="partner_contract_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(contract_until__isnull=True) | models.Q(contract_until__gte=models.F("contract_from")),
                name="partner_contract_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> str:
        return GROUP_OF_KIND[self.kind]

    @property
    def group_label(self) -> str:
        return str(PartnerGroup(self.group).label)

    @property
    def is_labour_market(self) -> bool:
        return self.group == PartnerGroup.LABOUR_MARKET

    @property
    def is_employer(self) -> bool:
        return self.kind == PartnerKind.EMPLOYER


@pghistory.track(exclude=["taken_count", "waiting_count"])
class Offer(models.Model):
    """A partner's service (Angebot / Maßnahme) with places, cost and the agencies that may commission it.

    ``taken_count`` (referrals accepted or started, ``partners.rules.TAKING_STATUSES``) and ``waiting_count``
    (referrals on the waiting list) are counts of the offer's referrals kept on the row, so the free-places board
    reads them instead of counting every running referral (issue 13). The database keeps them right (partners
    migration 0005): statement triggers on ``partners_referral`` add what a write changed, a trigger on the offer
    counts afresh on insert and when a write names them. Not in the history (they are the referrals')."""

    office_path = "partner__contact_point"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers", verbose_name=_("partner"))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=30,
        choices=[(kind.value, kind.label) for kind in PartnerKind if kind in SERVICE_KINDS],
    )
    description = models.TextField(_("description"), blank=True)
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    cost_per_month = models.DecimalField(
        _("cost per participant and month (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    commissionable_by = ArrayField(
        models.CharField(max_length=20, choices=Agency.Kind.choices),
        verbose_name=_("may be commissioned by"),
    )
    valid_from = models.DateField(_("offered from"))
    valid_until = models.DateField(_("offered until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    taken_count = models.IntegerField(_("Taken"), default=0, db_default=0, editable=False)
    waiting_count = models.IntegerField(_("Waiting"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["partner", "active"], name="offer_partner_active_idx"),
            models.Index(fields=["category", "active"], name="offer_category_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=1), name="offer_places_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="offer_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(commissionable_by__len__gte=1), name="offer_commissionable_by_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def group(self) -> str:
        return GROUP_OF_KIND[self.category]


# --- referrals ----------------------------------------------------------------------------------------------
@pghistory.track()
class Consent(models.Model):
    """Schweigepflichtentbindung: the client releases the office from confidentiality towards one partner.
    A record of its own, never an obligation inside an integration agreement."""

    office_path = "client__contact_point"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents", verbose_name=_("client"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="consents", verbose_name=_("partner")
    )
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.TextField(_("scope and purpose"))
    data_categories = ArrayField(
        models.CharField(max_length=20, choices=DataCategory.choices), verbose_name=_("data that may be shared")
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("release from confidentiality")
        verbose_name_plural = _("releases from confidentiality")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["client", "partner"], name="consent_client_partner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("given_on")),
                name="consent_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gte=models.F("given_on")),
                name="consent_revoked_after_given",
            ),
            models.CheckConstraint(condition=models.Q(data_categories__len__gte=1), name="consent_names_data"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.given_on:%d.%m.%Y})"

    def is_valid_on(self, day: date) -> bool:
        """Given by then, not expired, not revoked (a revocation takes effect on its day)."""
        return (
            self.given_on <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.revoked_on is None or day < self.revoked_on)
        )

    def data_labels(self) -> list[str]:
        return DataCategory.labels_of(self.data_categories)


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    WAITING = "waiting", _("Waiting list")
    ACCEPTED = "accepted", _("Accepted")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    ABORTED = "aborted", _("Aborted")
    DECLINED = "declined", _("Declined")


# The colour of each status's badge (``templates/partials/status_badge.html``).
REFERRAL_STATUS_TONES: dict[str, str] = {
    ReferralStatus.PROPOSED: "text-bg-secondary", ReferralStatus.WAITING: "text-bg-warning",
    ReferralStatus.ACCEPTED: "text-bg-info", ReferralStatus.STARTED: "text-bg-primary",
    ReferralStatus.COMPLETED: "text-bg-success", ReferralStatus.ABORTED: "text-bg-danger",
}


class PayingBasis(models.TextChoices):
    """The legal basis under which an agency pays for a referral (see ``partners.rules.PAYING_RULES``)."""

    BSHG_SOCIAL = "bshg_17_18", _("§§ 17, 18 BSHG (counselling and personal help)")
    SGB3_THIRD_PARTY = "sgb3_37", _("§ 37 SGB III (commissioning third parties)")
    SGB3_INTEGRATION = "sgb3_integration", _("SGB III (integration benefits)")
    BSHG_WORK = "bshg_18_20", _("§§ 18–20 BSHG (help towards work)")
    SGB3_PSA = "sgb3_37c", _("§ 37c SGB III (Personal-Service-Agentur)")
    SGB3_JOB_CREATION = "sgb3_260", _("§§ 260 ff. SGB III (job creation measure)")
    BSHG_EMPLOYMENT = "bshg_19", _("§ 19 BSHG (work opportunities)")


@pghistory.track(exclude=["office", "manager"])
class Referral(models.Model):
    """Beauftragung / Zuweisung: a client of a case sent to a partner's offer.

    ``office`` is the case's contact point, kept on the referral so the office's referral list leads its indexes
    with it (issue 13). The database keeps it right (partners migration 0003): a trigger fills it from the case on
    insert, and one on ``cases_case`` moves a case's referrals with the case (the hand-over). ``manager``, the
    case's case manager, likewise (migration 0004: carried along when the case is reassigned), for a case manager's
    own referrals ("mine", the start-page card)."""

    office_path = "office"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    office = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("contact point"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, db_index=False,
        related_name="+", verbose_name=_("case manager"),
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("offer"))
    referred_on = models.DateField(_("referral date"))
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    status_changed_on = models.DateField(_("status since"))
    planned_months = models.PositiveSmallIntegerField(
        _("planned duration (months)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    monthly_cost = models.DecimalField(_("cost per month (EUR)"), max_digits=9, decimal_places=2)
    paying_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("paying agency")
    )
    paying_basis = models.CharField(_("legal basis"), max_length=30, choices=PayingBasis.choices)
    paying_override_reason = models.TextField(_("reason for deviating from the rule"), blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals",
        verbose_name=_("release from confidentiality"),
    )
    shared_data = ArrayField(
        models.CharField(max_length=20, choices=DataCategory.choices), verbose_name=_("data passed on")
    )
    last_feedback_on = models.DateField(_("last feedback"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["offer", "status"], name="referral_offer_status_idx"),
            models.Index(fields=["case", "status"], name="referral_case_status_idx"),
            models.Index(fields=["status", "status_changed_on"], name="referral_status_since_idx"),
            # the referral list of one office, each sort read in order (issue 13)
            models.Index(fields=["office", "referred_on", "id"], name="referral_office_date_idx"),
            models.Index(fields=["office", "status", "referred_on", "id"], name="referral_office_status_idx"),
            models.Index(models.F("office"), Greatest("status_changed_on", "last_feedback_on"), models.F("id"),
                         name="referral_office_awaiting_idx"),
            # a case manager's running referrals by how long the partner has been silent (the start-page card of
            # overdue feedback; the statuses are ``partners.rules.ACTIVE_STATUSES``)
            models.Index(models.F("manager"), Greatest("status_changed_on", "last_feedback_on"), models.F("id"),
                         condition=models.Q(status__in=["accepted", "proposed", "started", "waiting"]),
                         name="referral_manager_running_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_months__gte=1, planned_months__lte=36), name="referral_months_in_range"
            ),
            models.CheckConstraint(condition=models.Q(shared_data__len__gte=1), name="referral_names_data"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.referred_on:%d.%m.%Y})"

    @property
    def estimated_cost(self) -> Decimal:
        return self.monthly_cost * self.planned_months

    @property
    def paying_overridden(self) -> bool:
        return bool(self.paying_override_reason)

    @property
    def status_tone(self) -> str:
        return REFERRAL_STATUS_TONES.get(self.status, "text-bg-dark")

    def shared_data_labels(self) -> list[str]:
        return DataCategory.labels_of(self.shared_data)


@pghistory.track()
class ReferralFeedback(models.Model):
    """What the partner reported back about the client (Rückmeldung)."""

    office_path = "referral__case__contact_point"

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("referral")
    )
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("feedback"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("partner feedback")
        verbose_name_plural = _("partner feedback")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.received_on:%d.%m.%Y}"


class DisclosureBasis(models.TextChoices):
    CONSENT = "consent", _("Release from confidentiality")
    COMMISSION = "commission", _("Commissioning without consent (only data needed for the service)")


@pghistory.track()
class DisclosureRecord(models.Model):
    """The disclosure log: which data about a client went to which partner, when, on what basis. Append-only."""

    office_path = "client__contact_point"

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("client")
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures",
        verbose_name=_("referral"),
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures",
        verbose_name=_("release from confidentiality"),
    )
    disclosed_on = models.DateField(_("disclosed on"))
    basis = models.CharField(_("basis"), max_length=20, choices=DisclosureBasis.choices)
    data_categories = ArrayField(
        models.CharField(max_length=20, choices=DataCategory.choices), verbose_name=_("data passed on")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("disclosure record")
        verbose_name_plural = _("disclosure log")
        ordering = ["-disclosed_on", "-id"]
        indexes = [models.Index(fields=["client", "disclosed_on"], name="disclosure_client_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(basis="consent") | models.Q(consent__isnull=False),
                name="disclosure_consent_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.disclosed_on:%d.%m.%Y}"

    def data_labels(self) -> list[str]:
        return DataCategory.labels_of(self.data_categories)


# --- employers and vacancies --------------------------------------------------------------------------------
@pghistory.track()
class EmployerContact(models.Model):
    """A logged contact with a labour-market partner (Arbeitgeberberatung und -betreuung)."""

    office_path = "partner__contact_point"

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["partner", "occurred_on"], name="employer_contact_date_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.subject}"


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    WITHDRAWN = "withdrawn", _("Withdrawn by the employer")


@pghistory.track()
class Vacancy(models.Model):
    """A job acquired from an employer (Stellenakquisition)."""

    office_path = "employer__contact_point"

    employer = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.CharField(_("occupation"), max_length=200)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    location = models.CharField(_("place of work"), max_length=200)
    positions = models.PositiveSmallIntegerField(_("number of positions"), default=1,
                                                 validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    acquired_on = models.DateField(_("acquired on"))
    filled_on = models.DateField(_("filled on"), null=True, blank=True)
    acquired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("acquired by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-acquired_on", "-id"]
        indexes = [
            models.Index(fields=["employer", "status"], name="vacancy_employer_status_idx"),
            models.Index(fields=["status", "acquired_on"], name="vacancy_status_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(positions__gte=1), name="vacancy_positions_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="filled") | models.Q(filled_on__isnull=False),
                name="vacancy_filled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.OPEN

    @property
    def status_tone(self) -> str:
        """The colour of the status badge (``templates/partials/status_badge.html``)."""
        return "text-bg-success" if self.is_open else "text-bg-secondary"


class ProposalResult(models.TextChoices):
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    NO_ANSWER = "no_answer", _("No answer")


@pghistory.track()
class PlacementProposal(models.Model):
    """Vermittlungsvorschlag: a client of a case proposed to an employer for a vacancy."""

    office_path = "case__contact_point"

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="placement_proposals", verbose_name=_("case")
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("vacancy")
    )
    proposed_on = models.DateField(_("proposed on"))
    result = models.CharField(_("result"), max_length=20, choices=ProposalResult.choices, blank=True)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("placement proposal")
        verbose_name_plural = _("placement proposals")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["vacancy", "result"], name="proposal_vacancy_result_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "vacancy"], name="proposal_once_per_case_and_vacancy"),
            models.CheckConstraint(
                condition=models.Q(result="", result_on__isnull=True) | (~models.Q(result="") & models.Q(result_on__isnull=False)),
                name="proposal_result_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.client} → {self.vacancy}"
