"""Forms of help plans: the editor (plan fields and three row formsets), signature, review, checks, hearings,
the plan list filter. Forms only clean and validate; the services decide the rules."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Row
from django import forms
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integration_plans import selectors
from integration_plans.models import (
    DECISION_BASES,
    HearingConsequence,
    ObligationKind,
    ObligationPeriod,
    PlanKind,
    PlanStatus,
    ServiceKind,
    StepStatus,
)
from integration_plans.services.plans import ObligationInput, PlanInput, ServiceInput, StepInput
from jobcenter.forms import DateInput, fields_helper
from jobcenter.models import Agency, ContactPoint
from partners.models import Offer
from partners.selectors import with_occupancy


def _text(rows: int = 2, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


# --- the editor ---------------------------------------------------------------------------------------------
class PlanForm(forms.Form):
    edit_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kind = forms.ChoiceField(label=_("Form"), choices=PlanKind.choices, widget=forms.RadioSelect)
    goal = forms.CharField(label=_("Integration goal"), required=False, max_length=4000, widget=_text(3),
                           help_text=_("Concrete and reachable, e.g. “Employment subject to social insurance as a "
                                       "warehouse clerk in the Leipzig area”."))
    placement_efforts = forms.CharField(
        label=_("Placement efforts of the contact point"), required=False, max_length=4000, widget=_text(2),
        help_text=_("What the office does itself, e.g. “at least two placement proposals per month”."))
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(),
                                  help_text=_("Usually six months."))
    review_on = forms.DateField(label=_("Review on"), widget=DateInput())
    decision_reason = forms.CharField(
        label=_("Reason for the duration"), required=False, max_length=4000, widget=_text(2),
        help_text=_("Only for a one-sided decision: why no agreement was reached and why this duration."))
    review_clause = forms.CharField(
        label=_("Review clause"), required=False, max_length=4000, widget=_text(2),
        help_text=_("Only for a one-sided decision: when and how the decision is reviewed."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(
            "edit_count",
            Field("kind", wrapper_class="js-plan-kind"),
            "goal", "placement_efforts",
            Row(Column("valid_from", css_class="col-md-4"), Column("valid_until", css_class="col-md-4"),
                Column("review_on", css_class="col-md-4")),
            Div("decision_reason", "review_clause", css_class="js-decision-fields border-start border-3 ps-3 mb-3",
                data_testid="decision-fields"),
        )

    def to_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(kind=data["kind"], goal=data["goal"], placement_efforts=data["placement_efforts"],
                         valid_from=data["valid_from"], valid_until=data["valid_until"], review_on=data["review_on"],
                         decision_reason=data["decision_reason"], review_clause=data["review_clause"])


class _RowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def is_blank(self) -> bool:
        """A row added and left empty: ignored instead of refused."""
        return self.empty_permitted and not self.has_changed()


class StepForm(_RowForm):
    description = forms.CharField(label=_("Step"), max_length=2000, widget=_text(2))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices, initial=StepStatus.OPEN)

    def to_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(id=data.get("id"), description=data["description"], due_on=data.get("due_on"),
                         status=data["status"])


class ServiceForm(_RowForm):
    kind = forms.ChoiceField(label=_("Kind of service"), required=False,
                             choices=[("", "---------"), *ServiceKind.choices])
    offer = forms.TypedChoiceField(label=_("Partner offer"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000, widget=_text(1))
    estimated_cost = forms.DecimalField(label=_("Estimated cost (EUR)"), required=False, min_value=0,
                                        max_digits=9, decimal_places=2,
                                        help_text=_("Empty with an offer: cost per month × months of validity."))
    paying_override = forms.ChoiceField(label=_("Paid by"), required=False)
    override_reason = forms.CharField(label=_("Reason for deviating from the table"), required=False,
                                      max_length=1000, widget=_text(1))

    def __init__(self, *args: Any, offer_choices: list[Any], offers: dict[int, Offer],
                 agency_choices: list[tuple[str, str | Promise]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers = offers
        cast(forms.ChoiceField, self.fields["offer"]).choices = [("", _("– none –")), *offer_choices]
        cast(forms.ChoiceField, self.fields["paying_override"]).choices = agency_choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        offer_id = cleaned.get("offer")
        if offer_id is not None and offer_id not in self.offers:
            self.add_error("offer", _("Choose an offer of this contact point."))
        elif offer_id is not None and not cleaned.get("kind"):
            cleaned["kind"] = self.offers[offer_id].category
        if not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Choose the kind of service or a partner offer."))
        if cleaned.get("paying_override") and not (cleaned.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Give a reason for deviating from the paying-agency rule."))
        return cleaned

    def full_offer_warning(self) -> str:
        """The warning for the chosen offer (as submitted, else as saved) when it is fully booked."""
        value = self["offer"].value()
        try:
            offer = self.offers.get(int(value)) if value not in (None, "") else None
        except (TypeError, ValueError):
            offer = None
        return full_offer_warning(offer) if offer is not None else ""

    def to_input(self) -> ServiceInput:
        data = self.cleaned_data
        offer_id = data.get("offer")
        return ServiceInput(
            id=data.get("id"), kind=data["kind"], description=data["description"],
            offer=self.offers.get(offer_id) if offer_id else None, estimated_cost=data.get("estimated_cost"),
            paying_override=data.get("paying_override") or "", override_reason=data.get("override_reason") or "",
        )


class ObligationForm(_RowForm):
    kind = forms.ChoiceField(label=_("Kind of obligation"), required=False,
                             choices=[("", "---------"), *ObligationKind.choices])
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1, max_value=999)
    period = forms.ChoiceField(label=_("Period"), required=False,
                               choices=[("", "---------"), *ObligationPeriod.choices])
    proof = forms.CharField(label=_("Form of proof"), required=False, max_length=300,
                            help_text=_("e.g. “copies of the cover letters”"))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000, widget=_text(1))

    def to_input(self) -> ObligationInput:
        data = self.cleaned_data
        return ObligationInput(id=data.get("id"), kind=data["kind"], description=data["description"],
                               quantity=data.get("quantity"), period=data["period"], proof=data["proof"])


def _helper(*rows: Any) -> FormHelper:
    helper = fields_helper(*rows)
    helper.disable_csrf = True
    return helper


STEP_HELPER = _helper("id", Row(Column("description", css_class="col-md-7"), Column("due_on", css_class="col-md-3"),
                                Column("status", css_class="col-md-2")))
SERVICE_HELPER = _helper(
    "id",
    Row(Column("kind", css_class="col-md-4"),
        Column("offer", HTML('{% include "integration_plans/_offer_full.html" %}'), css_class="col-md-5"),
        Column("estimated_cost", css_class="col-md-3")),
    Row(Column("description", css_class="col-md-12")),
    Row(Column("paying_override", css_class="col-md-4"), Column("override_reason", css_class="col-md-8")),
)
OBLIGATION_HELPER = _helper(
    "id",
    Row(Column("kind", css_class="col-md-4"), Column("quantity", css_class="col-md-2"),
        Column("period", css_class="col-md-3"), Column("proof", css_class="col-md-3")),
    Row(Column("description", css_class="col-md-12")),
)

StepFormSet = forms.formset_factory(StepForm, extra=0, can_delete=True, max_num=50, validate_max=True)
ServiceFormSet = forms.formset_factory(ServiceForm, extra=0, can_delete=True, max_num=50, validate_max=True)
ObligationFormSet = forms.formset_factory(ObligationForm, extra=0, can_delete=True, max_num=50, validate_max=True)


def offer_choices(user: Any, office: ContactPoint, keep: set[int]) -> tuple[list[Any], dict[int, Offer]]:
    """The office's active service offers (plus those already chosen), grouped by category, each with its free
    places (``free``, ``places``); a full one says so in its label (one query)."""
    offers = list(
        with_occupancy(Offer.objects.for_user(user).filter(partner__contact_point=office)
                       .filter(Q(active=True, partner__active=True) | Q(pk__in=keep)))
        .select_related("partner").order_by("category", "title", "id")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for offer in offers:
        label = f"{offer.title} – {offer.partner.name}"
        if full_offer_warning(offer):
            label = f"{label} ({_('fully booked')})"
        groups.setdefault(str(offer.get_category_display()), []).append((offer.pk, label))
    return list(groups.items()), {offer.pk: offer for offer in offers}


def full_offer_warning(offer: Offer) -> str:
    """A warning when ``offer`` (annotated by ``partners.selectors.with_occupancy``) has no free place: it may
    still be chosen, its referral then goes on the waiting list. Empty otherwise."""
    free = getattr(offer, "free", None)
    if free is None or free > 0:
        return ""
    return str(_("“%(offer)s” is fully booked at the moment (%(free)s of %(places)s places free). You can still "
                 "choose it; the referral then goes on the offer's waiting list.")
               % {"offer": offer.title, "free": free, "places": offer.places})


def agency_choices(office: ContactPoint) -> list[tuple[str, str | Promise]]:
    return [("", _("As the table says")), (Agency.Kind.ARBEITSAMT, office.employment_agency.name),
            (Agency.Kind.SOZIALHILFE, office.welfare_agency.name)]


def rows(formset: forms.BaseFormSet) -> list[Any]:
    """The rows to save: neither deleted nor added-and-left-empty."""
    return [form for form in formset.forms
            if not (formset.can_delete and form.cleaned_data.get("DELETE")) and not form.is_blank()]


# --- after finalising ---------------------------------------------------------------------------------------
class SignatureForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2),
                           help_text=_("e.g. “signed by the client at the contact point, copy handed over”"))
    scan = forms.FileField(label=_("Signed scan (PDF, optional)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("signed_on", "note", "scan")


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Signed scan (PDF)"), widget=forms.ClearableFileInput(
        attrs={"accept": "application/pdf"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("scan")


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    note = forms.CharField(label=_("Result of the review"), max_length=4000, widget=_text(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("reviewed_on", "note")


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should be changed?"), max_length=4000, widget=_text(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper("note")


class SignoffForm(forms.Form):
    """Which agency a representative signs a plan off for (the button they pressed)."""

    agency = forms.ChoiceField(choices=Agency.Kind.choices)


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=StepStatus.choices)


class CheckForm(forms.Form):
    period_start = forms.TypedChoiceField(label=_("Period"), coerce=date.fromisoformat)
    achieved = forms.IntegerField(label=_("Number proven"), required=False, min_value=0, max_value=999,
                                  help_text=_("For counted obligations (e.g. applications): the count decides."))
    fulfilled = forms.TypedChoiceField(
        label=_("Fulfilled?"), required=False, widget=forms.RadioSelect, empty_value=None,
        choices=[("yes", _("yes")), ("no", _("no"))], coerce=lambda v: v == "yes")
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_text(2),
                           help_text=_("Required when the obligation was not fulfilled."))

    def __init__(self, *args: Any, periods: list[Any], counted: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period_start"]).choices = [
            (p.start.isoformat(), f"{p.start:%d.%m.%Y} – {p.end:%d.%m.%Y}") for p in periods]
        layout = ["period_start", "achieved" if counted else "fulfilled", "note"]
        if counted:  # the count decides "fulfilled"; a field the form does not show must not refuse silently
            self.fields["achieved"].required = True
            del self.fields["fulfilled"]
        else:
            del self.fields["achieved"]
        self.helper = fields_helper(*layout)


class HearingForm(forms.Form):
    statement = forms.CharField(label=_("Statement of the client"), required=False, max_length=8000, widget=_text(4))
    statement_on = forms.DateField(label=_("Statement given on"), required=False, widget=DateInput())
    good_reason_accepted = forms.TypedChoiceField(
        label=_("Good reason (wichtiger Grund) accepted?"), required=False, widget=forms.RadioSelect,
        empty_value=None, choices=[("yes", _("yes")), ("no", _("no"))], coerce=lambda v: v == "yes")
    consequence = forms.ChoiceField(label=_("Consequence"), required=False,
                                    choices=[("", "---------"), *HearingConsequence.choices])
    legal_basis = forms.ChoiceField(label=_("Legal basis"), required=False,
                                    choices=[("", _("– none –")), *((b.value, b.label) for b in DECISION_BASES)])
    decision = forms.CharField(label=_("Decision and reasons"), required=False, max_length=8000, widget=_text(4))
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_helper(
            Row(Column("statement_on", css_class="col-md-4")), "statement",
            Div("good_reason_accepted",
                Row(Column("consequence", css_class="col-md-6"), Column("legal_basis", css_class="col-md-6")),
                "decision", Row(Column("decided_on", css_class="col-md-4")),
                css_class="border-top pt-3"),
        )


# --- the plan list ------------------------------------------------------------------------------------------
class PlanFilterForm(forms.Form):
    DEFAULTS: dict[str, Any] = {"q": "", "status": selectors.STATUS_FILTER_IN_FORCE, "kind": "", "mine": False,
                                "sort": selectors.DEFAULT_SORT}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Client name")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        (selectors.STATUS_FILTER_IN_FORCE, _("In force")), (selectors.STATUS_FILTER_OPEN, _("In preparation")),
        (selectors.STATUS_FILTER_ALL, _("All")), *PlanStatus.choices])
    kind = forms.ChoiceField(label=_("Form"), required=False, choices=[("", _("All forms")), *PlanKind.choices])
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                             choices=[(key, key) for key in selectors.PLAN_SORTS])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = {"mine": "form-check-input", "status": "form-select", "kind": "form-select"}.get(name, "form-control")
            field.widget.attrs.setdefault("class", css)

    def filters(self) -> dict[str, Any]:
        data = dict(self.DEFAULTS)
        if self.is_bound:
            self.is_valid()
            data.update({name: value for name, value in self.cleaned_data.items()
                         if name not in self.errors and value not in (None, "")})
        return data
