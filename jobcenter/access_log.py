"""The access log: who looked at which client's data (SGB X §§ 67 ff.), declared per URL.

``ACCESS_LOG`` holds one entry for every URL name of the project (like the authorisation matrix
``jobcenter.authz.MATRIX``, the same names): either the URL shows client data and its ``Logged`` entry says what is
logged (label, kind, one record per client or one record for a list), or it is ``None``: it shows no client data.

The view says which client(s) it showed: ``shown(request, client_id=…, office_id=…)`` for a page about one client,
``shown_many(request, office_id=…, rows=…)`` for a list or an export (one record with the number of rows).
``AccessLogMiddleware`` writes the records once the response is known, once per client and request, and only when
the data went out: a 2xx response or a form shown again (400, 409, 422), never a redirect or an error.
``flush`` writes them at once (the Auskunft lists its own export).

Labels are stored in the default language (``settings.LANGUAGE_CODE``), so one part can be found again whatever
language the reader used; ``%(name)s`` placeholders are filled with the keyword arguments of ``shown``.
``tests/security/test_access_log_coverage.py`` walks every URL pattern and fails on one that shows a client
without a declaration, or a declared one that does not log exactly once.

Adding a URL: one line below, e.g. ``"plans:plan_detail": view(_("Help plan %(plan)s"))``, and in the view
``access_log.shown(request, client_id=plan.case.client_id, office_id=plan.case.contact_point_id, plan=plan.pk)``.

Data of the other Träger (docs/domain.md §9): client data is recorded by staff of one Träger (Arbeitsamt or
Sozialhilfeträger, the ``home_agency`` of their ``StaffProfile``; a benefit belongs to the Träger that pays it).
A page about one client declares which kinds of such data it can show (``view(..., data=("benefit", "note"))``,
the kinds registered in ``DATA_KINDS`` by the app that keeps the data), and the view or client-page section that
shows rows of a kind says whose they are: ``shown_data(request, client_id=…, office_id=…, data="note",
recorded_by=[Agency.Kind…, one per row])``. When the access record is written, every kind shown whose recording
Träger is not the reader's becomes a ``DataFlow`` row of that record, naming both Träger; a read within one Träger
is no flow. The walk test checks that a page showing the other Träger's data records the flow, and the Teamleitung
report (``reporting:carrier_flows``) and the Auskunft read these rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sized
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.admin import ModelAdmin
from django.db import transaction
from django.db.models import Count, Model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobcenter.models import AccessRecord, Agency, DataFlow, StaffProfile

logger = logging.getLogger(__name__)

Label = str | Promise
Kind = AccessRecord.Kind
SHOWN_AGAIN = frozenset({400, 409, 422})  # a form or page shown again with the data and a message


@dataclass(frozen=True)
class Logged:
    """What a URL logs: ``what`` (label, may hold ``%(name)s`` placeholders), ``kind``, and whether the page shows
    one client per record (``many=False``) or is a list or export logged once with its number of rows."""

    what: Label
    kind: str = Kind.VIEW
    many: bool = False
    data: frozenset[str] = frozenset()  # kinds of Träger-recorded data the page can show (``DATA_KINDS``)


def view(what: Label, *, data: Iterable[str] = ()) -> Logged:
    """A page (or htmx partial, or form) about one client; ``data``: the kinds of data recorded by one Träger that
    it can show (``shown_data`` reports whose rows it showed)."""
    return Logged(what, data=frozenset(data))


def download(what: Label) -> Logged:
    """A document about one client, handed out as a file."""
    return Logged(what, kind=Kind.DOWNLOAD)


def listing(what: Label) -> Logged:
    """A page listing clients: one record per request with the number of rows."""
    return Logged(what, many=True)


def export(what: Label) -> Logged:
    """A file listing clients (CSV): one record per request with the number of rows."""
    return Logged(what, kind=Kind.EXPORT, many=True)


@dataclass(frozen=True)
class Unlogged:
    """The URL shows client data that cannot be attributed to a client or an office, and is deliberately not
    logged: ``reason`` says why (only admin pages of IT administrators, who see all offices by design)."""

    reason: str


NO_CLIENT_DATA = None  # the URL shows no client data (organisation, partners, figures, a POST that redirects)

# The kinds of client data recorded by one Träger, key → label; the app that keeps the data registers them in its
# ``AppConfig.ready`` (``register_data_kind``): the cases app "benefit", "note", "application".
DATA_KINDS: dict[str, Label] = {}


def register_data_kind(key: str, label: Label) -> None:
    DATA_KINDS[key] = label


# what the client page and the pages about one benefit, note or application show of each Träger
_CLIENT_PAGE_DATA = ("benefit", "note", "application")
_APPLICATION_DATA = ("application",)

_CASE_PAGE = _("Case %(number)s")  # the case page, also when an action shows it again with a message
_PLAN_PAGE = _("Help plan %(plan)s (version %(version)s)")

ACCESS_LOG: dict[str, Logged | Unlogged | None] = {
    # --- jobcenter: shell -----------------------------------------------------------------------------------
    "home": listing(_("Start page")),
    "login": NO_CLIENT_DATA,
    "healthz": NO_CLIENT_DATA,
    "readyz": NO_CLIENT_DATA,
    "accessibility": NO_CLIENT_DATA,
    "logout": NO_CLIENT_DATA,
    "logout_everywhere": NO_CLIENT_DATA,
    "set_language": NO_CLIENT_DATA,
    "switch_office": NO_CLIENT_DATA,
    # the Django admin: pages of client data log through ``ClientDataAdmin``; the rest is organisation data
    "admin:*": NO_CLIENT_DATA,
    # --- notifications: a kind of event and a client's name; the page behind the link logs what it shows -----
    "notifications:inbox": listing(_("Notifications")),
    "notifications:open": NO_CLIENT_DATA,
    "notifications:mark_read": NO_CLIENT_DATA,
    "notifications:mark_all_read": NO_CLIENT_DATA,
    # cooperation agreements: organisation data (agencies, contact points), no client
    "agreement_list": NO_CLIENT_DATA,
    "agreement_create": NO_CLIENT_DATA,
    "agreement_detail": NO_CLIENT_DATA,
    "agreement_end": NO_CLIENT_DATA,
    "admin:cases_client_changelist": listing(_("Admin: clients")),
    "admin:cases_client_change": view(_("Admin: client")),
    "admin:cases_client_delete": view(_("Admin: client")),
    "admin:cases_client_history": view(_("Admin: client")),
    "admin:partners_referral_changelist": listing(_("Admin: referrals")),
    "admin:partners_referral_change": view(_("Admin: referral")),
    "admin:partners_referral_history": view(_("Admin: referral")),
    "admin:integration_plans_integrationplan_changelist": listing(_("Admin: help plans")),
    "admin:integration_plans_integrationplan_change": view(_("Admin: help plan")),
    "admin:integration_plans_integrationplan_history": view(_("Admin: help plan")),
    "admin:pghistory_middlewareevents_changelist": Unlogged(
        "the audit trail: rows of every office and model, reviewed by administrators; each row is a write that "
        "the audit trail itself records"),
    "admin:jobcenter_contactpoint_delete": Unlogged(
        "the confirmation lists what deleting an office would touch (its clients' names); offices with clients "
        "cannot be deleted (protected references)"),
    "admin:partners_vacancy_delete": Unlogged(
        "the confirmation lists the placement proposals (client names) that deleting the vacancy would touch"),
    # --- cases: clients, intake, benefits -------------------------------------------------------------------
    "cases:client_list": listing(_("Client list")),
    "cases:client_detail": view(_("Client page"), data=_CLIENT_PAGE_DATA),
    "cases:client_timeline": view(_("Contacts and appointments"), data=("note",)),
    "cases:client_auskunft": view(_("Auskunft (Art. 15 DSGVO)")),  # the POST hands it out: kind export
    "cases:client_create": listing(_("Possible duplicates")),
    "cases:client_edit": view(_("Client data (form)")),
    "cases:benefit_create": view(_("Benefit (form)")),
    "cases:benefit_end": view(_("Benefit (form)"), data=("benefit",)),
    "cases:handover_create": view(_("Hand-over (form)")),
    "cases:handover_list": listing(_("Hand-overs")),
    "cases:triage": listing(_("Reception")),
    "cases:triage_route": view(_("Reception routing")),
    "cases:client_import": NO_CLIENT_DATA,  # the upload form and the list of earlier runs (counts only)
    "cases:client_import_template": NO_CLIENT_DATA,
    "cases:client_import_detail": listing(_("Client import %(run)s (suspected duplicates)")),
    "cases:client_import_run": NO_CLIENT_DATA,  # a POST that redirects
    "cases:case_list": listing(_("Case list")),
    "cases:case_detail": view(_CASE_PAGE),
    "cases:case_open": NO_CLIENT_DATA,
    "cases:case_set_segment": view(_CASE_PAGE),
    "cases:case_change_status": view(_CASE_PAGE),
    "cases:case_close": view(_CASE_PAGE),
    "cases:case_closure_confirm": view(_CASE_PAGE),
    "cases:case_closure_refuse": view(_CASE_PAGE),
    "cases:case_record_integration": view(_CASE_PAGE),
    "cases:case_set_lead_agency": view(_CASE_PAGE),
    "cases:case_reopen": view(_CASE_PAGE),
    "cases:case_assign": view(_CASE_PAGE),
    "cases:bulk_reassign": listing(_("Bulk reassignment: selection")),
    "cases:bulk_reassign_preview": listing(_("Bulk reassignment: preview")),
    "cases:bulk_reassign_confirm": listing(_("Bulk reassignment: preview")),  # shown again when refused
    "cases:client_export": export(_("Client export (selection)")),
    "cases:note_create": view(_("Contact note (form)")),
    "cases:appointment_create": view(_("Appointment (form)")),
    "cases:appointment_outcome": view(_("Appointment (form)")),
    "cases:appointment_move": view(_("Appointment (form)")),
    "cases:appointment_correct": view(_("Appointment (form)")),
    "cases:no_show_resolve": view(_("No-show (form)")),
    "cases:my_day_list": listing(_("My day")),
    "cases:application_list": listing(_("Benefit applications")),
    "cases:application_create": view(_("Benefit application (form)")),
    "cases:application_detail": view(_("Benefit application %(application)s"), data=_APPLICATION_DATA),
    "cases:application_forward": view(_("Benefit application %(application)s"), data=_APPLICATION_DATA),
    "cases:application_status": view(_("Benefit application %(application)s"), data=_APPLICATION_DATA),
    # --- partners ---------------------------------------------------------------------------------------------
    "partners:partner_list": NO_CLIENT_DATA,
    "partners:partner_detail": NO_CLIENT_DATA,
    "partners:partner_create": NO_CLIENT_DATA,
    "partners:partner_edit": NO_CLIENT_DATA,
    "partners:partner_export": NO_CLIENT_DATA,
    "partners:partner_import": NO_CLIENT_DATA,
    "partners:offer_board": NO_CLIENT_DATA,
    "partners:offer_detail": listing(_("Referrals to an offer")),
    "partners:offer_create": NO_CLIENT_DATA,
    "partners:offer_edit": NO_CLIENT_DATA,
    "partners:employer_contact_create": NO_CLIENT_DATA,
    "partners:referral_list": listing(_("Referrals")),
    "partners:referral_choose_offer": view(_("Referral (choice of offer)")),
    "partners:referral_create": view(_("Referral (form)")),
    "partners:referral_detail": view(_("Referral %(referral)s")),
    "partners:referral_status": view(_("Referral %(referral)s")),
    "partners:referral_feedback": view(_("Referral %(referral)s")),
    "partners:consent_revoke": NO_CLIENT_DATA,
    "partners:disclosure_log": view(_("Disclosure log")),
    "partners:vacancy_list": NO_CLIENT_DATA,
    "partners:vacancy_detail": listing(_("Placement proposals")),
    "partners:vacancy_create": NO_CLIENT_DATA,
    "partners:vacancy_edit": NO_CLIENT_DATA,
    "partners:vacancy_withdraw": NO_CLIENT_DATA,
    "partners:proposal_create": NO_CLIENT_DATA,
    "partners:proposal_result": listing(_("Placement proposals")),
    # --- profiling --------------------------------------------------------------------------------------------
    "profiling:case_profilings": view(_("Profilings, case %(case)s")),
    "profiling:profiling_create": view(_("Profiling (form), case %(case)s")),
    "profiling:profiling_detail": view(_("Profiling %(profiling)s, case %(case)s")),
    "profiling:profiling_confirm": view(_("Profiling %(profiling)s, case %(case)s")),
    "profiling:worklist": listing(_("Profiling work list")),
    # the sensitive parts: ``part`` says whether the content was read (profiling.services.access)
    "profiling:social_history": view(_("%(part)s, case %(case)s")),
    "profiling:social_history_edit": view(_("%(part)s, case %(case)s")),
    "profiling:assessment_create": view(_("Assessment (form), case %(case)s")),
    "profiling:assessment_detail": view(_("%(part)s, case %(case)s")),
    "profiling:assessment_result": view(_("%(part)s, case %(case)s")),
    "profiling:assessment_report": download(_("%(part)s, case %(case)s")),
    # --- letters ----------------------------------------------------------------------------------------------
    "letters:invitation_create": NO_CLIENT_DATA,  # htmx: the letter's status partial (no client data); else redirect
    "letters:hearing_letter_create": NO_CLIENT_DATA,
    "letters:referral_letter_create": NO_CLIENT_DATA,
    "letters:letter_detail": view(_("Letter %(letter)s")),
    "letters:letter_status": NO_CLIENT_DATA,
    "letters:letter_request": NO_CLIENT_DATA,
    "letters:letter_download": download(_("Letter %(letter)s (PDF)")),
    "letters:client_letters": view(_("Letters of the client")),
    "letters:invitations": listing(_("Appointments to invite to")),
    "letters:invitations_print": NO_CLIENT_DATA,
    "letters:batch_detail": listing(_("Batch of invitations")),
    "letters:batch_status": NO_CLIENT_DATA,
    "letters:batch_request": NO_CLIENT_DATA,
    "letters:batch_download": export(_("Invitations (batch PDF)")),
    "letters:template_list": NO_CLIENT_DATA,
    "letters:template_edit": NO_CLIENT_DATA,
    "letters:template_version": NO_CLIENT_DATA,
    # --- integration_plans ------------------------------------------------------------------------------------
    "integration_plans:plan_list": listing(_("Help plans")),
    "integration_plans:worklist": listing(_("Help plan work list")),
    "integration_plans:plan_create": NO_CLIENT_DATA,
    "integration_plans:hearing_open_no_show": NO_CLIENT_DATA,
    "integration_plans:plan_detail": view(_PLAN_PAGE),
    "integration_plans:plan_edit": view(_PLAN_PAGE),
    "integration_plans:plan_finalise": view(_PLAN_PAGE),
    "integration_plans:plan_submit": view(_PLAN_PAGE),
    "integration_plans:plan_return": view(_PLAN_PAGE),
    "integration_plans:plan_signoff": view(_PLAN_PAGE),
    "integration_plans:approval_list": listing(_("Help plans awaiting sign-off")),
    "integration_plans:plan_sign": view(_PLAN_PAGE),
    "integration_plans:plan_scan": view(_PLAN_PAGE),
    "integration_plans:plan_review": view(_PLAN_PAGE),
    "integration_plans:plan_revise": view(_PLAN_PAGE),
    "integration_plans:plan_discard": view(_PLAN_PAGE),
    "integration_plans:step_status": view(_PLAN_PAGE),
    "integration_plans:service_refer": view(_("Referral from help plan %(plan)s")),
    "integration_plans:document_status": NO_CLIENT_DATA,
    "integration_plans:document_request": NO_CLIENT_DATA,
    "integration_plans:agreement_download": download(_("Agreement of help plan %(plan)s (PDF)")),
    "integration_plans:scan_download": download(_("Signed scan of help plan %(plan)s")),
    "integration_plans:check_create": view(_("Obligation check (form), help plan %(plan)s")),
    "integration_plans:hearing_detail": view(_("Hearing %(hearing)s")),
    "integration_plans:notice_list": NO_CLIENT_DATA,
    "integration_plans:notice_detail": listing(_("Agreements with a legal notice")),
    # --- reporting ----------------------------------------------------------------------------------------------
    "reporting:dashboard": listing(_("Dashboard work lists")),
    "reporting:export_table": export(_("Dashboard table %(table)s (%(format)s)")),  # CSV or Excel
    "reporting:drilldown": listing(_("Drill-down %(list)s")),  # with format=csv: an export (``shown_many``)
    "reporting:report_list": NO_CLIENT_DATA,
    "reporting:report_request": NO_CLIENT_DATA,
    "reporting:report_download": NO_CLIENT_DATA,  # figures only
    "reporting:programme": NO_CLIENT_DATA,
    "reporting:programme_edit": NO_CLIENT_DATA,
    "reporting:carrier_flows": NO_CLIENT_DATA,  # counts per month, kind of data and direction
}


def declaration_for(url_name: str) -> tuple[bool, Logged | Unlogged | None]:
    """(declared?, entry) of a URL name: its own entry, else its namespace's wildcard (``"admin:*"``)."""
    if url_name in ACCESS_LOG:
        return True, ACCESS_LOG[url_name]
    namespace, _sep, _name = url_name.rpartition(":")
    key = f"{namespace}:*"
    return (True, ACCESS_LOG[key]) if namespace and key in ACCESS_LOG else (False, None)


