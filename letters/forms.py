"""Forms of letters: a template's new version, and the choice of appointments to print invitations for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from crispy_forms.layout import Column, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import fields_helper, reject_control_characters
from letters.models import LetterKind, LetterTemplate

DETAILS_LABELS = {
    LetterKind.INVITATION: (_("What to bring"), _("One item per line; printed as a list.")),
    LetterKind.HEARING: (_("How to reply"), _("How and where the client can state their view.")),
    LetterKind.REFERRAL: (_("What we ask of the partner"), _("Confirmation, reports, what to tell us at once.")),
}


def _text(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[reject_control_characters])
    opening = forms.CharField(label=_("Opening"), max_length=4000, widget=_text(4),
                              validators=[reject_control_characters],
                              help_text=_("After the salutation, before the facts. Paragraphs are separated by a "
                                          "blank line."))
    details = forms.CharField(max_length=4000, required=False, widget=_text(4), validators=[reject_control_characters])
    closing = forms.CharField(label=_("Closing"), max_length=4000, required=False, widget=_text(3),
                              validators=[reject_control_characters],
                              help_text=_("After the facts, before the greeting."))
    reply_days = forms.IntegerField(label=_("Days to reply"), min_value=1, max_value=60)
    change_note = forms.CharField(label=_("What was changed"), max_length=300, required=False,
                                  validators=[reject_control_characters],
                                  help_text=_("A short note for the version history."))
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, kind: str, current: LetterTemplate, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "subject": current.subject, "opening": current.opening, "details": current.details,
            "closing": current.closing, "reply_days": current.reply_days, "version": current.version,
        })
        super().__init__(*args, **kwargs)
        label, help_text = DETAILS_LABELS[LetterKind(kind)]
        self.fields["details"].label = label
        self.fields["details"].help_text = help_text
        rows: list[Any] = ["subject", "opening", "details", "closing"]
        if kind == LetterKind.INVITATION:  # an invitation has no deadline of its own
            self.fields["reply_days"].required = False
            self.fields["reply_days"].widget = forms.HiddenInput()
        else:
            self.fields["reply_days"].help_text = (
                _("The client's deadline, counted from the date of the letter (a weekend moves it to Monday).")
                if kind == LetterKind.HEARING else _("When the partner should report back."))
            rows.append(Row(Column("reply_days", css_class="col-md-4")))
        rows += ["change_note", "version"]
        self.helper = fields_helper(*rows)
        self.current = current

    def clean_version(self) -> int | None:
        """The version the form was opened on (for the service's check that nobody saved in between); a value
        that is no number is treated as unknown rather than refused: the field is hidden, its error unseen."""
        value = (self.cleaned_data.get("version") or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else None

    def clean_reply_days(self) -> int:
        value = self.cleaned_data.get("reply_days")
        return value if value is not None else self.current.reply_days


class PrintForm(forms.Form):
    """What to print: every open appointment of ``day`` (the button "Einladungen für morgen"), or the selected
    ``appointment`` ids (checkboxes)."""

    day = forms.DateField(required=False)
    appointment = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[])
    selected = forms.BooleanField(required=False)

    def clean_appointment(self) -> list[int]:
        return list(self.cleaned_data.get("appointment") or [])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the ids are checked against the office by the service; here only their form
        raw = self.data.getlist("appointment") if hasattr(self.data, "getlist") else []
        field = cast(forms.TypedMultipleChoiceField, self.fields["appointment"])
        field.choices = [(value, value) for value in raw
                         if str(value).isascii() and str(value).isdigit() and len(str(value)) < 12][:1000]

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("day")
        today = timezone.localdate()
        if day is not None and not today - timedelta(days=366) <= day <= today + timedelta(days=366):
            raise ValidationError(_("Choose a day within a year from today."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("selected") and not data.get("appointment"):
            raise ValidationError(_("Select at least one appointment."))
        return data
