"""Benefit forms: add an entitlement, end one. Overlaps are checked by the service."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import BenefitEntitlement, EndReason
from jobcenter.forms import DateInput

DATE_WIDGET = DateInput()


def _check_end(form: forms.Form, cleaned: dict[str, Any], start: Any) -> None:
    end, reason = cleaned.get("end"), cleaned.get("end_reason")
    if end and start and end < start:
        form.add_error("end", _("The end date must not be before the start date."))
    if end and not reason:
        form.add_error("end_reason", _("State why the benefit ends."))
    if reason and not end and "end" not in form.errors:
        form.add_error("end", _("An end reason needs an end date."))


_meta = BenefitEntitlement._meta  # get_field("name") on it is typed per field by django-stubs


class BenefitForm(forms.Form):
    """A plain form (not a ModelForm): the model's constraints are enforced by the service with its own
    messages, not by the form's generic constraint messages."""

    kind = _meta.get_field("kind").formfield()
    monthly_amount = _meta.get_field("monthly_amount").formfield(min_value=0, localize=True)  # accepts "512,40"
    start = _meta.get_field("start").formfield(widget=DATE_WIDGET)
    end = _meta.get_field("end").formfield(widget=DATE_WIDGET, help_text=_("Leave empty while the benefit continues."))
    end_reason = _meta.get_field("end_reason").formfield()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["monthly_amount"].widget.attrs.update(inputmode="decimal")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-6"), Column("monthly_amount", css_class="col-md-6")),
            Row(Column("start", css_class="col-md-4"), Column("end", css_class="col-md-4"),
                Column("end_reason", css_class="col-md-4")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        _check_end(self, cleaned, cleaned.get("start"))
        return cleaned


class EndBenefitForm(forms.Form):
    end = forms.DateField(label=_("Last day of the benefit"), widget=DATE_WIDGET)
    end_reason = forms.ChoiceField(label=_("End reason"), choices=[("", "---------"), *EndReason.choices])

    def __init__(self, *args: Any, benefit: BenefitEntitlement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.benefit = benefit
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("end", css_class="col-md-6"), Column("end_reason", css_class="col-md-6")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        _check_end(self, cleaned, self.benefit.start)
        return cleaned
