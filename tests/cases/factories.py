import datetime

import factory
from django.utils import timezone

from cases.models import Client
from tests.factories import ContactPointFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    contact_point = factory.SubFactory(ContactPointFactory)
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    birth_date = factory.Faker(
        "date_between_dates", date_start=datetime.date(1950, 1, 1), date_end=datetime.date(2005, 12, 31)
    )
    street = factory.Faker("street_address", locale="de_DE")
    postal_code = factory.Faker("postcode", locale="de_DE")
    city = factory.Faker("city", locale="de_DE")


class CaseFactory(factory.django.DjangoModelFactory):
    """An open case at the client's office (pass ``client__contact_point=office`` or a ``client``)."""

    class Meta:
        model = "cases.Case"

    client = factory.SubFactory(ClientFactory)
    contact_point = factory.SelfAttribute("client.contact_point")
    opened_on = factory.LazyFunction(timezone.localdate)


class ContactNoteFactory(factory.django.DjangoModelFactory):
    """A note on a case (pass ``case``); ordinary unless ``sensitive=True``."""

    class Meta:
        model = "cases.ContactNote"

    case = factory.SubFactory(CaseFactory)
    author = factory.SubFactory("tests.factories.UserFactory")
    occurred_on = factory.LazyFunction(timezone.localdate)
    channel = "in_person"
    text = factory.Faker("sentence", locale="de_DE")
    sensitive = False


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment tomorrow without outcome (pass ``case``; set ``starts_at`` freely: no rule is checked)."""

    class Meta:
        model = "cases.Appointment"

    case = factory.SubFactory(CaseFactory)
    starts_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1))
    purpose = "Beratungsgespräch"


class BenefitApplicationFactory(factory.django.DjangoModelFactory):
    """A received application at the client's office (pass ``client`` and ``received_by``)."""

    class Meta:
        model = "cases.BenefitApplication"

    client = factory.SubFactory(ClientFactory)
    contact_point = factory.SelfAttribute("client.contact_point")
    kind = "alg"
    received_on = factory.LazyFunction(timezone.localdate)
    received_by = factory.SubFactory("tests.factories.UserFactory")
