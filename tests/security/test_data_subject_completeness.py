"""The Auskunft and retention are complete by construction.

Walks ``apps.get_models()``: every model with a path to a client (a chain of foreign keys to ``cases.Client``, or
a ``client_id`` column) must be shown by a registered Auskunft part (``AuskunftPart.models``) or be listed in
``NOT_CLIENT_DATA`` with the reason; and each of its text fields must be scrubbed by a registered retention policy
or kept by one with a reason (``RetentionPolicy``). Audit-trail event models (pghistory) are covered through
their tracked model: ``cases.retention.scrub`` writes the same values into them.

Then, end to end: one client with a row in every such model and a unique token in every text field; the
Auskunft shows every token, and after anonymisation no token is left in any column of any table of the database
(the audit-trail tables, the document store and the admin's change log included).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.urls import reverse
from pypdf import PdfReader

from cases import auskunft, retention
from cases.models import BenefitKind, Case, CaseStatus, Client, ClosureRequest, ContactNote, Outcome
from cases.models_handover import HandOver
from integration_plans.models import PlanSignoff
from jobcenter import documents
from jobcenter.models import AccessRecord, Agency, CooperationAgreement, DataFlow
from letters.models import LetterBatch
from letters.services import letters as letter_services
from letters.services.batches import generate_batch
from notifications.models import Notification
from partners.models import DataCategory, DisclosureRecord, ReferralFeedback
from profiling.models import Assessment
from tests.cases.factories import AppointmentFactory, BenefitApplicationFactory, ContactNoteFactory
from tests.factories import ContactPointFactory
from tests.integration_plans.factories import case_with_benefits, final_plan
from tests.letters.factories import ensure_invitation_notices
from tests.partners.factories import (
    ConsentFactory,
    EmployerFactory,
    OfferFactory,
    PartnerFactory,
    ProposalFactory,
    ReferralFactory,
    VacancyFactory,
)
from tests.profiling.factories import AssessmentFactory, SocialHistoryFactory, make_profiling

# Models that reach a client but are not data about the client in themselves, with the reason, and the text
# fields they hold (which must then not be free text either).
NOT_CLIENT_DATA: dict[str, tuple[str, tuple[str, ...]]] = {
    "profiling.SocialHistoryDue": ("a work-list marker kept by the database from the case, its profilings and its "
                                   "social history, which the Auskunft shows; no free text", ()),
    "reporting.GroupSpan": ("the statistics store: spans of target-group membership derived from the benefits and "
                            "cases shown in the Auskunft, rebuilt from them; no free text", ("target_group",)),
    "reporting.CaseIntake": ("the statistics store: each case's opening day, target group and first integration, "
                             "derived from the cases and benefits shown in the Auskunft, rebuilt from them; no free "
                             "text", ("target_group",)),
    "reporting.IntegrationRecord": ("the statistics store: integrations derived from the cases shown in the "
                                    "Auskunft, rebuilt from them; no free text", ("target_group",)),
}

# every text field gets "Zq" + three digits; nothing else in the test data contains that
TOKEN_RE = re.compile(r"zq\d{3}", re.IGNORECASE)


# --- the walk --------------------------------------------------------------------------------------------------
def _path_to_client(model: type[models.Model], seen: frozenset[type[models.Model]] = frozenset()) -> str | None:
    """The lookup from ``model`` to the client ("" for the client itself, "client_id" for a plain number)."""
    if model is Client:
        return ""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model not in seen | {model}:
            rest = _path_to_client(field.related_model, seen | {model})
            if rest is not None:
                return f"{field.name}__{rest}" if rest else field.name
    if not seen and any(f.name == "client_id" and not f.is_relation for f in model._meta.concrete_fields):
        return "client_id"
    return None


def client_models() -> dict[type[models.Model], str]:
    result = {}
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event):
            continue  # covered through the tracked model
        path = _path_to_client(model)
        if path is not None:
            result[model] = path
    return result


def text_fields(model: type[models.Model]) -> list[str]:
    """Fields that can hold free text or personal data: character, text and JSON fields without fixed choices
    (a generated field follows the fields it is computed from)."""
    names = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.GeneratedField) or field.choices:
            continue
        if isinstance(field, ArrayField):
            field = field.base_field
            if field.choices:
                continue
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            names.append(field.name)
    return names


def _policies() -> dict[type[models.Model], retention.RetentionPolicy]:
    policies: dict[type[models.Model], retention.RetentionPolicy] = {}
    for policy in retention.registered_policies():
        assert policy.model not in policies, f"two retention policies for {policy.model._meta.label}"
        policies[policy.model] = policy
    return policies


def test_the_walk_finds_the_client_data_of_every_app():
    labels = {model._meta.label for model in client_models()}
    assert {"cases.Client", "cases.ContactNote", "partners.Referral", "partners.ReferralFeedback",
            "profiling.Assessment", "integration_plans.ObligationCheck", "jobcenter.AccessRecord"} <= labels
    assert not labels & {"partners.Partner", "partners.Vacancy", "jobcenter.ContactPoint", "cases.ClientEvent"}


def test_every_model_with_client_data_is_shown_in_the_auskunft_or_exempted_with_a_reason():
    shown = {model for part in auskunft.registered_parts() for model in part.models}
    missing = [model._meta.label for model in client_models()
               if model not in shown and model._meta.label not in NOT_CLIENT_DATA]
    assert missing == [], f"no Auskunft part shows {missing}: register one (AuskunftPart(models=...)) or exempt it"
    stale = [label for label in NOT_CLIENT_DATA if label not in {m._meta.label for m in client_models()}]
    assert stale == [], f"exempted but no longer client data: {stale}"
    assert not {apps.get_model(label) for label in NOT_CLIENT_DATA} & shown


def test_every_text_field_of_client_data_is_scrubbed_or_kept_with_a_reason():
    policies = _policies()
    problems = []
    for model in client_models():
        label = model._meta.label
        if label in NOT_CLIENT_DATA:
            _, allowed = NOT_CLIENT_DATA[label]
            problems += [f"{label}.{name} (exempted model)" for name in text_fields(model) if name not in allowed]
            continue
        policy = policies.get(model)
        declared = set(policy.scrubbed) | set(policy.kept) if policy else set()
        problems += [f"{label}.{name}" for name in text_fields(model) if name not in declared]
    assert problems == [], f"neither scrubbed nor kept with a reason: {problems}"


def test_retention_policies_name_real_fields_reasons_and_the_path_to_the_client():
    for model, policy in _policies().items():
        names = {field.name for field in model._meta.concrete_fields}
        assert set(policy.scrubbed) <= names and set(policy.kept) <= names, policy
        assert not set(policy.scrubbed) & set(policy.kept), policy
        assert all(len(reason) > 20 for reason in policy.kept.values()), policy
        str(model._default_manager.filter(**{f"{policy.client}__in": [0]}).query)  # the lookup resolves


# --- end to end --------------------------------------------------------------------------------------------------
class Tokens:
    """Hands out the tokens and remembers which field got which."""

    def __init__(self) -> None:
        self.count = 0
        self.by_field: dict[str, str] = {}

    def fill(self, model: type[models.Model], rows: models.QuerySet[Any]) -> None:
        """Write a token into every text field of ``rows`` (an UPDATE: the audit trail copies it)."""
        values: dict[str, object] = {}
        for name in text_fields(model):
            self.count += 1
            token = f"Zq{self.count:03d}"
            field = model._meta.get_field(name)
            if isinstance(field, models.JSONField):
                values[name] = {"text": token}
            elif isinstance(field, ArrayField):
                values[name] = [token]
            elif isinstance(field, models.EmailField):
                values[name] = f"{token}@example.org"
            else:
                values[name] = token
            self.by_field[f"{model._meta.label}.{name}"] = token
        if values:
            assert rows.update(**values) >= 1, model


@pytest.fixture
def documents_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def everything(db, office, fallmanager, documents_root):  # type: ignore[no-untyped-def]
    """One client with a row in every model that holds client data, a token in every text field, one deleted
    note, a stored assessment report and plan scan whose file names hold a token, and an admin log entry."""
    case = case_with_benefits(office, fallmanager, BenefitKind.HLU)
    person = case.client
    BenefitApplicationFactory(client=person, received_by=fallmanager)
    ContactNoteFactory(case=case, author=fallmanager)
    AppointmentFactory(case=case, with_user=fallmanager)
    partner = PartnerFactory(contact_point=office)
    consent = ConsentFactory(client=person, partner=partner, recorded_by=fallmanager)
    referral = ReferralFactory(case=case, offer=OfferFactory(partner=partner), consent=consent,
                               referred_by=fallmanager)
    ReferralFeedback.objects.create(referral=referral, received_on=datetime.date(2015, 3, 1), text="x",
                                    recorded_by=fallmanager)
    DisclosureRecord.objects.create(client=person, partner=partner, referral=referral, consent=consent,
                                    disclosed_on=datetime.date(2015, 2, 1), basis="consent",
                                    data_categories=[DataCategory.IDENTITY], recorded_by=fallmanager)
    ProposalFactory(case=case, vacancy=VacancyFactory(employer=EmployerFactory(contact_point=office)),
                    proposed_by=fallmanager)
    make_profiling(case, fallmanager, debts="obstacle", health="need")
    SocialHistoryFactory(case=case, recorded_by=fallmanager)
    assessment = AssessmentFactory(referral__case=case, commissioned_by=fallmanager)
    plan = final_plan(case, fallmanager)
    PlanSignoff.objects.create(plan=plan, agency=office.welfare_agency, signed_by=fallmanager,
                               signed_at=datetime.datetime(2015, 1, 20, 10, tzinfo=datetime.UTC))
    ClosureRequest.objects.create(case=case, outcome=Outcome.OTHER, note="x", closed_on=datetime.date(2015, 6, 30),
                                  requested_by=fallmanager)
    obligation = plan.obligations.get()
    check = obligation.checks.create(period_start=datetime.date(2015, 2, 1), period_end=datetime.date(2015, 2, 28),
                                     achieved=1, fulfilled=False, recorded_by=fallmanager)
    plan.hearings.create(case=case, check_record=check, reason="shortfall", breach="x",
                         opened_on=datetime.date(2015, 3, 2), opened_by=fallmanager)
    record = AccessRecord.objects.create(user=fallmanager, contact_point=office, client_id=person.pk, what="x",
                                         reason="x")
    DataFlow.objects.create(record=record, data="note", reader_carrier=Agency.Kind.ARBEITSAMT,
                            owner_carrier=Agency.Kind.SOZIALHILFE)
    sender = ContactPointFactory()  # the client came from another office under an agreement
    agreement = CooperationAgreement.objects.create(title="Kooperation", scope="Umzug", valid_from=datetime.date(2015, 1, 1))
    HandOver.objects.create(client=person, case=case, from_office=sender, to_office=office, agreement=agreement,
                            handed_over_on=datetime.date(2015, 1, 15), by=fallmanager)
    Notification.objects.create(recipient=fallmanager, contact_point=office, kind="case_assigned", subject="x",
                                url=f"/kunden/{person.pk}/", subject_key=f"case:{case.pk}", client_id=person.pk)
    # an invitation with its PDF, printed in a batch with its own PDF (retention deletes both files)
    ensure_invitation_notices()
    letter = letter_services.issue_invitation(appointment=AppointmentFactory(case=case, with_user=fallmanager),
                                              by=fallmanager)
    letter_services.generate_letter(letter_id=letter.pk, token="t")
    batch = LetterBatch.objects.create(contact_point=office, scope="selected", size=1, printed_on=datetime.date(2015, 3, 1),
                                       content_sha256=letter.content_sha256, created_by=fallmanager)
    batch.letters.set([letter])
    generate_batch(batch_id=batch.pk, token="t")

    tokens = Tokens()
    for model, path in client_models().items():
        if model._meta.label not in NOT_CLIENT_DATA:
            lookup = {"pk": person.pk} if not path else {path: person.pk if path == "client_id" else person}
            rows = model._default_manager.filter(**lookup)
            assert rows.exists(), f"the test world has no {model._meta.label}: add one above"
            tokens.fill(model, rows)
    # stored documents whose (uploaded) names hold a token
    report = documents.store(key=f"assessment:{assessment.pk}:report", kind="assessment_report", data=b"%PDF-1.4 a",
                             filename="Zq901-Gutachten.pdf", created_by=fallmanager)
    scan = documents.store(key=f"integration_plan:{plan.pk}:scan", kind="integration_plan_scan",
                           data=b"%PDF-1.4 b", filename="Zq902-Scan.pdf", created_by=fallmanager)
    Assessment.objects.filter(pk=assessment.pk).update(report=report)
    type(plan).objects.filter(pk=plan.pk).update(scan=scan)
    # a note deleted since: its audit-trail copies remain
    deleted = ContactNoteFactory(case=case, author=fallmanager)
    ContactNote.objects.filter(pk=deleted.pk).update(text="Zq903")
    deleted.delete()
    # the admin's change log keeps str(client)
    person.refresh_from_db()
    LogEntry.objects.create(user=fallmanager, content_type=ContentType.objects.get_for_model(Client),
                            object_id=str(person.pk), object_repr=str(person), action_flag=CHANGE)
    return person, tokens


def _close_all_cases(person: Client) -> None:
    Case.objects.filter(client=person).update(status=CaseStatus.CLOSED, outcome=Outcome.MOVED,
                                              closed_on=datetime.date(2015, 6, 30))


def _tables_with_tokens() -> dict[str, set[str]]:
    """Every column of every table in the database that holds a token: {"table.column": tokens}."""
    found: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('character varying', 'text', 'json', 'jsonb', 'ARRAY', 'character')
        """)
        columns = cursor.fetchall()
        for table, column in columns:
            cursor.execute(
                f'SELECT DISTINCT substring("{column}"::text from %s) FROM "{table}" '  # noqa: S608 (catalogue names)
                f'WHERE "{column}"::text ~* %s', [r"(?i)(zq\d{3})", r"zq\d{3}"],
            )
            hits = {row[0] for row in cursor.fetchall()}
            if hits:
                found[f"{table}.{column}"] = hits
    return found


