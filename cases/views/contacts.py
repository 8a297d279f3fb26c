"""Contact log, appointments, the client timeline and "Mein Tag".

Registers the client-page section "timeline" and the start-page sections of "Mein Tag".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases import client_page, data_flows
from cases import selectors_contacts as selectors
from cases.forms.contacts import (
    AppointmentCorrectForm,
    AppointmentForm,
    AppointmentMoveForm,
    NoteForm,
    OutcomeForm,
    ResolveNoShowForm,
    SlotForm,
)
from cases.models import Appointment, Case, Client
from cases.rules import FOLLOW_UP_NEW_DAYS
from cases.services import contacts as services
from jobcenter import access_log, home, params
from jobcenter.authz import CASE_WORK, STEERING
from jobcenter.decorators import role_required
from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import CARD_COUNT_CAP, card_rows, paginate
from jobcenter.scoping import get_scoped_or_404

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from jobcenter.shortcuts import refuse

TIMELINE_SECTION_LIMIT = 20
TIMELINE_PAGE_SIZE = 50
MY_DAY_LIMIT = 10
# A start-page card counts its rows only this far ("more than 100 entries"; its full list counts to
# ``listing.COUNT_CAP``): the card needs to tell "a few" from "many", and the count stays a fraction of a millisecond.

# Service field names that the forms call differently.
_FORM_FIELD = {"starts_at": "day"}


def _client_url(case: Case) -> str:
    return reverse("cases:client_detail", args=[case.client_id]) + "#section-timeline"


def _roles(request: AuthenticatedHttpRequest) -> frozenset[str]:
    return request.staff.roles


def _overlap_context(request: AuthenticatedHttpRequest, overlaps: list[services.Overlap]) -> dict[str, object]:
    """What ``cases/_appointment_overlaps.html`` shows: the warning (naming other clients of the office, which the
    access log records) and the ids its confirm button sends."""
    for overlap in overlaps:
        if overlap.other_client:
            access_log.shown(request, client_id=overlap.client_id, office_id=overlap.office_id)
    return {"overlaps": overlaps, "accept_overlaps": ",".join(str(overlap.pk) for overlap in overlaps)}


def _save_slot(form: SlotForm, save: Callable[[frozenset[int]], object]) -> tuple[bool, list[services.Overlap]]:
    """Call ``save`` with the overlaps the user confirmed; (saved?, the overlaps to warn about)."""
    try:
        save(form.cleaned_data["accepted_overlaps"])
    except services.AppointmentOverlap as overlap:
        return False, overlap.overlaps
    except services.ContactError as error:
        refuse(form, error, renamed=_FORM_FIELD)
        return False, []
    return True, []


# --- writes ---------------------------------------------------------------------------------------------------
@role_required(*CASE_WORK)
@require_http_methods(["GET", "POST"])
def note_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_scoped_or_404(Case.objects.select_related("client"), request.user, pk=case_pk)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_note(case=case, author=request.user, **form.cleaned_data)
        except services.ContactError as error:
            refuse(form, error, renamed=_FORM_FIELD)
        else:
            messages.success(request, _("Note saved."))
            return HttpResponseRedirect(_client_url(case))
    return render(request, "cases/note_form.html", {"form": form, "case": case})


@role_required(*CASE_WORK)
@require_http_methods(["GET", "POST"])
def appointment_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_scoped_or_404(Case.objects.select_related("client"), request.user, pk=case_pk)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id)
    staff = services.office_staff(case)
    form = AppointmentForm(request.POST or None, staff=staff,
                           initial={"with_user": case.case_manager_id or request.user.pk})
    overlaps: list[services.Overlap] = []
    if request.method == "POST" and form.is_valid():
        saved, overlaps = _save_slot(form, lambda accepted: services.schedule_appointment(
            case=case, by=request.user, starts_at=form.starts_at, purpose=form.cleaned_data["purpose"],
            with_user=form.cleaned_data["with_user"], accept_overlaps=accepted,
        ))
        if saved:
            messages.success(request, _("Appointment scheduled."))
            return HttpResponseRedirect(_client_url(case))
    return render(request, "cases/appointment_form.html", {"form": form, "case": case, **_overlap_context(request, overlaps)})


def _changeable_appointment(request: AuthenticatedHttpRequest, pk: int) -> Appointment:
    appointment = get_scoped_or_404(
        Appointment.objects.select_related("case__client", "with_user"), request.user, pk=pk
    )
    access_log.shown(request, client_id=appointment.case.client_id, office_id=appointment.case.contact_point_id)
    return appointment


@role_required(*CASE_WORK)
@require_http_methods(["GET", "POST"])
def appointment_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """"Termin verschieben": another date and time for an upcoming appointment, with the reason."""
    appointment = _changeable_appointment(request, pk)
    refusal = services.change_refusal(appointment)
    form = AppointmentMoveForm(request.POST or None, appointment=appointment)
    overlaps: list[services.Overlap] = []
    if request.method == "POST" and form.is_valid():
        saved, overlaps = _save_slot(form, lambda accepted: services.move_appointment(
            appointment=appointment, by=request.user, starts_at=form.starts_at, reason=form.cleaned_data["reason"],
            accept_overlaps=accepted,
        ))
        if saved:
            messages.success(request, _("Appointment moved."))
            return HttpResponseRedirect(_client_url(appointment.case))
    return render(request, "cases/appointment_change.html", {
        "form": form, "appointment": appointment, "refusal": refusal, "title": _("Move appointment"),
        "submit": _("Move appointment"), **_overlap_context(request, overlaps),
    })


@role_required(*CASE_WORK)
@require_http_methods(["GET", "POST"])
def appointment_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """"Termin korrigieren": fix what was entered wrongly, without it reading as a move or cancellation."""
    appointment = _changeable_appointment(request, pk)
    refusal = services.change_refusal(appointment)
    form = AppointmentCorrectForm(request.POST or None, appointment=appointment,
                                  staff=services.office_staff(appointment.case))
    overlaps: list[services.Overlap] = []
    if request.method == "POST" and form.is_valid():
        saved, overlaps = _save_slot(form, lambda accepted: services.correct_appointment(
            appointment=appointment, by=request.user, starts_at=form.starts_at, purpose=form.cleaned_data["purpose"],
            with_user=form.cleaned_data["with_user"], accept_overlaps=accepted,
        ))
        if saved:
            messages.success(request, _("Appointment corrected."))
            return HttpResponseRedirect(_client_url(appointment.case))
    return render(request, "cases/appointment_change.html", {
        "form": form, "appointment": appointment, "refusal": refusal, "title": _("Correct appointment"),
        "submit": _("Save correction"), "correcting": True, **_overlap_context(request, overlaps),
    })


@role_required(*CASE_WORK)
@require_http_methods(["GET", "POST"])
def appointment_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = get_scoped_or_404(
        Appointment.objects.select_related("case__client", "with_user"), request.user, pk=pk
    )
    access_log.shown(request, client_id=appointment.case.client_id, office_id=appointment.case.contact_point_id)
    form = OutcomeForm(request.POST or None, upcoming=appointment.starts_at > timezone.now())
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(
                appointment=appointment, by=request.user, outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"], cancelled_by=form.cleaned_data["cancelled_by"],
            )
        except services.ContactError as error:
            refuse(form, error, renamed=_FORM_FIELD)
        else:
            messages.success(request, _("Outcome recorded."))
            return HttpResponseRedirect(_client_url(appointment.case))
    return render(request, "cases/appointment_outcome.html", {
        "form": form, "appointment": appointment, "changeable": services.change_refusal(appointment) is None,
    })


@role_required(*STEERING)
@require_http_methods(["GET", "POST"])
def no_show_resolve(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_scoped_or_404(Case.objects.select_related("client"), request.user, pk=case_pk)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id)
    form = ResolveNoShowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_no_show(case=case, by=request.user, note=form.cleaned_data["note"])
        except services.ContactError as error:
            refuse(form, error, renamed=_FORM_FIELD)
        else:
            messages.success(request, _("The no-show is marked as handled."))
            return HttpResponseRedirect(_client_url(case))
    return render(request, "cases/note_no_show_resolve.html", {"form": form, "case": case})


# --- timeline -------------------------------------------------------------------------------------------------
@role_required(*CASE_WORK)
def timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The client's full timeline, paginated in the database."""
    client = get_scoped_or_404(Client, request.user, pk=pk)
    access_log.shown(request, client_id=client.pk, office_id=client.contact_point_id)
    rows = selectors.client_timeline(request.user, _roles(request), client)
    page = paginate(rows, params.get_page(request), TIMELINE_PAGE_SIZE)
    entries = [selectors.TimelineEntry.from_row(row) for row in page.object_list]
    data_flows.notes_shown(request, client, [entry.carrier for entry in entries if entry.is_note and not entry.masked])
    return render(request, "cases/note_timeline.html", {"client": client, "page": page, "entries": entries})


