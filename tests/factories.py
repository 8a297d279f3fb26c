"""Factories for the organisation; each app keeps its own in ``tests/<app>/factories.py``."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from jobcenter.models import Agency, ContactPoint, StaffProfile
from jobcenter.roles import Module


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    kind = Agency.Kind.ARBEITSAMT
    name = factory.Sequence(lambda n: f"Arbeitsamt {n}")


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    name = factory.Sequence(lambda n: f"Anlaufstelle {n}")
    variant = ContactPoint.Variant.GROSSSTADT
    employment_agency = factory.SubFactory(AgencyFactory, kind=Agency.Kind.ARBEITSAMT)
    welfare_agency = factory.SubFactory(
        AgencyFactory, kind=Agency.Kind.SOZIALHILFE, name=factory.Sequence(lambda n: f"Sozialamt {n}")
    )
    enabled_modules = factory.LazyFunction(lambda: list(Module.values))


STAFF_FIRST_NAMES = ("Tjark", "Hauke", "Okke", "Ocke", "Rieke", "Hinnerk", "Thees", "Marret", "Hilke", "Fenna", "Onno")
STAFF_LAST_NAMES = ("Brinkhaus", "Tiedemann", "Ohlsen", "Tjaden", "Wübbena", "Poppinga", "Quedens", "Ubben", "Eilers",
                    "Saathoff", "Rademacher", "Sievers", "Boekhoff")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Staff names come from fixed lists that share no word with Faker's de_DE names, which the client factory
    # draws from: a check that a client's name is absent from a page can never meet a staff member's name in its
    # header. 11 and 13 are coprime, so the first 143 users have distinct full names.
    first_name = factory.Sequence(lambda n: STAFF_FIRST_NAMES[n % len(STAFF_FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: STAFF_LAST_NAMES[n % len(STAFF_LAST_NAMES)])
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            # get_or_create: a transactional test's flush removes the groups the data migration created
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])

    @factory.post_generation
    def offices(self, create: bool, extracted: list[ContactPoint] | None, **kwargs: object) -> None:
        if create and extracted is not None:
            profile, _ = StaffProfile.objects.get_or_create(user=self)
            profile.contact_points.set(extracted)