# --- what a view showed -----------------------------------------------------------------------------------------
@dataclass
class _Shown:
    office_id: int
    what: str
    kind: str
    client_id: int | None = None
    reason: str = ""
    rows: list[Sized | int] = field(default_factory=list)
    flows: Counter[tuple[str, str]] = field(default_factory=Counter)  # (data kind, recording Träger) → rows

    def count(self) -> int:
        return sum(part if isinstance(part, int) else len(part) for part in self.rows) if self.rows else 1


def _pending(request: HttpRequest) -> dict[tuple[int | None, int], _Shown]:
    pending: dict[tuple[int | None, int], _Shown] | None = getattr(request, "_access_log", None)
    if pending is None:
        pending = {}
        request._access_log = pending  # type: ignore[attr-defined]  # the request carries its pending records
    return pending


def _declared(request: HttpRequest, many: bool) -> Logged:
    """The entry of the current URL; an undeclared URL still logs (under its URL name), and says so loudly."""
    match = request.resolver_match
    url_name = match.view_name if match else request.path
    declared, entry = declaration_for(url_name)
    if not isinstance(entry, Logged) or entry.many != many:
        logger.error("access log: %s shows client data but is declared %s in jobcenter.access_log.ACCESS_LOG",
                     url_name, entry if declared else "nowhere")
        return Logged(url_name, many=many)
    return entry


