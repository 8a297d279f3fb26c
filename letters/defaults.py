"""The shipped example wording of each kind of letter (version 1 of an office's template, marked as example).

Written for the client, not copied from a statute; the Teamleitung checks and adapts it (a new version) before
the office uses it. The legal notes of invitations are not here: they are versioned legal notices
(``integration_plans.models.LegalNotice``, bases ``bshg_25_inv`` and ``sgb3_309``), shipped by the migration
``letters/migrations/0002_example_invitation_notices.py``.
"""

from __future__ import annotations

from typing import TypedDict

from letters.models import LetterKind


class TemplateText(TypedDict):
    subject: str
    opening: str
    details: str
    closing: str
    reply_days: int


EXAMPLES: dict[str, TemplateText] = {
    LetterKind.INVITATION: {
        "subject": "Einladung zu einem persönlichen Gespräch",
        "opening": (
            "wir laden Sie zu einem persönlichen Gespräch in die Anlaufstelle ein. Bitte kommen Sie pünktlich zu "
            "dem unten genannten Termin und melden Sie sich am Empfang."
        ),
        "details": (
            "diese Einladung\n"
            "Ihren Personalausweis oder Reisepass\n"
            "Ihre aktuellen Bewerbungsunterlagen und die Nachweise Ihrer Bewerbungen\n"
            "Bescheide, die Sie seit unserem letzten Gespräch erhalten haben"
        ),
        "closing": (
            "Wenn Sie den Termin nicht wahrnehmen können, sagen Sie bitte vorher ab und nennen Sie den Grund "
            "(zum Beispiel mit einer ärztlichen Bescheinigung). Wir vereinbaren dann mit Ihnen einen neuen Termin."
        ),
        "reply_days": 14,
    },
    LetterKind.HEARING: {
        "subject": "Anhörung nach § 24 SGB X",
        "opening": (
            "bevor wir über eine Rechtsfolge entscheiden, geben wir Ihnen Gelegenheit, sich zu dem unten "
            "beschriebenen Sachverhalt zu äußern (Anhörung nach § 24 Zehntes Buch Sozialgesetzbuch). Eine "
            "Entscheidung ist mit diesem Schreiben noch nicht getroffen."
        ),
        "details": (
            "Sie können uns schreiben oder während der Öffnungszeiten persönlich bei uns vorsprechen; bitte geben "
            "Sie dabei Ihre Fall-Nummer an. Hatten Sie einen wichtigen Grund, legen Sie bitte Nachweise bei, zum "
            "Beispiel eine ärztliche Bescheinigung."
        ),
        "closing": (
            "Äußern Sie sich bis zu der genannten Frist nicht, entscheiden wir nach Aktenlage. Haben Sie Fragen, "
            "rufen Sie uns gern an."
        ),
        "reply_days": 14,
    },
    LetterKind.REFERRAL: {
        "subject": "Beauftragung",
        "opening": (
            "hiermit beauftragen wir Sie mit der unten genannten Leistung für die unten genannte Person. Die "
            "Kosten trägt der unten genannte Träger im vereinbarten Umfang."
        ),
        "details": (
            "Bitte bestätigen Sie uns den Beginn und teilen Sie uns umgehend mit, wenn die Person nicht erscheint "
            "oder die Leistung abbricht. Über den Verlauf berichten Sie uns bitte bis zum genannten Termin."
        ),
        "closing": (
            "Angaben zur Person erhalten Sie nur im Umfang der Schweigepflichtentbindung oder soweit sie für die "
            "Leistung erforderlich sind. Bitte verwenden Sie sie nur für diesen Auftrag (§§ 67 ff. SGB X)."
        ),
        "reply_days": 14,
    },
}
