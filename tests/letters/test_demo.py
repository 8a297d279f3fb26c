"""The demo (``manage.py seed_demo``) has printed letters: per office the case manager's invitations for the next
working day as one PDF, a hearing letter and commission letters, all rendered; seeding again adds none."""

from __future__ import annotations

from django.core.management import call_command

from jobcenter.models import ContactPoint
from letters import demo
from letters.models import Letter, LetterBatch, LetterKind


def test_the_demo_has_printed_invitations_a_hearing_letter_and_commission_letters(db):  # type: ignore[no-untyped-def]
    call_command("seed_demo", verbosity=0)
    for office in ContactPoint.objects.all():
        letters = Letter.objects.filter(case__contact_point=office)
        batch = LetterBatch.objects.filter(contact_point=office).get()
        assert batch.document_id and batch.size >= 3 and batch.letters.count() == batch.size
        assert letters.filter(kind=LetterKind.INVITATION, document__isnull=False).count() >= 2, office
        assert letters.filter(kind=LetterKind.HEARING, document__isnull=False).exists(), office
        assert letters.filter(kind=LetterKind.REFERRAL, document__isnull=False).count() >= 1, office
    counts = (Letter.objects.count(), LetterBatch.objects.count())
    from jobcenter.demo import seed_organisation

    demo.seed(seed_organisation())  # again: the same letters and batches, nothing new
    assert (Letter.objects.count(), LetterBatch.objects.count()) == counts
