"""Extension point of the closing checklist of a case in follow-up (Nachbetreuung).

Before a case is closed after an integration, whatever is still running for the client must be settled: open
appointments, referrals to partners, placement proposals, unsigned help plans, benefits still being paid. Every app
registers a ``Check`` for what it owns (higher apps from their ``AppConfig.ready``; the cases app does not import
them); the case page, the client page and ``cases.services.follow_up.close_follow_up`` read the same list.

A check receives the case (already fetched through the user's office scope) and returns its open items; an item
names the thing and, where there is one, the page on which it is settled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from cases.models import Case


@dataclass(frozen=True)
class OpenItem:
    text: str
    url: str = ""


@dataclass(frozen=True)
class CheckResult:
    key: str
    title: str | Promise
    done: str | Promise  # shown when nothing is open
    items: list[OpenItem] = field(default_factory=list)
    hint: str = ""  # what to do about the open items (e.g. tell the benefits clerks)

    @property
    def is_open(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Check:
    key: str
    title: str | Promise
    done: str | Promise
    items: Callable[[Case], list[OpenItem]]
    hint: Callable[[Case], str] | None = None
    order: int = 100


_CHECKS: dict[str, Check] = {}


def register(check: Check) -> None:
    _CHECKS[check.key] = check


def checklist(case: Case) -> list[CheckResult]:
    """Every registered check for ``case``, in order."""
    results = []
    for check in sorted(_CHECKS.values(), key=lambda c: (c.order, c.key)):
        items = check.items(case)
        hint = check.hint(case) if check.hint is not None and items else ""
        results.append(CheckResult(key=check.key, title=check.title, done=check.done, items=items, hint=hint))
    return results


def open_summary(results: list[CheckResult]) -> str:
    """"2 × Offene Termine, 1 × Laufende Leistungen" – for messages."""
    return ", ".join(f"{len(r.items)} × {r.title}" for r in results if r.is_open)


# --- the message to whoever recorded the integration -----------------------------------------------------
def follow_up_message(case: Case, by: AbstractBaseUser) -> str:
    """What the person who recorded an integration is told: follow-up, who was told, what is still open."""
    case.refresh_from_db()
    manager = case.case_manager
    if manager is None:
        told = gettext("No case manager is assigned: the team lead sees the case on the start page.")
    elif manager.pk == by.pk:
        told = gettext("You find it on your start page under “Follow-up”.")
    else:
        told = gettext("%(name)s has been told on their start page (“Follow-up”).") % {
            "name": manager.get_full_name() or manager.get_username()}
    still_open = open_summary(checklist(case))
    parts = [
        gettext("Integration recorded: the case of %(client)s stays open in follow-up (first day of work %(date)s).")
        % {"client": case.client, "date": f"{case.integrated_on:%d.%m.%Y}"},
        told,
    ]
    if still_open:
        parts.append(gettext("Still open: %(items)s.") % {"items": still_open})
    return " ".join(str(part) for part in parts)



# --- the checks of the cases app ------------------------------------------------------------------------------
def _open_appointments(case: Case) -> list[OpenItem]:
    rows = case.appointments.filter(outcome="").order_by("starts_at", "id")
    return [
        OpenItem(
            text=f"{timezone.localtime(a.starts_at):%d.%m.%Y %H:%M} · {a.purpose} · {gettext('planned')}",
            url=reverse("cases:appointment_outcome", args=[a.pk]),
        )
        for a in rows
    ]


def _pending_no_show(case: Case) -> list[OpenItem]:
    if not case.no_show_pending:
        return []
    return [OpenItem(text=gettext("Unexcused no-show to handle"),
                     url=reverse("cases:no_show_resolve", kwargs={"case_pk": case.pk}))]


def _running_benefits(case: Case) -> list[OpenItem]:
    from cases.models import BenefitEntitlement

    today = timezone.localdate()
    rows = (
        BenefitEntitlement.objects.filter(client_id=case.client_id)
        .filter(Q(end__isnull=True) | Q(end__gte=today)).order_by("start", "id")
    )
    items = []
    for benefit in rows:
        until = (gettext("until %(date)s") % {"date": f"{benefit.end:%d.%m.%Y}"}) if benefit.end else gettext("running")
        items.append(OpenItem(
            text=f"{benefit.get_kind_display()} · {gettext('since %(date)s') % {'date': f'{benefit.start:%d.%m.%Y}'}}"
                 f" · {localize(benefit.monthly_amount)} € · {until}",
            url=reverse("cases:benefit_end", args=[benefit.pk]),
        ))
    return items


def _benefits_hint(case: Case) -> str:
    start = f"{case.integrated_on:%d.%m.%Y}" if case.integrated_on else "–"
    return gettext(
        "The client starts work on %(date)s: tell the benefits clerks (Leistungssachbearbeitung), so that they end "
        "or adjust the benefit from that day (end reason “employment”, “training” or “self-employment”). They "
        "see this case on their start page."
    ) % {"date": start}


def register_cases_checks() -> None:
    """The cases app's own checks (called from ``CasesConfig.ready``)."""
    register(Check(
        key="appointments", title=_("Open appointments"), done=_("No open appointments."), items=_open_appointments,
        order=10,
    ))
    register(Check(
        key="no_show", title=_("Possible obligation breach"), done=_("No unexcused no-show to handle."),
        items=_pending_no_show, order=20,
    ))
    register(Check(
        key="benefits", title=_("Running benefits"), done=_("No benefit is running."), items=_running_benefits,
        hint=_benefits_hint, order=90,
    ))
