"""What the client signs and what a partner reads: plain, respectful German, never an internal rating.

A service proposed by the profiling is pre-filled with what the offer helps the client with ("Unterstützung bei
der Klärung Ihrer Schulden"), addressed to the client, instead of the internal reason ("Schulden:
Vermittlungshemmnis"): the agreement is read and signed by the client, and the rating of a sensitive area is
special-category data that the plan's other readers may not see (``cases.need_to_know``).

The purpose ("Anlass") proposed when a service is referred to a partner names the offer and the plan only; it
never copies the service's free text nor anything of the profiling, so nothing the partner need not know leaves
the office unless the case manager writes it in deliberately.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integration_plans.models import PlanService, ServiceKind

# The profiling dimensions (profiling.rules.Dimension values) → what a service proposed for them helps with,
# addressed to the client. Keyed by value so that this module does not import the profiling app.
CLIENT_AIMS: dict[str, Promise] = {
    "schooling": gettext_lazy("Support in catching up on a school-leaving qualification"),
    "vocational_training": gettext_lazy("Support on the way to a vocational qualification"),
    "work_experience": gettext_lazy("Support in gaining work experience"),
    "german": gettext_lazy("Support in improving your German"),
    "mobility": gettext_lazy("Support so that you can get to work well"),
    "health": gettext_lazy("Support in health matters"),
    "care_duties": gettext_lazy("Support in arranging care for your children or relatives"),
    "housing": gettext_lazy("Support in matters concerning your home"),
    "debts": gettext_lazy("Support in sorting out your debts"),
    "addiction": gettext_lazy("Counselling and support on the way to a stable everyday life"),
    "motivation": gettext_lazy("Support with your next steps towards work"),
    "social_skills": gettext_lazy("Preparation for applications and everyday working life"),
}


def proposed_service_description(*, kind: str, title: str, dimension: str) -> str:
    """The description of a service pre-filled from the profiling, in German as printed: the proposal's title
    where it says more than the service kind, and what the service helps with. No rating, no internal term."""
    with translation.override("de"):
        aim = str(CLIENT_AIMS[dimension]) if dimension in CLIENT_AIMS else ""
        kind_label = str(ServiceKind(kind).label) if kind in ServiceKind.values else ""
        named = title.strip() if title.strip().casefold() != kind_label.casefold() else ""
        return " – ".join(part for part in (named, aim) if part)


def referral_purpose(service: PlanService) -> str:
    """The purpose proposed to the case manager when ``service`` is referred to its partner offer."""
    offer = service.offer
    name = offer.title if offer is not None else str(service.get_kind_display())
    return _("Participation in “%(offer)s” as agreed in the help plan (version %(version)s).") % {
        "offer": name, "version": service.plan.version}
