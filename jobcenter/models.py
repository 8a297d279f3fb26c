"""The organisation: agencies, joint contact points, cooperation agreements and staff."""

from __future__ import annotations

from datetime import date

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobcenter.roles import Module


class Agency(models.Model):
    class Kind(models.TextChoices):
        ARBEITSAMT = "arbeitsamt", _("Employment office (SGB III)")
        SOZIALHILFE = "sozialhilfe", _("Social welfare agency (BSHG)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    district_key = models.CharField(_("district key"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    class Variant(models.TextChoices):
        GROSSSTADT = "grossstadt", _("City")
        MITTELSTADT = "mittelstadt", _("Medium-sized town")
        LANDKREIS = "landkreis", _("Rural district")

    name = models.CharField(_("name"), max_length=200, unique=True)
    address = models.TextField(_("address"), blank=True)
    variant = models.CharField(_("model variant"), max_length=20, choices=Variant.choices)
    employment_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Agency.Kind.ARBEITSAMT},
        verbose_name=_("employment office"),
    )
    welfare_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Agency.Kind.SOZIALHILFE},
        verbose_name=_("social welfare agency"),
    )
    enabled_modules = ArrayField(
        models.CharField(max_length=40, choices=Module.choices),
        default=list,
        blank=True,
        verbose_name=_("enabled optional modules"),
    )

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if self.employment_agency_id and self.employment_agency.kind != Agency.Kind.ARBEITSAMT:
            errors["employment_agency"] = _("Choose an employment office (Arbeitsamt).")
        if self.welfare_agency_id and self.welfare_agency.kind != Agency.Kind.SOZIALHILFE:
            errors["welfare_agency"] = _("Choose a social welfare agency (Sozialhilfeträger).")
        unknown = set(self.enabled_modules) - set(Module.values)
        if unknown:
            errors["enabled_modules"] = _("Unknown modules: %(names)s") % {"names": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors)

    def has_module(self, module: str) -> bool:
        return module in self.enabled_modules

    @property
    def agencies(self) -> tuple[Agency, Agency]:
        return (self.employment_agency, self.welfare_agency)

    def agency_of_kind(self, kind: str) -> Agency:
        """The office's Arbeitsamt for ``Agency.Kind.ARBEITSAMT``, else its Sozialhilfeträger."""
        return self.employment_agency if kind == Agency.Kind.ARBEITSAMT else self.welfare_agency


@pghistory.track()
class CooperationAgreement(models.Model):
    """An agreement between agencies whose districts overlap (docs/domain.md §3a): its parties, what it covers
    (``scope``), its period and the contact points between which clients can be handed over. Never deleted: ending
    it sets ``valid_until`` (``jobcenter.cooperation.services.end_agreement``); the audit trail keeps every change,
    the parties and contact points included (tracked below)."""

    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(Agency, related_name="cooperation_agreements", verbose_name=_("parties"))
    scope = models.TextField(_("scope"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    contact_points = models.ManyToManyField(
        ContactPoint, related_name="cooperation_agreements", blank=True, verbose_name=_("contact points covered"),
        help_text=_("Clients can be handed over between these contact points while the agreement is valid."),
    )
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="cooperation_agreement_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def valid_on(self, day: date) -> bool:
        """The period is inclusive at both ends; an open end runs on."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


# The parties and the contact points covered: who joined and left. pghistory tracks the join tables through proxy
# models (so that the triggers are part of the migrations).
@pghistory.track(pghistory.InsertEvent("party.add"), pghistory.DeleteEvent("party.remove"), obj_field=None)
class CooperationAgreementParty(CooperationAgreement.parties.through):  # type: ignore[name-defined]  # an auto-created through model is no class to the type checker
    class Meta:
        proxy = True


@pghistory.track(pghistory.InsertEvent("contact_point.add"), pghistory.DeleteEvent("contact_point.remove"),
                 obj_field=None)
class CooperationAgreementContactPoint(CooperationAgreement.contact_points.through):  # type: ignore[name-defined]  # as above
    class Meta:
        proxy = True


@pghistory.track()
class StaffProfile(models.Model):
    """What a staff user needs beyond Django's user: home agency, offices, language. Roles are groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    home_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("home agency")
    )
    contact_points = models.ManyToManyField(
        ContactPoint, related_name="staff", blank=True, verbose_name=_("contact points")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    session_epoch = models.PositiveIntegerField(
        _("session generation"), default=0, editable=False,
        help_text=_("Raised by 'log out everywhere': sessions started before are no longer valid."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)


class WorkerHeartbeat(models.Model):
    """Written by a periodic Celery task: shows administrators that workers and beat are alive."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    hostname = models.CharField(_("worker"), max_length=200)
    token = models.CharField(_("token"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hostname} {self.created_at:%Y-%m-%d %H:%M}"


class AccessRecord(models.Model):
    """A read of personal data: every view of a client's record, every download of a document about a client and
    every list or export of clients (SGB X §67 ff.), declared per URL in ``jobcenter.access_log``.

    Writes are recorded by the audit trail (pghistory); this log records who *looked*. ``client_id`` is a plain
    integer so the organisation app does not depend on the cases app; it survives the client's anonymisation.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact point")
    )
    # empty for a list or an export: it holds ``clients`` rows (``jobcenter.access_log.shown_many``)
    client_id = models.BigIntegerField(_("client number"), db_index=True, null=True, blank=True)
    clients = models.PositiveIntegerField(_("number of clients"), default=1)
    kind = models.CharField(_("access"), max_length=10, choices=Kind.choices, default=Kind.VIEW)
    what = models.CharField(_("what"), max_length=200)
    reason = models.CharField(_("reason given"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client_id", "at"], name="jc_access_client_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.what}"


class DataFlow(models.Model):
    """Client data that one Träger recorded, opened or exported by staff of the other Träger (docs/domain.md §9):
    part of the access record of that request, naming both Träger and the kind of data (a key of
    ``jobcenter.access_log.DATA_KINDS``) with the number of rows shown. A read within one Träger is no flow and
    not recorded here; the access record itself is written either way."""

    record = models.ForeignKey(AccessRecord, on_delete=models.CASCADE, related_name="flows",
                               verbose_name=_("access record"))
    data = models.CharField(_("kind of data"), max_length=40)
    reader_carrier = models.CharField(_("read by staff of"), max_length=20, choices=Agency.Kind.choices)
    owner_carrier = models.CharField(_("recorded by"), max_length=20, choices=Agency.Kind.choices)
    rows = models.PositiveIntegerField(_("rows shown"), default=1)

    class Meta:
        verbose_name = _("data flow between the Träger")
        verbose_name_plural = _("data flows between the Träger")
        ordering = ["record", "data"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reader_carrier=models.F("owner_carrier")),
                                   name="data_flow_crosses_the_carriers"),
        ]

    def __str__(self) -> str:
        return f"{self.data}: {self.owner_carrier} → {self.reader_carrier}"


from jobcenter.models_documents import StoredBlob, StoredDocument  # noqa: E402, F401  (the document store, jobcenter.documents)
