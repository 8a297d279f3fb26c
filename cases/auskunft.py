"""Auskunft (DSGVO Art. 15, SGB X § 83): everything stored about a client, where it went and who accessed it.

Each app contributes its part through ``register`` (the cases app does not import higher apps); a part is a
table: a title, column headers and the rows for one client. The view renders all parts into one PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


_PARTS: dict[str, AuskunftPart] = {}


def register(part: AuskunftPart) -> None:
    _PARTS[part.key] = part


def parts_for(client: Client) -> list[dict[str, object]]:
    return [
        {"key": part.key, "title": part.title, "headers": part.headers, "rows": part.rows(client)}
        for part in sorted(_PARTS.values(), key=lambda p: (p.order, p.key))
    ]


def _d(value) -> str:  # type: ignore[no-untyped-def]
    return date_format(value, "d.m.Y") if value else "–"


def _personal(client: Client) -> Rows:
    return [
        (_("Name"), client.full_name), (_("Date of birth"), _d(client.birth_date)),
        (_("Address"), f"{client.street}, {client.postal_code} {client.city}".strip(", ")),
        (_("Phone"), client.phone or "–"), (_("E-mail"), client.email or "–"),
        (_("customer number (employment office)"), client.customer_number or "–"),
        (_("file number (social welfare)"), client.file_number or "–"),
        (_("persons in household"), client.household_size), (_("children under 15"), client.children_under_15),
        (_("Contact point"), client.contact_point.name),
    ]


def _benefits(client: Client) -> Rows:
    return [(b.get_kind_display(), f"{number_format(b.monthly_amount, 2, use_l10n=True)} €", _d(b.start), _d(b.end), b.get_end_reason_display() or "–")
            for b in client.benefits.all()]


def _cases(client: Client) -> Rows:
    return [(_d(c.opened_on), c.get_status_display(), c.get_segment_display() or "–",
             str(c.case_manager.get_full_name() if c.case_manager else "–"), _d(c.closed_on),
             c.get_outcome_display() or "–")
            for c in client.cases.select_related("case_manager")]


def _notes(client: Client) -> Rows:
    from cases.models import ContactNote

    notes = ContactNote.objects.filter(case__client=client).select_related("author").order_by("occurred_on", "id")
    return [(_d(n.occurred_on), n.get_channel_display(), n.author.get_full_name(), n.text) for n in notes]


def _appointments(client: Client) -> Rows:
    from cases.models import Appointment

    rows = Appointment.objects.filter(case__client=client).order_by("starts_at")
    return [(date_format(a.starts_at, "d.m.Y H:i"), a.purpose, a.get_outcome_display() or "–") for a in rows]


def _accesses(client: Client) -> Rows:
    from jobcenter.models import AccessRecord

    rows = AccessRecord.objects.filter(client_id=client.pk).select_related("user").order_by("at")
    return [(date_format(r.at, "d.m.Y H:i"), r.user.get_full_name() or r.user.username, r.what, r.reason or "–")
            for r in rows]


register(AuskunftPart("personal", _("Personal data"), [_("Field"), _("Value")], _personal, order=10))
register(AuskunftPart("benefits", _("Benefits"), [_("benefit"), _("monthly amount (EUR)"), _("from"), _("until"),
                                                  _("end reason")], _benefits, order=20))
register(AuskunftPart("cases", _("Cases"), [_("opened on"), _("status"), _("customer segment"), _("case manager"),
                                            _("closed on"), _("outcome")], _cases, order=30))
register(AuskunftPart("notes", _("contact notes"), [_("date"), _("channel"), _("author"), _("note")], _notes, order=40))
register(AuskunftPart("appointments", _("appointments"), [_("date and time"), _("purpose"), _("outcome")],
                      _appointments, order=50))
register(AuskunftPart("accesses", _("Who accessed the data"), [_("when"), _("user"), _("what"), _("reason given")],
                      _accesses, order=900))
