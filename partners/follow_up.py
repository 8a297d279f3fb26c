"""The partners' part of the closing checklist of a case in follow-up (``cases.closing_checklist``): referrals
still running and placement proposals still without an answer. Registered from ``PartnersConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import closing_checklist
from cases.models import Case
from partners.models import PlacementProposal, ProposalResult, Referral
from partners.rules import ACTIVE_STATUSES


def _open_referrals(case: Case) -> list[closing_checklist.OpenItem]:
    rows = (Referral.objects.filter(case=case, status__in=ACTIVE_STATUSES)
            .select_related("offer__partner").order_by("referred_on", "id"))
    return [
        closing_checklist.OpenItem(
            text=f"{r.offer.title} · {r.offer.partner.name} · {r.get_status_display()}",
            url=reverse("partners:referral_detail", args=[r.pk]),
        )
        for r in rows
    ]


def _open_proposals(case: Case) -> list[closing_checklist.OpenItem]:
    rows = (PlacementProposal.objects.filter(case=case, result__in=["", ProposalResult.NO_ANSWER])
            .select_related("vacancy__employer").order_by("proposed_on", "id"))
    return [
        closing_checklist.OpenItem(
            text=f"{p.vacancy.title} · {p.vacancy.employer.name} · "
                 + gettext("proposed on %(date)s") % {"date": f"{p.proposed_on:%d.%m.%Y}"},
            url=reverse("partners:vacancy_detail", args=[p.vacancy_id]) + "#proposals",
        )
        for p in rows
    ]


def register_checks() -> None:
    closing_checklist.register(closing_checklist.Check(
        key="referrals", title=_("Open referrals to partners"), done=_("No referral is running."),
        items=_open_referrals, order=30,
    ))
    closing_checklist.register(closing_checklist.Check(
        key="proposals", title=_("Placement proposals without an answer"), done=_("No proposal awaits an answer."),
        items=_open_proposals, order=40,
    ))
