"""Office scoping: the one mechanism every app uses to keep a user inside their own contact point(s).

A model holding office data declares where its office lives (``office_path``) and uses ``OfficeScopedManager``;
reads go through ``Model.objects.for_user(user)`` and views fetch single objects with ``get_scoped_or_404``.
An object of another office is answered with 404, never with a hint that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

M = TypeVar("M", bound=models.Model)


def contact_point_ids(user: AbstractBaseUser | AnonymousUser) -> frozenset[int]:
    """Ids of the contact points a user works in (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_contact_point_ids", None)
    if cached is None:
        from jobcenter.models import ContactPoint

        cached = frozenset(
            ContactPoint.objects.filter(staff__user=user.pk).values_list("id", flat=True)
        )
        remember_contact_point_ids(user, cached)
    return cached


def remember_contact_point_ids(user: AbstractBaseUser | AnonymousUser, ids: frozenset[int]) -> None:
    """Cache the ids for ``contact_point_ids`` (the staff context, which loads the offices anyway, saves a query)."""
    user._contact_point_ids = ids  # type: ignore[union-attr]  # a per-request cache on the user object


class OfficeScopedQuerySet(models.QuerySet[M]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> OfficeScopedQuerySet[M]:
        path = getattr(self.model, "office_path", None)
        if not path:
            raise TypeError(f"{self.model.__name__} declares no office_path and cannot be office-scoped.")
        return self.filter(**{f"{path}__in": contact_point_ids(user)})

    def for_office(self, office_id: int) -> OfficeScopedQuerySet[M]:
        return self.filter(**{self.model.office_path: office_id})  # type: ignore[attr-defined]  # declared by each scoped model


# django-stubs does not resolve a from_queryset() call used inline as a base class, so the scoped managers stay
# untyped here; typing them (the base in a module variable) is a follow-up: it checks every Model.objects call.
class OfficeScopedManager(models.Manager.from_queryset(OfficeScopedQuerySet)):  # type: ignore[misc]  # see above
    pass


def get_scoped_or_404(
    queryset: type[M] | models.QuerySet[M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> M:
    """Fetch one object only within the user's offices; 404 for anything else, including other offices."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not isinstance(qs, OfficeScopedQuerySet):
        raise TypeError(f"{qs.model.__name__} is not office-scoped; use OfficeScopedManager.")
    try:
        return qs.for_user(user).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None
