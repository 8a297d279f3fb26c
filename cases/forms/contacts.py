"""Forms of the contact log and appointments: they clean and validate input; rules live in the services."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, cast

from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Appointment, AppointmentOutcome, CancelledBy, Channel
from cases.rules import OfficeHours
from jobcenter.forms import DateInput, StaffChoiceField, fields_helper


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


class ConfirmedIdsField(forms.Field):
    """The ids of the overlapping appointments a user confirmed ("12,15"), sent by the "Trotzdem speichern" button.
    Anything else is ignored rather than refused: the ids only confirm a warning the service recomputes, and a
    hidden field could not show an error."""

    widget = forms.HiddenInput

    def to_python(self, value: Any) -> frozenset[int]:
        raw = value if isinstance(value, str) else ""
        return frozenset(int(part) for part in raw.split(",") if re.fullmatch(r"[0-9]{1,18}", part.strip()))


class SlotForm(forms.Form):
    """Date and time of an appointment, with the office hours as a hint, and the overlaps the user confirmed
    (``accepted_overlaps``: the ids the "Trotzdem speichern" button sends; not rendered as a field)."""

    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    accepted_overlaps = ConfirmedIdsField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = OfficeHours.configured()
        self.fields["day"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["start_time"].widget.attrs.update(min=f"{hours.opens:%H:%M}", max=f"{hours.last_start:%H:%M}")
        self.fields["start_time"].help_text = _("Monday to Friday, starting between %(first)s and %(last)s.") % {
            "first": f"{hours.opens:%H:%M}", "last": f"{hours.last_start:%H:%M}"}

    @property
    def starts_at(self) -> datetime:
        """The chosen date and time in the office's time zone (after ``is_valid``)."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"]))

    def _slot_initial(self, appointment: Appointment) -> None:
        local = timezone.localtime(appointment.starts_at)
        self.fields["day"].initial = local.date()
        self.fields["start_time"].initial = local.time().replace(second=0, microsecond=0, tzinfo=None)


def _slot_row() -> Row:
    return Row(Column("day", css_class="col-sm-6"), Column("start_time", css_class="col-sm-6"))


class AppointmentForm(SlotForm):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    with_user = StaffChoiceField(label=_("With"), queryset=None, required=False,
                                 empty_label=_("– nobody in particular –"))

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["with_user"]).queryset = staff
        self.helper = fields_helper(_slot_row(), "purpose", "with_user")


class AppointmentMoveForm(SlotForm):
    """"Termin verschieben": a new date and time, and why."""

    reason = forms.CharField(
        label=_("Reason for the move"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the client asked for another date, or the case manager is ill. Shown in the timeline."),
    )

    def __init__(self, *args: Any, appointment: Appointment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slot_initial(appointment)
        self.fields["day"].label = _("New date")
        self.fields["start_time"].label = _("New time")
        self.helper = fields_helper(_slot_row(), "reason")


class AppointmentCorrectForm(AppointmentForm):
    """"Termin korrigieren": fix what was entered wrongly; nothing about the client is recorded."""

    def __init__(self, *args: Any, appointment: Appointment, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, staff=staff, **kwargs)
        self._slot_initial(appointment)
        self.fields["purpose"].initial = appointment.purpose
        self.fields["with_user"].initial = appointment.with_user_id


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppointmentOutcome.choices, widget=forms.RadioSelect)
    cancelled_by = forms.ChoiceField(
        label=_("Who cancelled?"), choices=CancelledBy.choices, widget=forms.RadioSelect, required=False,
        help_text=_("Only for a cancellation."),
    )
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("Required for an excused or unexcused absence."),
    )

    def __init__(self, *args: Any, upcoming: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if upcoming:  # before the appointment only an excuse or a cancellation can be known
            cast(forms.ChoiceField, self.fields["outcome"]).choices = [
                (o.value, o.label) for o in (AppointmentOutcome.EXCUSED, AppointmentOutcome.CANCELLED)
            ]
        self.helper = fields_helper("outcome", "cancelled_by", "outcome_note")


class ResolveNoShowForm(forms.Form):
    note = forms.CharField(
        label=_("How was the no-show handled?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("E.g. hearing held, good reason accepted, consequence decided. Saved as a note on the case."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("note")
