"""Reads of letters: scoped to the user's offices (``for_user``), joined and sorted in the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from cases.models import Appointment, Client
from jobcenter.models import ContactPoint
from letters.models import Letter, LetterBatch, LetterKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

CLIENT_PAGE_LETTERS = 8
PAGE_SIZE = 25


def client_letters(user: User, client: Client) -> QuerySet[Letter]:
    """The client's letters, newest first."""
    return (Letter.objects.for_user(user).filter(case__client=client)
            .select_related("template", "document", "referral__offer__partner", "created_by", "case")
            .order_by("-letter_date", "-id"))


def letters_of(user: User, **source: object) -> QuerySet[Letter]:
    """The letters about one appointment, hearing or referral, newest first."""
    return (Letter.objects.for_user(user).filter(**source).select_related("document", "template")
            .order_by("-id"))


def with_invitation_flag(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Mark the appointments an invitation was already printed for."""
    return appointments.annotate(invited=Exists(Letter.objects.filter(appointment=OuterRef("pk"),
                                                                      kind=LetterKind.INVITATION)))


def recent_batches(user: User, office: ContactPoint) -> QuerySet[LetterBatch]:
    return (LetterBatch.objects.for_user(user).filter(contact_point=office).select_related("document", "created_by")
            .order_by("-created_at", "-id"))
