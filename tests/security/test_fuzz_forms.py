"""Bad input (issue 8, item 7): every form of the project is driven with hypothesis-generated input.

``FORMS`` below is the table: one ``FormSpec`` per form-handling URL with the objects it needs (built by
``build_office`` in two offices) and the fields it takes. Each field is a *generator*: a function of the
``World`` returning a hypothesis strategy that mixes plausible values (often extreme: year 0001 or 9999, the
largest allowed number) with garbage: arbitrary text with control characters, RTL marks and emoji, 10,000
characters, huge and negative numbers, wrong types (text into number and date fields, 31.02.2023), empty or
missing values, and tampered ids (another office's objects, ids that do not exist, ids as text).

For every example the test asserts:

* **never a 500** (the test client is told not to re-raise, so the status is what a browser would get);
* a **redirect** (a local one: no open redirect) on success, or a **German message** on a failure: the page
  (200/400/409) or the flash messages after a redirect must contain an error element (``.invalid-feedback``,
  ``.alert-danger``, ``.alert-warning``, ``.errorlist``) whose text has German words and no English ones.
  Words that also occur in the submitted values are ignored, since a message may quote the input. The word
  lists are deliberately small; they catch an untranslated message, which is what the check is for;
* **nothing half-saved**: on a failure, every row of the office-scoped models of ``FUZZED_APPS`` in the own
  office is unchanged (a hash of all their values, so counts and updates are both covered);
* **no object of another office touched**, failure or success (the same hash for the other office, plus its
  contact point and agencies).

Each example runs in a savepoint that is rolled back afterwards, so every example starts from the same world.

A new app adds its label to ``FUZZED_APPS``, its objects to ``build_office`` and its forms to ``FORMS``.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import trans_real
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import (
    ApplicationKind,
    ApplicationStatus,
    AppointmentOutcome,
    BenefitEntitlement,
    BenefitKind,
    CancelledBy,
    CaseStatus,
    Channel,
    EndReason,
    Outcome,
    Segment,
)
from cases.services import imports as client_imports
from integration_plans.models import (
    Hearing,
    HearingConsequence,
    HearingReason,
    LegalBasis,
    ObligationKind,
    ObligationPeriod,
    PlanKind,
    ServiceKind,
    StepStatus,
)
from integration_plans.services import plans as plan_services
from jobcenter.models import Agency, ContactPoint, CooperationAgreement
from jobcenter.roles import Role
from notifications.models import Notification
from partners.models import SERVICE_KINDS, DataCategory, PartnerKind, ProposalResult, ReferralStatus
from profiling.models import SocialHistory
from profiling.rules import DIMENSIONS, ProfileCategory, Rating
from reporting.models import ProgrammePlan
from tests.cases.factories import AppointmentFactory, BenefitApplicationFactory, CaseFactory, ClientFactory
from tests.factories import ContactPointFactory, UserFactory
from tests.partners.factories import (
    ConsentFactory,
    EmployerFactory,
    OfferFactory,
    PartnerFactory,
    ProposalFactory,
    ReferralFactory,
    VacancyFactory,
)
from tests.profiling.factories import AssessmentFactory, make_profiling
from tests.security.worlds import _plan as finalised_plan
from tests.security.worlds import letter_objects

pytestmark = pytest.mark.django_db

FUZZED_APPS = ("jobcenter", "notifications", "cases", "partners", "profiling", "integration_plans", "letters",
               "reporting")
NOT_DOMAIN_DATA = {"jobcenter.AccessRecord"}  # a log that a page view may write; not "saved input"
DEFAULT_EXAMPLES = 25
SMALL_EXAMPLES = 15  # profiling, plans and reporting: many forms, each example renders a heavy page
PROGRAMME_YEAR = 2003
# A deeper run than CI's: FUZZ_EXAMPLES=500 pytest tests/security/test_fuzz_forms.py
EXAMPLES_OVERRIDE = int(os.environ.get("FUZZ_EXAMPLES", "0"))
TODAY = timezone.localdate()


# --- the world: the same objects in the own office and in another one ----------------------------------------
@dataclass
class World:
    office: ContactPoint
    other_office: ContactPoint
    actor: AbstractBaseUser  # a Teamleitung: the role that may use every form of these apps
    own: dict[str, Any]
    other: dict[str, Any]


def build_office(office: ContactPoint, marker: str) -> dict[str, Any]:
    """One object of every kind a form needs, in ``office``."""
    manager = UserFactory(username=f"fm-{marker}", roles=[Role.FALLMANAGER], offices=[office])
    client = ClientFactory(contact_point=office, last_name=f"{marker}mann")
    benefit = BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=Decimal(300),
                                                start=datetime.date(2002, 1, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=datetime.date(2002, 6, 1),
                       no_show_pending=True)
    closed_client = ClientFactory(contact_point=office, last_name=f"{marker}frau")
    closed_case = CaseFactory(client=closed_client, status=CaseStatus.CLOSED, outcome=Outcome.MOVED,
                              opened_on=datetime.date(2002, 1, 1), closed_on=datetime.date(2003, 1, 1))
    partner = PartnerFactory(contact_point=office, name=f"{marker} Schuldnerberatung")
    offer = OfferFactory(partner=partner, title=f"{marker} Budgetberatung")
    consent = ConsentFactory(client=client, partner=partner, recorded_by=manager)
    employer = EmployerFactory(contact_point=office, name=f"{marker} Spedition GmbH")
    vacancy = VacancyFactory(employer=employer, title=f"{marker} Lagerhelfer/in", acquired_by=manager)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    plan = finalised_plan(case, manager, offer, marker)  # a step, a service at ``offer``, an obligation, files
    draft = plan_services.create_revision(plan=plan, by=manager)
    ProgrammePlan.objects.create(office=office, year=PROGRAMME_YEAR, note=f"{marker} Programm", updated_by=manager)
    assessment = AssessmentFactory(referral__case=case, referral__status="accepted", commissioned_by=manager)
    # a cooperation agreement of the office's agencies with a neighbour office: hand-overs go there
    target = ContactPointFactory(name=f"Anlaufstelle {marker} Nachbar")
    agreement = CooperationAgreement.objects.create(title=f"{marker} Kooperation", scope="Übergaben",
                                                    valid_from=datetime.date(2000, 1, 1))
    agreement.parties.set([office.employment_agency, target.welfare_agency])
    agreement.contact_points.set([office, target])
    lead = UserFactory(username="teamleitung")  # the actor (``world``): a notification of theirs in this office
    return {
        "notification": Notification.objects.create(
            recipient=lead, contact_point=office, kind="case_assigned", subject=f"{marker}mann · Fall {case.pk}",
            url=f"/kunden/{client.pk}/", subject_key=f"case:{case.pk}", client_id=client.pk),
        "manager": manager,
        "office": office,
        "handover_target": target,
        "partner_agency": target.welfare_agency,
        "agreement": agreement,
        "client": client,
        "benefit": benefit,
        "case": case,
        "client_without_case": ClientFactory(contact_point=office, last_name=f"{marker}kind"),
        "spare_case": CaseFactory(client=ClientFactory(contact_point=office, last_name=f"{marker}sohn"),
                                  opened_on=datetime.date(2002, 6, 1)),
        "closed_case": closed_case,
        "appointment": AppointmentFactory(case=case, with_user=manager, starts_at=yesterday),
        "upcoming_appointment": AppointmentFactory(case=case, with_user=manager),  # can be moved or corrected
        "application": BenefitApplicationFactory(client=client, received_by=manager),
        "forwarded_application": BenefitApplicationFactory(
            client=client, received_by=manager, status=ApplicationStatus.FORWARDED,
            forwarded_to=office.employment_agency, forwarded_on=TODAY),
        "partner": partner,
        "offer": offer,
        "consent": consent,
        "referral": ReferralFactory(offer=offer, case=case, consent=consent, referred_by=manager),
        "employer": employer,
        "vacancy": vacancy,
        "proposal": ProposalFactory(vacancy=vacancy, case=case, proposed_by=manager),
        "employment_agency": office.employment_agency,
        "welfare_agency": office.welfare_agency,
        "assessment_offer": assessment.referral.offer,
        "profiling": make_profiling(case, manager, debts="obstacle"),
        "assessment": assessment,
        "plan": plan,
        "draft": draft,
        "step": plan.steps.get(),
        "service": plan.services.get(),
        "obligation": plan.obligations.get(),
        "draft_step": draft.steps.get(),
        "draft_service": draft.services.get(),
        "draft_obligation": draft.obligations.get(),
        "hearing": Hearing.objects.create(case=case, plan=plan, reason=HearingReason.SHORTFALL,
                                          breach=f"{marker} keine Bewerbungen", opened_on=TODAY, opened_by=manager),
        "import_run": client_imports.dry_run(  # a checked client file, ready for the real run
            office=office, raw=f"Nachname;Vorname;Geburtsdatum;Fallmanager\n{marker}import;Erika;01.02.1970;fm-{marker}\n"
            .encode(), filename="kunden.csv", by=manager),
        **letter_objects(office, case, manager, marker),  # an invitation with its PDF, a batch, the template
    }


@pytest.fixture
def world(db, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"  # agreement, scan and report files of the plans
    office = ContactPointFactory(name="Anlaufstelle Nord")
    other_office = ContactPointFactory(name="Anlaufstelle Süd")
    actor = UserFactory(username="teamleitung", roles=[Role.TEAMLEITUNG], offices=[office])
    return World(office=office, other_office=other_office, actor=actor,
                 own=build_office(office, "Nord"), other=build_office(other_office, "Sued"))


# --- strategies -------------------------------------------------------------------------------------------------
MISSING = object()  # the field is left out of the request

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F)
ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # every code point a browser can send
NASTY = [
    "", " ", "\x00", "a\x00b", "\t\r\n", "\u202eevil\u202c", "\u200fمرحبا\u200f", "👩‍👩‍👧‍👦🎉", "\ufeff",
    "Zoë 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "<script>alert(1)</script>", "'; DROP TABLE cases_client; --", "%(value)s %s {0}",
    "{{ request }}", "../../etc/passwd", "null", "None", "NaN", "Infinity", "-Infinity", "true", "[]", "{}",
    "²", "١٢٣", "Ⅻ", "-0", "=1+1", "x" * 10_000, "ä" * 10_000, "\x00" * 300, "🎉" * 3000,
]
ANY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.text(st.one_of(CONTROL, st.sampled_from("ab ÄÖ€\u200f\u202e😀")), max_size=40),
    st.sampled_from(NASTY),
    st.builds(lambda ch, n: ch * n, st.sampled_from("xä😀\x01"), st.integers(195, 12_000)),
)
HUGE_NUMBERS = st.one_of(
    st.integers(-(2**80), 2**80).map(str),
    st.sampled_from(["-1", "0", "32768", "65536", "2147483648", "9223372036854775808", "-9223372036854775809",
                     "1e308", "1e-400", "1,5", "12.345,67", "1.000.000", "0x1F", "1_000", " 7 ", "+3", "9" * 5000,
                     "99999999999999999999.99", "-0,01"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
BAD_DATES = st.sampled_from([
    "31.02.2023", "2023-02-31", "29.02.2023", "30.02.2024", "0001-01-01", "01.01.0001", "9999-12-31",
    "31.12.9999", "0000-00-00", "00.00.0000", "2023-13-01", "10000-01-01", "-2023-01-01", "2023/01/01",
    "1.1.1", "heute", "today", "2023-01-01T25:00", "1e5",
])
BAD_IDS = st.one_of(
    st.sampled_from(["0", "-1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
                     "1" + "0" * 30, "abc", "1.0", "1e3", " 1", "1;2", "²", "١", "[1]", "None"]),
    st.integers(-(2**70), 2**70).map(str),
)
GARBAGE = st.one_of(ANY_TEXT, HUGE_NUMBERS, BAD_DATES, BAD_IDS, st.just(MISSING), st.just(""))

FieldGen = Callable[[World], st.SearchStrategy[Any]]


@dataclass(frozen=True)
class Gen:
    """A field: ``valid`` values the form should accept (often extreme), ``bad`` ones of the wrong kind."""

    valid: FieldGen
    bad: FieldGen = field(default=lambda w: st.nothing())

    def any(self, w: World) -> st.SearchStrategy[Any]:
        return st.one_of(self.valid(w), self.bad(w), GARBAGE)


def text(max_length: int = 200, required: bool = True) -> Gen:
    plain = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1 if required else 0, max_size=min(max_length, 60))
    return Gen(valid=lambda w: st.one_of(plain, st.sampled_from(["Müller", "Beratung zur Wohnungssuche"])),
               bad=lambda w: st.one_of(st.text(max_size=20).map(lambda s: s + "x" * (max_length + 1)),
                                       st.builds(_with_control, plain, CONTROL)))


def _with_control(value: str, control: str) -> str:
    """A plausible text with a control character (often NUL) somewhere in it."""
    middle = len(value) // 2
    return value[:middle] + control + value[middle:]


def integer(low: int, high: int) -> Gen:
    return Gen(valid=lambda w: st.integers(low, high).map(str), bad=lambda w: HUGE_NUMBERS)


def decimal(low: str, high: str) -> Gen:
    return Gen(valid=lambda w: st.decimals(Decimal(low), Decimal(high), places=2)
               .map(lambda d: str(d).replace(".", ",")),
               bad=lambda w: HUGE_NUMBERS)


def dates(low: datetime.date = datetime.date(1, 1, 1), high: datetime.date = datetime.date(9999, 12, 31)) -> Gen:
    near = st.dates(TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=400))
    def fmt(day: datetime.date, german: bool) -> str:
        return day.strftime("%d.%m.%Y") if german else day.isoformat()
    return Gen(
        valid=lambda w: st.builds(fmt, st.one_of(near, st.dates(low, high),
                                                 st.sampled_from([datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])),
                                  st.booleans()),
        bad=lambda w: BAD_DATES,
    )


def times() -> Gen:
    return Gen(valid=lambda w: st.times().map(lambda t: t.strftime("%H:%M")),
               bad=lambda w: st.sampled_from(["24:00", "25:61", "23:59:60", "-1:00", "12", "noon", "12:00 PM"]))


def choice(*values: str) -> Gen:
    return Gen(valid=lambda w: st.sampled_from(values), bad=lambda w: st.sampled_from(["__other__", "CLOSED"]))


def multi(*values: str) -> Gen:
    return Gen(valid=lambda w: st.lists(st.sampled_from(values), max_size=len(values), unique=True),
               bad=lambda w: st.lists(st.one_of(st.sampled_from(values), ANY_TEXT), max_size=4))


BOOL = Gen(valid=lambda w: st.sampled_from(["on", "1", "true", "false", ""]))
# The ids an appointment form's "Trotzdem speichern" button sends: own appointments, or tampered lists.
OVERLAP_IDS = Gen(valid=lambda w: st.sampled_from(["", str(w.own["appointment"].pk),
                                                   f"{w.own['appointment'].pk},{w.own['upcoming_appointment'].pk}"]),
                  bad=lambda w: st.one_of(st.just(str(w.other["appointment"].pk)), BAD_IDS,
                                          st.sampled_from([",,,", "1,abc", "9" * 40 + ",1"])))


def ids(kind: str) -> Gen:
    """The pk of an own object of ``kind``; tampered: the same kind in the other office, or none at all."""
    return Gen(valid=lambda w: st.just(str(w.own[kind].pk)),
               bad=lambda w: st.one_of(st.just(str(w.other[kind].pk)), BAD_IDS))


def id_lists(*kinds: str) -> Gen:
    """Several pks of own objects of ``kinds`` (a checkbox list); tampered: another office's, or garbage."""
    return Gen(valid=lambda w: st.lists(st.sampled_from([str(w.own[kind].pk) for kind in kinds]), max_size=len(kinds),
                                        unique=True),
               bad=lambda w: st.lists(st.one_of(st.sampled_from([str(w.other[kind].pk) for kind in kinds]), BAD_IDS),
                                      min_size=1, max_size=3))


