"""Intake form (Erhebung von Personendaten): cleans and validates; the duplicate check lives in the service."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import KUNDENNUMMER_RE, Client
from cases.rules import age_on
from cases.search import parse_search
from cases.services.clients import ClientData
from jobcenter.forms import DateInput

MIN_AGE = 15
MAX_AGE = 100
PHONE_RE = r"^\+?[0-9][0-9 ()/-]{3,38}$"

CLIENT_FIELDS = [
    "first_name", "last_name", "birth_date", "street", "postal_code", "city", "phone", "email",
    "customer_number", "file_number", "household_size", "children_under_15",
]


def initial_from_search(term: str) -> dict[str, str | date]:
    """Prefill the intake form from what was typed into a search ("neu erfassen"): see ``cases.search``
    ("Müller, Käthe" and "Müller Käthe" → last name Müller; a birth date and numbers into their fields)."""
    return parse_search(term).prefill()


class ClientForm(forms.ModelForm):
    """Personal data of a client, plus the confirmation to register despite a name match."""

    # Longer than stored: spaces typed inside a number are removed before the format check.
    customer_number = Client._meta.get_field("customer_number").formfield(
        max_length=20, help_text=_("e.g. 073A123456"), widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    file_number = Client._meta.get_field("file_number").formfield(
        max_length=20, help_text=_("e.g. 50-123456/03"), widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked the matches: this is a different person."), required=False
    )
    duplicate_reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. \"different address and parents' names; confirmed with the client's ID card\"."),
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(RegexValidator(
            PHONE_RE, _("Enter a phone number: digits, optionally with spaces, /, -, brackets or a leading +.")
        ))
        self.fields["household_size"].widget.attrs.update(min=1, max=20)
        self.fields["children_under_15"].widget.attrs.update(min=0, max=19)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Person"), Row(Column("last_name", css_class="col-md-4"),
                                      Column("first_name", css_class="col-md-4"),
                                      Column("birth_date", css_class="col-md-4"))),
            Fieldset(_("Address and contact"),
                     Row(Column("street", css_class="col-md-6"), Column("postal_code", css_class="col-md-2"),
                         Column("city", css_class="col-md-4")),
                     Row(Column("phone", css_class="col-md-6"), Column("email", css_class="col-md-6"))),
            Fieldset(_("Numbers"), Row(Column("customer_number", css_class="col-md-6"),
                                       Column("file_number", css_class="col-md-6"))),
            Fieldset(_("Household"), Row(Column("household_size", css_class="col-md-3"),
                                         Column("children_under_15", css_class="col-md-3"))),
        )

    def clean_birth_date(self) -> date:
        birth_date: date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError(_("The date of birth lies in the future."))
        age = age_on(birth_date, today)
        if age < MIN_AGE:
            raise forms.ValidationError(
                _("At registration a client must be at least %(age)s years old."), params={"age": MIN_AGE}
            )
        if age > MAX_AGE:
            raise forms.ValidationError(
                _("A date of birth more than %(age)s years ago is not plausible; please check the year."),
                params={"age": MAX_AGE},
            )
        return birth_date

    def clean_customer_number(self) -> str:
        value = "".join(self.cleaned_data["customer_number"].split()).upper()
        if value and not re.match(KUNDENNUMMER_RE, value):
            raise forms.ValidationError(_("Format: 3 digits, 1 capital letter, 6 digits, e.g. 073A123456."))
        return value

    def clean_file_number(self) -> str:
        return "".join(self.cleaned_data["file_number"].split())

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        size, children = cleaned.get("household_size"), cleaned.get("children_under_15")
        if size is not None and children is not None and children >= size:
            self.add_error("children_under_15", _(
                "The household counts the client too, so it must have more persons than children under 15."
            ))
        confirmed, reason = cleaned.get("confirm_duplicate"), (cleaned.get("duplicate_reason") or "").strip()
        if confirmed and not reason:
            self.add_error("duplicate_reason", _("State why this is a different person."))
        if reason and not confirmed:
            self.add_error("confirm_duplicate", _("Confirm that you have checked the matches."))
        return cleaned

    def client_data(self) -> ClientData:
        return ClientData(**{name: self.cleaned_data[name] for name in CLIENT_FIELDS})

    @property
    def override_reason(self) -> str:
        return self.cleaned_data["duplicate_reason"].strip() if self.cleaned_data.get("confirm_duplicate") else ""
