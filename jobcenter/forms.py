"""Form building blocks shared by every app."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# C0 control characters and DEL, except tab, line feed and carriage return. PostgreSQL refuses NUL in text
# (a server error); the others are invisible junk. Form fields refuse NUL already (Django's CharField).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reject_control_characters(value: str) -> None:
    """For text that reaches the database outside a form field: a CSV cell, a raw POST value."""
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(_("The text contains invisible control characters; remove them."),
                              code="control_characters")


class DateInput(forms.DateInput):
    """The browser's date picker; ISO format so the value survives a re-render after a validation error."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff members (its queryset set by the form), labelled with the full name or else the login."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


def fields_helper(*rows: Any) -> FormHelper:
    """A crispy helper that renders only the fields: the template owns <form>, CSRF and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*rows)
    return helper


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form with the username's length validated: Django only sets ``max_length`` on the field
    (no validator), so an overlong name reached ``authenticate`` and django-axes failed to store it (255)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])  # Django's UsernameField
        username.validators.append(MaxLengthValidator(username.max_length))
