"""Invitations in bulk: "Einladungen für morgen" of a case manager or (Teamleitung) of the office, and a selection,
as ONE PDF rendered by one task, with one letter per appointment and every letter's pages in order."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from jobcenter import documents
from jobcenter.models_documents import StoredDocument
from jobcenter.roles import Role
from letters import rules
from letters.errors import LetterError
from letters.models import BatchScope, Letter, LetterBatch
from letters.pdf import render_pdf
from letters.services import batches
from letters.tasks import render_batch
from tests.letters.factories import appointment_on, case_of, pdf_pages, pdf_text

NEXT = rules.next_working_day(timezone.localdate())


@pytest.fixture
def tomorrow(office, fallmanager, make_staff):  # type: ignore[no-untyped-def]
    """Three open appointments of the Fallmanager on the next working day, one of a colleague, one cancelled."""
    people = [("Anna", "Meyer", "hlu"), ("Ronny", "Öztürk", "alg"), ("Käthe", "Müller", None)]
    result = []
    for hour, (first, last, kind) in zip((11, 9, 10), people, strict=True):
        benefits = [(kind, datetime.date(2002, 1, 1), None)] if kind else []
        result.append(appointment_on(case_of(office, fallmanager, *benefits, first_name=first, last_name=last),
                                     NEXT, hour))
    colleague = make_staff(Role.FALLMANAGER, office)
    appointment_on(case_of(office, colleague, first_name="Olaf", last_name="Schulz"), NEXT, 9)
    appointment_on(case_of(office, fallmanager, first_name="Cora", last_name="Abgesagt"), NEXT, 12,
                   outcome="cancelled")
    return result


def test_tomorrows_invitations_of_a_case_manager_are_one_pdf_with_every_letter(office, fallmanager, tomorrow):
    batch = batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER], day=NEXT)
    assert (batch.scope, batch.size, batch.day) == (BatchScope.MINE, 3, NEXT)
    render_batch.apply(args=[batch.pk])
    batch.refresh_from_db()
    data = documents.read(batch.document)
    letters = batches.batch_letters(batch)
    assert [letter.case.client.last_name for letter in letters] == ["Öztürk", "Müller", "Meyer"]  # by time
    # the PDF is the letters' pages one after the other: as many pages as the three letters on their own
    singles = [pdf_pages(render_pdf(letter.content, letter.content_sha256)) for letter in letters]
    assert pdf_pages(data) == sum(singles)
    reader = PdfReader(__import__("io").BytesIO(data))
    starts = [i for i, page in enumerate(reader.pages) if "Seite 1 von" in page.extract_text()]
    assert len(starts) == 3  # each letter has its own page numbers
    text = pdf_text(data)
    assert "Anna Meyer" in text and "Ronny Öztürk" in text and "Käthe Müller" in text
    assert "Olaf Schulz" not in text and "Abgesagt" not in text  # a colleague's, a cancelled one
    assert text.index("Ronny Öztürk") < text.index("Käthe Müller") < text.index("Anna Meyer")
    assert StoredDocument.objects.filter(kind="letter_batch").count() == 1
    assert not StoredDocument.objects.filter(kind="letter").exists()  # the letters' own PDFs: only on demand


def test_the_team_lead_prints_the_whole_office(office, teamleitung, tomorrow):
    batch = batches.print_invitations(office=office, by=teamleitung, roles=[Role.TEAMLEITUNG], day=NEXT)
    assert (batch.scope, batch.size) == (BatchScope.OFFICE, 4)


def test_selected_appointments_are_one_pdf(office, fallmanager, tomorrow):
    chosen = [tomorrow[0].pk, tomorrow[2].pk]
    batch = batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER],
                                      appointment_ids=chosen)
    assert (batch.scope, batch.size) == (BatchScope.SELECTED, 2)
    render_batch.apply(args=[batch.pk])
    batch.refresh_from_db()
    text = pdf_text(documents.read(batch.document))
    assert "Anna Meyer" in text and "Käthe Müller" in text and "Ronny Öztürk" not in text


def test_printing_the_same_again_reuses_letters_and_batch(office, fallmanager, tomorrow):
    first = batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER], day=NEXT)
    again = batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER], day=NEXT)
    assert again.pk == first.pk and Letter.objects.count() == 3 and LetterBatch.objects.count() == 1
    render_batch.apply(args=[first.pk])
    render_batch.apply(args=[first.pk])
    assert StoredDocument.objects.count() == 1


def test_a_batch_is_all_or_nothing(office, fallmanager, tomorrow, notices):
    notices["sgb3_309"].delete()  # Ronny Öztürk draws Alg: his invitation cannot be printed
    with pytest.raises(LetterError, match="Nothing was printed. Appointment .* with Ronny Öztürk"):
        batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER], day=NEXT)
    assert not Letter.objects.exists() and not LetterBatch.objects.exists()


def test_another_offices_appointment_cannot_be_selected(office, other_office, fallmanager, tomorrow,
                                                        fallmanager_other_office):
    foreign = appointment_on(case_of(other_office, fallmanager_other_office), NEXT, 9)
    with pytest.raises(LetterError, match="not \\(or no longer\\) at this contact point"):
        batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER],
                                  appointment_ids=[tomorrow[0].pk, foreign.pk])


def test_an_empty_day_prints_nothing(office, fallmanager):
    with pytest.raises(LetterError, match="no open appointments"):
        batches.print_invitations(office=office, by=fallmanager, roles=[Role.FALLMANAGER],
                                  day=NEXT + datetime.timedelta(days=7))


def test_issuing_a_batch_takes_the_same_number_of_queries_for_3_and_for_12_appointments(office, fallmanager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from letters.services.letters import issue_invitations

    def issue(count: int, day: datetime.date) -> int:
        ids = [appointment_on(case_of(office, fallmanager, ("hlu", datetime.date(2002, 1, 1), None)), day, 8,
                              minute=4 * i).pk for i in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert len(issue_invitations(appointment_ids=ids, by=fallmanager, render=False)) == count
        return len(queries)

    issue(1, NEXT)  # the office's template (version 1) is made once
    assert issue(3, NEXT + datetime.timedelta(days=7)) == issue(12, NEXT + datetime.timedelta(days=14))