def _timeline_section(request: AuthenticatedHttpRequest, client: Client) -> dict[str, object]:
    roles = _roles(request)
    rows = list(selectors.client_timeline(request.user, roles, client)[: TIMELINE_SECTION_LIMIT + 1])
    cases = client_page.cases_of(request, client)
    open_case, flagged = cases.here, cases.no_show_pending
    can_write = bool(roles & CASE_WORK)
    entries = [selectors.TimelineEntry.from_row(row) for row in rows[:TIMELINE_SECTION_LIMIT]]
    data_flows.notes_shown(request, client, [entry.carrier for entry in entries if entry.is_note and not entry.masked])
    return {
        "entries": entries,
        "has_more": len(rows) > TIMELINE_SECTION_LIMIT,
        "open_case": open_case,
        "no_show_cases": flagged,
        "can_write": can_write,
        "can_resolve": bool(roles & STEERING),
        "note_form": NoteForm(auto_id="id_note_%s") if can_write and open_case else None,
    }


# --- "Mein Tag" -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayList:
    key: str
    slug: str  # in the URL of the full list
    title: str | Promise
    icon: str
    empty: str | Promise
    when_format: str  # Django date format of ``CardItem.when``
    query: Callable[[AuthenticatedHttpRequest], QuerySet[Any]]
    item: Callable[[Any, bool], CardItem]  # (row, show the case manager?) → CardItem
    roles: frozenset[str] = STEERING  # who sees its start-page card
    order: int | None = None  # of its start-page card; None: after the lists before it
    # whether the card concerns the user's office at all (None: always); an empty card it does not is left out
    applies: Callable[[AuthenticatedHttpRequest], bool] | None = None


