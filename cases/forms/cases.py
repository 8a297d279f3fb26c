"""Forms of the case list and the case page: they clean and validate; the services decide and write."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus, Outcome, Segment
from cases.rules import ALLOWED_TRANSITIONS, TargetGroup
from cases.selectors import (
    CASE_SORTS,
    DEFAULT_CASE_SORT,
    MANAGER_FILTER_MINE,
    MANAGER_FILTER_NONE,
    STATUS_FILTER_ALL,
    STATUS_FILTER_OPEN,
)
from cases.services.cases import outcome_requires_note
from jobcenter.models import Agency, ContactPoint

SORT_CHOICES = [(key, key) for key in CASE_SORTS] + [(f"-{key}", f"-{key}") for key in CASE_SORTS]


class CaseFilterForm(forms.Form):
    """The filter bar of the case list (GET). Unknown values fall back to the defaults in the view."""

    DEFAULTS = {"q": "", "status": STATUS_FILTER_OPEN, "segment": "", "target_group": "", "manager": "",
                "sort": DEFAULT_CASE_SORT}

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, cust. no. or file no."),
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

    def __init__(self, *args: Any, managers: QuerySet[Any], action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [
            ("", _("All case managers")),
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
        return {name: cleaned.get(name) or default for name, default in self.DEFAULTS.items()}


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
        allowed = ALLOWED_TRANSITIONS.get(case.status, frozenset()) - {CaseStatus.CLOSED}
        self.fields["status"].choices = [(value, label) for value, label in CaseStatus.choices if value in allowed]


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *Outcome.choices],
        error_messages={"required": _("Closing a case requires an outcome.")},
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


class AssignCaseManagerForm(forms.Form):
    case_manager = forms.ModelChoiceField(label=_("Case manager"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, managers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case_manager"]
        field.queryset = managers  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
        self.helper = _inline_helper("case_manager", _("Assign"))


class LeadAgencyForm(forms.Form):
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, office: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            pk__in=[office.employment_agency_id, office.welfare_agency_id]
        )
        self.helper = _inline_helper("lead_agency", _("Save"))


class SegmentForm(forms.Form):
    segment = forms.ChoiceField(label=_("Customer segment"), choices=Segment.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _inline_helper("segment", _("Save"))
