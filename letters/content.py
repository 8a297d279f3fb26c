"""The printed content of a letter as a JSON snapshot, and its checksums.

Built when the letter is created, in German, from the rows as they are that day: the office letterhead, the
recipient's address for the window, the reference block, the template version's texts and the facts of the
letter (appointment, hearing or commission). The PDF is rendered from this snapshot only (``letters.pdf``), so a
reprint never picks up a later change of address or template. ``content_sha256`` covers the whole snapshot;
``source_sha256`` leaves out the date of the letter and what follows from it, so printing the same appointment
again with nothing changed finds the existing letter instead of making a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import Appointment, BenefitKind, Case, Client
from integration_plans.content import checksum, notice_content
from integration_plans.models import Hearing, HearingConsequence, LegalNotice
from jobcenter.models import ContactPoint
from letters.models import LetterKind, LetterTemplate
from letters.rules import benefits_on
from partners.models import DataCategory, Referral

CONTENT_SCHEMA = 1
# Keys that depend on the day of printing; ``source_sha256`` leaves them out.
DATED_KEYS = ("letter_date", "reply_by")


def source_checksum(content: dict[str, Any]) -> str:
    return checksum({key: value for key, value in content.items() if key not in DATED_KEYS})


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _money(value: Decimal) -> str:
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _office(office: ContactPoint) -> dict[str, Any]:
    lines = [line.strip() for line in office.address.splitlines() if line.strip()]
    return {
        "name": office.name, "address": lines,
        "agencies": {"employment": office.employment_agency.name, "welfare": office.welfare_agency.name},
        # the return address in the window (DIN 5008: one line above the recipient)
        "return_address": " · ".join([office.name, *lines]),
    }


def _client_address(client: Client) -> list[str]:
    place = f"{client.postal_code} {client.city}".strip()
    return [line for line in (client.full_name, client.street, place) if line]


def _template(template: LetterTemplate) -> dict[str, Any]:
    return {
        "id": template.pk, "version": template.version, "kind_label": str(LetterKind(template.kind).label),
        "is_example": template.is_example, "subject": template.subject, "opening": template.opening,
        "details": template.details, "closing": template.closing,
    }


def _references(case: Case, contact: str, *, client_numbers: bool = True) -> list[list[str]]:
    client = case.client
    refs = [[_("Case no."), str(case.pk)]]
    if client_numbers and client.customer_number:
        refs.append([_("Cust. no. (employment office)"), client.customer_number])
    if client_numbers and client.file_number:
        refs.append([_("File no. (social welfare)"), client.file_number])
    if contact:
        refs.append([_("Contact person"), contact])
    return refs


def _common(kind: str, case: Case, template: LetterTemplate, letter_date: date, sender: str) -> dict[str, Any]:
    return {
        "schema": CONTENT_SCHEMA, "kind": kind, "kind_label": str(LetterKind(kind).label),
        "case_id": case.pk, "office": _office(case.contact_point), "template": _template(template),
        "letter_date": _iso(letter_date), "sender": sender,
    }


def invitation_content(
    *, appointment: Appointment, template: LetterTemplate, notices: Iterable[LegalNotice], letter_date: date,
) -> dict[str, Any]:
    """An invitation: when, where, with whom, why, what to bring, and the legal notes of the appointment's day."""
    with translation.override("de"):
        case = appointment.case
        client = case.client
        local = timezone.localtime(appointment.starts_at)
        contact = _person(appointment.with_user or case.case_manager)
        office = _office(case.contact_point)
        content = _common(LetterKind.INVITATION, case, template, letter_date, contact)
        content.update({
            "recipient": {"lines": _client_address(client)},
            "salutation": _("Dear %(name)s,") % {"name": client.full_name},
            "references": _references(case, contact),
            "appointment": {
                "id": appointment.pk, "date": local.date().isoformat(), "time": local.strftime("%H:%M"),
                "weekday": formats.date_format(local, "l"), "purpose": appointment.purpose,
                "place": [case.contact_point.name, *office["address"]], "contact": contact,
            },
            "bring": [line.strip(" -–•\t") for line in template.details.splitlines() if line.strip(" -–•\t")],
            "legal_notices": [notice_content(notice) for notice in notices],
        })
    return content


