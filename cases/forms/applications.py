"""Forms of the module Antragsannahme: they clean and validate input; rules live in the services."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ApplicationKind, ApplicationStatus
from jobcenter.forms import DateInput, fields_helper
from jobcenter.models import Agency, ContactPoint


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of application"), choices=ApplicationKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.helper = fields_helper(Row(Column("kind", css_class="col-sm-7"), Column("received_on", css_class="col-sm-5")),
                              "note")


class ForwardForm(forms.Form):
    forwarded_to = forms.ModelChoiceField(label=_("Forward to"), queryset=Agency.objects.none())
    forwarded_on = forms.DateField(label=_("Forwarded on"), widget=DateInput())

    def __init__(self, *args: Any, office: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["forwarded_to"]).queryset = Agency.objects.filter(
            pk__in=[office.employment_agency_id, office.welfare_agency_id]
        )
        self.fields["forwarded_on"].initial = timezone.localdate()
        self.helper = fields_helper(Row(Column("forwarded_to", css_class="col-sm-7"),
                                  Column("forwarded_on", css_class="col-sm-5")))


class ApplicationStatusForm(forms.Form):
    """Decided (only after forwarding) or withdrawn; offers what the current status allows."""

    status = forms.ChoiceField(label=_("New status"), choices=())

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [ApplicationStatus.WITHDRAWN] if current == ApplicationStatus.RECEIVED else [
            ApplicationStatus.DECIDED, ApplicationStatus.WITHDRAWN]
        cast(forms.ChoiceField, self.fields["status"]).choices = [(s.value, s.label) for s in allowed]
        self.helper = fields_helper("status")


class WorklistFilterForm(forms.Form):
    """The filter bar of the worklist (GET); unknown values fall back to the default view."""

    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Open (received or forwarded)")), *ApplicationStatus.choices, ("all", _("All"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *ApplicationKind.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(Row(Column("status", css_class="col-sm-auto"), Column("kind", css_class="col-sm-auto")))
        self.helper.form_show_labels = True

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "kind": ""}
        return {"status": self.cleaned_data["status"], "kind": self.cleaned_data["kind"]}
