"""Writes of notifications: created by the service that causes them, marked read by their recipient.

``notify`` / ``notify_many`` are called *inside* the causing service's transaction: the notification commits or
rolls back with the assignment, the approval, the feedback or the stored document. A notification for the acting
user themself is not made (they know). Dated kinds (``DATED_KINDS``: the daily task's hearing deadlines and
expiring agreements) carry ``due_on`` and are made at most once per recipient, subject and date — the unique
constraint ``notification_once`` decides, so two overlapping runs cannot make two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from jobcenter.errors import DomainError
from notifications.models import DATED_KINDS, Kind, Notification
from notifications.rules import check_subject, check_url

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class NotificationError(DomainError):
    """A notification that is not the user's to mark."""


@dataclass(frozen=True)
class Notice:
    """One notification to make: to ``recipient_id`` in office ``office_id``."""

    recipient_id: int
    office_id: int
    kind: str
    subject: str
    url: str
    subject_key: str
    client_id: int | None = None
    due_on: date | None = None


def reference(text: str | Promise, **values: object) -> str:
    """A subject's reference ("Fall 17") in the default language: stored once, read by whoever opens the inbox
    (like the access log's labels)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % values if values else str(text)


def _row(notice: Notice) -> Notification:
    if notice.kind not in Kind.values:
        raise ValueError(f"unknown notification kind {notice.kind!r}")
    if (notice.due_on is not None) != (notice.kind in DATED_KINDS):
        raise ValueError(f"{notice.kind}: a date (due_on) belongs to the daily kinds and only to them")
    return Notification(
        recipient_id=notice.recipient_id, contact_point_id=notice.office_id, kind=notice.kind,
        subject=check_subject(notice.subject), url=check_url(notice.url), subject_key=notice.subject_key[:40],
        client_id=notice.client_id, due_on=notice.due_on,
    )


def notify_many(notices: Iterable[Notice], *, by: AbstractBaseUser | None = None) -> int:
    """Make the notifications (one INSERT), leaving out those for ``by`` (the acting user) and, for dated kinds,
    those that exist already (ON CONFLICT DO NOTHING on ``notification_once``). Runs in the caller's transaction.
    Returns how many were made."""
    rows = [_row(notice) for notice in notices if by is None or notice.recipient_id != by.pk]
    if not rows:
        return 0
    dated = [row for row in rows if row.due_on is not None]
    if not dated:
        return len(Notification.objects.bulk_create(rows))
    same = Notification.objects.filter(  # a superset of the rows' keys: the same before and after the INSERT
        recipient_id__in={row.recipient_id for row in dated}, kind__in={row.kind for row in dated},
        subject_key__in={row.subject_key for row in dated}, due_on__in={row.due_on for row in dated},
    )
    with transaction.atomic():
        before = same.count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows) - len(dated) + same.count() - before


def notify(notice: Notice, *, by: AbstractBaseUser | None = None) -> int:
    """One notification (see ``notify_many``)."""
    return notify_many([notice], by=by)


@transaction.atomic
def mark_read(*, notification_id: int, user: AbstractBaseUser) -> Notification:
    """Mark one of the user's own notifications (in one of their offices) read; another's answers
    ``Notification.DoesNotExist`` (the view's 404)."""
    notification = (
        Notification.objects.for_user(user).select_for_update().get(pk=notification_id, recipient_id=user.pk)
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: AbstractBaseUser, office_id: int) -> int:
    """Mark every unread notification of the user in the office read (one UPDATE). Returns how many."""
    return Notification.objects.for_user(user).filter(
        recipient_id=user.pk, contact_point_id=office_id, read_at__isnull=True,
    ).update(read_at=timezone.now())
