"""One "world" per contact point for the authorisation matrix: one object of every kind a URL can point at.

``build_world`` returns the objects by kind (the ``obj`` names of ``jobcenter.authz.MATRIX``). A new kind of
object (a plan, an assessment …) is one more line here, made with its app's factories.

Not office data: the legal notices (Rechtsfolgenbelehrungen) are global texts. ``legal_notice`` makes the one the
matrix names by its fixed pk (``jobcenter.authz.LEGAL_NOTICE_PK``); both worlds' finalised plans print it, so its
page must list only the own office's agreements (the leak check sees the other world's client otherwise).
Documents (agreement, scan, report files) are written to the store: the test points ``DOCUMENTS_ROOT`` at a
temporary directory.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone

from cases.models import BenefitEntitlement, BenefitKind
from cases.models_handover import HandOver
from cases.services import imports as client_imports
from integration_plans.models import (
    Hearing,
    HearingReason,
    IntegrationPlan,
    LegalNotice,
    ObligationKind,
    ObligationPeriod,
    ServiceKind,
)
from integration_plans.services import plans as plan_services
from integration_plans.services.plans import ObligationInput, ServiceInput, StepInput
from jobcenter import documents
from jobcenter.authz import LEGAL_NOTICE_PK
from jobcenter.models import ContactPoint, CooperationAgreement, StaffProfile, WorkerHeartbeat
from jobcenter.roles import Role
from letters.models import BatchScope, LetterBatch
from letters.services import letters as letter_services
from reporting.models import MonthlyReport, ProgrammePlan, ReportStatus
from tests.cases.factories import (
    AppointmentFactory,
    BenefitApplicationFactory,
    CaseFactory,
    ClientFactory,
    ContactNoteFactory,
)
from tests.factories import ContactPointFactory, UserFactory
from tests.integration_plans.factories import final_plan
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


def legal_notice() -> LegalNotice:
    """The § 25 BSHG notice, version 1, under the pk the matrix names (the migration's example row is replaced:
    nothing refers to it yet when a world is built)."""
    notice = LegalNotice.objects.filter(pk=LEGAL_NOTICE_PK).first()
    if notice is None:
        LegalNotice.objects.filter(basis="bshg_25").delete()
        notice = LegalNotice.objects.create(
            pk=LEGAL_NOTICE_PK, basis="bshg_25", version=1, title="Rechtsfolgen § 25 BSHG",
            text="Ohne wichtigen Grund kann die Hilfe gekürzt werden.", valid_from=datetime.date(2000, 1, 1))
    return notice


def _plan(case: Any, manager: Any, offer: Any, marker: str) -> IntegrationPlan:
    """A finalised plan (printing the notice) with a step, a service at ``offer``, an obligation, its agreement
    PDF and signed scan."""
    legal_notice()
    plan = final_plan(
        case, manager,
        steps=[StepInput(None, f"{marker} Bewerbungsmappe", timezone.localdate() + datetime.timedelta(days=14))],
        services=[ServiceInput(None, ServiceKind.DEBT_COUNSELLING, f"{marker} Schuldnerberatung", offer=offer)],
        obligations=[ObligationInput(None, ObligationKind.APPLICATIONS, f"{marker} Bewerbungen", 6, ObligationPeriod.MONTH,
                                     "Kopien")],
    )
    name = marker.lower()
    plan.document = documents.store(key=f"authz:{name}:{plan.pk}:agreement", kind="authz",
                                    data=f"%PDF-1.4 {marker} Vereinbarung".encode(), filename=f"{name}.pdf")
    plan.scan = documents.store(key=f"authz:{name}:{plan.pk}:scan", kind="authz",
                                data=f"%PDF-1.4 {marker} Scan".encode(), filename=f"{name}-scan.pdf")
    plan.save(update_fields=["document", "scan"])
    return plan


# What of the world the Sozialamt recorded, as a page shows it (``jobcenter.access_log`` data kinds): a page whose
# body holds one of these shows the Sozialamt's data of that kind (tests/security/test_access_log_coverage.py).
SOZIALAMT_DATA = {"benefit": "471,17", "note": "Sozialamt-Vermerk", "application": "Sozialamt-Antrag"}


def letter_objects(office: ContactPoint, case: Any, manager: Any, marker: str) -> dict[str, Model]:
    """A printed invitation with its PDF, a batch holding it, and the office's invitation template (version 1)."""
    from importlib import import_module

    from django.apps import apps

    import_module("letters.migrations.0002_example_invitation_notices").add_examples(apps, None)
    appointment = AppointmentFactory(case=case, with_user=manager, purpose=f"{marker} Einladungsgespräch")
    letter = letter_services.issue_invitation(appointment=appointment, by=manager, render=False)
    name = marker.lower()
    letter.document = documents.store(key=f"authz:{name}:letter:{letter.pk}", kind="authz",
                                      data=f"%PDF-1.4 {marker} Einladung".encode(), filename=f"{name}-einladung.pdf")
    letter.save(update_fields=["document"])
    batch = LetterBatch.objects.create(
        contact_point=office, scope=BatchScope.SELECTED, size=1, printed_on=timezone.localdate(),
        content_sha256=letter.content_sha256, created_by=manager,
        document=documents.store(key=f"authz:{name}:letter_batch:{letter.pk}", kind="authz",
                                 data=f"%PDF-1.4 {marker} Einladungen".encode(), filename=f"{name}-einladungen.pdf"))
    batch.letters.set([letter])
    return {"letter": letter, "letter_batch": batch, "letter_template": letter.template}


