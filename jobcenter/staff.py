"""Who is asking: the staff context attached to every authenticated request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q
from django.http import HttpRequest

from jobcenter.models import ContactPoint, StaffProfile
from jobcenter.roles import Role
from jobcenter.scoping import remember_contact_point_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ACTIVE_OFFICE_SESSION_KEY = "active_contact_point"
SESSION_EPOCH_KEY = "session_epoch"
SESSION_RENEWED_KEY = "renewed_at"  # when the session's expiry last slid (jobcenter.middleware.SessionRenewalMiddleware)


class StaffBackend(ModelBackend):
    """Django's model backend; loading a session's user, it reads in the same query what every request needs: the
    staff profile and the names of the user's roles (``StaffContext`` takes them from there). Listed in
    ``AUTHENTICATION_BACKENDS`` in place of ``ModelBackend``."""

    def get_user(self, user_id: int) -> User | None:
        user = (
            get_user_model()._default_manager.select_related("staff_profile")
            .annotate(role_names=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=[]))
            .filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


@dataclass
class StaffContext:
    user: User
    request: HttpRequest

    @cached_property
    def profile(self) -> StaffProfile:
        try:
            return self.user.staff_profile  # loaded with the user by ``StaffBackend`` (else one query)
        except StaffProfile.DoesNotExist:
            profile, _ = StaffProfile.objects.get_or_create(user=self.user)
            return profile

    @cached_property
    def roles(self) -> frozenset[str]:
        loaded = getattr(self.user, "role_names", None)  # by ``StaffBackend``, with the user
        if loaded is not None:
            return frozenset(loaded)
        return frozenset(self.user.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @cached_property
    def offices(self) -> list[ContactPoint]:
        offices = list(
            ContactPoint.objects.filter(staff__user=self.user).select_related("employment_agency", "welfare_agency")
        )
        remember_contact_point_ids(self.user, frozenset(office.pk for office in offices))
        return offices

    @cached_property
    def office(self) -> ContactPoint | None:
        """The active office: chosen in the session among the user's offices, else the first."""
        wanted = self.request.session.get(ACTIVE_OFFICE_SESSION_KEY)
        for office in self.offices:
            if office.pk == wanted:
                return office
        return self.offices[0] if self.offices else None

    def has_module(self, module: str) -> bool:
        return self.office is not None and self.office.has_module(module)

    @property
    def is_admin(self) -> bool:
        """Decides the link to the Django admin only; app access goes by ``roles`` (no superuser bypass)."""
        return bool(self.user.is_superuser) or Role.ADMINISTRATOR in self.roles
