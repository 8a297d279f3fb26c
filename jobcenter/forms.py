"""Form building blocks shared by every app."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; ISO format so the value survives a re-render after a validation error."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def fields_helper(*rows: Any) -> FormHelper:
    """A crispy helper that renders only the fields: the template owns <form>, CSRF and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*rows)
    return helper
