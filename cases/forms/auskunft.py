"""The Auskunft (Art. 15 DSGVO) is given on a request: the form asks for its occasion, which the access log
records with the export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import fields_helper, reject_control_characters


class AuskunftForm(forms.Form):
    reason = forms.CharField(
        label=_("Occasion"), max_length=300,
        help_text=_("Why the information is given, e.g. “request of the client of 1 December 2026”. "
                    "It is recorded in the access log and printed in the document."),
        error_messages={"required": _("State the occasion of the information (e.g. the client's request).")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("reason")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]  # stripped by the field
        reject_control_characters(reason)
        return reason
