"""Clients and their cases (seed §2, §3, §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

import pghistory
from jobcenter.models import ContactPoint
from jobcenter.scoping import OfficeScopedManager


@pghistory.track()
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
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficeScopedManager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["contact_point", "last_name", "first_name"], name="client_office_name_idx")]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
