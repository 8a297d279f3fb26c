"""Example legal notices (Rechtsfolgenbelehrungen), version 1 of each legal basis, marked ``is_example``.

They are written to be understood by the client, not copied from the statute; the office must check and adapt
them (in the admin: add version 2 with its own start date) before using them with clients.
"""

from datetime import date

from django.db import migrations

EXAMPLES = [
    {
        "basis": "bshg_25",
        "title": "Was passiert, wenn Sie Ihre Pflichten nicht erfüllen? – Hilfe zum Lebensunterhalt (§ 25 BSHG)",
        "text": (
            "Diese Belehrung gilt für Sie, weil Sie Hilfe zum Lebensunterhalt vom Sozialamt erhalten.\n\n"
            "Wenn Sie ohne wichtigen Grund eine zumutbare Arbeit oder eine vereinbarte Maßnahme ablehnen, "
            "abbrechen oder nicht antreten, oder wenn Sie eine Pflicht aus dieser Vereinbarung nicht erfüllen "
            "(zum Beispiel weniger Bewerbungen nachweisen als vereinbart oder einem Termin unentschuldigt "
            "fernbleiben), kann Ihre Hilfe zum Lebensunterhalt gekürzt werden.\n\n"
            "Die Kürzung beträgt in einem ersten Schritt mindestens ein Viertel (25 Prozent) des für Sie "
            "geltenden Regelsatzes. Weigern Sie sich wiederholt, kann die Hilfe weiter gekürzt werden, bis auf das "
            "zum Lebensunterhalt Unerlässliche. Die Hilfe für Ihre Kinder und andere Angehörige im Haushalt soll "
            "dadurch möglichst nicht geschmälert werden.\n\n"
            "Wichtige Gründe sind zum Beispiel eine Krankheit (mit ärztlicher Bescheinigung), die Betreuung eines "
            "Kindes unter drei Jahren ohne andere Betreuungsmöglichkeit oder die Pflege eines Angehörigen. Bitte "
            "sagen Sie möglichst vorher Bescheid, wenn Sie einen Termin oder eine Pflicht nicht einhalten können, "
            "und bringen Sie Nachweise mit."
        ),
    },
    {
        "basis": "sgb3_144",
        "title": "Was passiert, wenn Sie Ihre Pflichten nicht erfüllen? – Arbeitslosengeld und "
                 "Arbeitslosenhilfe (Sperrzeit, § 144 SGB III)",
        "text": (
            "Diese Belehrung gilt für Sie, weil Sie Arbeitslosengeld oder Arbeitslosenhilfe vom Arbeitsamt "
            "erhalten.\n\n"
            "Lehnen Sie ohne wichtigen Grund eine zumutbare Arbeit ab, die Ihnen das Arbeitsamt anbietet, treten "
            "Sie sie nicht an oder verhindern Sie durch Ihr Verhalten, dass ein Vorstellungsgespräch zu einer "
            "Einstellung führt, tritt eine Sperrzeit ein. Dasselbe gilt, wenn Sie eine vereinbarte Maßnahme zur "
            "beruflichen Eingliederung ablehnen, nicht antreten oder abbrechen.\n\n"
            "Während einer Sperrzeit erhalten Sie keine Leistung, und Ihr Anspruch wird um diese Zeit kürzer. Die "
            "Sperrzeit dauert beim ersten Mal drei Wochen, beim zweiten Mal sechs Wochen und danach jeweils zwölf "
            "Wochen. Kommen Sperrzeiten von zusammen 24 Wochen zusammen, erlischt Ihr Anspruch ganz.\n\n"
            "Weisen Sie die vereinbarten eigenen Bemühungen nicht nach, kann das Arbeitsamt annehmen, dass Sie der "
            "Vermittlung nicht zur Verfügung stehen; dann wird die Leistung eingestellt, bis Sie sich wieder "
            "bemühen. Erscheinen Sie ohne wichtigen Grund nicht zu einem Termin, zu dem Sie eingeladen wurden, "
            "ruht Ihr Anspruch für zwei Wochen.\n\n"
            "Ein wichtiger Grund ist zum Beispiel eine Krankheit (mit ärztlicher Bescheinigung). Bitte melden Sie "
            "sich möglichst vorher, wenn Sie einen Termin oder eine Pflicht nicht einhalten können."
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
    LegalNotice.objects.filter(version=1, is_example=True, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("integration_plans", "0001_plans_notices_hearings")]

    operations = [migrations.RunPython(add_examples, remove_examples)]
