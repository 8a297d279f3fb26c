"""The inbox's one form: which notification a button means (a POST field, checked against the user's own)."""

from __future__ import annotations

from django import forms

from jobcenter.params import BIGINT_MAX


class NotificationForm(forms.Form):
    notification = forms.IntegerField(min_value=1, max_value=BIGINT_MAX)