def _label(entry: Logged, values: dict[str, object]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = str(entry.what)
        if values:
            text = text % {key: str(value) for key, value in values.items()}
    return text[:200]


def shown(request: HttpRequest, *, client_id: int, office_id: int, kind: str | None = None, reason: str = "",
          **values: object) -> None:
    """The current page shows the client ``client_id`` of office ``office_id``: one record after the response.
    ``values`` fill the label's placeholders; ``kind`` and ``reason`` only where the page hands the data out
    (the Auskunft's POST: an export with its occasion). Shown again in the same request: the last call counts."""
    entry = _declared(request, many=False)
    pending = _pending(request)
    previous = pending.get((client_id, office_id))
    pending[(client_id, office_id)] = _Shown(
        office_id=office_id, what=_label(entry, values), kind=kind or entry.kind, client_id=client_id,
        reason=reason[:300], flows=previous.flows if previous else Counter())


def shown_data(request: HttpRequest, *, client_id: int, office_id: int, data: str,
               recorded_by: Iterable[str | None]) -> None:
    """The current page, which ``shown`` the client ``client_id`` of office ``office_id``, showed rows of the kind
    ``data`` (a ``DATA_KINDS`` key the URL declares) recorded by the Träger ``recorded_by`` (one ``Agency.Kind``
    value per row; None where unknown). Rows of the reader's own Träger are no flow; the others become ``DataFlow``
    rows of the access record."""
    match = request.resolver_match
    url_name = match.view_name if match else request.path
    _found, entry = declaration_for(url_name)
    if not isinstance(entry, Logged) or data not in entry.data or data not in DATA_KINDS:
        logger.error("access log: %s shows %r data but does not declare it in jobcenter.access_log.ACCESS_LOG "
                     "(or the kind is not registered)", url_name, data)
    record = _pending(request).get((client_id, office_id))
    if record is None:
        logger.error("access log: %s reports %r data of client %s before showing the client", url_name, data,
                     client_id)
        return
    for owner in recorded_by:
        if owner:
            record.flows[(data, owner)] += 1


def shown_many(request: HttpRequest, *, office_id: int, rows: Sized | int, kind: str | None = None,
               **values: object) -> None:
    """The current page lists clients of office ``office_id``: one record per request and office with the number
    of ``rows`` (counted after rendering, when the page has fetched them; several calls add up). ``kind``: a list
    URL that also answers as a file (the drill-down's CSV) says so."""
    entry = _declared(request, many=True)
    pending = _pending(request)
    record = pending.setdefault((None, office_id), _Shown(office_id=office_id, what=_label(entry, values),
                                                          kind=kind or entry.kind))
    record.rows.append(rows)


def flush(request: HttpRequest) -> None:
    """Write what the request has shown so far now (the Auskunft lists its own export)."""
    pending = getattr(request, "_access_log", None)
    if not pending or not request.user.is_authenticated:
        return
    items = [item for item in pending.values() if item.client_id is not None or item.count() > 0]
    records = [AccessRecord(user=request.user, contact_point_id=item.office_id, client_id=item.client_id,
                            clients=item.count(), kind=item.kind, what=item.what, reason=item.reason)
               for item in items]
    pending.clear()
    flows: list[DataFlow] = []
    reader = _carrier_of(request) if any(item.flows for item in items) else None
    if reader:  # without the reader's Träger no flow can be told
        flows = [DataFlow(record=record, data=data, reader_carrier=reader, owner_carrier=owner, rows=rows)
                 for item, record in zip(items, records, strict=True)
                 for (data, owner), rows in sorted(item.flows.items())
                 if owner != reader]
    if len(records) == 1 and not flows:
        records[0].save()  # one INSERT, autocommitted: bulk_create would wrap it in BEGIN and COMMIT
        return
    if not records:
        return
    with transaction.atomic():  # the records and their flows together
        AccessRecord.objects.bulk_create(records)
        DataFlow.objects.bulk_create(flows)  # each flow takes its record's id, which bulk_create just set


def _carrier_of(request: HttpRequest) -> str | None:
    """The reader's Träger: the kind of their home agency (None: no home agency, so no flow can be told). The staff
    context has the profile and the offices with both agencies loaded; the database is asked only otherwise."""
    staff = getattr(request, "staff", None)
    if staff is None:
        if request.user.pk is None:
            return None
        kind: str | None = (StaffProfile.objects.filter(user_id=request.user.pk)
                            .values_list("home_agency__kind", flat=True).first())
        return kind
    agency_id = staff.profile.home_agency_id
    if agency_id is None:
        return None
    for office in staff.offices:
        for agency in office.agencies:
            if agency.pk == agency_id:
                return str(agency.kind)
    return Agency.objects.filter(pk=agency_id).values_list("kind", flat=True).first()


def showed_data(response: HttpResponse) -> bool:
    """The response carried the page or file (not a redirect, a refusal or an error)."""
    return 200 <= response.status_code < 300 or response.status_code in SHOWN_AGAIN


class AccessLogMiddleware:
    """Writes the access records of a request after its response: once, only when the data went out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, "_access_log", None)
        if pending:
            if showed_data(response):
                flush(request)
            else:
                pending.clear()
        return response


# --- the Django admin -------------------------------------------------------------------------------------------
class ClientDataAdmin(ModelAdmin):
    """A ModelAdmin of client data: its change, delete and history pages log the client (``client_path``: the path
    from the model to its client, "" for the client itself), its list the number of rows per office."""

    client_path = ""

    def _client_of(self, obj: Model) -> Model:
        for step in filter(None, self.client_path.split("__")):
            obj = getattr(obj, step)
        return obj

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Model | None:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            client = self._client_of(obj)
            shown(request, client_id=client.pk, office_id=client.contact_point_id)  # type: ignore[attr-defined]  # client_path leads to a Client
        return obj

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            office = f"{self.client_path}__contact_point_id".lstrip("_")
            pks = [obj.pk for obj in changelist.result_list]
            for row in (self.model._default_manager.filter(pk__in=pks).values(office)
                        .annotate(rows=Count("pk")).order_by()):
                shown_many(request, office_id=row[office], rows=row["rows"])
        return response