def build_world(office: ContactPoint, marker: str) -> dict[str, Model]:
    """Every kind of object in ``office``; names carry ``marker`` so a page showing them can be caught."""
    WorkerHeartbeat.objects.create(hostname=f"worker@{marker.lower()}", token=f"world-{marker.lower()}-{office.pk}")  # a running system has a live worker: /readyz answers 200 as in production
    manager = UserFactory(username=f"fm-{marker.lower()}-{office.pk}", roles=[Role.FALLMANAGER], offices=[office])
    StaffProfile.objects.filter(user=manager).update(home_agency=office.employment_agency)  # an Arbeitsamt man
    client = ClientFactory(contact_point=office, last_name=f"{marker}mann")
    # HLU is the Sozialamt's benefit: its amount is the mark of the Sozialamt's benefit data on a page
    benefit = BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU,
                                                monthly_amount=Decimal(SOZIALAMT_DATA["benefit"].replace(",", ".")),
                                                start=datetime.date(2002, 1, 1))
    case = CaseFactory(client=client, case_manager=manager, opened_on=datetime.date(2002, 6, 1))
    # a Sozialamt clerk recorded a note and an application: data of the other Träger for Arbeitsamt readers
    clerk = UserFactory(username=f"sh-{marker.lower()}-{office.pk}", roles=[Role.LEISTUNG], offices=[office])
    StaffProfile.objects.filter(user=clerk).update(home_agency=office.welfare_agency)
    ContactNoteFactory(case=case, author=clerk, text=f"{marker} {SOZIALAMT_DATA['note']}")
    # the client came from another office under the office's cooperation agreement
    agreement = CooperationAgreement.objects.create(title=f"{marker} Kooperation", scope=f"{marker} Übergaben",
                                                    valid_from=datetime.date(2002, 1, 1))
    agreement.parties.set(office.agencies)
    sender = ContactPointFactory(name=f"Anlaufstelle Herkunft {office.pk}")
    agreement.contact_points.set([office, sender])
    partner = PartnerFactory(contact_point=office, name=f"{marker} Schuldnerberatung")
    offer = OfferFactory(partner=partner, title=f"{marker} Budgetberatung")
    consent = ConsentFactory(client=client, partner=partner, recorded_by=manager)
    employer = EmployerFactory(contact_point=office, name=f"{marker} Spedition GmbH")
    vacancy = VacancyFactory(employer=employer, title=f"{marker} Lagerhelfer/in", acquired_by=manager)
    plan = _plan(case, manager, offer, marker)
    draft = plan_services.create_revision(plan=plan, by=manager)
    name = marker.lower()
    report = MonthlyReport.objects.create(
        office=office, month=datetime.date(2003, 3, 1), status=ReportStatus.DONE, requested_by=manager,
        pdf=documents.store(key=f"authz:{name}:report:pdf", kind="authz", data=f"%PDF-1.4 {marker}".encode(),
                            filename=f"{name}-bericht.pdf"),
        csv=documents.store(key=f"authz:{name}:report:csv", kind="authz", data=f"{marker};1\n".encode(),
                            filename=f"{name}-bericht.csv", content_type="text/csv", extension="csv"),
    )
    ProgrammePlan.objects.create(office=office, year=2003, note=f"{marker} Programm", updated_by=manager)
    return {
        "client": client,
        "benefit": benefit,
        "case": case,
        "appointment": AppointmentFactory(case=case, with_user=manager),
        "application": BenefitApplicationFactory(client=client, received_by=clerk,
                                                 note=f"{marker} {SOZIALAMT_DATA['application']}"),
        "agreement": agreement,
        "handover": HandOver.objects.create(client=client, case=case, from_office=sender, to_office=office,
                                            agreement=agreement, handed_over_on=datetime.date(2003, 1, 15),
                                            by=manager, note=f"{marker} Übergabe"),
        "partner": partner,
        "offer": offer,
        "consent": consent,
        "referral": ReferralFactory(offer=offer, case=case, consent=consent, referred_by=manager),
        "employer": employer,
        "vacancy": vacancy,
        "proposal": ProposalFactory(vacancy=vacancy, case=case, proposed_by=manager),
        "profiling": make_profiling(case, manager, debts="obstacle"),
        "assessment": AssessmentFactory(referral__case=case, referral__status="accepted", commissioned_by=manager),
        "plan": plan,  # finalised, with agreement PDF and scan
        "draft": draft,  # its Fortschreibung (version 2), editable
        "step": plan.steps.get(),
        "service": plan.services.get(),
        "obligation": plan.obligations.get(),
        "hearing": Hearing.objects.create(case=case, plan=plan, reason=HearingReason.SHORTFALL,
                                          breach=f"{marker} keine Bewerbungen", opened_on=timezone.localdate(),
                                          opened_by=manager),
        "report": report,
        "import_run": client_imports.dry_run(  # a checked client file (the dry run), not yet imported
            office=office, raw=f"Nachname;Vorname;Geburtsdatum\n{marker}import;Erika;01.02.1970\n".encode(),
            filename=f"{name}-kunden.csv", by=manager),
        **letter_objects(office, case, manager, marker),
    }
