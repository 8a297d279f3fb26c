"""The default mapping "dimension rated need / obstacle → proposed integration offer" (docs/domain.md §5: Schuldner-
beratung, Kinderbetreuung, Qualifizierung ...). Administrators change it in the Django admin afterwards."""

from django.db import migrations

# dimension, partners offer category, title shown as the proposal, on need, on obstacle
DEFAULTS = [
    ("schooling", "qualification", "Nachholen des Schulabschlusses", True, True),
    ("vocational_training", "qualification", "Qualifizierung / Umschulung", True, True),
    ("work_experience", "work_placement", "Betriebspraktikum zur Erprobung", True, True),
    ("work_experience", "employment_company", "Arbeitsgelegenheit mit Qualifizierungsanteil", False, True),
    ("german", "qualification", "Sprachkurs Deutsch", True, True),
    ("mobility", "other_job", "Mobilitätshilfe (Fahrtkosten, Führerschein)", True, True),
    ("health", "assessment", "Gesundheitliche Eignung klären (Assessment)", False, True),
    ("health", "psychosocial", "Psychosoziale Beratung", True, False),
    ("care_duties", "childcare", "Kinderbetreuung", True, True),
    ("housing", "other_social", "Wohnungsnotfallhilfe", True, True),
    ("debts", "debt_counselling", "Schuldnerberatung", True, True),
    ("addiction", "addiction_counselling", "Suchtberatung", True, True),
    ("motivation", "psychosocial", "Psychosoziale Stabilisierung / Aktivierung", True, True),
    ("social_skills", "application_support", "Bewerbungs- und Sozialtraining", True, True),
]


def add_defaults(apps, schema_editor):
    OfferSuggestion = apps.get_model("profiling", "OfferSuggestion")
    for position, (dimension, category, title, on_need, on_obstacle) in enumerate(DEFAULTS):
        OfferSuggestion.objects.get_or_create(
            dimension=dimension, offer_category=category,
            defaults={"title": title, "on_need": on_need, "on_obstacle": on_obstacle, "position": position},
        )


def remove_defaults(apps, schema_editor):
    OfferSuggestion = apps.get_model("profiling", "OfferSuggestion")
    for dimension, category, *_ in DEFAULTS:
        OfferSuggestion.objects.filter(dimension=dimension, offer_category=category).delete()


class Migration(migrations.Migration):
    dependencies = [("profiling", "0001_profilings_social_history_assessments")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
