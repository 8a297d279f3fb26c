"""Reception triage: the search box and the routing form (concern, segment, case manager)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Segment
from cases.selectors import case_managers
from jobcenter.forms import StaffChoiceField
from jobcenter.models import Agency, ContactPoint


class RouteForm(forms.Form):
    concern = forms.CharField(
        label=_("Concern"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What does the client come for? Recorded as a contact note on the case."),
    )
    segment = forms.ChoiceField(label=_("Customer segment"), choices=Segment.choices, widget=forms.RadioSelect)
    case_manager = StaffChoiceField(label=_("Case manager"), queryset=None)
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency (optional)"), queryset=Agency.objects.none(), required=False,
        empty_label=_("not decided yet"),
    )

    def __init__(self, *args: Any, office: ContactPoint, case: Case | None, may_reassign: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["case_manager"]).queryset = case_managers(office)
        cast(forms.ModelChoiceField, self.fields["lead_agency"]).queryset = Agency.objects.filter(
            pk__in=[office.employment_agency_id, office.welfare_agency_id]
        )
        if case is not None:
            self.fields["segment"].initial = case.segment or None
            self.fields["case_manager"].initial = case.case_manager_id
            self.fields["lead_agency"].initial = case.lead_agency_id
            if case.case_manager_id and not may_reassign:
                self.fields["case_manager"].disabled = True
                self.fields["case_manager"].help_text = _("Only the team lead can assign the case to someone else.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("concern", autofocus=True),
            Row(Column("segment", css_class="col-md-4"), Column("case_manager", css_class="col-md-4"),
                Column("lead_agency", css_class="col-md-4")),
        )