def next_url() -> Gen:
    return Gen(valid=lambda w: st.sampled_from(["/faelle/", "/antraege/?status=all", "/"]),
               bad=lambda w: st.sampled_from(["https://evil.example/", "//evil.example", "javascript:alert(1)",
                                              "\\\\evil.example", "/\x00", "http:/evil.example"]))


EMAIL = Gen(valid=lambda w: st.sampled_from(["anna@example.org", "", "ä@ü.de"]), bad=lambda w: ANY_TEXT)
URL = Gen(valid=lambda w: st.sampled_from(["https://example.org", "example.org", ""]),
          bad=lambda w: st.sampled_from(["javascript:alert(1)", "http://[::1", "http://" + "a" * 300 + ".de"]))
CSV_HEADER = ("name;kind;contact_person;street;postal_code;city;phone;email;website;notes;active;"
              "contract_agency;contract_from;contract_until")


def _csv(header: str, rows: list[list[str]], encoding: str) -> bytes:
    body = "\n".join([header, *(";".join(row) for row in rows)])
    return body.encode(encoding, errors="replace")


CSV_FILE = Gen(
    valid=lambda w: st.one_of(st.builds(
        _csv, st.just("name;kind;notes"),
        st.lists(st.tuples(ANY_TEXT, st.sampled_from(["debt_counselling", "Arbeitgeber", "x"]), ANY_TEXT)
                 .map(list), min_size=1, max_size=3),
        st.sampled_from(["utf-8", "cp1252"]),
    ), st.builds(
        _csv, st.sampled_from([CSV_HEADER, CSV_HEADER.replace(";", ","), "name;kind"]),
        st.lists(st.lists(st.one_of(st.sampled_from(["Tafel", "debt_counselling", "Schuldnerberatung", "ja",
                                                     "31.02.2003", "arbeitsamt", "04109", '"', "=SUM(A1)"]),
                                    ANY_TEXT), min_size=2, max_size=14), max_size=4),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    )),
    bad=lambda w: st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"", b"\x00\x00", b"name;kind\r\nA\rB;debt_counselling\r\n", b"\xff\xfe" + "n".encode("utf-16"),
                         b"name;kind\n" + b"x" * 140_000 + b";debt_counselling\n", b'name;kind\n"open quote;x\n']),
    ),
)

