"""The office's letter templates: the version in use, and a new version written by a Teamleitung.

A template row is never changed. Saving adds version n+1, which every letter printed from then on uses; letters
printed before keep pointing at (and printed) their version. An office without a template of a kind gets the
shipped example as version 1, marked as example (``letters.defaults``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from letters.defaults import EXAMPLES
from letters.errors import LetterError
from letters.models import LetterKind, LetterTemplate

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def versions(office: ContactPoint, kind: str) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(contact_point=office, kind=kind).order_by("-version")


def current_template(office: ContactPoint, kind: str) -> LetterTemplate:
    """The version in use: the newest; the shipped example (version 1) when the office has none yet."""
    latest = versions(office, kind).first()
    if latest is not None:
        return latest
    example = EXAMPLES[LetterKind(kind)]
    try:
        with transaction.atomic():
            return LetterTemplate.objects.create(contact_point=office, kind=kind, version=1, is_example=True,
                                                 change_note=_("Example text shipped with the software"), **example)
    except IntegrityError:  # created at the same moment by another request
        return versions(office, kind).get(version=1)


def current_or_example(office: ContactPoint, kind: str) -> LetterTemplate:
    """The version in use, or (not saved) the shipped example as it would become version 1: for pages, which
    write nothing."""
    return versions(office, kind).first() or LetterTemplate(
        contact_point=office, kind=kind, version=1, is_example=True, **EXAMPLES[LetterKind(kind)])


@dataclass(frozen=True)
class TemplateInput:
    subject: str
    opening: str
    details: str
    closing: str
    reply_days: int
    change_note: str


def may_edit(user: User, office: ContactPoint) -> bool:
    """Only a Teamleitung of the office writes its templates (asked of the database, not of the request)."""
    return bool(
        user.groups.filter(name=Role.TEAMLEITUNG).exists()  # type: ignore[attr-defined]  # Django's User
        and ContactPoint.objects.filter(pk=office.pk, staff__user=user.pk).exists()
    )


@transaction.atomic
@transaction.atomic  # a refusal also takes back the example version 1 that current_template may have written
def save_template(*, office: ContactPoint, kind: str, data: TemplateInput, by: User,
                  expected_version: int | None = None) -> LetterTemplate:
    """Add a new version of the office's template of ``kind``. ``expected_version`` is the version the form was
    opened on: if someone saved in between, the save is refused instead of silently overwriting their text."""
    if kind not in LetterKind.values:
        raise LetterError(_("There is no such kind of letter."))
    if not may_edit(by, office):
        raise LetterError(_("Only the team lead of the contact point edits letter templates."))
    ContactPoint.objects.select_for_update().get(pk=office.pk)  # one writer of the office's templates at a time
    current = current_template(office, kind)
    if expected_version is not None and expected_version != current.version:
        raise LetterError(_("Someone saved version %(version)s of this template in the meantime. Reload the page "
                            "and make your change again.") % {"version": current.version})
    if not data.subject.strip():
        raise LetterError(_("Give the letter a subject."), field="subject")
    if not data.opening.strip():
        raise LetterError(_("Write the opening of the letter."), field="opening")
    if not 1 <= data.reply_days <= 60:
        raise LetterError(_("The deadline is 1 to 60 days."), field="reply_days")
    texts = {"subject": data.subject.strip(), "opening": data.opening.strip(), "details": data.details.strip(),
             "closing": data.closing.strip(), "reply_days": data.reply_days}
    if all(getattr(current, name) == value for name, value in texts.items()):
        raise LetterError(_("Nothing was changed; no new version was saved."))
    with pghistory.context(user=by.pk):
        return LetterTemplate.objects.create(
            contact_point=office, kind=kind, version=current.version + 1, is_example=False,
            change_note=data.change_note.strip(), created_by=by, **texts,
        )
