import datetime

import factory

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
