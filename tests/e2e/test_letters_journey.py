"""Issue 18 journey (letters): the case manager prints tomorrow's invitations as one PDF (rendered by a real
Celery worker while the page polls), records a no-show, starts the hearing and prints its letter with one click;
the team lead adapts the invitation template (a new version). Every page visited passes the axe gate; the PDFs
are read back."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Appointment, BenefitEntitlement, BenefitKind, CaseStatus
from letters import rules
from letters.models import Letter, LetterBatch
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory
from tests.conftest import _database_url, running_worker
from tests.e2e.conftest import login, wait_until_ready
from tests.letters.factories import ensure_invitation_notices
from tests.partners.factories import ensure_role_groups


@pytest.fixture
def letter_worker(transactional_db, redis_url, settings, tmp_path, worker_id) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A real worker rendering letters into a documents directory shared with the live server."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    with running_worker(prefix="letters-journey", database_url=_database_url(), broker_url=redis_url,
                        worker_id=worker_id, env={"DOCUMENTS_ROOT": str(settings.DOCUMENTS_ROOT)},
                        conf={"task_always_eager": False}):
        yield


@pytest.fixture
def day_of_work(demo):  # type: ignore[no-untyped-def]
    """Three clients of the demo case manager invited for the next working day, and one whose appointment an hour
    ago has no outcome yet."""
    ensure_role_groups()
    ensure_invitation_notices()
    office, manager = demo.offices[0], demo.staff["fallmanager"]
    tz = timezone.get_current_timezone()
    tomorrow = rules.next_working_day(timezone.localdate())
    people = [("Sabine", "Vogt", BenefitKind.HLU), ("Ronny", "Öztürk", BenefitKind.ALG), ("Käthe", "Müller", None)]
    for number, (first, last, kind) in enumerate(people):
        client = ClientFactory(contact_point=office, first_name=first, last_name=last, street="Eisenbahnstraße 5",
                               postal_code="04315", city="Leipzig")
        if kind:
            BenefitEntitlement.objects.create(client=client, kind=kind, monthly_amount=300, start=date(2002, 9, 1))
        case = CaseFactory(client=client, case_manager=manager, opened_on=date(2002, 10, 1),
                           status=CaseStatus.PROFILING)
        AppointmentFactory(case=case, with_user=manager, purpose="Beratungsgespräch",
                           starts_at=datetime.combine(tomorrow, time(9 + number, 0), tzinfo=tz))
    absent = ClientFactory(contact_point=office, first_name="Olaf", last_name="Schulz", street="Dresdner Straße 79",
                           postal_code="04103", city="Leipzig")
    BenefitEntitlement.objects.create(client=absent, kind=BenefitKind.ALHI, monthly_amount=410, start=date(2002, 1, 1))
    case = CaseFactory(client=absent, case_manager=manager, opened_on=date(2002, 10, 1), status=CaseStatus.PROFILING)
    AppointmentFactory(case=case, with_user=manager, purpose="Bewerbungstraining besprechen",
                       starts_at=timezone.now() - timedelta(hours=1))
    return absent


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages)), len(reader.pages)


def test_print_tomorrows_invitations_record_a_no_show_and_print_the_hearing_letter(
        page, day_of_work, letter_worker, screenshot):
    absent = day_of_work
    login(page, "fallmanager")

    # 1. the start page points to tomorrow's invitations
    card = page.get_by_test_id("home-letters_invitations")
    expect(card).to_contain_text("Einladungen für den nächsten Arbeitstag")
    wait_until_ready(page)
    card.get_by_role("link", name="Einladungen drucken").click()

    # 2. "Einladungen für morgen": every open appointment of the next working day, printed as ONE PDF
    expect(page.get_by_test_id("invitations-heading")).to_contain_text("Einladungen für morgen")
    rows = page.get_by_test_id("appointment-row")
    expect(rows).to_have_count(3)
    screenshot("letters-01-invitations")
    page.get_by_test_id("print-all").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 Einladungen in einem PDF")
    download_link = page.get_by_test_id("batch-download")
    expect(download_link).to_be_visible(timeout=60_000)  # the page polls until the worker is done
    screenshot("letters-02-batch-ready")
    with page.expect_download() as info:
        download_link.click()
    text, pages = _text(open(info.value.path(), "rb").read())  # noqa: SIM115 - read once
    assert "Sabine Vogt" in text and "Ronny Öztürk" in text and "Käthe Müller" in text
    assert text.count("Seite 1 von") == 3 and pages >= 3  # three letters, each with its own page numbers
    assert "§ 25 BSHG" in text and "Meldepflicht" in text  # the notes chosen by each client's benefits
    assert LetterBatch.objects.get().size == 3

    # 3. the client who did not come: record the no-show on the client page
    page.goto(f"/kunden/{absent.pk}/")
    entry = page.get_by_test_id("timeline-appointment").first
    expect(entry).to_contain_text("Ergebnis fehlt")
    entry.get_by_role("link", name="Ergebnis erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnis erfassen")
    page.get_by_label("Unentschuldigt nicht erschienen").check()
    page.get_by_label("Vermerk zum Ergebnis").fill("Nicht erschienen, telefonisch nicht erreichbar.")
    page.get_by_role("button", name="Ergebnis speichern").click()
    expect(page.get_by_text("Ergebnis erfasst.")).to_be_visible()
    assert Appointment.objects.get(case__client=absent).outcome == "no_show"

    # 4. start the hearing and print its letter with one click: "wird erstellt", then the link
    page.get_by_test_id("open-no-show-hearing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anhörung")
    wait_until_ready(page)
    page.get_by_test_id("hearing-letter-print").click()
    letter_link = page.get_by_test_id("letter-download")
    expect(letter_link).to_be_visible(timeout=60_000)
    screenshot("letters-03-hearing-letter-ready")
    with page.expect_download() as info:
        letter_link.click()
    text, _pages = _text(open(info.value.path(), "rb").read())  # noqa: SIM115 - read once
    letter = Letter.objects.get(hearing__case__client=absent)
    for part in ["Anhörung nach § 24 SGB X", "Olaf Schulz", "Sperrzeit (§ 144 SGB III)",
                 f"bis zum {letter.reply_by:%d.%m.%Y}", "So können Sie sich äußern"]:
        assert part in text, part

    # 5. the client page lists the letter
    page.goto(f"/kunden/{absent.pk}/")
    expect(page.get_by_test_id("section-letters")).to_contain_text("Anhörungsschreiben")
    screenshot("letters-04-client-page")

    # 6. the team lead adapts the invitation's wording: a new version, which the next letters print
    page.context.clear_cookies()
    login(page, "teamleitung")
    page.goto("/briefvorlagen/")
    expect(page.get_by_test_id("template-invitation")).to_contain_text("Fassung 1")
    page.get_by_test_id("template-edit-invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefvorlage: Einladung")
    page.get_by_label("Betreff").fill("Einladung zum Gespräch in der Anlaufstelle Leipzig-Mitte")
    page.get_by_label("Was wurde geändert").fill("Betreff mit Ortsangabe")
    page.get_by_test_id("template-save").click()
    expect(page.get_by_text("Fassung 2 gespeichert")).to_be_visible()
    expect(page.get_by_test_id("template-invitation")).to_contain_text("Einladung zum Gespräch in der Anlaufstelle")
    screenshot("letters-05-templates")