def _consequence_labels(values: Iterable[str]) -> list[str]:
    return [str(HearingConsequence(value).label) for value in values]


def hearing_content(
    *, hearing: Hearing, template: LetterTemplate, consequences: list[str], letter_date: date, reply_by: date,
) -> dict[str, Any]:
    """A hearing letter (§ 24 SGB X): the facts, the intended consequence, the deadline and how to reply."""
    with translation.override("de"):
        case = hearing.case
        client = case.client
        contact = _person(case.case_manager)
        content = _common(LetterKind.HEARING, case, template, letter_date, contact)
        content.update({
            "recipient": {"lines": _client_address(client)},
            "salutation": _("Dear %(name)s,") % {"name": client.full_name},
            "references": _references(case, contact),
            "hearing": {
                "id": hearing.pk, "reason": hearing.reason, "reason_label": hearing.get_reason_display(),
                "breach": hearing.breach, "opened_on": _iso(hearing.opened_on),
            },
            "consequences": _consequence_labels(consequences),
            "reply_by": _iso(reply_by),
        })
    return content


def _benefit_labels(client: Client, day: date) -> list[str]:
    kinds = benefits_on(client.benefits.all(), day)
    return [str(BenefitKind(kind).label) for kind in BenefitKind.values if kind in kinds]


def person_data(client: Client, categories: frozenset[str], day: date) -> list[list[str]]:
    """The facts about the client a commission letter prints: only those of the released ``categories``.
    Categories without a field in the file (career, profiling, health, finances, family) are passed on by the
    case manager in person; the letter names them, it prints no content of theirs."""
    rows: list[list[str]] = []
    if DataCategory.IDENTITY in categories:
        rows.append([_("Name"), client.full_name])
        rows.append([_("Date of birth"), client.birth_date.strftime("%d.%m.%Y")])
        address = ", ".join(part for part in (client.street, f"{client.postal_code} {client.city}".strip()) if part)
        if address:
            rows.append([_("Address"), address])
    if DataCategory.CONTACT in categories:
        if client.phone:
            rows.append([_("Phone"), client.phone])
        if client.email:
            rows.append([_("E-mail"), client.email])
    if DataCategory.BENEFITS in categories:
        rows.append([_("Benefits drawn"), ", ".join(_benefit_labels(client, day)) or _("none")])
    return rows


def referral_content(
    *, referral: Referral, template: LetterTemplate, categories: frozenset[str], consent_given_on: date | None,
    letter_date: date, reply_by: date,
) -> dict[str, Any]:
    """A commission letter to the partner: the service, who pays, and only the released data about the client."""
    with translation.override("de"):
        case = referral.case
        client = case.client
        partner = referral.offer.partner
        contact = _person(referral.referred_by)
        place = f"{partner.postal_code} {partner.city}".strip()
        recipient = [partner.name]
        if partner.contact_person:
            recipient.append(_("Attn. %(name)s") % {"name": partner.contact_person})
        recipient += [line for line in (partner.street, place) if line]
        content = _common(LetterKind.REFERRAL, case, template, letter_date, contact)
        content.update({
            "recipient": {"lines": recipient},
            "salutation": _("Dear %(name)s,") % {"name": partner.contact_person} if partner.contact_person
            else _("Dear Sir or Madam,"),
            # the client's numbers with the agencies are data about the client: printed only with the identity
            "references": _references(case, contact, client_numbers=DataCategory.IDENTITY in categories),
            "referral": {
                "id": referral.pk, "offer": referral.offer.title, "partner": partner.name,
                "referred_on": _iso(referral.referred_on), "purpose": referral.purpose,
                "planned_months": referral.planned_months, "monthly_cost": _money(referral.monthly_cost),
                "paying_agency": referral.paying_agency.name,
                "paying_basis": referral.get_paying_basis_display(),
            },
            "person": person_data(client, categories, letter_date),
            "data_labels": DataCategory.labels_of(sorted(categories)),
            "consent_given_on": _iso(consent_given_on),
            "reply_by": _iso(reply_by),
        })
    return content

