"""Forms of the registry, the offers, the CSV import and the free-places board."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.models import Agency, ContactPoint
from partners.forms.common import FilterForm, date_field, hidden_sort
from partners.models import (
    SERVICE_KINDS,
    Offer,
    Partner,
    PartnerGroup,
    grouped_kind_choices,
)
from partners.selectors import (
    ACTIVE_FILTER_ALL,
    ACTIVE_FILTER_INACTIVE,
    BOARD_SORTS,
    PARTNER_SORTS,
)
from partners.services.registry import OfferData, PartnerData


# --- registry -----------------------------------------------------------------------------------------------
class PartnerFilterForm(FilterForm):
    DEFAULTS = {"q": "", "group": "", "kind": "", "active": "", "sort": "name"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name"),
                                                      "autocomplete": "off"}))
    group = forms.ChoiceField(label=_("Area"), required=False,
                              choices=[("", _("All areas")), *PartnerGroup.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *grouped_kind_choices()])
    active = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Active")), (ACTIVE_FILTER_INACTIVE, _("Inactive")), (ACTIVE_FILTER_ALL, _("All"))])
    sort = hidden_sort(PARTNER_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._helper(
            Column(Field("q"), css_class="col-12 col-md-4 col-xl-3"),
            Column("group", css_class="col-6 col-md-3 col-xl-2"),
            Column("kind", css_class="col-6 col-md-3 col-xl-3"),
            Column("active", css_class="col-6 col-md-2 col-xl-2"),
        )


class PartnerForm(forms.Form):
    name = Partner._meta.get_field("name").formfield()
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *grouped_kind_choices()])
    contact_person = Partner._meta.get_field("contact_person").formfield()
    street = Partner._meta.get_field("street").formfield()
    postal_code = Partner._meta.get_field("postal_code").formfield()
    city = Partner._meta.get_field("city").formfield()
    phone = Partner._meta.get_field("phone").formfield()
    email = Partner._meta.get_field("email").formfield()
    website = Partner._meta.get_field("website").formfield(assume_scheme="https")
    notes = Partner._meta.get_field("notes").formfield(widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                help_text=_("Inactive partners stay in the registry but receive no new referrals."))
    contract_agency = forms.ModelChoiceField(
        label=_("Commissioned by"), queryset=Agency.objects.none(), required=False,
        empty_label=_("No contract"),
    )
    contract_from = date_field(_("Contract from"), required=False)
    contract_until = date_field(_("Contract until"), required=False,
                                 help_text=_("Leave empty for an open-ended contract."))

    def __init__(self, *args: Any, office: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["contract_agency"]).queryset = Agency.objects.filter(
            pk__in=[office.employment_agency_id, office.welfare_agency_id]
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            Row(Column("contact_person", css_class="col-md-6"), Column("phone", css_class="col-md-3"),
                Column("email", css_class="col-md-3")),
            Row(Column("street", css_class="col-md-5"), Column("postal_code", css_class="col-md-2"),
                Column("city", css_class="col-md-5")),
            Row(Column("website", css_class="col-md-6"), Column("active", css_class="col-md-6 pt-md-4")),
            Fieldset(_("Contract (commissioning)"),
                     Row(Column("contract_agency", css_class="col-md-6"),
                         Column("contract_from", css_class="col-md-3"),
                         Column("contract_until", css_class="col-md-3"))),
            "notes",
        )

    def to_data(self) -> PartnerData:
        return PartnerData(**self.cleaned_data)


class OfferForm(forms.Form):
    title = Offer._meta.get_field("title").formfield()
    category = forms.ChoiceField(label=_("Category"),
                                 choices=[("", "---------"), *grouped_kind_choices(SERVICE_KINDS)])
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    cost_per_month = forms.DecimalField(label=_("Cost per participant and month (EUR)"), min_value=0,
                                        max_digits=9, decimal_places=2, localize=True)
    commissionable_by = forms.MultipleChoiceField(label=_("May be commissioned by"),
                                                  widget=forms.CheckboxSelectMultiple)
    valid_from = date_field(_("Offered from"))
    valid_until = date_field(_("Offered until"), required=False, help_text=_("Leave empty if open-ended."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, office: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["commissionable_by"]).choices = [
            (office.employment_agency.kind, office.employment_agency.name),
            (office.welfare_agency.kind, office.welfare_agency.name),
        ]
        self.fields["cost_per_month"].widget.attrs.update(inputmode="decimal")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("title", css_class="col-md-8"), Column("category", css_class="col-md-4")),
            Row(Column("places", css_class="col-md-3"), Column("cost_per_month", css_class="col-md-4"),
                Column("commissionable_by", css_class="col-md-5")),
            Row(Column("valid_from", css_class="col-md-4"), Column("valid_until", css_class="col-md-4"),
                Column("active", css_class="col-md-4 pt-md-4")),
            "description",
        )

    def to_data(self) -> OfferData:
        return OfferData(**self.cleaned_data)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_(
        "Columns: Name; Art; Ansprechperson; Straße; PLZ; Ort; Telefon; E-Mail; Website; Notizen; Aktiv; "
        "Vertragsträger; Vertrag ab; Vertrag bis (the English names of earlier exports are accepted too). "
        "Existing partners are matched by name and updated."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- board --------------------------------------------------------------------------------------------------
class BoardFilterForm(FilterForm):
    DEFAULTS = {"q": "", "group": "", "category": "", "free": False, "sort": "-free"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Offer or partner"),
                                                      "autocomplete": "off"}))
    group = forms.ChoiceField(label=_("Area"), required=False, choices=[
        ("", _("All areas")), *[(g.value, g.label) for g in PartnerGroup if g != PartnerGroup.LABOUR_MARKET]])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *grouped_kind_choices(SERVICE_KINDS)])
    free = forms.BooleanField(label=_("Only with free places"), required=False)
    sort = hidden_sort(BOARD_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._helper(
            Column(Field("q"), css_class="col-12 col-md-4 col-xl-3"),
            Column("group", css_class="col-6 col-md-3 col-xl-2"),
            Column("category", css_class="col-6 col-md-3 col-xl-3"),
            Column("free", css_class="col-6 col-md-2 col-xl-2 d-flex align-items-end"),
        )
