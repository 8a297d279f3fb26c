"""Roles of the staff, kept as Django groups named as in the organisation (labels are translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPFANG = "Empfang", _("Reception")
    FALLMANAGER = "Fallmanager", _("Case manager")
    ARBEITSVERMITTLER = "Arbeitsvermittler", _("Placement officer")
    LEISTUNG = "Leistungssachbearbeiter", _("Benefits officer")
    TEAMLEITUNG = "Teamleitung", _("Team lead")
    ADMINISTRATOR = "Administrator", _("Administrator")


class Module(models.TextChoices):
    """Optional service modules of a contact point (docs/domain.md §4/§5); the Grundangebot is always on."""

    LEISTUNGSBERATUNG = "leistungsberatung", _("Benefits advice")
    ANTRAGSANNAHME = "antragsannahme", _("Benefit applications")
    SOZIALANAMNESE = "sozialanamnese", _("Social history")
    TIEFENPROFILING = "tiefenprofiling", _("In-depth profiling / assessment")
    EINGLIEDERUNGSHILFEN = "eingliederungshilfen", _("Integration support")
    PSA_ZUWEISUNG = "psa_zuweisung", _("Assignment to PSA / employment company")
    BEAUFTRAGUNG_DRITTER = "beauftragung_dritter", _("Commissioning third parties")
    ARBEITGEBERSERVICE = "arbeitgeberservice", _("Employer service")
    VERMITTLUNG = "vermittlung", _("Job placement")
