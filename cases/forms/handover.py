"""The hand-over form: the receiving contact point, the day and a note. Whether an agreement allows it is the
service's rule (``cases.services.handover``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import DateInput, fields_helper, reject_control_characters
from jobcenter.models import ContactPoint


class HandOverForm(forms.Form):
    to_office = forms.ModelChoiceField(
        label=_("receiving contact point"), queryset=ContactPoint.objects.none(), empty_label=None,
        help_text=_("Only contact points that share a cooperation agreement with yours."),
    )
    handed_over_on = forms.DateField(
        label=_("handed over on"), widget=DateInput(),
        help_text=_("An agreement covering both contact points must be valid on this day."),
    )
    note = forms.CharField(label=_("note for the receiving office"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}), validators=[reject_control_characters])

    def __init__(self, *args: Any, targets: QuerySet[ContactPoint], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"handed_over_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["to_office"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
        self.helper = fields_helper("to_office", "handed_over_on", "note")
