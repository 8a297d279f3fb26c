"""Demo organisation: two offices with their agencies and one user per role. For demonstrations only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pghistory.models
import pghistory.runtime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from jobcenter.models import Agency, ContactPoint, CooperationAgreement, StaffProfile
from jobcenter.roles import Module, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEMO_PASSWORD = "anlaufstelle-demo"  # noqa: S105 - published demo login, documented in the README
# The actor of the demo's audit trail: a system account, not a staff member (inactive, no password, no office,
# no role), so the admin's audit list and the case history say who wrote the demo data.
DEMO_ACTOR = "Demo-Daten"

# username stem, role, first name, last name, home agency kind
DEMO_STAFF = [
    ("empfang", Role.EMPFANG, "Sabine", "Krüger", Agency.Kind.SOZIALHILFE),
    ("fallmanager", Role.FALLMANAGER, "Thomas", "Becker", Agency.Kind.ARBEITSAMT),
    ("vermittler", Role.ARBEITSVERMITTLER, "Aylin", "Demir", Agency.Kind.ARBEITSAMT),
    ("leistung", Role.LEISTUNG, "Jürgen", "Hoffmann", Agency.Kind.SOZIALHILFE),
    ("teamleitung", Role.TEAMLEITUNG, "Monika", "Schulz", Agency.Kind.SOZIALHILFE),
]
SECOND_OFFICE_NAMES = {
    "empfang": ("Petra", "Lange"),
    "fallmanager": ("Stefan", "Wolff"),
    "vermittler": ("Katrin", "Möller"),
    "leistung": ("Uwe", "Schröder"),
    "teamleitung": ("Andreas", "Neumann"),
}


@dataclass
class DemoOrganisation:
    offices: list[ContactPoint]
    staff: dict[str, object] = field(default_factory=dict)  # username -> User


def seed_organisation() -> DemoOrganisation:
    aa_city, _ = Agency.objects.update_or_create(
        name="Arbeitsamt Leipzig", defaults={"kind": Agency.Kind.ARBEITSAMT, "district_key": "AA-073"}
    )
    sh_city, _ = Agency.objects.update_or_create(
        name="Sozialamt der Stadt Leipzig", defaults={"kind": Agency.Kind.SOZIALHILFE, "district_key": "14713000"}
    )
    aa_rural, _ = Agency.objects.update_or_create(
        name="Arbeitsamt Oschatz", defaults={"kind": Agency.Kind.ARBEITSAMT, "district_key": "AA-079"}
    )
    sh_rural, _ = Agency.objects.update_or_create(
        name="Landkreis Leipziger Land, Sozialamt",
        defaults={"kind": Agency.Kind.SOZIALHILFE, "district_key": "14729000"},
    )
    city, _ = ContactPoint.objects.update_or_create(
        name="Gemeinsame Anlaufstelle Leipzig-Mitte",
        defaults={
            "variant": ContactPoint.Variant.GROSSSTADT,
            "address": "Georg-Schwarz-Straße 12\n04177 Leipzig",
            "employment_agency": aa_city,
            "welfare_agency": sh_city,
            "enabled_modules": list(Module.values),
        },
    )
    rural, _ = ContactPoint.objects.update_or_create(
        name="Gemeinsame Anlaufstelle Landkreis Leipziger Land",
        defaults={
            "variant": ContactPoint.Variant.LANDKREIS,
            "address": "Marktplatz 3\n04552 Borna",
            "employment_agency": aa_rural,
            "welfare_agency": sh_rural,
            "enabled_modules": [
                Module.LEISTUNGSBERATUNG, Module.ANTRAGSANNAHME, Module.SOZIALANAMNESE,
                Module.EINGLIEDERUNGSHILFEN, Module.BEAUFTRAGUNG_DRITTER, Module.VERMITTLUNG,
            ],
        },
    )
    agreement, _ = CooperationAgreement.objects.update_or_create(
        title="Kooperationsvereinbarung Arbeitsamt Oschatz / Stadt Leipzig",
        defaults={
            "scope": "Abstimmung für Kunden mit Wohnsitz im Stadtgebiet Leipzig, die dem Arbeitsamtsbezirk Oschatz "
            "zugeordnet sind: gegenseitige Information, gemeinsame Fallkonferenzen.",
            "valid_from": "2003-04-01",
        },
    )
    agreement.parties.set([aa_rural, sh_city])
    agreement.contact_points.set([city, rural])  # clients can be handed over between the two demo offices
    ended, _ = CooperationAgreement.objects.update_or_create(
        title="Vereinbarung Arbeitsamt Leipzig / Landkreis Leipziger Land (Modellphase)",
        defaults={
            "scope": "Modellphase der gemeinsamen Anlaufstellen: Austausch von Kundendaten bei Umzug zwischen Stadt und "
            "Landkreis.",
            "valid_from": "2001-01-01", "valid_until": "2003-03-31",
            "end_reason": "Abgelöst durch die Kooperationsvereinbarung Arbeitsamt Oschatz / Stadt Leipzig.",
        },
    )
    ended.parties.set([aa_city, sh_rural])
    ended.contact_points.set([city, rural])

    organisation = DemoOrganisation(offices=[city, rural])
    agency_of = {
        (city.pk, Agency.Kind.ARBEITSAMT): aa_city, (city.pk, Agency.Kind.SOZIALHILFE): sh_city,
        (rural.pk, Agency.Kind.ARBEITSAMT): aa_rural, (rural.pk, Agency.Kind.SOZIALHILFE): sh_rural,
    }
    for office, suffix in ((city, ""), (rural, "2")):
        for stem, role, first, last, agency_kind in DEMO_STAFF:
            if suffix:
                first, last = SECOND_OFFICE_NAMES[stem]
            user = _demo_user(stem + suffix, first, last, roles=[role])
            _profile(user, agency_of[(office.pk, agency_kind)], [office])
            organisation.staff[user.username] = user
    admin = _demo_user("admin", "Claudia", "Richter", roles=[Role.ADMINISTRATOR], superuser=True)
    _profile(admin, aa_city, [city, rural])
    organisation.staff["admin"] = admin
    return organisation


def demo_actor() -> User:
    """The system account named as the actor of everything the demo seed writes (created once)."""
    user, _ = get_user_model().objects.update_or_create(
        username=DEMO_ACTOR,
        defaults={"first_name": DEMO_ACTOR, "last_name": "", "email": "", "is_active": False, "is_staff": False,
                  "is_superuser": False},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def name_demo_actor(context: pghistory.runtime.Context, actor: User) -> None:
    """Name the demo actor in the seed's audit context. The services the seed calls open nested contexts with the
    staff member they act for (``pghistory.context(user=...)``); nested contexts share one context row whose
    metadata the last of them wrote. So after seeding, the row and the running metadata are set back."""
    metadata = {"source": "seed_demo", "user": actor.pk, "actor": DEMO_ACTOR}
    context.metadata.clear()
    context.metadata.update(metadata)
    pghistory.models.Context.objects.filter(pk=context.id).update(metadata=metadata)


def _demo_user(username: str, first: str, last: str, *, roles: list[str], superuser: bool = False) -> User:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.is_staff = superuser
    user.is_superuser = superuser
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in roles])
    return user


def _profile(user: User, agency: Agency, offices: list[ContactPoint]) -> StaffProfile:
    profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"home_agency": agency})
    profile.home_agency = agency
    profile.save()
    profile.contact_points.set(offices)
    return profile
