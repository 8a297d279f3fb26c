"""Demo data of the reporting app: this year's joint programme of each demo office and last month's report.
Idempotent: an existing programme or report is left as it is."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobcenter.models import Agency
from partners.models import PartnerKind
from reporting.models import MonthlyReport, ProgrammeOffer, ProgrammePlan
from reporting.periods import last_complete_month

if TYPE_CHECKING:
    from jobcenter.demo import DemoOrganisation

# (expected HLU, Kombi, Alhi, of which under 25, caseload ratio, planned case managers) per office
PROGRAMMES = [(95, 60, 70, 40, 75, Decimal("3.0")), (60, 35, 50, 25, 70, Decimal("2.0"))]
# (category, paying agency, places per year, budget)
OFFERS = [
    (PartnerKind.DEBT_COUNSELLING, Agency.Kind.SOZIALHILFE, 24, Decimal("7200")),
    (PartnerKind.ADDICTION_COUNSELLING, Agency.Kind.SOZIALHILFE, 6, Decimal("1980")),
    (PartnerKind.CHILDCARE, Agency.Kind.SOZIALHILFE, 10, Decimal("10800")),
    (PartnerKind.QUALIFICATION, Agency.Kind.ARBEITSAMT, 18, Decimal("25000")),
    (PartnerKind.APPLICATION_SUPPORT, Agency.Kind.ARBEITSAMT, 30, Decimal("9900")),
    (PartnerKind.WORK_PLACEMENT, Agency.Kind.SOZIALHILFE, 12, Decimal("6500")),
    (PartnerKind.PSA, Agency.Kind.ARBEITSAMT, 8, Decimal("16800")),
]


def seed(organisation: DemoOrganisation) -> str:
    from reporting import services

    today = timezone.localdate()
    users = get_user_model().objects
    plans = reports = 0
    for index, office in enumerate(organisation.offices[: len(PROGRAMMES)]):
        lead = users.filter(username="teamleitung" if index == 0 else "teamleitung2").first()
        hlu, kombi, alhi, youth, ratio, managers = PROGRAMMES[index]
        plan, created = ProgrammePlan.objects.get_or_create(
            office=office, year=today.year,
            defaults={"expected_hlu": hlu, "expected_kombi": kombi, "expected_alhi": alhi, "expected_youth": youth,
                      "caseload_ratio": ratio, "planned_case_managers": managers, "updated_by": lead,
                      "note": "Mit Arbeitsamt und Sozialamt abgestimmt (Beispiel)."},
        )
        if created:
            scale = Decimal(1) if index == 0 else Decimal("0.6")
            ProgrammeOffer.objects.bulk_create([
                ProgrammeOffer(plan=plan, category=category, agency_kind=kind, places=max(1, int(places * scale)),
                               budget=(budget * scale).quantize(Decimal("1")))
                for category, kind, places, budget in OFFERS
            ])
            plans += 1
        if not MonthlyReport.objects.filter(office=office, month=last_complete_month(today).start).exists():
            services.request_report(office=office, month=last_complete_month(today), by=lead)
            reports += 1
    return f"{plans} programmes, {reports} monthly reports queued"
