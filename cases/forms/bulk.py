"""Forms of the bulk work: the filter of the reassignment (GET), the selection with the new case manager (POST:
preview and confirmation), and the selection of clients to export. They clean and validate; the service decides
(``cases.services.bulk``) and the views scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from cases.models import CaseStatus, Segment
from cases.selectors import MANAGER_FILTER_NONE
from cases.services.bulk import MAX_BULK
from jobcenter.forms import StaffChoiceField
from jobcenter.params import BIGINT_MAX

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OPEN_STATUSES = [(value, label) for value, label in CaseStatus.choices if value != CaseStatus.CLOSED]
MAX_EXPORT = 500  # clients in one export of a selection


class IdsField(forms.Field):
    """A list of ids as checkboxes or hidden inputs send them (``name=1&name=2``): positive, distinct, at most
    ``maximum``."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, maximum: int, **kwargs: Any) -> None:
        self.maximum = maximum
        kwargs.setdefault("error_messages", {"required": _("Select at least one case.")})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        ids: list[int] = []
        for raw in values:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= BIGINT_MAX:
                raise ValidationError(_("The selection is invalid; select again."), code="invalid")
            ids.append(int(text))
        unique = sorted(set(ids))
        if len(unique) > self.maximum:
            raise ValidationError(
                ngettext_lazy("Select at most %(max)s entry.", "Select at most %(max)s entries.", self.maximum)
                % {"max": self.maximum}, code="too_many")
        return unique


def manager_choices(holders: Iterable[User]) -> list[tuple[str, str | Promise]]:
    return [("", _("– choose –")), (MANAGER_FILTER_NONE, _("Not assigned")),
            *((str(user.pk), (user.get_full_name() or user.get_username())
               + ("" if user.is_active else " " + str(_("(deactivated)")))) for user in holders)]


class BulkFilterForm(forms.Form):
    """Which cases to look at: those of one current case manager (or unassigned), optionally of one segment and
    one status. Only open cases can be reassigned."""

    manager = forms.ChoiceField(label=_("Current case manager"), required=False)
    segment = forms.ChoiceField(label=_("Customer segment"), required=False,
                                choices=[("", _("All segments")), *Segment.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All open cases")), *OPEN_STATUSES])

    def __init__(self, *args: Any, holders: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["manager"]).choices = manager_choices(holders)

    def filters(self) -> dict[str, str]:
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: cleaned.get(name) or "" for name in ("manager", "segment", "status")}


class BulkReassignForm(forms.Form):
    """The selected cases and the new case manager; ``expected`` (the confirmation) says whom each case had in the
    preview: ``"17:5 18:-"`` (case 17 had user 5, case 18 nobody)."""

    cases = IdsField(maximum=MAX_BULK)
    new_manager = StaffChoiceField(label=_("New case manager"), queryset=None,
                                   error_messages={"required": _("Choose the new case manager.")})
    expected = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20 * MAX_BULK)
    # the filter of the selection page, to go back to it
    manager = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    segment = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    status = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(StaffChoiceField, self.fields["new_manager"]).queryset = managers

    def clean_expected(self) -> dict[int, int | None] | None:
        text = self.cleaned_data.get("expected") or ""
        if not text.strip():
            return None
        expected: dict[int, int | None] = {}
        for part in text.split():
            case, _sep, manager = part.partition(":")
            if not (case.isascii() and case.isdigit()) or not (manager == "-" or (manager.isascii()
                                                                                  and manager.isdigit())):
                raise ValidationError(_("The preview is invalid; check the preview again."), code="invalid")
            expected[int(case)] = None if manager == "-" else int(manager)
        return expected


def encode_expected(pairs: Iterable[tuple[int, int | None]]) -> str:
    """``expected`` for the confirmation form: each case with the case manager the preview showed."""
    return " ".join(f"{case}:{'-' if manager is None else manager}" for case, manager in pairs)


class ClientSelectionForm(forms.Form):
    """Clients chosen on the client list for an export, and the file format."""

    clients = IdsField(maximum=MAX_EXPORT, error_messages={"required": _("Select at least one client.")})
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel")], required=False)
