"""Shared form pieces: the date widget and the GET filter bar base."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, help_text=help_text)


def _sort_choices(sorts: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, key) for key in sorts] + [(f"-{key}", f"-{key}") for key in sorts]


class FilterForm(forms.Form):
    """A GET filter bar: invalid values fall back to the defaults instead of failing."""

    DEFAULTS: dict[str, Any] = {}

    def filters(self) -> dict[str, Any]:
        data = dict(self.DEFAULTS)
        if not self.is_bound:
            return data
        self.is_valid()
        for name in self.fields:
            if name in self.cleaned_data and name not in self.errors:
                data[name] = self.cleaned_data[name]
        return data

    def _helper(self, *columns: Any) -> None:
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"role": "search"}
        self.helper.layout = Layout(
            Row(*columns, Column(StrictButton(_("Filter"), type="submit", css_class="btn btn-primary w-100"),
                                 css_class="col-6 col-md-2 col-xl-1 d-flex align-items-end mb-3")),
            "sort",
        )


def hidden_sort(sorts: dict[str, Any]) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, choices=_sort_choices(sorts), widget=forms.HiddenInput)
