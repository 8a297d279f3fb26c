"""Writes of the employer service and placement: vacancies, employer contacts, placement proposals and their
results. A hire moves the case to follow-up (Nachbetreuung, employment from its first day of work) in the same
transaction, through the cases service, and fills the vacancy once every position is taken."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, Channel, Outcome
from cases.services.cases import CaseError
from cases.services.follow_up import record_integration
from partners.errors import PartnerError
from partners.models import (
    EmployerContact,
    Partner,
    PartnerKind,
    PlacementProposal,
    ProposalResult,
    Vacancy,
    VacancyStatus,
)
from partners.rules import EMPLOYER_CONTACT_MODULE, VACANCY_MODULE

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _require_module(partner: Partner, module: str) -> None:
    if not partner.contact_point.has_module(module):
        raise PartnerError(_("This module is switched off at the contact point."))


# --- employer contacts --------------------------------------------------------------------------------------
@transaction.atomic
def log_employer_contact(
    *, partner: Partner, occurred_on: date, channel: str, subject: str, by: User, note: str = ""
) -> EmployerContact:
    _require_module(partner, EMPLOYER_CONTACT_MODULE)
    if not partner.is_labour_market:
        raise PartnerError(_("Contacts are logged for labour-market partners only."))
    if occurred_on > timezone.localdate():
        raise PartnerError(_("A contact cannot be dated in the future."), field="occurred_on")
    if channel not in Channel.values:
        raise PartnerError(_("Unknown channel."), field="channel")
    if not subject.strip():
        raise PartnerError(_("State the subject of the contact."), field="subject")
    with pghistory.context(user=by.pk):
        return EmployerContact.objects.create(
            partner=partner, occurred_on=occurred_on, channel=channel, subject=subject.strip(), note=note.strip(),
            recorded_by=by,
        )


# --- vacancies ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VacancyData:
    title: str
    occupation: str
    hours_per_week: int
    location: str
    positions: int = 1
    description: str = ""
    acquired_on: date | None = None


def _check_vacancy(employer: Partner, data: VacancyData) -> None:
    _require_module(employer, VACANCY_MODULE)
    if employer.kind != PartnerKind.EMPLOYER:
        raise PartnerError(_("Vacancies are acquired from employers."), field="employer")
    if not employer.active:
        raise PartnerError(_("This employer is inactive."), field="employer")
    for name in ("title", "occupation", "location"):
        if not getattr(data, name).strip():
            raise PartnerError(_("This field is required."), field=name)
    if not 1 <= data.hours_per_week <= 60:
        raise PartnerError(_("Hours per week are between 1 and 60."), field="hours_per_week")
    if data.positions < 1:
        raise PartnerError(_("A vacancy has at least one position."), field="positions")
    if data.acquired_on and data.acquired_on > timezone.localdate():
        raise PartnerError(_("A vacancy cannot be acquired in the future."), field="acquired_on")


def _apply_vacancy(vacancy: Vacancy, data: VacancyData) -> None:
    for item in fields(data):
        value = getattr(data, item.name)
        setattr(vacancy, item.name, value.strip() if isinstance(value, str) else value)
    vacancy.acquired_on = data.acquired_on or vacancy.acquired_on or timezone.localdate()


def _hires(vacancy: Vacancy) -> int:
    return vacancy.proposals.filter(result=ProposalResult.HIRED).count()


@transaction.atomic
def create_vacancy(*, employer: Partner, data: VacancyData, by: User) -> Vacancy:
    _check_vacancy(employer, data)
    vacancy = Vacancy(employer=employer, acquired_by=by)
    _apply_vacancy(vacancy, data)
    with pghistory.context(user=by.pk):
        vacancy.save()
    return vacancy


@transaction.atomic
def update_vacancy(*, vacancy: Vacancy, employer: Partner, data: VacancyData, by: User) -> Vacancy:
    """Edit an open vacancy; positions cannot shrink below the hires already made."""
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.OPEN:
        raise PartnerError(_("Only open vacancies can be edited."))
    if employer.contact_point_id != locked.employer.contact_point_id:
        raise PartnerError(_("The employer belongs to another contact point."), field="employer")
    _check_vacancy(employer, data)
    hires = _hires(locked)
    if employer.pk != locked.employer_id and locked.proposals.exists():
        raise PartnerError(_("Clients have been proposed to this employer; the employer cannot change."),
                           field="employer")
    if data.positions < hires:
        raise PartnerError(_("%(hires)s positions are already filled.") % {"hires": hires}, field="positions")
    locked.employer = employer
    _apply_vacancy(locked, data)
    if hires and hires >= locked.positions:
        locked.status, locked.filled_on = VacancyStatus.FILLED, timezone.localdate()
    with pghistory.context(user=by.pk):
        locked.save()
    return locked


@transaction.atomic
def withdraw_vacancy(*, vacancy: Vacancy, by: User) -> Vacancy:
    """The employer no longer offers the job (or filled it elsewhere)."""
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.OPEN:
        raise PartnerError(_("Only open vacancies can be withdrawn."))
    locked.status = VacancyStatus.WITHDRAWN
    with pghistory.context(user=by.pk):
        locked.save(update_fields=["status", "updated_at"])
    return locked


# --- placement proposals ------------------------------------------------------------------------------------
@transaction.atomic
def propose(*, case: Case, vacancy: Vacancy, by: User, proposed_on: date | None = None, note: str = "") -> PlacementProposal:
    vacancy = Vacancy.objects.select_related("employer__contact_point").get(pk=vacancy.pk)
    _require_module(vacancy.employer, VACANCY_MODULE)
    if case.contact_point_id != vacancy.employer.contact_point_id:
        raise PartnerError(_("The client belongs to another contact point."))
    if case.status == CaseStatus.CLOSED:
        raise PartnerError(_("This case is closed; proposals need an open case."))
    if vacancy.status != VacancyStatus.OPEN:
        raise PartnerError(_("This vacancy is no longer open."))
    today = timezone.localdate()
    proposed_on = proposed_on or today
    if proposed_on > today:
        raise PartnerError(_("A proposal cannot be dated in the future."))
    if proposed_on < case.opened_on:
        raise PartnerError(_("A proposal cannot be dated before the case was opened."))
    with pghistory.context(user=by.pk):
        try:
            with transaction.atomic():
                return PlacementProposal.objects.create(
                    case=case, vacancy=vacancy, proposed_on=proposed_on, note=note.strip(), proposed_by=by
                )
        except IntegrityError as error:
            raise PartnerError(_("%(client)s has already been proposed for this vacancy.")
                               % {"client": case.client}) from error


@transaction.atomic
def record_result(
    *, proposal: PlacementProposal, result: str, by: User, on: date | None = None, note: str = "",
    starts_on: date | None = None,
) -> PlacementProposal:
    """The employer's answer. "No answer" may later turn into another result; hired and rejected are final.

    A hire takes a position (the vacancy row is locked): the vacancy is filled when the last position goes. It
    needs the first day of work (``starts_on``, which may lie ahead) and moves the open case to follow-up
    (Nachbetreuung) with the outcome "employment" in the same step; the case stays open for its case manager."""
    locked = PlacementProposal.objects.select_for_update(of=("self",)).select_related("case__client").get(
        pk=proposal.pk
    )
    if result not in ProposalResult.values:
        raise PartnerError(_("Choose the result."), field="result")
    if locked.result in (ProposalResult.HIRED, ProposalResult.REJECTED):
        raise PartnerError(_("The result of this proposal has already been recorded."))
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise PartnerError(_("A result cannot be dated in the future."), field="result_on")
    if on < locked.proposed_on:
        raise PartnerError(_("A result cannot be dated before the proposal."), field="result_on")
    if result == ProposalResult.HIRED and starts_on is None:
        raise PartnerError(_("Give the first day of work."), field="starts_on")
    if result == ProposalResult.HIRED and starts_on is not None and starts_on < locked.proposed_on:
        raise PartnerError(_("The first day of work cannot lie before the proposal."), field="starts_on")
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=locked.vacancy_id)
    locked.result, locked.result_on = result, on
    if note.strip():
        locked.note = "\n".join(filter(None, [locked.note, note.strip()]))
    with pghistory.context(user=by.pk):
        if result == ProposalResult.HIRED:
            if vacancy.status != VacancyStatus.OPEN:
                raise PartnerError(_("This vacancy is no longer open; every position is filled."))
            if _hires(vacancy) + 1 >= vacancy.positions:
                vacancy.status, vacancy.filled_on = VacancyStatus.FILLED, on
                vacancy.save(update_fields=["status", "filled_on", "updated_at"])
        locked.save(update_fields=["result", "result_on", "note", "updated_at"])
        if result == ProposalResult.HIRED and starts_on is not None:
            _start_follow_up(locked, vacancy, starts_on, by)
    return locked


def _start_follow_up(proposal: PlacementProposal, vacancy: Vacancy, starts_on: date, by: User) -> None:
    """The hire as an integration: the case moves to follow-up. A closed case, or one already in follow-up
    (hired twice), is left as it is."""
    case = proposal.case
    if case.status == CaseStatus.CLOSED or case.in_follow_up:
        return
    note = _("Hired as %(title)s at %(employer)s (placement proposal of %(date)s).") % {
        "title": vacancy.title, "employer": vacancy.employer.name, "date": proposal.proposed_on.strftime("%d.%m.%Y"),
    }
    try:
        record_integration(case=case, outcome=Outcome.EMPLOYMENT, starts_on=starts_on, by=by, note=note)
    except CaseError as error:
        raise PartnerError(error.message, field=error.field) from error