CLIENT_HEADER = "Nachname;Vorname;Geburtsdatum;Kundennummer;PLZ;Leistungsart;Betrag;Leistung ab;Leistung bis;Fallmanager"
CLIENT_FILE = Gen(
    valid=lambda w: st.builds(
        _csv, st.sampled_from([CLIENT_HEADER, CLIENT_HEADER.replace(";", ","), "Nachname;Vorname;Geburtsdatum"]),
        st.lists(st.lists(st.one_of(st.sampled_from(["Müller", "Käthe", "01.02.1970", "31.02.2003", "073A123456",
                                                     "04109", "Alhi", "HLU", "612,40", "1.234,5", "fm-Nord",
                                                     "fm-Sued", "=SUM(A1)", '"']), ANY_TEXT),
                          min_size=3, max_size=10), min_size=1, max_size=4),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    ),
    bad=lambda w: st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"", b"PK\x03\x04not a workbook", b"Nachname;Vorname\nA;B\n", b'Nachname;"open\n',
                         b"Nachname;Vorname;Geburtsdatum\n" + b"x" * 140_000 + b";a;01.01.1970\n"]),
    ),
)


# --- the table of forms -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormSpec:
    name: str
    url: Callable[[World], str]
    fields: dict[str, Gen]
    examples: int = DEFAULT_EXAMPLES
    anonymous: bool = False
    files: tuple[str, ...] = ()  # fields sent as an upload
    scoped_ids: bool = False  # a posted id is fetched through the office scope: 404 is the right answer
    shows_only: bool = False  # the POST only shows or hands out (a preview, an export): a 200 needs no message

    def __repr__(self) -> str:
        return self.name


def url(name: str, *kinds: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.own[kind].pk for kind in kinds])


CLIENT_FIELDS = {
    "first_name": text(100), "last_name": text(100),
    "birth_date": dates(datetime.date(1920, 1, 1), datetime.date(2015, 1, 1)),
    "street": text(200, False), "postal_code": Gen(valid=lambda w: st.sampled_from(["04109", "12345", ""])),
    "city": text(100, False), "phone": Gen(valid=lambda w: st.sampled_from(["0341 123456", "+49 (341) 1-2", ""])),
    "email": EMAIL,
    "customer_number": Gen(valid=lambda w: st.sampled_from(["073A123456", "073 a 123 456", ""])),
    "file_number": Gen(valid=lambda w: st.sampled_from(["50-123456/03", ""])),
    "household_size": integer(1, 20), "children_under_15": integer(0, 19),
    "confirm_duplicate": BOOL, "duplicate_reason": text(1000, False),
}
PARTNER_FIELDS = {
    "name": text(200), "kind": choice(*PartnerKind.values), "contact_person": text(200, False),
    "street": text(200, False), "postal_code": Gen(valid=lambda w: st.sampled_from(["04109", ""])),
    "city": text(100, False), "phone": text(40, False), "email": EMAIL, "website": URL,
    "notes": text(5000, False), "active": BOOL, "contract_agency": ids("employment_agency"),
    "contract_from": dates(), "contract_until": dates(),
}
OFFER_FIELDS = {
    "title": text(200), "category": choice(*PartnerKind.values), "places": integer(1, 10_000),
    "cost_per_month": decimal("0", "9999999.99"),
    "commissionable_by": multi(*Agency.Kind.values), "valid_from": dates(), "valid_until": dates(),
    "description": text(5000, False), "active": BOOL,
}
VACANCY_FIELDS = {
    "employer": ids("employer"), "title": text(200), "occupation": text(200), "hours_per_week": integer(1, 60),
    "location": text(200), "positions": integer(1, 500), "acquired_on": dates(), "description": text(5000, False),
}


