"""Forms of referrals: the list filter, the referral with its release, status and feedback."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenter.params import BIGINT_MAX
from partners.forms.common import FilterForm, date_field, hidden_sort
from partners.models import (
    Consent,
    DataCategory,
    Offer,
    PartnerGroup,
    ReferralStatus,
)
from partners.rules import REFERRAL_TRANSITIONS
from partners.selectors import (
    REFERRAL_SORTS,
    STATUS_FILTER_ACTIVE,
    STATUS_FILTER_ALL,
)
from partners.services.referrals import ConsentInput


# --- referrals ----------------------------------------------------------------------------------------------
class ReferralFilterForm(FilterForm):
    DEFAULTS = {"q": "", "status": STATUS_FILTER_ACTIVE, "group": "", "overdue": False, "mine": False,
                "client": None, "sort": "-date"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Client name"),
                                                      "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        (STATUS_FILTER_ACTIVE, _("Running")), (STATUS_FILTER_ALL, _("All")), *ReferralStatus.choices])
    group = forms.ChoiceField(label=_("Area"), required=False, choices=[
        ("", _("All areas")), *[(g.value, g.label) for g in PartnerGroup if g != PartnerGroup.LABOUR_MARKET]])
    overdue = forms.BooleanField(label=_("No feedback for 14 days"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    client = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=BIGINT_MAX)
    sort = hidden_sort(REFERRAL_SORTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._helper(
            Column(Field("q"), css_class="col-12 col-md-3"),
            Column("status", css_class="col-6 col-md-2"),
            Column("group", css_class="col-6 col-md-2"),
            Column(Div("overdue", "mine"), css_class="col-12 col-md-3"),
        )
        self.helper.layout.append("client")


class ConsentChoiceField(forms.ModelChoiceField):
    """A client's releases from confidentiality, each shown with its date and scope."""

    def label_from_instance(self, obj: Consent) -> str:
        return _("given on %(date)s: %(scope)s") % {
            "date": obj.given_on.strftime("%d.%m.%Y"), "scope": obj.scope[:80]}


class ReferralForm(forms.Form):
    """Step 2 of a referral: the details for one offer, the release from confidentiality, and who pays."""

    referred_on = date_field(_("Referral date"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              help_text=_("What should the partner work on with the client?"))
    planned_months = forms.IntegerField(label=_("Planned duration (months)"), min_value=1, max_value=36, initial=3)
    shared_data = forms.MultipleChoiceField(label=_("Data passed on to the partner"),
                                            choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)
    consent = ConsentChoiceField(label=_("Existing release"), queryset=Consent.objects.none(), required=False,
                                 empty_label=_("Record a new release"))
    consent_given_on = date_field(_("Release given on"), required=False)
    consent_valid_until = date_field(_("Valid until"), required=False, help_text=_("Leave empty if unlimited."))
    consent_scope = forms.CharField(label=_("Scope and purpose of the release"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    consent_data = forms.MultipleChoiceField(label=_("The client allows sharing"), required=False,
                                             choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)
    paying_override = forms.ChoiceField(label=_("Paying agency"), required=False)
    override_reason = forms.CharField(label=_("Reason for deviating from the rule"), required=False,
                                      max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Only when another agency than the rule's pays."))

    NEW_CONSENT_FIELDS = ("consent_given_on", "consent_valid_until", "consent_scope", "consent_data")

    def __init__(self, *args: Any, offer: Offer, consents: QuerySet[Consent], consent_needed: bool,
                 rule_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_needed = consent_needed
        cast(forms.ModelChoiceField, self.fields["consent"]).queryset = consents
        office = offer.partner.contact_point
        names = {office.employment_agency.kind: office.employment_agency.name,
                 office.welfare_agency.kind: office.welfare_agency.name}
        cast(forms.ChoiceField, self.fields["paying_override"]).choices = [
            ("", _("As the rule says: %(agency)s") % {"agency": rule_label}),
            *[(kind, names[kind]) for kind in offer.commissionable_by],
        ]
        has_consents = consents.exists()
        if not has_consents:
            del self.fields["consent"]
            if consent_needed:  # no alternative: the new release is required (and marked so)
                for name in ("consent_given_on", "consent_scope", "consent_data"):
                    self.fields[name].required = True
        legend = _("Release from confidentiality (required)") if consent_needed else _(
            "Release from confidentiality (only needed for health, debt or family data)")
        intro = _("For social services the client must release the office from confidentiality towards this "
                  "partner. Record the date, the scope and what may be shared.") if consent_needed else _(
            "Record a release only if the client agreed to share sensitive data with this partner.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("referred_on", css_class="col-md-4"), Column("planned_months", css_class="col-md-4")),
            "purpose",
            Fieldset(
                legend,
                HTML(f'<p class="small text-body-secondary">{intro}</p>'),
                *(["consent"] if has_consents else []),
                Div(
                    Row(Column("consent_given_on", css_class="col-md-6"),
                        Column("consent_valid_until", css_class="col-md-6")),
                    "consent_scope", InlineCheckboxes("consent_data"),
                    css_class="js-new-consent", data_testid="new-consent",
                ),
                css_class="border rounded p-3 mb-3" + (" border-warning" if consent_needed else ""),
                data_testid="consent-step",
            ),
            InlineCheckboxes("shared_data"),
            Fieldset(_("Who pays"), "paying_override", "override_reason"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ``Form.clean`` returns
        if cleaned.get("consent") is None and self.new_consent_started():
            for name, message in (("consent_given_on", _("Enter the date the release was given.")),
                                  ("consent_scope", _("State the scope and purpose of the release.")),
                                  ("consent_data", _("Name the data the client allows to be shared."))):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif cleaned.get("consent") is None and self.consent_needed and "consent_given_on" not in self.errors:
            self.add_error("consent_given_on", _("A release from confidentiality is required for this offer."))
        if cleaned.get("paying_override") and not (cleaned.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Give a reason for deviating from the paying-agency rule."))
        return cleaned

    def new_consent_started(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.NEW_CONSENT_FIELDS)

    def new_consent(self) -> ConsentInput | None:
        if self.cleaned_data.get("consent") is not None or not self.new_consent_started():
            return None
        return ConsentInput(
            given_on=self.cleaned_data["consent_given_on"], scope=self.cleaned_data["consent_scope"],
            data_categories=list(self.cleaned_data["consent_data"]),
            valid_until=self.cleaned_data.get("consent_valid_until"),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ReferralStatus.choices)
    on = date_field(_("Date"), required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, label) for value, label in ReferralStatus.choices if value in REFERRAL_TRANSITIONS[current]
        ]


class FeedbackForm(forms.Form):
    received_on = date_field(_("Received on"))
    text = forms.CharField(label=_("What the partner reported"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(Column("received_on", css_class="col-md-5")), "text")
