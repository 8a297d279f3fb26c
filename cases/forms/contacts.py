"""Forms of the contact log and appointments: they clean and validate input; rules live in the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AppointmentOutcome, Channel
from jobcenter.forms import DateInput, fields_helper


class NoteForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date of contact"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.IN_PERSON)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    sensitive = forms.BooleanField(
        label=_("Sensitive"), required=False,
        help_text=_("Only the assigned case manager and the team lead can read a sensitive note; "
                    "others see only that it exists."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.helper = fields_helper(Row(Column("occurred_on", css_class="col-sm-6"), Column("channel", css_class="col-sm-6")),
                              "text", "sensitive")


class AppointmentForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    with_user = forms.ModelChoiceField(label=_("With"), queryset=None, required=False,  # type: ignore[arg-type]
                                       empty_label=_("– nobody in particular –"))

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["with_user"].queryset = staff  # type: ignore[attr-defined]
        self.fields["with_user"].label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[attr-defined]
        self.helper = fields_helper(Row(Column("day", css_class="col-sm-6"), Column("start_time", css_class="col-sm-6")),
                              "purpose", "with_user")

    @property
    def starts_at(self) -> datetime:
        """The chosen date and time in the office's time zone (after ``is_valid``)."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"]))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppointmentOutcome.choices, widget=forms.RadioSelect)
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("Required for an excused or unexcused absence."),
    )

    def __init__(self, *args: Any, upcoming: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if upcoming:  # before the appointment only an excuse or a cancellation can be known
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]
                (o.value, o.label) for o in (AppointmentOutcome.EXCUSED, AppointmentOutcome.CANCELLED)
            ]
        self.helper = fields_helper("outcome", "outcome_note")


class ResolveNoShowForm(forms.Form):
    note = forms.CharField(
        label=_("How was the no-show handled?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("E.g. hearing held, good reason accepted, consequence decided. Saved as a note on the case."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("note")
