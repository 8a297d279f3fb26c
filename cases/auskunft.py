"""Auskunft (DSGVO Art. 15, SGB X § 83): everything stored about a client, where it went and who accessed it.

Each app contributes its parts through ``register`` (the cases app does not import higher apps; they register
from their ``AppConfig.ready``); a part is a table: a title, column headers and the rows for one client, written
as the client would read them (German dates, labels of choices, names instead of internal numbers). A part names
the models it shows (``models``): ``tests/security/test_data_subject_completeness.py`` fails on a model with
client data that no part shows and that is not exempted there with a reason. The view renders all parts into
one PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cases.models import Client

Rows = Sequence[Sequence[object]]


@dataclass(frozen=True)
class AuskunftPart:
    key: str
    title: str | Promise
    headers: Sequence[str | Promise]
    rows: Callable[[Client], Rows]
    order: int = 100
    models: tuple[type[Model], ...] = ()


_PARTS: dict[str, AuskunftPart] = {}


def register(part: AuskunftPart) -> None:
    _PARTS[part.key] = part


def registered_parts() -> list[AuskunftPart]:
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.key))


def parts_for(client: Client) -> list[dict[str, object]]:
    return [
        {"key": part.key, "title": part.title, "headers": part.headers, "rows": part.rows(client)}
        for part in registered_parts()
    ]


# --- how values are written (for every app's parts) -----------------------------------------------------------
def day(value: date | None) -> str:
    return date_format(value, "d.m.Y") if value else "–"


def moment(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:i") if value else "–"


def euros(value: Decimal | None) -> str:
    return f"{number_format(value, 2, use_l10n=True, force_grouping=True)} €" if value is not None else "–"


def text(value: object) -> str:
    return str(value) if value not in (None, "") else "–"


def yes_no(value: bool | None) -> str:
    return "–" if value is None else str(_("yes") if value else _("no"))


def person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "–"


# --- the cases app's parts -------------------------------------------------------------------------------------
def _personal(client: Client) -> Rows:
    address = ", ".join(part for part in (client.street, f"{client.postal_code} {client.city}".strip()) if part)
    return [
        (_("Name"), client.full_name), (_("Date of birth"), day(client.birth_date)), (_("Address"), text(address)),
        (_("Phone"), text(client.phone)), (_("E-mail"), text(client.email)),
        (_("customer number (employment office)"), text(client.customer_number)),
        (_("file number (social welfare)"), text(client.file_number)),
        (_("persons in household"), client.household_size), (_("children under 15"), client.children_under_15),
        (_("Contact point"), client.contact_point.name),
        (_("reason for registering despite a possible duplicate"), text(client.duplicate_override_reason)),
    ]


def _benefits(client: Client) -> Rows:
    return [(b.get_kind_display(), euros(b.monthly_amount), day(b.start), day(b.end), text(b.get_end_reason_display()))
            for b in client.benefits.all()]


def _applications(client: Client) -> Rows:
    rows = client.applications.select_related("forwarded_to").order_by("received_on", "id")
    return [(day(a.received_on), a.get_kind_display(), a.get_status_display(),
             text(a.forwarded_to.name if a.forwarded_to else ""), day(a.forwarded_on), text(a.note)) for a in rows]


def _cases(client: Client) -> Rows:
    rows = client.cases.select_related("case_manager", "contact_point").order_by("opened_on", "id")
    return [(day(c.opened_on), c.contact_point.name, c.get_status_display(), text(c.get_segment_display()),
             person(c.case_manager), day(c.integrated_on), day(c.closed_on), text(c.get_outcome_display()),
             text(c.outcome_note))
            for c in rows]


def _closure_requests(client: Client) -> Rows:
    from cases.models import ClosureRequest

    rows = (ClosureRequest.objects.filter(case__client=client).select_related("requested_by", "decided_by")
            .order_by("requested_at", "id"))
    return [(moment(r.requested_at), person(r.requested_by), r.get_outcome_display(), text(r.note),
             r.get_status_display(), person(r.decided_by) if r.decided_by else "–",
             moment(r.decided_at) if r.decided_at else "–", text(r.refusal_reason)) for r in rows]


def _notes(client: Client) -> Rows:
    from cases.models import ContactNote

    notes = ContactNote.objects.filter(case__client=client).select_related("author").order_by("occurred_on", "id")
    return [(day(n.occurred_on), n.get_channel_display(), person(n.author), n.text) for n in notes]


def _appointments(client: Client) -> Rows:
    from cases.models import Appointment

    rows = Appointment.objects.filter(case__client=client).select_related("with_user").order_by("starts_at", "id")
    return [(moment(a.starts_at), a.purpose, person(a.with_user), text(a.get_outcome_display()),
             text(a.get_cancelled_by_display()), text(a.outcome_note),
             _moved(a.moved_from, a.times_moved, a.move_reason))
            for a in rows]


def _moved(moved_from: datetime | None, times: int, reason: str) -> str:
    if moved_from is None and not reason:
        return "–"
    return str(_("%(times)s× moved, last from %(when)s: %(reason)s")) % {
        "times": times, "when": moment(moved_from), "reason": text(reason)}


def _accesses(client: Client) -> Rows:
    from jobcenter.models import AccessRecord

    rows = AccessRecord.objects.filter(client_id=client.pk).select_related("user").order_by("at", "id")
    return [(moment(r.at), person(r.user), r.what, text(r.reason)) for r in rows]


def _handovers(client: Client) -> Rows:
    rows = client.handovers.select_related("from_office", "to_office", "agreement", "by").order_by("handed_over_on", "id")
    return [(day(h.handed_over_on), h.from_office.name, h.to_office.name, h.agreement.title, person(h.by), text(h.note))
            for h in rows]


def _data_flows(client: Client) -> Rows:
    """Who read or exported data about the client that the other Träger recorded (jobcenter.access_log)."""
    from jobcenter.access_log import DATA_KINDS
    from jobcenter.models import DataFlow

    rows = (DataFlow.objects.filter(record__client_id=client.pk).select_related("record", "record__user")
            .order_by("record__at", "record_id", "data"))
    return [(moment(f.record.at), person(f.record.user), f.get_reader_carrier_display(), text(DATA_KINDS.get(f.data, f.data)),
             f.get_owner_carrier_display(), f.rows, f.record.what) for f in rows]


def _notifications(client: Client) -> Rows:
    from notifications.models import Notification

    rows = Notification.objects.filter(client_id=client.pk).select_related("recipient").order_by("created_at", "id")
    return [(moment(n.created_at), person(n.recipient), n.get_kind_display(), n.subject) for n in rows]


def register_cases_parts() -> None:
    """The cases app's own parts (called from ``CasesConfig.ready``)."""
    from cases.models import (
        Appointment,
        BenefitApplication,
        BenefitEntitlement,
        Case,
        ClosureRequest,
        ContactNote,
    )
    from cases.models import Client as ClientModel
    from cases.models_handover import HandOver
    from jobcenter.models import AccessRecord, DataFlow
    from notifications.models import Notification

    register(AuskunftPart("personal", _("Personal data"), [_("Field"), _("Value")], _personal, order=10,
                          models=(ClientModel,)))
    register(AuskunftPart("benefits", _("Benefits"), [_("benefit"), _("monthly amount (EUR)"), _("from"), _("until"),
                                                      _("end reason")], _benefits, order=20,
                          models=(BenefitEntitlement,)))
    register(AuskunftPart("applications", _("Benefit applications"), [
        _("received on"), _("kind"), _("status"), _("forwarded to"), _("forwarded on"), _("note"),
    ], _applications, order=25, models=(BenefitApplication,)))
    register(AuskunftPart("cases", _("Cases"), [
        _("opened on"), _("Contact point"), _("status"), _("customer segment"), _("case manager"),
        _("integration starts on"), _("closed on"), _("outcome"), _("outcome note"),
    ], _cases, order=30, models=(Case,)))
    register(AuskunftPart("closure_requests", _("Requests to close a case"), [
        _("requested at"), _("requested by"), _("outcome"), _("note / reason"), _("status"), _("decided by"),
        _("decided at"), _("reason for the refusal"),
    ], _closure_requests, order=35, models=(ClosureRequest,)))
    register(AuskunftPart("notes", _("contact notes"), [_("date"), _("channel"), _("author"), _("note")], _notes,
                          order=40, models=(ContactNote,)))
    register(AuskunftPart("appointments", _("appointments"), [
        _("date and time"), _("purpose"), _("with"), _("outcome"), _("cancelled by"), _("note on the outcome"),
        _("moved"),
    ], _appointments, order=50, models=(Appointment,)))
    register(AuskunftPart("handovers", _("Hand-overs to another contact point"), [
        _("handed over on"), _("handed over by"), _("handed over to"), _("cooperation agreement"), _("staff member"),
        _("note for the receiving office"),
    ], _handovers, order=35, models=(HandOver,)))
    register(AuskunftPart("data_flows", _("Data passed between the Träger"), [
        _("when"), _("user"), _("read by staff of"), _("kind of data"), _("recorded by"), _("rows"), _("what"),
    ], _data_flows, order=910, models=(DataFlow,)))
    register(AuskunftPart("notifications", _("Notifications to staff"), [
        _("when"), _("to"), _("kind"), _("subject"),
    ], _notifications, order=890, models=(Notification,)))
    register(AuskunftPart("accesses", _("Who accessed the data"), [
        _("when"), _("user"), _("what"), _("reason given"),
    ], _accesses, order=900, models=(AccessRecord,)))


