"""Demo letters for ``manage.py seed_demo``: per office, the case manager's invitations for the next working day
printed as one PDF (appointments are added where the day has fewer than three), one hearing letter and two
commission letters to partners, all rendered. Written through the services, so the demo obeys the same rules;
idempotent: a letter printed again with nothing changed is the same letter, an identical batch the same batch."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Appointment, Case, CaseStatus
from cases.services.contacts import schedule_appointment
from integration_plans.models import Hearing, HearingStatus
from jobcenter.errors import DomainError
from jobcenter.roles import Role
from letters import rules
from letters.errors import LetterError
from letters.models import LetterKind
from letters.services import batches, letters, templates
from partners.models import Referral
from partners.rules import may_refer

INVITATIONS_WANTED = 3
REFERRAL_LETTERS = 2


def seed(organisation: Any) -> str:
    User = get_user_model()
    printed = 0
    for index, office in enumerate(organisation.offices):
        suffix = "" if index == 0 else "2"
        manager = User.objects.filter(username=f"fallmanager{suffix}").first()
        if manager is None:
            continue
        for kind in LetterKind.values:
            templates.current_template(office, kind)
        printed += _invitations(office, manager) + _hearing_letter(office, manager) + _referral_letters(office, manager)
    return f"{printed} letters printed" if printed else ""


def _invitations(office: Any, manager: Any) -> int:
    day = rules.next_working_day(timezone.localdate())
    roles = [Role.FALLMANAGER]
    existing = batches.appointments_of_day(manager, roles, office, day).count()
    cases = list(Case.objects.filter(contact_point=office, case_manager=manager).exclude(status=CaseStatus.CLOSED)
                 .exclude(appointments__starts_at__date=day).order_by("id")[:max(0, INVITATIONS_WANTED - existing)])
    tz = timezone.get_current_timezone()
    for number, case in enumerate(cases):
        starts = datetime.combine(day, time(9, 0), tzinfo=tz) + timedelta(minutes=45 * number + 15 * existing)
        if Appointment.objects.filter(with_user=manager, starts_at=starts).exists():
            continue
        try:
            schedule_appointment(case=case, by=manager, starts_at=starts, with_user=manager,
                                 purpose="Beratungsgespräch: nächste Schritte zur Arbeitsaufnahme",
                                 accept_overlaps=list(Appointment.objects.filter(
                                     with_user=manager, starts_at__date=day).values_list("pk", flat=True)))
        except DomainError:  # outside the office hours or overlapping: the demo makes do with fewer
            continue
    try:
        batch = batches.print_invitations(office=office, by=manager, roles=roles, day=day)
    except LetterError:
        return 0
    batches.generate_batch(batch_id=batch.pk, token=f"demo-batch-{batch.pk}")
    for letter in batches.batch_letters(batch)[:2]:  # two of them also on their own (client page)
        letters.request_letter(letter=letter, by=manager)
        letters.generate_letter(letter_id=letter.pk, token=f"demo-letter-{letter.pk}")
    return batch.size


def _hearing_letter(office: Any, manager: Any) -> int:
    hearing = (Hearing.objects.filter(case__contact_point=office, status=HearingStatus.OPEN)
               .order_by("id").first())
    if hearing is None:
        return 0
    letter = letters.issue_hearing_letter(hearing=hearing, by=manager)
    letters.generate_letter(letter_id=letter.pk, token=f"demo-letter-{letter.pk}")
    return 1


def _referral_letters(office: Any, manager: Any) -> int:
    count = 0
    candidates = (Referral.objects.filter(case__contact_point=office, case__case_manager=manager,
                                          status__in=letters.PRINTABLE_REFERRAL)
                  .select_related("offer", "consent").order_by("id"))
    for referral in candidates:
        if count >= REFERRAL_LETTERS:
            break
        if not may_refer(referral.offer.category, office.enabled_modules):
            continue
        try:
            letter = letters.issue_referral_letter(referral=referral, by=manager)
        except LetterError:
            continue
        letters.generate_letter(letter_id=letter.pk, token=f"demo-letter-{letter.pk}")
        count += 1
    return count
