"""Reads of notifications: the inbox and the navigation's unread count, both for the active office only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest

from notifications.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Shown as "99+" above this; the count stops there, so a forgotten inbox costs no more than a tidy one.
BADGE_CAP = 99


def inbox(user: AbstractBaseUser, office_id: int, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications in the office (one of theirs: ``for_user``), newest first."""
    rows = Notification.objects.for_user(user).filter(recipient_id=user.pk, contact_point_id=office_id)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(user: AbstractBaseUser, office_id: int, cap: int = BADGE_CAP) -> int:
    """Unread notifications of the user in the office, counted up to ``cap + 1``: one query on the partial
    index ``notification_unread_idx``. (Office membership is checked by the page; the count names no data.)"""
    unread = Notification.objects.filter(recipient_id=user.pk, contact_point_id=office_id, read_at__isnull=True)
    return unread.order_by().values("pk")[: cap + 1].count()


def unread_badge(request: HttpRequest) -> str:
    """The navigation badge: "" (none), "3", or "99+"; computed once per request (cached on the request)."""
    cached: str | None = getattr(request, "_unread_badge", None)
    if cached is not None:
        return cached
    staff = getattr(request, "staff", None)
    office = getattr(staff, "office", None)
    count = unread_count(request.user, office.pk) if office is not None and request.user.is_authenticated else 0
    badge = "" if count == 0 else f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)
    request._unread_badge = badge  # type: ignore[attr-defined]  # a per-request cache
    return badge
