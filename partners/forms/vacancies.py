"""Forms of the employer service and placement: contacts, vacancies, proposal results."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Channel
from partners.forms.common import FilterForm, date_field, hidden_sort
from partners.models import (
    EmployerContact,
    Partner,
    ProposalResult,
    Vacancy,
    VacancyStatus,
)
from partners.selectors import (
    VACANCY_FILTER_ALL,
    VACANCY_SORTS,
)
from partners.services.placement import VacancyData


# --- employers and vacancies --------------------------------------------------------------------------------
class EmployerContactForm(forms.Form):
    occurred_on = date_field(_("Date"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    subject = EmployerContact._meta.get_field("subject").formfield()
    note = forms.CharField(label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("occurred_on", css_class="col-md-4"), Column("channel", css_class="col-md-4"),
                Column("subject", css_class="col-md-4")),
            "note",
        )


class VacancyFilterForm(FilterForm):
    DEFAULTS = {"q": "", "status": VacancyStatus.OPEN, "without": False, "sort": "-date"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Job, occupation or employer")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[*VacancyStatus.choices, (VACANCY_FILTER_ALL, _("All"))])
    without = forms.BooleanField(label=_("Without proposals"), required=False)
    sort = hidden_sort(VACANCY_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._helper(
            Column(Field("q"), css_class="col-12 col-md-4"),
            Column("status", css_class="col-6 col-md-2"),
            Column("without", css_class="col-6 col-md-3 d-flex align-items-end"),
        )


class VacancyForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Partner.objects.none())
    title = Vacancy._meta.get_field("title").formfield()
    occupation = Vacancy._meta.get_field("occupation").formfield()
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60)
    location = Vacancy._meta.get_field("location").formfield()
    positions = forms.IntegerField(label=_("Number of positions"), min_value=1, max_value=500, initial=1)
    acquired_on = date_field(_("Acquired on"))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, employers: QuerySet[Partner], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"acquired_on": timezone.localdate(), "positions": 1})
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["employer"]).queryset = employers
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("employer", css_class="col-md-6"), Column("acquired_on", css_class="col-md-3"),
                Column("positions", css_class="col-md-3")),
            Row(Column("title", css_class="col-md-6"), Column("occupation", css_class="col-md-6")),
            Row(Column("hours_per_week", css_class="col-md-3"), Column("location", css_class="col-md-9")),
            "description",
        )

    def to_data(self) -> VacancyData:
        data = {k: v for k, v in self.cleaned_data.items() if k != "employer"}
        return VacancyData(**data)


class ProposalResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=[("", "---------"), *ProposalResult.choices],
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    result_on = forms.DateField(label=_("Date"), widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    starts_on = forms.DateField(
        label=_("On a hire: first day of work"), required=False,
        help_text=_("The case stays open in follow-up; its case manager is told."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"result_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].widget.attrs["aria-describedby"] = f"{self['starts_on'].id_for_label}-help"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("result") == ProposalResult.HIRED and not cleaned.get("starts_on") \
                and "starts_on" not in self.errors:
            self.add_error("starts_on", _("Give the first day of work."))
        return cleaned