BULK_FIELDS = {
    "cases": id_lists("case", "spare_case", "closed_case"), "new_manager": ids("manager"),
    "manager": text(20, False), "segment": choice("", *Segment.values), "status": choice("", *CaseStatus.values),
}
# what the preview showed: each case with its case manager ("-": none)
EXPECTED = Gen(valid=lambda w: st.sampled_from([
    "", f"{w.own['spare_case'].pk}:-", f"{w.own['case'].pk}:{w.own['manager'].pk} {w.own['spare_case'].pk}:-"]))


def _proposal_fields(w: World) -> str:
    return f"p{w.own['proposal'].pk}"


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body


PDF_NAMES = ["bericht.pdf", "Scan 2003.pdf", "Prüfbericht_ä.pdf", "scan.PDF"]
PDF_FILE = Gen(  # an upload: (file name, content)
    valid=lambda w: st.tuples(st.sampled_from(PDF_NAMES), st.binary(max_size=200).map(_pdf)),
    bad=lambda w: st.tuples(
        st.one_of(st.sampled_from(PDF_NAMES + ["../../etc/passwd.pdf", ".pdf", "a" * 300 + ".pdf", "x.exe",
                                               "\u202egpj.pdf", "a\x01b.pdf", " "]),
                  st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)),
        st.one_of(st.binary(max_size=300), st.sampled_from([b"", b"%PDF", b"%PDF-1.4", b"MZ\x90\x00", b"\x00" * 50]),
                  st.binary(max_size=200).map(_pdf)),
    ),
)
REFERRAL_DETAILS = {
    "referred_on": dates(), "purpose": text(2000), "planned_months": integer(1, 36),
    "shared_data": multi(*DataCategory.values), "consent": ids("consent"), "consent_given_on": dates(),
    "consent_valid_until": dates(), "consent_scope": text(2000, False), "consent_data": multi(*DataCategory.values),
    "paying_override": choice(*Agency.Kind.values, ""), "override_reason": text(1000, False),
}
PROFILING_FIELDS = {
    "profiled_on": dates(), "summary": text(4000, False),
    "action": Gen(valid=lambda w: st.just("save")),  # the other actions only move between the two steps
    **{f"{d}_strength": BOOL for d in DIMENSIONS},
    **{f"{d}_rating": choice(*(r.value for r in Rating if r != Rating.STRENGTH)) for d in DIMENSIONS},
    **{f"{d}_note": text(1000, False) for d in DIMENSIONS},
}


def management(prefix: str, total: tuple[str, ...], initial: str) -> dict[str, Gen]:
    """A formset's management form: plausible counts, or tampered ones."""
    return {f"{prefix}-TOTAL_FORMS": Gen(valid=lambda w: st.sampled_from(total), bad=lambda w: BAD_IDS),
            f"{prefix}-INITIAL_FORMS": Gen(valid=lambda w: st.just(initial), bad=lambda w: BAD_IDS)}


def edit_count(kind: str) -> Gen:
    return Gen(valid=lambda w: st.just(str(w.own[kind].edit_count)), bad=lambda w: HUGE_NUMBERS)


PLAN_EDITOR_FIELDS = {
    "edit_count": edit_count("draft"), "kind": choice(*PlanKind.values), "goal": text(4000, False),
    "placement_efforts": text(4000, False), "valid_from": dates(), "valid_until": dates(), "review_on": dates(),
    "decision_reason": text(4000, False), "review_clause": text(4000, False),
    "action": choice("save", "finalise", "submit"),  # "add" only shows one more empty row
    **management("steps", ("1", "2"), "1"),
    "steps-0-id": ids("draft_step"), "steps-0-description": text(2000), "steps-0-due_on": dates(),
    "steps-0-status": choice(*StepStatus.values), "steps-0-DELETE": BOOL,
    "steps-1-description": text(2000, False), "steps-1-due_on": dates(), "steps-1-status": choice(*StepStatus.values),
    **management("services", ("1", "2"), "1"),
    "services-0-id": ids("draft_service"), "services-0-kind": choice("", *ServiceKind.values),
    "services-0-offer": ids("offer"), "services-0-description": text(2000, False),
    "services-0-estimated_cost": decimal("0", "9999999.99"),
    "services-0-paying_override": choice("", *Agency.Kind.values), "services-0-override_reason": text(1000, False),
    "services-0-DELETE": BOOL, "services-1-kind": choice("", *ServiceKind.values), "services-1-offer": ids("offer"),
    "services-1-estimated_cost": decimal("0", "9999999.99"),
    **management("obligations", ("1", "2"), "1"),
    "obligations-0-id": ids("draft_obligation"), "obligations-0-kind": choice("", *ObligationKind.values),
    "obligations-0-quantity": integer(1, 999), "obligations-0-period": choice("", *ObligationPeriod.values),
    "obligations-0-proof": text(300, False), "obligations-0-description": text(2000, False),
    "obligations-0-DELETE": BOOL, "obligations-1-kind": choice("", *ObligationKind.values),
    "obligations-1-quantity": integer(1, 999), "obligations-1-period": choice("", *ObligationPeriod.values),
}
OFFER_LINE_CATEGORIES = ("", *(kind.value for kind in PartnerKind if kind in SERVICE_KINDS))
PROGRAMME_FIELDS = {
    "expected_hlu": integer(0, 100_000), "expected_kombi": integer(0, 100_000), "expected_alhi": integer(0, 100_000),
    "expected_youth": integer(0, 100_000), "caseload_ratio": integer(1, 1000),
    "planned_case_managers": decimal("0", "999.99"), "note": text(5000, False),
    **management("offers", ("1", "2", "3"), "0"),
    **{f"offers-{i}-{name}": gen for i in (0, 1) for name, gen in (
        ("category", choice(*OFFER_LINE_CATEGORIES)), ("agency_kind", choice(*Agency.Kind.values)),
        ("places", integer(1, 100_000)), ("budget", decimal("0", "999999999.99")))},
}


def report_months() -> Gen:
    from reporting.forms import report_month_choices

    return Gen(valid=lambda w: st.sampled_from([key for key, _label in report_month_choices(TODAY)]),
               bad=lambda w: st.sampled_from(["2003-13", "0000-00", "9999-12", f"{TODAY.year + 1}-01", "2003-5"]))


