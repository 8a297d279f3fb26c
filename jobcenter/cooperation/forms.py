"""Forms of the cooperation agreements: they clean and validate; the rules are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import DateInput, fields_helper, reject_control_characters
from jobcenter.models import Agency, ContactPoint


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} – {obj.get_kind_display()}"


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, validators=[reject_control_characters])
    parties = AgencyChoiceField(
        label=_("parties"), queryset=Agency.objects.order_by("name"), widget=forms.CheckboxSelectMultiple,
        help_text=_("The agencies that agreed, at least two; one of them an agency of your contact point."),
    )
    scope = forms.CharField(
        label=_("scope"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_control_characters],
        help_text=_("What the parties agreed: which clients, which services, how they inform each other."),
    )
    contact_points = forms.ModelMultipleChoiceField(
        label=_("contact points covered"), queryset=ContactPoint.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Clients can be handed over between these contact points while the agreement is valid."),
    )
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput(), required=False,
                                  help_text=_("Leave empty for an agreement without a fixed end."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("title", "parties", "scope", "contact_points", "valid_from", "valid_until")


class EndAgreementForm(forms.Form):
    valid_until = forms.DateField(label=_("last valid day"), widget=DateInput(),
                                  help_text=_("From the day after, no client can be handed over under it."))
    reason = forms.CharField(label=_("reason for ending"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             validators=[reject_control_characters])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_until": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("valid_until", "reason")
