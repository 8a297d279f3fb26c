"""Letter templates: versions written only by the Teamleitung, the version in the footer, old letters keep theirs."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcenter import documents
from letters.errors import LetterError
from letters.models import LetterKind, LetterTemplate
from letters.services import letters as services
from letters.services import templates
from letters.tasks import render_letter
from tests.letters.factories import appointment_on, case_of, pdf_text

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _input(**changes):  # type: ignore[no-untyped-def]
    data = {"subject": "Einladung zum Gespräch in der Anlaufstelle", "opening": "wir laden Sie ein.",
            "details": "diese Einladung\nIhren Ausweis", "closing": "Bitte sagen Sie ab, wenn Sie verhindert sind.",
            "reply_days": 14, "change_note": "Kürzer gefasst"}
    data.update(changes)
    return templates.TemplateInput(**data)


def test_an_office_starts_with_the_example_as_version_1(office):
    template = templates.current_template(office, LetterKind.INVITATION)
    assert (template.version, template.is_example) == (1, True)
    assert templates.current_template(office, LetterKind.INVITATION).pk == template.pk


def test_a_new_version_is_used_from_then_on_and_old_letters_keep_theirs(office, fallmanager, teamleitung):
    case = case_of(office, fallmanager, ("hlu", datetime.date(2002, 1, 1), None))
    old = services.issue_invitation(appointment=appointment_on(case, TOMORROW, 9), by=fallmanager)
    saved = templates.save_template(office=office, kind=LetterKind.INVITATION, data=_input(), by=teamleitung,
                                    expected_version=1)
    assert (saved.version, saved.is_example, saved.created_by) == (2, False, teamleitung)
    new = services.issue_invitation(appointment=appointment_on(case, TOMORROW, 11), by=fallmanager)
    assert (old.template.version, new.template.version) == (1, 2)
    render_letter.apply(args=[old.pk])
    render_letter.apply(args=[new.pk])
    old.refresh_from_db()
    new.refresh_from_db()
    old_text, new_text = pdf_text(documents.read(old.document)), pdf_text(documents.read(new.document))
    assert "Vorlage Fassung 1 (Mustertext)" in old_text and "Einladung zu einem persönlichen Gespräch" in old_text
    assert "Vorlage Fassung 2" in new_text and "Einladung zum Gespräch in der Anlaufstelle" in new_text
    assert "Mustertext: Der Wortlaut" in old_text
    # the new wording is the office's own: no sample banner, no "(Mustertext)" in the footer (the legal note
    # below still says it is the software's example: it is a notice of its own, not part of the template)
    assert "Mustertext: Der Wortlaut" not in new_text and "Fassung 2 (Mustertext)" not in new_text
    assert LetterTemplate.objects.filter(contact_point=office, kind=LetterKind.INVITATION).count() == 2


def test_only_the_team_lead_writes_templates(office, fallmanager, teamleitung, other_office, make_staff):
    with pytest.raises(LetterError, match="Only the team lead"):
        templates.save_template(office=office, kind=LetterKind.HEARING, data=_input(), by=fallmanager)
    lead_elsewhere = make_staff("Teamleitung", other_office)
    with pytest.raises(LetterError, match="Only the team lead"):
        templates.save_template(office=office, kind=LetterKind.HEARING, data=_input(), by=lead_elsewhere)
    assert templates.save_template(office=office, kind=LetterKind.HEARING, data=_input(), by=teamleitung).version == 2


def test_a_save_on_an_outdated_form_is_refused(office, teamleitung):
    templates.save_template(office=office, kind=LetterKind.REFERRAL, data=_input(), by=teamleitung,
                            expected_version=1)
    with pytest.raises(LetterError, match="Someone saved version 2"):
        templates.save_template(office=office, kind=LetterKind.REFERRAL, data=_input(subject="Anders"),
                                by=teamleitung, expected_version=1)


def test_an_unchanged_template_is_not_saved_again(office, teamleitung):
    templates.save_template(office=office, kind=LetterKind.REFERRAL, data=_input(), by=teamleitung)
    with pytest.raises(LetterError, match="Nothing was changed"):
        templates.save_template(office=office, kind=LetterKind.REFERRAL, data=_input(), by=teamleitung)


def test_the_edit_page_is_the_team_leads(client, fallmanager, teamleitung, office):
    url = reverse("letters:template_edit", args=["hearing"])
    client.force_login(fallmanager)
    assert client.get(url).status_code == 403
    assert client.post(url, {"subject": "x", "opening": "y", "reply_days": 10}).status_code == 403
    client.force_login(teamleitung)
    assert client.get(url).status_code == 200
    response = client.post(url, {"subject": "Anhörung", "opening": "bevor wir entscheiden …", "details": "schriftlich",
                                 "closing": "", "reply_days": "10", "change_note": "Frist 10 Tage",
                                 "version": "1"})
    assert response.status_code == 302
    current = templates.current_template(office, LetterKind.HEARING)
    assert (current.version, current.reply_days, current.change_note) == (2, 10, "Frist 10 Tage")
    response = client.post(url, {"subject": "", "opening": "", "reply_days": "99", "version": "2"})
    assert response.status_code == 400  # form errors; nothing saved
    assert templates.current_template(office, LetterKind.HEARING).version == 2