def _client_link(client_id: int) -> str:
    return reverse("cases:client_detail", args=[client_id])


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _details(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _manager(case: Case, team: bool) -> str:
    """In the team view, who is responsible (or that nobody is yet)."""
    if not team:
        return ""
    return _person(case.case_manager) if case.case_manager_id else _("no case manager assigned")


def _appointment_item(appointment: Appointment, team: bool) -> CardItem:
    overdue = appointment.starts_at <= timezone.now()
    return CardItem(url=_client_link(appointment.case.client_id) + "#section-timeline", title=str(appointment.case.client),
                   detail=_details(appointment.purpose, _person(appointment.with_user) if team else ""),
                   when=timezone.localtime(appointment.starts_at), badge=_("outcome missing") if overdue else "")


class _SilentCase(TypedDict):  # annotated by selectors_contacts.cases_without_contact
    silent_since: date


class _NoShowCase(TypedDict):  # annotated by selectors_contacts.pending_no_shows
    no_show_at: datetime | None
    no_show_purpose: str | None


def _silent_case_item(case: WithAnnotations[Case, _SilentCase], team: bool) -> CardItem:
    if case.last_contact_on:
        since = _("last contact %(date)s") % {"date": case.last_contact_on.strftime("%d.%m.%Y")}
    else:
        since = _("no contact since opening on %(date)s") % {"date": case.opened_on.strftime("%d.%m.%Y")}
    days = (timezone.localdate() - case.silent_since).days
    return CardItem(url=_client_link(case.client_id), title=str(case.client), detail=_details(since, _manager(case, team)),
                   badge=_("%(days)s days") % {"days": days})


def _no_show_item(case: WithAnnotations[Case, _NoShowCase], team: bool) -> CardItem:
    return CardItem(url=_client_link(case.client_id) + "#section-timeline", title=str(case.client),
                   detail=_details(case.no_show_purpose or "", _manager(case, team)),
                   when=timezone.localtime(case.no_show_at) if case.no_show_at else None)


def _follow_up_item(case: Case, team: bool) -> CardItem:
    """A case in follow-up: marked "new" for some days when someone else (e.g. the placement officer who recorded
    the hire) put it there – that is how the case manager hears of it."""
    recorded_by = case.follow_up_recorded_by
    by_other = recorded_by is not None and recorded_by.pk != case.case_manager_id
    recent = case.follow_up_since is not None and (timezone.localdate() - case.follow_up_since).days < FOLLOW_UP_NEW_DAYS
    return CardItem(
        url=reverse("cases:case_detail", args=[case.pk]), title=str(case.client),
        detail=_details(case.get_outcome_display(),
                        _("recorded by %(name)s") % {"name": _person(recorded_by)} if by_other else "",
                        _manager(case, team)),
        when=case.integrated_on, badge=_("new") if by_other and recent else "",
    )


def _office(request: AuthenticatedHttpRequest) -> Any:
    return request.staff.office


MY_DAY_LISTS = {
    "termine": DayList(
        key="appointments", slug="termine", title=gettext_lazy("Today's appointments"), icon="calendar-event",
        empty=gettext_lazy("No open appointments today."), when_format="H:i",
        query=lambda r: selectors.todays_appointments(r.user, _roles(r), _office(r), timezone.localdate()),
        item=_appointment_item,
    ),
    "ohne-kontakt": DayList(
        key="no_contact", slug="ohne-kontakt", title=gettext_lazy("No contact for 30 days"), icon="hourglass-split",
        empty=gettext_lazy("Every case has had a contact in the last 30 days."), when_format="d.m.Y",
        query=lambda r: selectors.cases_without_contact(r.user, _roles(r), _office(r), timezone.localdate()),
        item=_silent_case_item,
    ),
    "fernbleiben": DayList(
        key="no_shows", slug="fernbleiben", title=gettext_lazy("Unexcused no-shows to handle"), icon="exclamation-triangle",
        empty=gettext_lazy("No unexcused no-shows to handle."), when_format="d.m.Y",
        query=lambda r: selectors.pending_no_shows(r.user, _roles(r), _office(r)),
        item=_no_show_item,
    ),
    "nachbetreuung": DayList(  # ``when`` is the first day of work
        key="follow_up", slug="nachbetreuung", title=gettext_lazy("Follow-up after integration"), icon="flag",
        empty=gettext_lazy("No case in follow-up."), when_format="d.m.Y",
        query=lambda r: selectors.follow_up_cases(r.user, _roles(r), _office(r)),
        item=_follow_up_item,
    ),
}


def _is_team_view(request: AuthenticatedHttpRequest) -> bool:
    return selectors.reads_all_sensitive(_roles(request))


def _day_section(day_list: DayList) -> Callable[[AuthenticatedHttpRequest], dict[str, object]]:
    def context(request: AuthenticatedHttpRequest) -> dict[str, object]:
        rows, total, capped = card_rows(day_list.query(request), MY_DAY_LIMIT)
        team = _is_team_view(request)
        return {
            "title": day_list.title, "icon": day_list.icon, "empty": day_list.empty,
            "when_format": day_list.when_format, "total": total, "capped": capped, "cap": CARD_COUNT_CAP, "team": team,
            "items": [day_list.item(row, team) for row in rows],
            "more_url": reverse("cases:my_day_list", args=[day_list.slug]) if total > MY_DAY_LIMIT else "",
            "hidden": not total and day_list.applies is not None and not day_list.applies(request),
        }

    return context


@role_required(*STEERING)
def my_day_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The whole of one "Mein Tag" list, paginated in the database."""
    day_list = MY_DAY_LISTS.get(slug)
    if day_list is None:
        raise Http404
    page = paginate(day_list.query(request), params.get_page(request), 25)
    team = _is_team_view(request)
    items = [day_list.item(row, team) for row in page.object_list]
    access_log.shown_many(request, office_id=_office(request).pk, rows=items)
    return render(request, "cases/appointment_my_day.html",
                  {"day_list": day_list, "page": page, "items": items, "team": team})


urlpatterns = [
    path("faelle/<int:case_pk>/vermerke/neu/", note_create, name="note_create"),
    path("faelle/<int:case_pk>/termine/neu/", appointment_create, name="appointment_create"),
    path("faelle/<int:case_pk>/fernbleiben-erledigt/", no_show_resolve, name="no_show_resolve"),
    path("termine/<int:pk>/ergebnis/", appointment_outcome, name="appointment_outcome"),
    path("termine/<int:pk>/verschieben/", appointment_move, name="appointment_move"),
    path("termine/<int:pk>/korrigieren/", appointment_correct, name="appointment_correct"),
    path("kunden/<int:pk>/verlauf/", timeline, name="client_timeline"),
    path("mein-tag/<slug:slug>/", my_day_list, name="my_day_list"),
]


def register_extensions() -> None:
    """Register this module's menu entries and page sections (called from ``CasesConfig.ready``)."""
    client_page.register(
        client_page.ClientSection(
            key="timeline", title=gettext_lazy("Contacts and appointments"), template="cases/_timeline_section.html",
            context=_timeline_section, order=20,
        )
    )
    for _order, _day_list in enumerate(MY_DAY_LISTS.values()):
        home.register(home.HomeSection(
            key=f"my_day_{_day_list.key}", template="cases/_home_my_day.html", context=_day_section(_day_list),
            roles=_day_list.roles, order=10 + 10 * _order if _day_list.order is None else _day_list.order,
        ))
