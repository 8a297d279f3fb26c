"""The authorisation matrix: for every named URL of the project, who may use it.

This is the specification; the views enforce it (``role_required``, ``module_required``, ``get_scoped_or_404``)
and ``tests/security/test_authorization_matrix.py`` checks every view against it for every role, in the own
and in another contact point. A URL without an entry here fails the suite.

An entry states:
  roles   the roles (``jobcenter.roles.Role``) that may use the URL; every other role gets 403
  method  what the test sends: GET for pages, POST for POST-only actions (with an empty body)
  obj     the kind of office-scoped object the URL's kwargs point at ("client", "case", …), or a mapping
          kwarg → kind when there are several; the test builds one of each kind in every office
  kwargs  static kwargs (e.g. a slug)
  module  the optional module the view needs in the active office (``jobcenter.roles.Module``), or a set of
          modules of which any one suffices; without it the view answers 404
  public  reachable without logging in (login, health check)

Adding a URL: add one line in its app's group below, e.g.
    "plans:plan_detail": page(CASE_WORK, obj="plan", module=Module.EINGLIEDERUNGSHILFEN),
and, for a new kind of object, teach ``tests/security/worlds.py`` to build one.
The Django admin is one entry for its whole namespace: only ``is_staff`` users (administrators) get in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jobcenter.roles import Module, Role

Roles = frozenset[str]


@dataclass(frozen=True)
class Access:
    roles: Roles
    method: str = "GET"
    obj: str | Mapping[str, str] | None = None
    kwargs: Mapping[str, str | int] = field(default_factory=dict)
    module: str | frozenset[str] | None = None
    public: bool = False
    admin: bool = False

    @property
    def modules(self) -> frozenset[str]:
        """The modules of which any one must be on (empty: none needed)."""
        if self.module is None:
            return frozenset()
        return frozenset({self.module}) if isinstance(self.module, str) else self.module


def page(roles: Roles, *, obj: str | Mapping[str, str] | None = None, kwargs: Mapping[str, str | int] | None = None,
         module: str | frozenset[str] | None = None) -> Access:
    """A page (GET; a form page also accepts POST)."""
    return Access(roles=roles, obj=obj, kwargs=kwargs or {}, module=module)


def action(roles: Roles, *, obj: str | Mapping[str, str] | None = None,
           module: str | frozenset[str] | None = None) -> Access:
    """A POST-only action."""
    return Access(roles=roles, method="POST", obj=obj, module=module)


# --- who --------------------------------------------------------------------------------------------------
ALL_STAFF: Roles = frozenset(Role.values)
NOBODY: Roles = frozenset()
CASE_WORK: Roles = ALL_STAFF - {Role.ADMINISTRATOR}  # read clients and cases, write contacts; not IT administration
INTAKE: Roles = frozenset({Role.EMPFANG, Role.FALLMANAGER, Role.TEAMLEITUNG})  # register, edit, triage, open case
BENEFITS: Roles = frozenset({Role.LEISTUNG, Role.FALLMANAGER, Role.TEAMLEITUNG})
STEERING: Roles = frozenset({Role.FALLMANAGER, Role.TEAMLEITUNG})  # status, closing, lead agency, no-shows
BENEFIT_CLERKS: Roles = frozenset({Role.LEISTUNG})  # told when a client with running benefits starts work
TEAM_LEAD: Roles = frozenset({Role.TEAMLEITUNG})
CASE_MANAGERS: Roles = frozenset({Role.FALLMANAGER})  # cases are assigned to them ("Neu zugewiesen")
APPLICATIONS: Roles = frozenset({Role.EMPFANG, Role.LEISTUNG, Role.FALLMANAGER, Role.TEAMLEITUNG})
PARTNER_UPKEEP: Roles = frozenset({Role.TEAMLEITUNG, Role.ADMINISTRATOR})  # partners, offers, CSV
CLIENT_IMPORT: Roles = frozenset({Role.TEAMLEITUNG, Role.ADMINISTRATOR})  # take over an office's client stock
REFERRING: Roles = frozenset({Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG})
EMPLOYER_SERVICE: Roles = frozenset({Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG})  # vacancies, employer contacts
PROFILING_READ: Roles = frozenset({Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG})
PLAN_READ: Roles = frozenset({Role.FALLMANAGER, Role.TEAMLEITUNG, Role.ARBEITSVERMITTLER, Role.LEISTUNG})
# The roles an office may name as the signing role of a Träger for joint sign-off: those that can open a plan, in
# the order the office settings offer them (integration_plans.models.SIGNER_ROLE_CHOICES).
PLAN_SIGNERS: tuple[Role, ...] = (Role.TEAMLEITUNG, Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.LEISTUNG)
PLAN_WRITE: Roles = STEERING  # write plans, sign, checks, hearings, referrals from a plan
REPORTING: Roles = TEAM_LEAD  # success measurement, monthly reports, joint programme
COOPERATION: Roles = frozenset({Role.TEAMLEITUNG, Role.ADMINISTRATOR})  # cooperation agreements (docs/domain.md §3a)
HAND_OVER: Roles = STEERING  # hand a client over to another contact point under an agreement
LETTERS: Roles = REFERRING  # print and read letters (invitations, hearing and referral letters)
LETTER_TEMPLATES: Roles = TEAM_LEAD  # edit the office's letter templates (a new version each time)

# --- which optional module ----------------------------------------------------------------------------------
REFERRAL_MODULES: frozenset[str] = frozenset({
    Module.BEAUFTRAGUNG_DRITTER, Module.EINGLIEDERUNGSHILFEN, Module.PSA_ZUWEISUNG, Module.TIEFENPROFILING,
})

PUBLIC = Access(roles=ALL_STAFF, public=True)

# The legal notices (Rechtsfolgenbelehrungen) are global texts, not office data: the test cannot ask for "the other
# office's notice". It builds this one notice (tests/security/worlds.py), printed on both offices' plans; its page
# must list only the own office's agreements.
LEGAL_NOTICE_PK = 90001

MATRIX: dict[str, Access] = {
    # --- jobcenter: shell -----------------------------------------------------------------------------------
    "home": page(ALL_STAFF),
    "login": PUBLIC,
    "healthz": PUBLIC,
    "readyz": PUBLIC,  # readiness for load balancers: JSON of checks, no client data
    "accessibility": PUBLIC,  # the accessibility statement (BITV 2.0 § 7), also for visitors not logged in
    "logout": action(ALL_STAFF),
    "logout_everywhere": action(ALL_STAFF),
    "set_language": action(ALL_STAFF),
    "switch_office": action(ALL_STAFF),
    "admin:*": Access(roles=NOBODY, admin=True),  # Django admin: is_staff administrators only, all offices
    # --- notifications: the inbox (the user's own, in the active office; the POST names one of them) --------
    "notifications:inbox": page(CASE_WORK),
    "notifications:open": action(CASE_WORK),
    "notifications:mark_read": action(CASE_WORK),
    "notifications:mark_all_read": action(CASE_WORK),
    # --- jobcenter: cooperation agreements (scoped to the agencies of the user's contact points) ---------------
    "agreement_list": page(COOPERATION),
    "agreement_create": page(COOPERATION),
    "agreement_detail": page(COOPERATION, obj="agreement"),
    "agreement_end": action(COOPERATION, obj="agreement"),
    # --- cases: clients, intake, benefits -------------------------------------------------------------------
    "cases:client_list": page(CASE_WORK),
    "cases:client_detail": page(CASE_WORK, obj="client"),
    "cases:client_timeline": page(CASE_WORK, obj="client"),
    "cases:client_auskunft": page(STEERING, obj="client"),  # Art. 15 DSGVO: asks the occasion, POST gives the PDF
    "cases:client_create": page(INTAKE),
    "cases:client_edit": page(INTAKE, obj="client"),
    "cases:benefit_create": page(BENEFITS, obj="client"),
    "cases:benefit_end": page(BENEFITS, obj="benefit"),
    # --- cases: hand-over to another contact point under a cooperation agreement ----------------------------
    "cases:handover_create": page(HAND_OVER, obj="client"),
    "cases:handover_list": page(HAND_OVER),
    # --- cases: reception triage ----------------------------------------------------------------------------
    "cases:triage": page(INTAKE),
    "cases:triage_route": page(INTAKE, obj="client"),
    # --- cases: taking over an office's clients (upload, dry run, real run) -----------------------------------
    "cases:client_import": page(CLIENT_IMPORT),
    "cases:client_import_template": page(CLIENT_IMPORT),
    "cases:client_import_detail": page(CLIENT_IMPORT, obj="import_run"),
    "cases:client_import_run": action(CLIENT_IMPORT, obj="import_run"),
    # --- cases: case list, case page, case steering ---------------------------------------------------------
    "cases:case_list": page(CASE_WORK),
    "cases:case_detail": page(CASE_WORK, obj="case"),
    "cases:case_open": action(INTAKE, obj="client"),
    "cases:case_set_segment": action(INTAKE, obj="case"),
    "cases:case_change_status": action(STEERING, obj="case"),
    "cases:case_close": action(STEERING, obj="case"),  # or requests the closing (office setting)
    "cases:case_closure_confirm": action(TEAM_LEAD, obj="case"),
    "cases:case_closure_refuse": action(TEAM_LEAD, obj="case"),
    "cases:case_record_integration": action(STEERING, obj="case"),  # hire etc. → follow-up (Nachbetreuung)
    "cases:case_set_lead_agency": action(STEERING, obj="case"),
    "cases:case_reopen": action(STEERING, obj="case"),
    "cases:case_assign": action(TEAM_LEAD, obj="case"),
    # --- cases: bulk work (reassign a caseload after a preview; export a selection of clients) --------------
    "cases:bulk_reassign": page(TEAM_LEAD),
    "cases:bulk_reassign_preview": page(TEAM_LEAD),  # POST shows the preview; GET goes back to the selection
    "cases:bulk_reassign_confirm": action(TEAM_LEAD),
    "cases:client_export": action(STEERING),
    # --- cases: contacts, appointments, "Mein Tag" ----------------------------------------------------------
    "cases:note_create": page(CASE_WORK, obj="case"),
    "cases:appointment_create": page(CASE_WORK, obj="case"),
    "cases:appointment_outcome": page(CASE_WORK, obj="appointment"),
    "cases:appointment_move": page(CASE_WORK, obj="appointment"),
    "cases:appointment_correct": page(CASE_WORK, obj="appointment"),
    "cases:no_show_resolve": page(STEERING, obj="case"),
    "cases:my_day_list": page(STEERING, kwargs={"slug": "termine"}),
    # --- cases: benefit applications (module Antragsannahme) ------------------------------------------------
    "cases:application_list": page(APPLICATIONS, module=Module.ANTRAGSANNAHME),
    "cases:application_create": page(APPLICATIONS, obj="client", module=Module.ANTRAGSANNAHME),
    "cases:application_detail": page(APPLICATIONS, obj="application", module=Module.ANTRAGSANNAHME),
    "cases:application_forward": action(APPLICATIONS, obj="application", module=Module.ANTRAGSANNAHME),
    "cases:application_status": action(APPLICATIONS, obj="application", module=Module.ANTRAGSANNAHME),
    # --- partners: registry, offers, free-places board, CSV -------------------------------------------------
    "partners:partner_list": page(ALL_STAFF),
    "partners:partner_detail": page(ALL_STAFF, obj="partner"),
    "partners:partner_create": page(PARTNER_UPKEEP),
    "partners:partner_edit": page(PARTNER_UPKEEP, obj="partner"),
    "partners:partner_export": page(PARTNER_UPKEEP),
    "partners:partner_import": page(PARTNER_UPKEEP),
    "partners:offer_board": page(ALL_STAFF),
    "partners:offer_detail": page(ALL_STAFF, obj="offer"),
    "partners:offer_create": page(PARTNER_UPKEEP, obj="partner"),
    "partners:offer_edit": page(PARTNER_UPKEEP, obj="offer"),
    "partners:employer_contact_create": action(EMPLOYER_SERVICE, obj="employer", module=Module.ARBEITGEBERSERVICE),
    # --- partners: referrals, consent, disclosure log -------------------------------------------------------
    "partners:referral_list": page(REFERRING, module=REFERRAL_MODULES),
    "partners:referral_choose_offer": page(REFERRING, obj="case", module=REFERRAL_MODULES),
    "partners:referral_create": page(REFERRING, obj={"case_pk": "case", "offer_pk": "offer"},
                                     module=REFERRAL_MODULES),
    "partners:referral_detail": page(REFERRING, obj="referral", module=REFERRAL_MODULES),
    "partners:referral_status": action(REFERRING, obj="referral", module=REFERRAL_MODULES),
    "partners:referral_feedback": action(REFERRING, obj="referral", module=REFERRAL_MODULES),
    "partners:consent_revoke": action(REFERRING, obj="consent"),
    "partners:disclosure_log": page(REFERRING, obj="client"),
    # --- partners: vacancies and placement proposals (module Vermittlung) -----------------------------------
    "partners:vacancy_list": page(REFERRING, module=Module.VERMITTLUNG),
    "partners:vacancy_detail": page(REFERRING, obj="vacancy", module=Module.VERMITTLUNG),
    "partners:vacancy_create": page(EMPLOYER_SERVICE, module=Module.VERMITTLUNG),
    "partners:vacancy_edit": page(EMPLOYER_SERVICE, obj="vacancy", module=Module.VERMITTLUNG),
    "partners:vacancy_withdraw": action(EMPLOYER_SERVICE, obj="vacancy", module=Module.VERMITTLUNG),
    "partners:proposal_create": action(REFERRING, obj="vacancy", module=Module.VERMITTLUNG),
    "partners:proposal_result": action(REFERRING, obj="proposal", module=Module.VERMITTLUNG),
    # --- profiling: profilings, Sozialanamnese, assessments ---------------------------------------------------
    "profiling:case_profilings": page(PROFILING_READ, obj={"case_pk": "case"}),
    "profiling:profiling_create": page(STEERING, obj={"case_pk": "case"}),
    "profiling:profiling_detail": page(PROFILING_READ, obj="profiling"),
    "profiling:profiling_confirm": action(STEERING, obj="profiling"),
    "profiling:worklist": page(STEERING, kwargs={"slug": "profiling"}),
    "profiling:social_history": page(CASE_WORK, obj={"case_pk": "case"}, module=Module.SOZIALANAMNESE),
    "profiling:social_history_edit": page(STEERING, obj={"case_pk": "case"}, module=Module.SOZIALANAMNESE),
    "profiling:assessment_create": page(STEERING, obj={"case_pk": "case"}, module=Module.TIEFENPROFILING),
    "profiling:assessment_detail": page(PROFILING_READ, obj="assessment", module=Module.TIEFENPROFILING),
    "profiling:assessment_report": page(PROFILING_READ, obj="assessment", module=Module.TIEFENPROFILING),
    "profiling:assessment_result": action(STEERING, obj="assessment", module=Module.TIEFENPROFILING),
    # --- integration_plans: help plans / agreements (Grundangebot, no module), checks, hearings, notices ------
    "integration_plans:plan_list": page(PLAN_READ),
    "integration_plans:worklist": page(PLAN_WRITE, kwargs={"slug": "ueberpruefungen"}),
    "integration_plans:plan_create": action(PLAN_WRITE, obj={"case_pk": "case"}),
    "integration_plans:hearing_open_no_show": action(PLAN_WRITE, obj={"case_pk": "case"}),
    "integration_plans:plan_detail": page(PLAN_READ, obj="plan"),
    "integration_plans:plan_edit": page(PLAN_WRITE, obj="draft"),
    "integration_plans:plan_finalise": action(PLAN_WRITE, obj="draft"),
    "integration_plans:plan_submit": action(PLAN_WRITE, obj="draft"),
    "integration_plans:approval_list": page(PLAN_READ),  # plans awaiting the user's sign-off / approval
    "integration_plans:plan_signoff": action(PLAN_READ, obj="draft"),  # a representative of an agency (service)
    "integration_plans:plan_return": action(PLAN_READ, obj="draft"),  # team lead or representative (service)
    "integration_plans:plan_sign": page(PLAN_WRITE, obj="plan"),  # GET redirects to the plan page
    "integration_plans:plan_scan": action(PLAN_WRITE, obj="plan"),
    "integration_plans:plan_review": action(PLAN_WRITE, obj="plan"),
    "integration_plans:plan_revise": action(PLAN_WRITE, obj="plan"),
    "integration_plans:plan_discard": action(PLAN_WRITE, obj="plan"),
    "integration_plans:step_status": action(PLAN_WRITE, obj={"pk": "plan", "step_pk": "step"}),
    "integration_plans:service_refer": page(PLAN_WRITE, obj={"pk": "plan", "service_pk": "service"},
                                            module=REFERRAL_MODULES),  # the offer's category needs its module
    "integration_plans:document_status": page(PLAN_READ, obj="plan"),
    "integration_plans:document_request": action(PLAN_WRITE, obj="plan"),
    "integration_plans:agreement_download": page(PLAN_READ, obj="plan"),
    "integration_plans:scan_download": page(PLAN_READ, obj="plan"),
    "integration_plans:check_create": page(PLAN_WRITE, obj="obligation"),
    "integration_plans:hearing_detail": page(PLAN_READ, obj="hearing"),
    "integration_plans:notice_list": page(PLAN_READ),
    "integration_plans:notice_detail": page(PLAN_READ, kwargs={"pk": LEGAL_NOTICE_PK}),  # global, see above
    # --- letters: invitations, hearing and commission letters, bulk invitations, templates -----------------
    "letters:invitation_create": action(LETTERS, obj="appointment"),
    "letters:hearing_letter_create": action(PLAN_WRITE, obj="hearing"),
    "letters:referral_letter_create": action(LETTERS, obj="referral", module=REFERRAL_MODULES),
    "letters:letter_detail": page(LETTERS, obj="letter"),
    "letters:letter_status": page(LETTERS, obj="letter"),
    "letters:letter_request": action(LETTERS, obj="letter"),
    "letters:letter_download": page(LETTERS, obj="letter"),
    "letters:client_letters": page(LETTERS, obj={"client_pk": "client"}),
    "letters:invitations": page(LETTERS),
    "letters:invitations_print": action(LETTERS),
    "letters:batch_detail": page(LETTERS, obj="letter_batch"),
    "letters:batch_status": page(LETTERS, obj="letter_batch"),
    "letters:batch_request": action(LETTERS, obj="letter_batch"),
    "letters:batch_download": page(LETTERS, obj="letter_batch"),
    "letters:template_list": page(LETTERS),
    "letters:template_edit": page(LETTER_TEMPLATES, kwargs={"kind": "invitation"}),
    "letters:template_version": page(LETTERS, obj="letter_template"),
    # --- reporting: success measurement, monthly reports, joint programme (team lead of the office only) -----
    "reporting:dashboard": page(REPORTING),
    "reporting:export_table": page(REPORTING, kwargs={"key": "worklist-hearings"}),  # lists clients
    "reporting:drilldown": page(REPORTING, kwargs={"key": "clients"}),
    "reporting:report_list": page(REPORTING),
    "reporting:report_request": action(REPORTING),
    "reporting:report_download": page(REPORTING, obj="report", kwargs={"kind": "pdf"}),
    "reporting:programme": page(REPORTING),
    "reporting:programme_edit": page(REPORTING, kwargs={"year": 2003}),
    "reporting:carrier_flows": page(REPORTING),  # data flows between the Träger per month (counts)
}


def entry_for(url_name: str) -> Access | None:
    """The entry of a URL name: its own, else its namespace's wildcard (``"admin:*"``)."""
    if url_name in MATRIX:
        return MATRIX[url_name]
    namespace, _, _ = url_name.rpartition(":")
    return MATRIX.get(f"{namespace}:*") if namespace else None