def plan_period_start() -> Gen:
    return Gen(valid=lambda w: st.just(w.own["plan"].valid_from.isoformat()), bad=lambda w: BAD_DATES)


N = SMALL_EXAMPLES


FORMS: list[FormSpec] = [
    # notifications: the inbox's buttons name one of the user's own notifications
    FormSpec("open", lambda w: reverse("notifications:open"), {"notification": ids("notification")}, scoped_ids=True),
    FormSpec("mark_read", lambda w: reverse("notifications:mark_read"), {"notification": ids("notification")},
             scoped_ids=True),
    FormSpec("mark_all_read", lambda w: reverse("notifications:mark_all_read"), {"junk": text()}, examples=5),
    # cases: intake and benefits
    FormSpec("client_create", lambda w: reverse("cases:client_create"),
             {**CLIENT_FIELDS, "then": Gen(valid=lambda w: st.sampled_from(["triage", ""]))}),
    FormSpec("client_edit", url("cases:client_edit", "client"), CLIENT_FIELDS),
    FormSpec("benefit_create", url("cases:benefit_create", "client"), {
        "kind": choice(*BenefitKind.values), "monthly_amount": decimal("0", "99999999.99"),
        "start": dates(), "end": dates(), "end_reason": choice(*EndReason.values)}),
    FormSpec("benefit_end", url("cases:benefit_end", "benefit"),
             {"end": dates(), "end_reason": choice(*EndReason.values)}),
    # cases: triage and the case page
    FormSpec("client_auskunft", url("cases:client_auskunft", "client"), {"reason": text(300)}, examples=12),
    FormSpec("triage_route", url("cases:triage_route", "client"), {
        "concern": text(4000), "segment": choice(*Segment.values), "case_manager": ids("manager"),
        "lead_agency": ids("welfare_agency")}),
    FormSpec("case_change_status", url("cases:case_change_status", "case"), {"status": choice(*CaseStatus.values)}),
    FormSpec("case_close", url("cases:case_close", "case"), {"outcome": choice(*Outcome.values), "note": text(2000, False)}),
    # no closing of the world's case awaits confirmation: refused, as a message (or the reason is missing)
    FormSpec("case_closure_confirm", url("cases:case_closure_confirm", "case"), {"junk": text()}, examples=5),
    FormSpec("case_closure_refuse", url("cases:case_closure_refuse", "case"), {"reason": text(2000)}, examples=N),
    FormSpec("case_record_integration", url("cases:case_record_integration", "case"), {
        "outcome": choice(*Outcome.values), "starts_on": dates(), "note": text(2000, False)}),
    FormSpec("case_assign", url("cases:case_assign", "case"), {"case_manager": ids("manager")}),
    # cases: bulk work (reassign after a preview; export ticked clients)
    FormSpec("bulk_reassign_preview", lambda w: reverse("cases:bulk_reassign_preview"), BULK_FIELDS,
             shows_only=True),
    FormSpec("bulk_reassign_confirm", lambda w: reverse("cases:bulk_reassign_confirm"),
             {**BULK_FIELDS, "expected": EXPECTED}),
    FormSpec("client_export", lambda w: reverse("cases:client_export"), {
        "clients": id_lists("client", "client_without_case"), "format": choice("csv", "xlsx")}, examples=12,
        shows_only=True),
    FormSpec("case_set_lead_agency", url("cases:case_set_lead_agency", "case"), {"lead_agency": ids("employment_agency")}),
    FormSpec("case_set_segment", url("cases:case_set_segment", "case"), {"segment": choice(*Segment.values)}),
    FormSpec("case_open", url("cases:case_open", "client_without_case"), {"junk": text()}, examples=5),
    FormSpec("case_reopen", url("cases:case_reopen", "closed_case"), {"junk": text()}, examples=5),
    # cases: contacts and appointments
    FormSpec("note_create", url("cases:note_create", "case"), {
        "occurred_on": dates(), "channel": choice(*Channel.values), "text": text(10_000), "sensitive": BOOL}),
    FormSpec("appointment_create", url("cases:appointment_create", "case"), {
        "day": dates(), "start_time": times(), "purpose": text(200), "with_user": ids("manager"),
        "accepted_overlaps": OVERLAP_IDS}),
    FormSpec("appointment_outcome", url("cases:appointment_outcome", "appointment"), {
        "outcome": choice(*AppointmentOutcome.values), "cancelled_by": choice(*CancelledBy.values, ""),
        "outcome_note": text(5000, False)}),
    FormSpec("appointment_move", url("cases:appointment_move", "upcoming_appointment"), {
        "day": dates(), "start_time": times(), "reason": text(500), "accepted_overlaps": OVERLAP_IDS}),
    FormSpec("appointment_correct", url("cases:appointment_correct", "upcoming_appointment"), {
        "day": dates(), "start_time": times(), "purpose": text(200), "with_user": ids("manager"),
        "accepted_overlaps": OVERLAP_IDS}),
    FormSpec("no_show_resolve", url("cases:no_show_resolve", "case"), {"note": text(5000)}),
    # cases: taking over an office's clients (dry run, real run)
    FormSpec("client_import", lambda w: reverse("cases:client_import"), {"file": CLIENT_FILE}, files=("file",)),
    FormSpec("client_import_run", url("cases:client_import_run", "import_run"), {
        "sha256": Gen(valid=lambda w: st.just(w.own["import_run"].sha256),
                      bad=lambda w: st.one_of(ANY_TEXT, st.just("0" * 64))),
        "duplicate_reason": text(2000, False)}, examples=N),
    # cases: applications
    FormSpec("application_create", url("cases:application_create", "client"), {
        "kind": choice(*ApplicationKind.values), "received_on": dates(), "note": text(5000, False)}),
    FormSpec("application_forward", url("cases:application_forward", "application"), {
        "forwarded_to": ids("employment_agency"), "forwarded_on": dates(), "next": next_url()}),
    FormSpec("application_status", url("cases:application_status", "forwarded_application"), {
        "status": choice(*ApplicationStatus.values), "next": next_url()}),
    # partners: registry, offers, CSV
    FormSpec("partner_create", lambda w: reverse("partners:partner_create"), PARTNER_FIELDS),
    FormSpec("partner_edit", url("partners:partner_edit", "partner"), PARTNER_FIELDS),
    FormSpec("partner_import", lambda w: reverse("partners:partner_import"), {"file": CSV_FILE},
             files=("file",)),
    FormSpec("offer_create", url("partners:offer_create", "partner"), OFFER_FIELDS),
    FormSpec("offer_edit", url("partners:offer_edit", "offer"), OFFER_FIELDS),
    FormSpec("employer_contact_create", url("partners:employer_contact_create", "employer"), {
        "occurred_on": dates(), "channel": choice(*Channel.values), "subject": text(200), "note": text(5000, False)}),
    # partners: referrals and consent
    FormSpec("referral_create", url("partners:referral_create", "case", "offer"), {
        "referred_on": dates(), "purpose": text(2000), "planned_months": integer(1, 36),
        "shared_data": multi(*DataCategory.values), "consent": ids("consent"), "consent_given_on": dates(),
        "consent_valid_until": dates(), "consent_scope": text(2000, False), "consent_data": multi(*DataCategory.values),
        "paying_override": choice(*Agency.Kind.values, ""), "override_reason": text(1000, False)}),
    FormSpec("referral_status", url("partners:referral_status", "referral"), {
        "status": choice(*ReferralStatus.values), "on": dates()}),
    FormSpec("referral_feedback", url("partners:referral_feedback", "referral"), {
        "received_on": dates(), "text": text(5000)}),
    FormSpec("consent_revoke", url("partners:consent_revoke", "consent"), {"junk": text()}, examples=5),
    # partners: vacancies and placement
    FormSpec("vacancy_create", lambda w: reverse("partners:vacancy_create"), VACANCY_FIELDS),
    FormSpec("vacancy_edit", url("partners:vacancy_edit", "vacancy"), VACANCY_FIELDS),
    FormSpec("vacancy_withdraw", url("partners:vacancy_withdraw", "vacancy"), {"junk": text()}, examples=5),
    FormSpec("proposal_create", url("partners:proposal_create", "vacancy"), {
        "case": ids("spare_case"), "note": text(2000, False)}, scoped_ids=True),
    FormSpec("proposal_result", url("partners:proposal_result", "proposal"), {
        "{prefix}-result": choice(*ProposalResult.values), "{prefix}-result_on": dates(),
        "{prefix}-note": text(2000, False), "{prefix}-starts_on": dates()}),
    # profiling: profilings, social history, assessments
    FormSpec("profiling_create", url("profiling:profiling_create", "case"), PROFILING_FIELDS, examples=N),
    FormSpec("profiling_confirm", url("profiling:profiling_confirm", "profiling"), {
        "category": choice(*ProfileCategory.values), "reason": text(2000, False), "apply_segment": BOOL},
        examples=N),
    FormSpec("social_history_edit", url("profiling:social_history_edit", "case"), {
        "recorded_on": dates(), **{name: text(5000, False) for name in SocialHistory.SECTIONS}}, examples=N),
    FormSpec("assessment_create", url("profiling:assessment_create", "case"), {
        **REFERRAL_DETAILS, "offer": ids("assessment_offer"), "question": text(2000)}, examples=N),
    FormSpec("assessment_result", url("profiling:assessment_result", "assessment"), {
        "result_on": dates(), "result_summary": text(5000), "recommendations": text(5000, False),
        "report": PDF_FILE}, examples=N, files=("report",)),
    # integration_plans: the editor and the plan's lifecycle
    FormSpec("plan_create", url("integration_plans:plan_create", "spare_case"), {"junk": text()}, examples=5),
    FormSpec("plan_edit", url("integration_plans:plan_edit", "draft"), PLAN_EDITOR_FIELDS, examples=N),
    FormSpec("plan_finalise", url("integration_plans:plan_finalise", "draft"), {"edit_count": edit_count("draft")},
             examples=5),
    FormSpec("plan_submit", url("integration_plans:plan_submit", "draft"), {"edit_count": edit_count("draft")},
             examples=5),
    FormSpec("plan_sign", url("integration_plans:plan_sign", "plan"), {
        "signed_on": dates(), "note": text(2000, False), "scan": PDF_FILE}, examples=N, files=("scan",)),
    # The world's plan is signed with a scan and not pending approval: both are refused by state, as a message.
    FormSpec("plan_scan", url("integration_plans:plan_scan", "plan"), {"scan": PDF_FILE}, examples=N,
             files=("scan",)),
    FormSpec("plan_return", url("integration_plans:plan_return", "plan"), {"note": text(2000)}, examples=N),
    # the world's plan is not awaiting sign-off (and its office has no joint sign-off): refused, as a message
    FormSpec("plan_signoff", url("integration_plans:plan_signoff", "plan"), {"agency": choice(*Agency.Kind.values)},
             examples=N),
    FormSpec("plan_review", url("integration_plans:plan_review", "plan"), {
        "reviewed_on": dates(), "note": text(4000)}, examples=N),
    FormSpec("plan_revise", url("integration_plans:plan_revise", "plan"), {"junk": text()}, examples=5),
    FormSpec("plan_discard", url("integration_plans:plan_discard", "draft"), {"junk": text()}, examples=5),
    FormSpec("step_status", url("integration_plans:step_status", "plan", "step"), {
        "status": choice(*StepStatus.values)}, examples=N),
    FormSpec("service_refer", url("integration_plans:service_refer", "plan", "service"), REFERRAL_DETAILS,
             examples=N),
    FormSpec("document_request", url("integration_plans:document_request", "plan"), {"junk": text()}, examples=5),
    # integration_plans: checks and hearings
    FormSpec("check_create", url("integration_plans:check_create", "obligation"), {
        "period_start": plan_period_start(), "achieved": integer(0, 999), "fulfilled": choice("yes", "no", ""),
        "note": text(2000, False)}, examples=N),
    FormSpec("hearing_open_no_show", url("integration_plans:hearing_open_no_show", "case"), {"junk": text()},
             examples=5),
    FormSpec("hearing_detail", url("integration_plans:hearing_detail", "hearing"), {
        "statement": text(8000, False), "statement_on": dates(), "good_reason_accepted": choice("yes", "no", ""),
        "consequence": choice("", *HearingConsequence.values), "legal_basis": choice("", *LegalBasis.values),
        "decision": text(8000, False), "decided_on": dates(), "action": choice("decide", "save")}, examples=N),
    # reporting: monthly reports and the programme
    FormSpec("report_request", lambda w: reverse("reporting:report_request"), {"month": report_months()},
             examples=N),
    FormSpec("programme_edit", lambda w: reverse("reporting:programme_edit", args=[PROGRAMME_YEAR]),
             PROGRAMME_FIELDS, examples=N),
    # jobcenter: cooperation agreements; cases: the hand-over under one
    FormSpec("agreement_create", lambda w: reverse("agreement_create"), {
        "title": text(200), "scope": text(4000), "valid_from": dates(), "valid_until": dates(),
        "parties": id_lists("employment_agency", "welfare_agency", "partner_agency"),
        "contact_points": id_lists("office", "handover_target")}),
    FormSpec("agreement_end", url("agreement_end", "agreement"), {"valid_until": dates(), "reason": text(2000)}),
    FormSpec("handover_create", url("cases:handover_create", "client"), {
        "to_office": ids("handover_target"), "handed_over_on": dates(), "note": text(2000, False)}),
    # jobcenter: language, office, login
    FormSpec("set_language", lambda w: reverse("set_language"), {
        "language": choice("de", "en"), "next": next_url()}, examples=15),
    FormSpec("switch_office", lambda w: reverse("switch_office"), {
        "office": Gen(valid=lambda w: st.just(str(w.office.pk)),
                      bad=lambda w: st.one_of(st.just(str(w.other_office.pk)), BAD_IDS))}, examples=15),
    FormSpec("login", lambda w: reverse("login"), {
        "username": Gen(valid=lambda w: st.sampled_from(["teamleitung", "fm-Sued"])),
        "password": Gen(valid=lambda w: st.sampled_from(["pw-for-tests", "falsch"])), "next": next_url()},
        anonymous=True),
    # letters: one click on an appointment, hearing or referral; bulk invitations; the office's templates
    FormSpec("invitation_create", url("letters:invitation_create", "upcoming_appointment"), {"junk": text()},
             examples=5),
    FormSpec("hearing_letter_create", url("letters:hearing_letter_create", "hearing"), {"junk": text()}, examples=5),
    FormSpec("referral_letter_create", url("letters:referral_letter_create", "referral"), {"junk": text()},
             examples=5),
    FormSpec("letter_request", url("letters:letter_request", "letter"), {"junk": text()}, examples=5),
    FormSpec("batch_request", url("letters:batch_request", "letter_batch"), {"junk": text()}, examples=5),
    FormSpec("invitations_print", lambda w: reverse("letters:invitations_print"), {
        "day": dates(), "selected": choice("true", "false", ""), "appointment": id_lists("upcoming_appointment")},
        examples=N),
    FormSpec("template_edit", lambda w: reverse("letters:template_edit", args=["hearing"]), {
        "subject": text(200), "opening": text(4000), "details": text(4000, False), "closing": text(4000, False),
        "reply_days": integer(1, 60), "change_note": text(300, False), "version": integer(1, 3)}, examples=N),
]


