"""Forms of the case list and the case page: they clean and validate; the services decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import INTEGRATED_OUTCOMES, Case, CaseStatus, Outcome, Segment
from cases.rules import ALLOWED_TRANSITIONS, ENTERED_BY_INTEGRATION, TargetGroup
from cases.selectors import (
    CASE_SORTS,
    DEFAULT_CASE_SORT,
    MANAGER_FILTER_ALL,
    MANAGER_FILTER_MINE,
    MANAGER_FILTER_NONE,
    STATUS_FILTER_ALL,
    STATUS_FILTER_OPEN,
)
from cases.services.cases import outcome_requires_note
from jobcenter.forms import StaffChoiceField
from jobcenter.models import Agency, ContactPoint

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SORT_CHOICES = [(key, key) for key in CASE_SORTS] + [(f"-{key}", f"-{key}") for key in CASE_SORTS]


class CaseFilterForm(forms.Form):
    """The filter bar of the case list (GET). Unknown values fall back to the defaults: ``DEFAULTS``, or those the
    view passes (a case manager's list opens on "My cases", ``cases.views.cases.default_manager_filter``)."""

    DEFAULTS = {"q": "", "status": STATUS_FILTER_OPEN, "segment": "", "target_group": "",
                "manager": MANAGER_FILTER_ALL, "sort": DEFAULT_CASE_SORT}

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, date of birth, cust. no. or file no."),
                                      "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[(STATUS_FILTER_OPEN, _("Open cases")), (STATUS_FILTER_ALL, _("All cases")), *CaseStatus.choices],
    )
    segment = forms.ChoiceField(label=_("Customer segment"), required=False,
                                choices=[("", _("All segments")), *Segment.choices])
    target_group = forms.ChoiceField(label=_("Target group"), required=False,
                                     choices=[("", _("All target groups")), *TargetGroup.choices])
    manager = forms.ChoiceField(label=_("Case manager"), required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput(attrs={"id": "case-sort"}))

    def __init__(self, *args: Any, managers: Iterable[User], action: str, defaults: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defaults = defaults or self.DEFAULTS
        cast(forms.ChoiceField, self.fields["manager"]).choices = [
            (MANAGER_FILTER_ALL, _("All case managers")),
            (MANAGER_FILTER_MINE, _("My cases")),
            (MANAGER_FILTER_NONE, _("Not assigned")),
            *((str(user.pk), user.get_full_name() or user.get_username()) for user in managers),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = action
        self.helper.form_id = "case-filter"
        self.helper.attrs = {
            "role": "search",
            "hx-get": action,
            "hx-target": "#case-results",
            "hx-swap": "outerHTML",
            "hx-push-url": "true",
            # Selects apply at once, typing after a pause; a blur of the search box does not fire again (it would
            # race a sort link clicked next). A newer request replaces one still running.
            "hx-trigger": "submit, change from:(#case-filter select), input changed delay:400ms from:#id_q",
            "hx-sync": "this:replace",
        }
        self.helper.layout = Layout(
            Row(
                Column(Field("q"), css_class="col-12 col-md-4 col-xl-3"),
                Column("status", css_class="col-6 col-md-4 col-xl-2"),
                Column("segment", css_class="col-6 col-md-4 col-xl-2"),
                Column("target_group", css_class="col-6 col-md-4 col-xl-2"),
                Column("manager", css_class="col-6 col-md-4 col-xl-2"),
                Column(
                    StrictButton(_("Filter"), type="submit", css_class="btn btn-primary w-100"),
                    css_class="col-12 col-md-4 col-xl-1 d-flex align-items-end mb-3",
                ),
            ),
            "sort",
        )

    def filters(self) -> dict[str, str]:
        """The valid values, defaults for the rest (a bad bookmark still shows a list)."""
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or default for name, default in self.defaults.items()}


def _inline_helper(field: str, button: str | Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(
        FieldWithButtons(Field(field), StrictButton(button, type="submit", css_class="btn btn-outline-primary"))
    )
    return helper


class ChangeStatusForm(forms.Form):
    """One of the next statuses allowed from the case's current one (closing has its own form)."""

    status = forms.ChoiceField(label=_("Next status"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS.get(case.status, frozenset()) - {CaseStatus.CLOSED} - ENTERED_BY_INTEGRATION
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, label) for value, label in CaseStatus.choices if value in allowed
        ]


class CloseCaseForm(forms.Form):
    """Closing without an integration; an integration is recorded with ``RecordIntegrationForm`` (follow-up)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "---------"), *((v, label) for v, label in Outcome.choices if v not in INTEGRATED_OUTCOMES)],
        error_messages={"required": _("Closing a case requires an outcome."),
                        "invalid_choice": _("An integration is recorded with “Record integration”; the case then "
                                            "stays open in follow-up.")},
    )
    note = forms.CharField(
        label=_("Note / reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “no cooperation” and “other reason”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome and outcome_requires_note(outcome) and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Give the reason why the client was not integrated."))
        return cleaned


class RecordIntegrationForm(forms.Form):
    """The client found work: how, and from which day. Nothing is preset; the case stays open in follow-up."""

    outcome = forms.ChoiceField(
        label=_("Integration"),
        choices=[("", "---------"), *((v, label) for v, label in Outcome.choices if v in INTEGRATED_OUTCOMES)],
        error_messages={"required": _("Choose how the client was integrated.")},
    )
    starts_on = forms.DateField(
        label=_("First day of work"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("May lie up to six months ahead."),
        error_messages={"required": _("Give the first day of work.")},
    )
    note = forms.CharField(
        label=_("Employer, position, remarks"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("outcome", css_class="col-md-7"), Column("starts_on", css_class="col-md-5")), "note",
        )


class CloseFollowUpForm(forms.Form):
    """Closing a case in follow-up: an explicit step, shown beside the closing checklist."""

    note = forms.CharField(
        label=_("Closing note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
    )
    despite_open_items = forms.BooleanField(
        label=_("Close despite the open items of the checklist"), required=False,
    )

    def __init__(self, *args: Any, has_open_items: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_open_items:
            del self.fields["despite_open_items"]
        self.helper = FormHelper()
        self.helper.form_tag = False


class AssignCaseManagerForm(forms.Form):
    case_manager = StaffChoiceField(label=_("Case manager"), queryset=None)

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["case_manager"]).queryset = managers
        self.helper = _inline_helper("case_manager", _("Assign"))


class LeadAgencyForm(forms.Form):
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, office: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead_agency"]).queryset = Agency.objects.filter(
            pk__in=[office.employment_agency_id, office.welfare_agency_id]
        )
        self.helper = _inline_helper("lead_agency", _("Save"))


class SegmentForm(forms.Form):
    segment = forms.ChoiceField(label=_("Customer segment"), choices=Segment.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _inline_helper("segment", _("Save"))


class RefuseClosureForm(forms.Form):
    """The Teamleitung refuses a requested closing; the reason is shown on the case."""

    reason = forms.CharField(label=_("Why is the case not closed?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Write why the case is not closed.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
