"""The figures of one office for one month, computed lazily: each metric runs (once) when a table or chart first
needs it. The dashboard, the CSV export and the monthly report all read from here, so they cannot differ."""

from __future__ import annotations

from dataclasses import InitVar, dataclass
from datetime import date
from functools import cached_property

from jobcenter.models import ContactPoint
from reporting import store
from reporting.metrics import integrations, outcomes, plans, transfers, workload
from reporting.periods import Month

TREND_MONTHS = 24


@dataclass
class Figures:
    office: ContactPoint
    month: Month
    today: date
    refresh_store: InitVar[bool] = True  # False: the figures are filled in from a snapshot (reporting.snapshots)

    def __post_init__(self, refresh_store: bool) -> None:
        if refresh_store:
            store.refresh(self.office.pk)  # the derived rows are brought up to date before anything is read

    @property
    def ref_day(self) -> date:
        """The reference day for stocks (open cases, checks): the month's last day, or today while it runs."""
        return min(self.month.end, self.today)

    @property
    def is_running(self) -> bool:
        return self.month.end >= self.today

    @cached_property
    def quotes(self) -> integrations.QuoteSeries:
        return integrations.quote_series(self.office.pk, self.month, self.today, count=TREND_MONTHS)

    @cached_property
    def transfers(self) -> list[transfers.EndedTransfers]:
        return transfers.ended_transfers(self.office.pk, self.month, self.today)

    @cached_property
    def caseload(self) -> list[workload.Caseload]:
        return workload.caseload(self.office.pk, self.ref_day)

    @cached_property
    def referrals(self) -> list[workload.ReferralFigures]:
        return workload.referrals_by_category(self.office.pk, self.month, self.today)

    @cached_property
    def costs(self) -> list[workload.CostFigures]:
        return workload.costs_per_agency(self.office.pk, self.month, self.today)

    @cached_property
    def plans(self) -> list[plans.PlansSigned]:
        return plans.plans_signed(self.office.pk, self.month, self.today)

    @cached_property
    def sustainability(self) -> list[outcomes.Sustainability]:
        return outcomes.sustainability(self.office.pk, self.month, self.ref_day)

    @cached_property
    def cohorts(self) -> list[outcomes.CohortCell]:
        return outcomes.cohorts(self.office.pk, self.month, self.ref_day)

    def agency_name(self, kind: str) -> str:
        from jobcenter.models import Agency

        agency = self.office.employment_agency if kind == Agency.Kind.ARBEITSAMT else self.office.welfare_agency
        return agency.name
