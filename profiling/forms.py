"""Forms of the profiling app: they clean and validate only; the services apply the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import HTML, Column, Div, Fieldset, Row
from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jobcenter.forms import DateInput, fields_helper
from partners.models import Consent, DataCategory, Offer, PartnerKind
from partners.rules import consent_required
from partners.services.referrals import ConsentInput
from profiling.errors import ProfilingError
from profiling.models import SocialHistory
from profiling.rules import DIMENSIONS, PROBLEM_RATINGS, Dimension, ProfileCategory, Rating
from profiling.services.assessments import check_report, report_max_bytes
from profiling.services.profilings import RatingInput
from profiling.services.social_history import SocialHistoryInput

NON_STRENGTH_CHOICES = [(r.value, r.label) for r in Rating if r != Rating.STRENGTH]


def _not_in_future(value: Any, message: Any) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)


# --- profiling ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DimensionRow:
    dimension: str
    label: str
    strength: BoundField
    rating: BoundField
    note: BoundField
    is_strength: bool


class ProfilingForm(forms.Form):
    """Two steps on one form: first the strengths (a checkbox and a note per dimension), then every other
    dimension rated neutral / need / obstacle with a note. Moving between the steps keeps everything typed
    (the other step's fields travel as hidden inputs); only saving (``final=True``) demands the ratings."""

    STEP_STRENGTHS = "strengths"
    STEP_RATINGS = "ratings"

    profiled_on = forms.DateField(label=_("Profiling date"), widget=DateInput())
    summary = forms.CharField(
        label=_("Overall assessment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the client wants, what the next step should be."),
    )

    def __init__(self, *args: Any, final: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.final = final
        for dimension in Dimension:
            self.fields[f"{dimension.value}_strength"] = forms.BooleanField(
                label=dimension.label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"{dimension.value}_rating"] = forms.ChoiceField(
                label=dimension.label, required=False, choices=NON_STRENGTH_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            )
            self.fields[f"{dimension.value}_note"] = forms.CharField(
                label=_("Note on %(dimension)s") % {"dimension": dimension.label}, required=False, max_length=1000,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def clean_profiled_on(self) -> Any:
        value = self.cleaned_data["profiled_on"]
        _not_in_future(value, _("A profiling cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.final:
            return cleaned
        for d in DIMENSIONS:
            if cleaned.get(f"{d}_strength"):
                continue
            rating = cleaned.get(f"{d}_rating")
            if not rating:
                self.add_error(f"{d}_rating", _("Choose a rating."))
            elif rating in PROBLEM_RATINGS and not (cleaned.get(f"{d}_note") or "").strip():
                self.add_error(f"{d}_note", _("Describe it in a few words."))
        return cleaned

    def is_strength(self, dimension: str) -> bool:
        if self.is_bound:
            return bool(self[f"{dimension}_strength"].value())
        return bool(self.initial.get(f"{dimension}_strength"))

    def rows(self) -> list[DimensionRow]:
        return [
            DimensionRow(d, str(Dimension(d).label), self[f"{d}_strength"], self[f"{d}_rating"], self[f"{d}_note"],
                         self.is_strength(d))
            for d in DIMENSIONS
        ]

    def strength_rows(self) -> list[DimensionRow]:
        return [row for row in self.rows() if row.is_strength]

    def ratings(self) -> list[RatingInput]:
        data = self.cleaned_data
        return [
            RatingInput(d, Rating.STRENGTH if data.get(f"{d}_strength") else data.get(f"{d}_rating") or "",
                        data.get(f"{d}_note") or "")
            for d in DIMENSIONS
        ]


class ConfirmCategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Profile category"), choices=ProfileCategory.choices,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for deviating from the rule"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required only when you choose another category than the rule proposes."),
    )
    apply_segment = forms.BooleanField(label=_("Take over the proposed customer segment"), required=False)

    def __init__(self, *args: Any, derived: str, segment_label: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"category": derived, "apply_segment": True})
        super().__init__(*args, **kwargs)
        self.derived = derived
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (value, _("%(label)s (proposed by the rule)") % {"label": label} if value == derived else label)
            for value, label in ProfileCategory.choices
        ]
        self.fields["apply_segment"].help_text = _("Proposed for the category: %(segment)s") % {
            "segment": segment_label}
        self.helper = fields_helper("category", "reason", "apply_segment")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        category = cleaned.get("category")
        if category and category != self.derived and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for deviating from the category the rule proposes."))
        return cleaned


# --- Sozialanamnese -----------------------------------------------------------------------------------------
SECTION_HELP = {
    "household": _("Who lives in the household, children, relatives to care for."),
    "housing": _("Flat, rent, arrears, risk of losing the home."),
    "health": _("Restrictions relevant to work, treatment, certificates."),
    "debts": _("Creditors, amounts, garnishments, existing debt counselling."),
    "addiction": _("Substance use, treatment, counselling so far."),
    "biography": _("Schooling, training, work history, turning points."),
}


class SocialHistoryForm(forms.Form):
    recorded_on = forms.DateField(label=_("Date of the conversation"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SocialHistory.SECTIONS:
            self.fields[name] = forms.CharField(
                label=capfirst(SocialHistory.section_label(name)), required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}), help_text=SECTION_HELP[name],
            )
        self.helper = fields_helper(Row(Column("recorded_on", css_class="col-md-4")), *SocialHistory.SECTIONS)

    def clean_recorded_on(self) -> Any:
        value = self.cleaned_data["recorded_on"]
        _not_in_future(value, _("The conversation cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not any((cleaned.get(name) or "").strip() for name in SocialHistory.SECTIONS):
            raise forms.ValidationError(_("Fill in at least one section of the social history."))
        return cleaned

    def to_input(self) -> SocialHistoryInput:
        data = self.cleaned_data
        return SocialHistoryInput(recorded_on=data["recorded_on"],
                                  **{name: data.get(name) or "" for name in SocialHistory.SECTIONS})


# --- assessments --------------------------------------------------------------------------------------------
ASSESSMENT_SHARED_DATA = [DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.CAREER, DataCategory.PROFILING]


class OfferChoiceField(forms.ModelChoiceField):
    """An assessment offer with its partner and free places (``free``: annotated by ``partners.selectors.board``)."""

    def label_from_instance(self, obj: Offer) -> str:
        return _("%(title)s – %(partner)s (%(free)s free)") % {
            "title": obj.title, "partner": obj.partner.name, "free": getattr(obj, "free", "?")}


class ConsentChoiceField(forms.ModelChoiceField):
    """An existing release with its partner and date."""

    def label_from_instance(self, obj: Consent) -> str:
        return _("%(partner)s, given on %(date)s") % {
            "partner": obj.partner.name, "date": obj.given_on.strftime("%d.%m.%Y")}


class AssessmentForm(forms.Form):
    """Commissioning an assessment: the offer, the question, what is passed on, and a release from
    confidentiality when health, debt or family data go to the partner."""

    offer = OfferChoiceField(label=_("Assessment offer"), queryset=Offer.objects.none(),
                             empty_label=_("Choose an offer"))
    referred_on = forms.DateField(label=_("Commissioned on"), widget=DateInput())
    question = forms.CharField(
        label=_("Question for the assessment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should the assessment clarify? E.g. physical capacity for warehouse work."),
    )
    planned_months = forms.IntegerField(label=_("Planned duration (months)"), min_value=1, max_value=36, initial=1)
    shared_data = forms.MultipleChoiceField(label=_("Data passed on to the partner"), choices=DataCategory.choices,
                                            widget=forms.CheckboxSelectMultiple)
    consent = ConsentChoiceField(label=_("Existing release"), queryset=Consent.objects.none(), required=False,
                                 empty_label=_("Record a new release"))
    consent_given_on = forms.DateField(label=_("Release given on"), required=False, widget=DateInput())
    consent_valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput(),
                                          help_text=_("Leave empty if unlimited."))
    consent_scope = forms.CharField(label=_("Scope and purpose of the release"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    consent_data = forms.MultipleChoiceField(label=_("The client allows sharing"), required=False,
                                             choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)

    NEW_CONSENT_FIELDS = ("consent_given_on", "consent_valid_until", "consent_scope", "consent_data")

    def __init__(self, *args: Any, offers: QuerySet[Offer], consents: QuerySet[Consent], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"referred_on": timezone.localdate(), "planned_months": 1,
                                      "shared_data": ASSESSMENT_SHARED_DATA})
        super().__init__(*args, **kwargs)
        cast(OfferChoiceField, self.fields["offer"]).queryset = offers
        cast(ConsentChoiceField, self.fields["consent"]).queryset = consents
        self.helper = fields_helper(
            "offer",
            Row(Column("referred_on", css_class="col-md-4"), Column("planned_months", css_class="col-md-4")),
            "question",
            InlineCheckboxes("shared_data"),
            Fieldset(
                _("Release from confidentiality (only needed for health, debt or family data)"),
                HTML('<p class="small text-body-secondary">{}</p>'.format(
                    _("Record a release only if the client agreed to share sensitive data with this partner."))),
                "consent",
                Div(Row(Column("consent_given_on", css_class="col-md-6"),
                        Column("consent_valid_until", css_class="col-md-6")),
                    "consent_scope", InlineCheckboxes("consent_data")),
                css_class="border rounded p-3 mb-3",
            ),
        )

    def clean_referred_on(self) -> Any:
        value = self.cleaned_data["referred_on"]
        _not_in_future(value, _("A referral cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("consent") is None and self.new_consent_started():
            for name, message in (("consent_given_on", _("Enter the date the release was given.")),
                                  ("consent_scope", _("State the scope and purpose of the release.")),
                                  ("consent_data", _("Name the data the client allows to be shared."))):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif (cleaned.get("consent") is None and consent_required(PartnerKind.ASSESSMENT, cleaned.get("shared_data") or [])
              and "consent_given_on" not in self.errors):
            self.add_error("consent_given_on", _("Health, debt or family data may only be passed on with a release "
                                                 "from confidentiality."))
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


class AssessmentResultForm(forms.Form):
    result_on = forms.DateField(label=_("Result received on"), widget=DateInput())
    result_summary = forms.CharField(label=_("Summary of the result"), max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(label=_("Recommendations of the partner"), required=False, max_length=5000,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.FileField(
        label=_("Report (PDF)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"result_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = _("Optional. PDF only, at most %(max)s.") % {
            "max": filesizeformat(report_max_bytes())}
        self.helper = fields_helper(Row(Column("result_on", css_class="col-md-4")), "result_summary",
                                    "recommendations", "report")

    def clean_result_on(self) -> Any:
        value = self.cleaned_data["result_on"]
        _not_in_future(value, _("The result cannot be dated in the future."))
        return value

    def clean_report(self) -> Any:
        report = self.cleaned_data.get("report")
        if report:
            try:
                check_report(report)
            except ProfilingError as error:
                raise forms.ValidationError(error.message) from error
        return report