def _kept_tokens(tokens: Tokens) -> set[str]:
    kept = {f"{policy.model._meta.label}.{name}" for policy in retention.registered_policies() for name in policy.kept}
    return {token for field, token in tokens.by_field.items() if field in kept}


def test_anonymising_a_client_leaves_no_token_in_any_table(everything, documents_root,
                                                            django_capture_on_commit_callbacks):
    person, tokens = everything
    before = _tables_with_tokens()
    for model in client_models():
        if text_fields(model) and model._meta.label not in NOT_CLIENT_DATA:
            assert any(column.startswith(f"{model._meta.db_table}.") for column in before), model
    assert any(column.startswith("jobcenter_storeddocumentevent.") for column in before)
    assert any("Zq903" in hits for hits in before.values())

    _close_all_cases(person)
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.anonymise_due_clients(today=datetime.date(2026, 1, 1))

    assert run.clients == 1
    kept = _kept_tokens(tokens)
    left = {column: hits - kept for column, hits in _tables_with_tokens().items() if hits - kept}
    assert left == {}, f"client data survived anonymisation: {left}"
    assert kept  # the kept fields keep their values (and the walk did fill them)
    assert not [path for path in documents_root.rglob("*") if path.is_file()]  # the stored files are gone too


def test_the_auskunft_shows_a_row_of_every_part_and_every_free_text(everything, fm_client):
    person, tokens = everything
    parts = auskunft.parts_for(person)
    empty = [part["key"] for part in parts if not part["rows"]]
    assert empty == [], f"Auskunft parts without a row for a client with everything: {empty}"

    cells = "\n".join(str(cell) for part in parts for row in part["rows"] for cell in row)  # type: ignore[attr-defined]
    kept = _kept_tokens(tokens)
    expected = {field: token for field, token in tokens.by_field.items()
                if token not in kept and not field.endswith(".content")}  # the plan's printed snapshot of its fields
    missing = sorted(field for field, token in expected.items() if token not in set(TOKEN_RE.findall(cells)))
    assert missing == [], f"free texts about the client missing from the Auskunft: {missing}"

    response = fm_client.post(reverse("cases:client_auskunft", args=[person.pk]), {"reason": "Antrag"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    titles = [str(part["title"]) for part in parts if str(part["title"]) not in " ".join(pdf_text.split())]
    assert titles == []
    assert set(expected.values()) <= set(TOKEN_RE.findall(pdf_text))
