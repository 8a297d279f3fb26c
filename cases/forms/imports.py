"""Forms of the client import: the upload (dry run) and the confirmation of the real run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import reject_control_characters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Client file (CSV or Excel)"),
        help_text=_("Semicolon-separated CSV (UTF-8 or Windows-1252) or an Excel workbook (.xlsx) with the German "
                    "column names of the template. Nothing is imported yet: the dry run shows what would be."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty."),
                        "invalid": _("Choose a file.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(accept=f".csv,.xlsx,text/csv,{XLSX}")


class ImportRunForm(forms.Form):
    """The checksum of the checked file (the real run refuses another file) and, when the dry run found
    suspected duplicates, the reason why they are different people."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput,
                              error_messages={"invalid": _("The file does not match the checked one; upload it again."),
                                              "required": _("The file does not match the checked one; upload it "
                                                            "again.")})
    duplicate_reason = forms.CharField(
        label=_("Why are the suspected duplicates different people?"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored with each of these clients, as at registration."),
    )

    def __init__(self, *args: Any, duplicates: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates = duplicates
        if not duplicates:
            del self.fields["duplicate_reason"]

    def clean_duplicate_reason(self) -> str:
        reason = str(self.cleaned_data.get("duplicate_reason") or "").strip()
        if self.duplicates and not reason:
            raise forms.ValidationError(_("State why the suspected duplicates are different people."))
        reject_control_characters(reason)
        return reason
