"""Example legal notes for invitations (version 1 of the two invitation bases of ``LegalNotice``), marked
``is_example`` ("Mustertext").

An invitation prints the note chosen by the client's benefits on the appointment's day (``letters.rules``): the
duty to report for Alg/Alhi recipients, § 25 BSHG for HLU recipients. The texts are written to be understood by
the client; the office must check and adapt them (in the admin: add version 2 with its own start date).
"""

from datetime import date

from django.db import migrations

EXAMPLES = [
    {
        "basis": "sgb3_309",
        "title": "Was passiert, wenn Sie nicht kommen? – Meldepflicht beim Bezug von Arbeitslosengeld oder "
                 "Arbeitslosenhilfe (§§ 309, 145 SGB III)",
        "text": (
            "Diese Belehrung gilt für Sie, weil Sie Arbeitslosengeld oder Arbeitslosenhilfe erhalten.\n\n"
            "Sie sind verpflichtet, sich auf diese Einladung hin zu dem genannten Termin zu melden (Meldepflicht "
            "nach § 309 Drittes Buch Sozialgesetzbuch). Erscheinen Sie ohne wichtigen Grund nicht, tritt eine "
            "Säumniszeit von zwei Wochen ein (§ 145 SGB III). Während der Säumniszeit ruht Ihr Anspruch: Sie "
            "erhalten für diese Zeit keine Leistung.\n\n"
            "Die Säumniszeit beginnt am Tag nach dem versäumten Termin. Melden Sie sich danach nicht persönlich, "
            "kann sie sich verlängern, bis Sie sich wieder melden.\n\n"
            "Ein wichtiger Grund ist zum Beispiel eine Arbeitsunfähigkeit (mit ärztlicher Bescheinigung) oder ein "
            "Vorstellungsgespräch bei einem Arbeitgeber. Bitte sagen Sie dann möglichst vor dem Termin Bescheid."
        ),
    },
    {
        "basis": "bshg_25_inv",
        "title": "Was passiert, wenn Sie nicht kommen? – Hilfe zum Lebensunterhalt (§ 25 BSHG)",
        "text": (
            "Diese Belehrung gilt für Sie, weil Sie Hilfe zum Lebensunterhalt vom Sozialamt erhalten.\n\n"
            "Das Gespräch dient dazu, mit Ihnen eine zumutbare Arbeit oder eine Maßnahme zu finden, die Ihnen den "
            "Weg in Arbeit ebnet (§§ 18 bis 20 Bundessozialhilfegesetz). Wer sich ohne wichtigen Grund weigert, "
            "daran mitzuwirken, hat keinen Anspruch auf Hilfe zum Lebensunterhalt in voller Höhe (§ 25 Abs. 1 "
            "BSHG). Bleiben Sie dem Termin ohne wichtigen Grund fern, kann Ihre Hilfe deshalb in einem ersten "
            "Schritt um mindestens ein Viertel (25 Prozent) des für Sie maßgebenden Regelsatzes gekürzt werden.\n\n"
            "Vor einer Kürzung hören wir Sie an. Die Hilfe für Ihre Kinder und andere Angehörige im Haushalt soll "
            "dadurch möglichst nicht geschmälert werden.\n\n"
            "Wichtige Gründe sind zum Beispiel eine Krankheit (mit ärztlicher Bescheinigung), die Betreuung eines "
            "Kindes unter drei Jahren ohne andere Betreuungsmöglichkeit oder die Pflege eines Angehörigen. Bitte "
            "sagen Sie möglichst vor dem Termin Bescheid."
        ),
    },
]


def add_examples(apps, schema_editor):
    LegalNotice = apps.get_model("integration_plans", "LegalNotice")
    for example in EXAMPLES:
        LegalNotice.objects.get_or_create(
            basis=example["basis"], version=1,
            defaults={"title": example["title"], "text": example["text"], "valid_from": date(2003, 1, 1),
                      "is_example": True},
        )


def remove_examples(apps, schema_editor):
    LegalNotice = apps.get_model("integration_plans", "LegalNotice")
    LegalNotice.objects.filter(basis__in=[e["basis"] for e in EXAMPLES], version=1, is_example=True,
                               plans__isnull=True, letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letters_templates_batches")]

    operations = [migrations.RunPython(add_examples, remove_examples)]