# --- checks -----------------------------------------------------------------------------------------------------
ERROR_CLASSES = {"invalid-feedback", "alert-danger", "alert-warning", "errorlist"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
GERMAN_WORD = re.compile(
    r"[äöüÄÖÜß]|\b(der|die|das|den|dem|des|ein|eine|einen|einem|einer|ist|sind|nicht|kein|keine|Sie|bitte|Bitte|"
    r"und|oder|mit|für|zu|von|vom|zum|zur|im|auf|wird|werden|wurde|wurden|kann|darf|muss|nur|noch|bereits|"
    r"nichts|Feld|Datum|Wert|Zahl|Datei|Zeile|Zeilen|Fehler)\b"
)
ENGLISH_WORD = re.compile(
    r"\b(the|this|that|is|are|must|enter|ensure|please|select|field|required|valid|value|not|of|be|has|have|you|"
    r"your|least|most|characters|number|date|choice|available|already|only|cannot|allowed|should)\b",
    re.IGNORECASE,
)


class _ErrorText(HTMLParser):
    """The text inside every element that carries an error class."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append(bool(classes & ERROR_CLASSES))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self.stack) and data.strip():
            self.parts.append(data.strip())


def error_texts(response: HttpResponse) -> list[str]:
    parser = _ErrorText()
    parser.feed(response.content.decode("utf-8", errors="replace"))
    return parser.parts


def flash_messages(response: HttpResponse) -> list[tuple[int, str]]:
    return [(message.level, str(message)) for message in get_messages(response.wsgi_request)]


def assert_german(messages: list[str], sent_words: set[str], where: str) -> None:
    assert messages, f"{where}: a failure without any error message"
    for message in messages:
        english = {w.lower() for w in ENGLISH_WORD.findall(message)} - sent_words
        assert not english, f"{where}: English in the message {message[:300]!r}: {sorted(english)}"
    joined = " ".join(messages)
    german = GERMAN_WORD.search(joined) or any(message in german_catalogue() for message in messages)
    assert german, f"{where}: no German in the messages {joined[:300]!r}"


@functools.cache
def german_catalogue() -> frozenset[str]:
    """Every German text of the catalogues (Django's and ours): a fixed message like "Unbekannte Sprache."."""
    catalogue = trans_real.translation("de")._catalog  # type: ignore[attr-defined]
    return frozenset(value for _key, value in catalogue.items() if isinstance(value, str))


def _fingerprinted(office: ContactPoint) -> dict[str, QuerySet[Any]]:
    """The rows of ``office``: every office-scoped model of ``FUZZED_APPS``, the office and its agencies."""
    querysets: dict[str, QuerySet[Any]] = {}
    for model in apps.get_models():
        label, path = model._meta.label, getattr(model, "office_path", None)
        if model._meta.app_label in FUZZED_APPS and label not in NOT_DOMAIN_DATA and path:
            querysets[label] = model._default_manager.filter(**{path: office.pk})
    querysets["office"] = ContactPoint.objects.filter(pk=office.pk)
    querysets["agencies"] = Agency.objects.filter(pk__in=[office.employment_agency_id, office.welfare_agency_id])
    return querysets


def office_fingerprint(office: ContactPoint) -> dict[str, str]:
    """Row count and a hash of all values per model, in one query (every column, so updates count too)."""
    parts, params = [], []
    for label, queryset in _fingerprinted(office).items():
        sql, query_params = queryset.order_by().values_list().query.sql_with_params()
        parts.append(f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                     f"FROM ({sql}) t")  # Django's own SQL; every value is a parameter
        params += [label, *query_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {label: f"{count}:{digest}" for label, count, digest in cursor.fetchall()}


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


def _words(values: dict[str, Any]) -> set[str]:
    words: set[str] = set()
    for value in values.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                words |= {w.lower() for w in re.findall(r"\w+", item)}
    return words


def _post(spec: FormSpec, w: World, client: Client, payload: dict[str, Any]) -> HttpResponse:
    data: dict[str, Any] = {"csrfmiddlewaretoken": "x"}  # a browser always sends it (the client does not check it)
    for name, value in payload.items():
        if name in spec.files:
            filename, value = value if isinstance(value, tuple) else ("partner.csv", value)
            content = value.encode("utf-8", errors="surrogatepass") if isinstance(value, str) else value
            kind = "text/csv" if filename.endswith(".csv") else "application/pdf"
            data[name] = SimpleUploadedFile(filename, content, content_type=kind)
        else:
            data[name] = value
    client.cookies.pop("messages", None)  # flash messages of an earlier example
    return client.post(spec.url(w), data)


@dataclass(frozen=True)
class Baseline:
    """The fingerprints before any example; every example is rolled back, so they hold for each one."""

    own: dict[str, str]
    other: dict[str, str]


def check_example(spec: FormSpec, w: World, client: Client, baseline: Baseline, payload: dict[str, Any]) -> None:
    response = _post(spec, w, client, payload)
    where = f"{spec.name} with {({k: (v[:80] if isinstance(v, str | bytes) else v) for k, v in payload.items()})!r}"
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        raise AssertionError(f"{where}: server error {response.status_code}") from (exc[1] if exc else None)
    assert response.status_code in {200, 302, 400, 404, 409}, f"{where}: status {response.status_code}"

    failed = True
    if response.status_code == 302:
        location = response["Location"]
        target = urlsplit(location.replace("\\", "/"))
        on_site = target.scheme in {"", "http", "https"} and target.netloc in {"", "testserver"}
        assert on_site, f"{where}: redirect off-site: {location[:200]}"
        flashed = flash_messages(response)
        errors = [text for level, text in flashed if level >= message_levels.WARNING]
        failed = bool(errors)
        if failed:
            assert_german(errors, _words(payload), where)
    elif response.status_code == 200 and response["Content-Type"] == "application/pdf":
        failed = False  # a document made on request (the Auskunft)
        assert response["Content-Disposition"].startswith("attachment"), f"{where}: PDF not as a download"
    elif response.status_code == 404:
        assert spec.scoped_ids, f"{where}: 404 from a form that fetches no posted id through the office scope"
    elif response.status_code == 200 and spec.shows_only:
        pass  # shown or handed out; saved nothing (checked below, as for a failure)
    else:
        assert_german(error_texts(response), _words(payload), where)

    other_changed = _changed(baseline.other, office_fingerprint(w.other_office))
    assert not other_changed, f"{where}: touched another office's {other_changed}"
    if failed:
        own_changed = _changed(baseline.own, office_fingerprint(w.office))
        assert not own_changed, f"{where}: refused, but saved {own_changed}"


# --- the test ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", FORMS, ids=[spec.name for spec in FORMS])
def test_form_survives_bad_input(spec: FormSpec, world: World) -> None:
    prefix = _proposal_fields(world)
    fields = {name.format(prefix=prefix): gen for name, gen in spec.fields.items()}
    baseline = Baseline(own=office_fingerprint(world.office), other=office_fingerprint(world.other_office))
    staff_client = Client(raise_request_exception=False)
    staff_client.force_login(world.actor)

    @settings(max_examples=EXAMPLES_OVERRIDE or spec.examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        # Mostly plausible input with one bad field reaches the services; "chaos" mixes everything.
        mode = data.draw(st.sampled_from(["plausible", "one_bad", "chaos"]), label="mode")
        bad_field = data.draw(st.sampled_from(sorted(fields)), label="bad field")
        payload: dict[str, Any] = {}
        for name, gen in fields.items():
            if mode == "chaos":
                strategy = gen.any(world)
            elif mode == "one_bad" and name == bad_field:
                strategy = st.one_of(gen.bad(world), GARBAGE)
            else:
                strategy = gen.valid(world)
            value = data.draw(strategy, label=name)
            if value is not MISSING:
                payload[name] = value
        client = Client(raise_request_exception=False) if spec.anonymous else staff_client
        with transaction.atomic():
            try:
                check_example(spec, world, client, baseline, payload)
            finally:
                transaction.set_rollback(True)

    run()


def test_every_form_handling_url_is_in_the_table() -> None:
    """The POST views of the fuzzed apps; a new one fails here until it has a ``FormSpec``."""
    from django.urls import get_resolver

    covered = {spec.name for spec in FORMS}
    read_only = {  # GET pages (filters are GET forms) and downloads; no input is stored
        "home", "healthz", "readyz", "accessibility", "inbox", "bulk_reassign", "logout", "logout_everywhere", "client_list", "client_detail", "client_timeline",
        "triage", "case_list", "case_detail", "my_day_list", "application_list", "application_detail",
        "client_import_template", "client_import_detail",
        "partner_list", "partner_detail", "partner_export", "offer_board", "offer_detail", "referral_list",
        "referral_choose_offer", "referral_detail", "disclosure_log", "vacancy_list", "vacancy_detail",
        # profiling
        "case_profilings", "profiling_detail", "worklist", "social_history", "assessment_detail", "assessment_report",
        # integration_plans
        "plan_list", "plan_detail", "document_status", "agreement_download", "scan_download", "notice_list",
        "notice_detail", "approval_list",
        # reporting
        "dashboard", "export_table", "drilldown", "report_list", "report_download", "programme", "carrier_flows",
        # cooperation agreements and hand-overs
        "agreement_list", "agreement_detail", "handover_list",
        # letters
        "letter_detail", "letter_status", "letter_download", "client_letters", "invitations", "batch_detail",
        "batch_status", "batch_download", "template_list", "template_version",
    }
    not_yet_fuzzed: dict[str, str] = {}  # form-handling URLs left out on purpose, with the reason
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in FUZZED_APPS or namespace is None and hasattr(pattern, "name"):
            entries = pattern.url_patterns if namespace else [pattern]
            names |= {entry.name for entry in entries if getattr(entry, "name", None)}
    missing = names - covered - read_only - not_yet_fuzzed.keys()
    assert not missing, f"form-handling URLs without a fuzzing entry: {sorted(missing)}"
    assert covered <= names, f"entries naming no URL: {sorted(covered - names)}"


def test_the_fingerprint_sees_an_update_and_a_new_row(world: World) -> None:
    own, other = office_fingerprint(world.office), office_fingerprint(world.other_office)
    client = world.own["client"]
    type(client).objects.filter(pk=client.pk).update(city="Halle")
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.ALG, monthly_amount=Decimal(1),
                                      start=datetime.date(2003, 1, 1))
    # the benefit moves the client's target group, which the database keeps on the client's cases too (cases/0016)
    assert _changed(own, office_fingerprint(world.office)) == ["cases.BenefitEntitlement", "cases.Case", "cases.Client"]
    assert _changed(other, office_fingerprint(world.other_office)) == []


# --- the server errors the fuzzing found, pinned down ----------------------------------------------------------
def _staff(world: World) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(world.actor)
    return client


def test_an_overlong_username_is_refused_before_the_login_attempt_is_stored() -> None:
    response = Client(raise_request_exception=True).post(reverse("login"), {"username": "ä" * 300, "password": "x"})
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in response.content.decode()


@pytest.mark.parametrize("raw", [
    b"name;kind\nTafel\x00Nord;debt_counselling\n",  # PostgreSQL refuses NUL in text
    b"name;kind\nTafel\rNord;debt_counselling\n",  # a lone carriage return in an unquoted cell
    b"name;kind\n" + b"x" * 140_000 + b";debt_counselling\n",  # longer than the csv module's cell limit
])
def test_an_unreadable_csv_row_is_reported_not_a_server_error(world: World, raw: bytes) -> None:
    partners = world.office.partners.count()
    response = _staff(world).post(reverse("partners:partner_import"),
                                  {"file": SimpleUploadedFile("partner.csv", raw, content_type="text/csv")})
    assert response.status_code == 400
    assert "Es wurde nichts importiert" in response.content.decode()
    assert world.office.partners.count() == partners


@pytest.mark.parametrize("data", [{"case": "²"}, {"case": "9" * 5000}, {"note": "a\x00b"}])
def test_a_tampered_proposal_gets_a_message(world: World, data: dict[str, str]) -> None:
    payload = {"case": str(world.own["spare_case"].pk), **data}
    response = _staff(world).post(reverse("partners:proposal_create", args=[world.own["vacancy"].pk]), payload)
    assert response.status_code == 302
    assert [m.level for m in get_messages(response.wsgi_request)] == [message_levels.ERROR]
    assert not world.own["spare_case"].placement_proposals.exists()


def test_an_overlong_note_on_a_proposal_result_is_shown(world: World) -> None:
    proposal = world.own["proposal"]
    response = _staff(world).post(reverse("partners:proposal_result", args=[proposal.pk]), {
        f"p{proposal.pk}-result": "rejected", f"p{proposal.pk}-result_on": TODAY.isoformat(),
        f"p{proposal.pk}-note": "x" * 2001})
    assert response.status_code == 400
    assert "höchstens 2000 Zeichen" in response.content.decode()
