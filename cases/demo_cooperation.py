"""Demo of the two Träger working together: a client handed over from the city office to the rural one under the
demo cooperation agreement (``jobcenter.demo``), and reads of the other Träger's data over the last months, so
that the Teamleitung's report of the data flows (``reporting:carrier_flows``) and the Auskunft show numbers.
Called from ``cases.demo.seed``; idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.data_flows import APPLICATION, BENEFIT, NOTE
from cases.models import (
    Appointment,
    BenefitEntitlement,
    BenefitKind,
    Case,
    CaseStatus,
    Channel,
    Client,
    ContactNote,
    Segment,
)
from cases.models_handover import HandOver
from cases.services.handover import hand_over
from jobcenter.models import AccessRecord, Agency, DataFlow

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from jobcenter.demo import DemoOrganisation
    from jobcenter.models import ContactPoint

READS_PER_OFFICE = 36


def seed(organisation: DemoOrganisation) -> str:
    city, rural = organisation.offices
    handed = _handed_over_client(city, rural)
    reads = sum(_cross_reads(office, suffix, index) for index, (office, suffix) in enumerate(((city, ""), (rural, "2"))))
    return f"{handed} client handed over, {reads} reads of the other Träger's data"


def _user(username: str) -> User:
    return get_user_model().objects.get(username=username)


def _handed_over_client(city: ContactPoint, rural: ContactPoint) -> int:
    """Sabine Wendt moved from Leipzig to Borna: registered at the city office with a case, notes, a benefit and an
    appointment ahead, then handed over to the rural office with the case (the appointment is called off)."""
    if HandOver.objects.filter(client__last_name="Wendt", client__first_name="Sabine").exists():
        return 0
    today = timezone.localdate()
    manager, reception, lead = _user("fallmanager"), _user("empfang"), _user("teamleitung")
    client = Client.objects.create(
        contact_point=city, first_name="Sabine", last_name="Wendt", birth_date=date(1971, 3, 14),
        street="Am Markt 7", postal_code="04552", city="Borna", phone="03433 271845", file_number="50-7701234/03",
        household_size=2, children_under_15=1,
    )
    BenefitEntitlement.objects.create(client=client, kind=BenefitKind.HLU, monthly_amount=Decimal("412.00"),
                                      start=today - timedelta(days=400))
    case = Case.objects.create(client=client, contact_point=city, status=CaseStatus.IMPLEMENTATION,
                               segment=Segment.FALLMANAGEMENT, case_manager=manager, lead_agency=city.welfare_agency,
                               opened_on=today - timedelta(days=300), last_contact_on=today - timedelta(days=6))
    ContactNote.objects.create(case=case, author=reception, occurred_on=today - timedelta(days=40),
                               channel=Channel.IN_PERSON, text="Umzug nach Borna zum Monatsende angekündigt; neue "
                               "Anschrift liegt vor.")
    ContactNote.objects.create(case=case, author=manager, occurred_on=today - timedelta(days=6), channel=Channel.PHONE,
                               text="Übergabe an die Anlaufstelle Landkreis Leipziger Land besprochen; Kundin "
                               "einverstanden.")
    Appointment.objects.create(case=case, with_user=manager, purpose="Folgegespräch",
                               starts_at=_at(today + timedelta(days=9), 10))
    hand_over(client=client, to_office=rural, on=today, by=lead,
              note="Laufende Eingliederung (Lager/Logistik); Bewerbungstraining begonnen. Termin am neuen Ort "
                   "bitte zeitnah vergeben.")
    return 1


def _cross_reads(office: ContactPoint, suffix: str, index: int) -> int:
    """Access records with flows over the last three months: Arbeitsamt staff reading the Sozialamt's benefit
    records and notes, Sozialamt staff reading the Arbeitsamt's notes and applications."""
    if DataFlow.objects.filter(record__contact_point=office).exists():
        return 0
    rng = random.Random(1603 + index)  # noqa: S311 - reproducible demo data
    readers = {
        Agency.Kind.ARBEITSAMT: [_user(f"vermittler{suffix}"), _user(f"fallmanager{suffix}")],
        Agency.Kind.SOZIALHILFE: [_user(f"leistung{suffix}")],
    }
    owned = {Agency.Kind.ARBEITSAMT: [(NOTE, 2), (APPLICATION, 1)],
             Agency.Kind.SOZIALHILFE: [(BENEFIT, 1), (NOTE, 1), (APPLICATION, 1)]}
    clients = list(Client.objects.filter(contact_point=office).order_by("id").values_list("id", flat=True)[:60])
    now = timezone.now()
    created = 0
    for _n in range(READS_PER_OFFICE):
        reader_kind = rng.choice([Agency.Kind.ARBEITSAMT, Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE])
        owner_kind = Agency.Kind.SOZIALHILFE if reader_kind == Agency.Kind.ARBEITSAMT else Agency.Kind.ARBEITSAMT
        record = AccessRecord.objects.create(user=rng.choice(readers[reader_kind]), contact_point=office,
                                             client_id=rng.choice(clients), what="Kundenseite")
        AccessRecord.objects.filter(pk=record.pk).update(at=now - timedelta(days=rng.randrange(0, 90),
                                                                            minutes=rng.randrange(0, 600)))
        kinds = rng.sample(owned[owner_kind], k=rng.randint(1, len(owned[owner_kind])))
        DataFlow.objects.bulk_create([DataFlow(record=record, data=data, reader_carrier=reader_kind,
                                               owner_carrier=owner_kind, rows=rng.randint(1, rows + 2))
                                      for data, rows in kinds])
        created += 1
    return created


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))
