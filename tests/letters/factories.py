"""Helpers of the letters tests: the invitation notices (the migration's examples, put back after a flush), a
client with benefits and an appointment, text and pages of a PDF."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Appointment, BenefitEntitlement, Case
from integration_plans.models import LegalNotice
from tests.cases.factories import AppointmentFactory, CaseFactory, ClientFactory
from tests.integration_plans.factories import ensure_notices


def ensure_invitation_notices() -> dict[str, LegalNotice]:
    """The example notices of agreements and invitations (as the data migrations ship them)."""
    from importlib import import_module

    import_module("letters.migrations.0002_example_invitation_notices").add_examples(apps, None)
    ensure_notices()
    return {notice.basis: notice for notice in LegalNotice.objects.all()}


def case_of(office: Any, manager: Any, *benefits: tuple[str, datetime.date, datetime.date | None],
            **client: Any) -> Case:
    """A case of ``manager`` whose client draws ``benefits`` (kind, start, end)."""
    client.setdefault("street", "Eisenbahnstraße 5")
    client.setdefault("postal_code", "04315")
    client.setdefault("city", "Leipzig")
    person = ClientFactory(contact_point=office, **client)
    for kind, start, end in benefits:
        BenefitEntitlement.objects.create(client=person, kind=kind, monthly_amount=Decimal("300"), start=start,
                                          end=end)
    return CaseFactory(client=person, case_manager=manager, opened_on=datetime.date(2002, 6, 1))


def appointment_on(case: Case, day: datetime.date, hour: int = 9, minute: int = 0, **kwargs: Any) -> Appointment:
    starts = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())
    kwargs.setdefault("with_user", case.case_manager)
    return AppointmentFactory(case=case, starts_at=starts, **kwargs)


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace folded (line breaks of the layout do not matter)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
