"""A small hand-built office whose figures are known (worked out by hand in the comments below).

March 2003 (31 days), office ``office``:

* K (born 1960): Kombibezieher (HLU + Alhi since 2002-01-01); the Alhi ends 2003-03-15 ("other"), so K is a
  Kombibezieher on 1–15 March and an HLU recipient from the 16th. Case opened 2002-06-01, closed 2003-03-20 as
  integrated; the HLU ends the same day for employment (one integration, group HLU, SH 300 € ended).
* D (born 1980-06-01, under 25): Alhi recipient; the Alhi ends 2003-03-05 for employment (AA 500 € ended) and the
  case is closed as integrated on 2003-03-10: two integration events in one month → one integration (on the 5th,
  group Alhi); 6–10 March without benefits (no target group).
* H (born 1975): HLU recipient since 2002-01-01, case open since 2002-03-01, not integrated.
* In the other office a copy of K, never counted.

Client-days in March: Kombi 15 (K), HLU 5 (K) + 31 (H) = 36, Alhi 5 (D), none 5 (D).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from cases.models import BenefitEntitlement, BenefitKind, Case, CaseStatus, Client, EndReason, Outcome
from jobcenter.roles import Role
from tests.cases.factories import ClientFactory

D = datetime.date


def add_benefit(client: Client, kind: str, start: datetime.date, end: datetime.date | None = None,
                reason: str = "", amount: int = 300) -> BenefitEntitlement:
    return BenefitEntitlement.objects.create(client=client, kind=kind, start=start, end=end, end_reason=reason,
                                             monthly_amount=Decimal(amount))


def add_case(client: Client, opened: datetime.date, closed: datetime.date | None = None, outcome: str = "",
             manager: Any = None) -> Case:
    return Case.objects.create(
        client=client, contact_point=client.contact_point, opened_on=opened, closed_on=closed,
        status=CaseStatus.CLOSED if closed else CaseStatus.IMPLEMENTATION, outcome=outcome, case_manager=manager,
    )


def make_kombi_client(office: Any, manager: Any = None) -> tuple[Client, Case]:
    k = ClientFactory(contact_point=office, last_name="Kombi", first_name="Karl", birth_date=D(1960, 5, 5))
    add_benefit(k, BenefitKind.HLU, D(2002, 1, 1), D(2003, 3, 20), EndReason.EMPLOYMENT, 300)
    add_benefit(k, BenefitKind.ALHI, D(2002, 1, 1), D(2003, 3, 15), EndReason.OTHER, 400)
    case = add_case(k, D(2002, 6, 1), D(2003, 3, 20), Outcome.EMPLOYMENT, manager)
    return k, case


@dataclass
class World:
    office: Any
    other_office: Any
    manager: Any
    k: Client
    d: Client
    h: Client
    case_k: Case
    case_d: Case
    case_h: Case


@pytest.fixture
def world(office, other_office, make_staff) -> World:  # type: ignore[no-untyped-def]
    manager = make_staff(Role.FALLMANAGER, office, "fm-reporting")
    k, case_k = make_kombi_client(office, manager)
    d = ClientFactory(contact_point=office, last_name="Doppel", first_name="Dana", birth_date=D(1980, 6, 1))
    add_benefit(d, BenefitKind.ALHI, D(2002, 1, 1), D(2003, 3, 5), EndReason.EMPLOYMENT, 500)
    case_d = add_case(d, D(2002, 2, 1), D(2003, 3, 10), Outcome.TRAINING, manager)
    h = ClientFactory(contact_point=office, last_name="Hilfe", first_name="Hanna", birth_date=D(1975, 1, 1))
    add_benefit(h, BenefitKind.HLU, D(2002, 1, 1), None, "", 250)
    case_h = add_case(h, D(2002, 3, 1), None, "", manager)
    make_kombi_client(other_office)
    return World(office, other_office, manager, k, d, h, case_k, case_d, case_h)


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def tl_client(client, teamleitung):  # type: ignore[no-untyped-def]
    client.force_login(teamleitung)
    return client


@pytest.fixture
def teamleitung_other_office(make_staff, other_office):  # type: ignore[no-untyped-def]
    return make_staff(Role.TEAMLEITUNG, other_office, "teamleitung2")
