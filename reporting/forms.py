"""Forms of the reporting app: clean and validate only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from crispy_forms.layout import Column, Row
from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import fields_helper
from jobcenter.models import Agency
from partners.models import SERVICE_KINDS, PartnerKind
from reporting.models import ProgrammePlan
from reporting.periods import Month, last_complete_month, months_back

REPORT_MONTHS = 24


def report_month_choices(today: date) -> list[tuple[str, str]]:
    """The last 24 complete months, newest first."""
    return [(m.key, m.label) for m in reversed(months_back(last_complete_month(today), REPORT_MONTHS))]


class ReportRequestForm(forms.Form):
    month = forms.ChoiceField(label=_("Month of the report"))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = last_complete_month(today)
        cast(forms.ChoiceField, self.fields["month"]).choices = report_month_choices(today)
        self.fields["month"].initial = self.default.key
        self.fields["month"].widget.attrs["class"] = "form-select"

    def clean_month(self) -> Month:
        return Month.parse(self.cleaned_data["month"], self.default)  # one of the choices


class ProgrammePlanForm(forms.ModelForm):
    class Meta:
        model = ProgrammePlan
        fields = ["expected_hlu", "expected_kombi", "expected_alhi", "expected_youth", "caseload_ratio",
                  "planned_case_managers", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(
            Row(Column("expected_hlu", css_class="col-md-3"), Column("expected_kombi", css_class="col-md-3"),
                Column("expected_alhi", css_class="col-md-3"), Column("expected_youth", css_class="col-md-3")),
            Row(Column("caseload_ratio", css_class="col-md-4"), Column("planned_case_managers", css_class="col-md-4")),
            "note",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        groups = sum(data.get(k) or 0 for k in ("expected_hlu", "expected_kombi", "expected_alhi"))
        if (data.get("expected_youth") or 0) > groups:
            self.add_error("expected_youth", _("The young people under 25 are part of the three target groups and "
                                               "cannot outnumber them."))
        return data


OFFER_CATEGORIES = [("", "—")] + [(kind.value, kind.label) for kind in PartnerKind if kind in SERVICE_KINDS]


class OfferLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Offer category"), choices=OFFER_CATEGORIES, required=False)
    agency_kind = forms.ChoiceField(label=_("Paid by"), choices=Agency.Kind.choices, required=False)
    places = forms.IntegerField(label=_("Places per year"), min_value=1, required=False)
    budget = forms.DecimalField(label=_("Budget (EUR)"), max_digits=11, decimal_places=2, required=False,
                                validators=[MinValueValidator(Decimal(0))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            field.widget.attrs["class"] = css + (" is-invalid" if self.is_bound and name in self.errors else "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("category"):  # a line without a category is empty (or removed)
            if not data.get("places"):
                self.add_error("places", _("How many places are planned?"))
            if not data.get("agency_kind"):
                self.add_error("agency_kind", _("Which agency pays for this offer?"))
        return data


class BaseOfferLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            key = (form.cleaned_data.get("category"), form.cleaned_data.get("agency_kind"))
            if key[0] and key in seen:
                raise forms.ValidationError(_("Each offer category may appear only once per paying agency."))
            seen.add(key)


OfferLineFormSet = forms.formset_factory(OfferLineForm, formset=BaseOfferLineFormSet, extra=3, max_num=40,
                                         validate_max=True)
