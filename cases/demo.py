"""Demo clients (a starter set; the cases issue extends it to ~300 per office with full histories)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cases.models import Client

FIRST_NAMES = [
    "Anna", "Maria", "Sandra", "Nicole", "Stefanie", "Julia", "Katharina", "Jessica", "Melanie", "Sabrina",
    "Michael", "Andreas", "Thomas", "Stefan", "Christian", "Markus", "Daniel", "Sebastian", "Dennis", "Kevin",
    "Ayşe", "Mehmet", "Olga", "Dmitri", "Jörg", "Björn", "Özlem", "Ümit", "Sören", "Günther",
]
LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
    "Yılmaz", "Kaya", "Öztürk", "Iwanow", "Weiß", "Groß", "Jäger", "Böhm", "Köhler", "Günther",
]
STREETS = ["Karl-Liebknecht-Straße", "Eisenbahnstraße", "Georg-Schumann-Straße", "Lützner Straße", "Dresdner Straße",
           "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Am Markt", "Schulstraße"]
CITIES = {0: [("04177", "Leipzig"), ("04315", "Leipzig"), ("04229", "Leipzig")],
          1: [("04552", "Borna"), ("04567", "Kitzscher"), ("04651", "Bad Lausick")]}

CLIENTS_PER_OFFICE = 40


def seed(organisation) -> str:  # type: ignore[no-untyped-def]
    rng = random.Random(2003)  # noqa: S311 - demo data, reproducible
    created = 0
    for index, office in enumerate(organisation.offices):
        for n in range(CLIENTS_PER_OFFICE):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 36))
            postal_code, city = rng.choice(CITIES[index])
            _, was_created = Client.objects.get_or_create(
                contact_point=office,
                first_name=first,
                last_name=last,
                birth_date=birth,
                defaults={
                    "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    "postal_code": postal_code,
                    "city": city,
                    "phone": f"0341 {rng.randint(100000, 999999)}" if n % 3 else "",
                },
            )
            created += was_created
    return f"{created} clients created"
