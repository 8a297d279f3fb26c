"""The letters app's part of the Auskunft (``cases.auskunft``): every letter about the client — invitations, hearing
letters and commission letters to partners (with the data they carried) — and the batches they were printed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.auskunft import AuskunftPart, Rows, day, moment, register, text
from letters.models import Letter, LetterKind

if TYPE_CHECKING:
    from cases.models import Client


def _about(letter: Letter) -> str:
    content = letter.content or {}
    if letter.kind == LetterKind.INVITATION and "appointment" in content:
        facts = content["appointment"]
        return _("Appointment on %(day)s at %(time)s: %(purpose)s") % {
            "day": day(letter.appointment.starts_at.date()) if letter.appointment else "", "time": facts["time"],
            "purpose": facts["purpose"]}
    if letter.kind == LetterKind.HEARING and "hearing" in content:
        return _("Hearing: %(reason)s") % {"reason": content["hearing"]["reason_label"]}
    if letter.kind == LetterKind.REFERRAL and "referral" in content:
        return _("To %(partner)s: %(offer)s; data passed on: %(data)s") % {
            "partner": content["referral"]["partner"], "offer": content["referral"]["offer"],
            "data": ", ".join(content.get("data_labels") or []) or _("none")}
    return ""


def _letters(client: Client) -> Rows:
    rows = (Letter.objects.filter(case__client=client).select_related("template", "appointment")
            .prefetch_related("batches").order_by("letter_date", "id"))
    result = []
    for letter in rows:
        version = _("version %(version)s") % {"version": letter.template.version}
        batches = ", ".join(moment(batch.created_at) for batch in letter.batches.all())
        result.append((day(letter.letter_date), letter.get_kind_display(), text(_about(letter)),
                       day(letter.reply_by) if letter.reply_by else "", version, text(batches)))
    return result


def register_parts() -> None:
    register(AuskunftPart("letters", gettext_lazy("Letters"), [
        gettext_lazy("date"), gettext_lazy("letter"), gettext_lazy("concerning"), gettext_lazy("reply by"),
        gettext_lazy("template"), gettext_lazy("printed together with other invitations on"),
    ], _letters, order=88, models=(Letter,)))
