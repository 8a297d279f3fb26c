"""What changed between two plan versions (Fortschreibung), computed from their content snapshots.

Steps, services and obligations keep a ``key`` from version to version: an item whose key is only in the new
version was added, one only in the old was removed, one in both with different printed fields was changed (with
the fields before and after). Plan-level fields (goal, validity, …) are compared one by one. Pure: snapshots in,
a ``PlanDiff`` out; ``as_json`` is what the next snapshot stores and the PDF prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

PLAN_FIELDS: tuple[tuple[str, Promise], ...] = (
    ("kind_label", _("Form")),
    ("goal", _("Integration goal")),
    ("placement_efforts", _("Placement efforts of the contact point")),
    ("valid_from", _("Valid from")),
    ("valid_until", _("Valid until")),
    ("review_on", _("Review on")),
    ("decision_reason", _("Reason for the duration")),
    ("review_clause", _("Review clause")),
)
SECTIONS: tuple[tuple[str, Promise, tuple[tuple[str, Promise], ...]], ...] = (
    ("steps", _("Step"), (("description", _("Step")), ("due_on", _("Due on")))),
    ("services", _("Service"), (
        ("kind_label", _("Kind of service")), ("description", _("Description")), ("offer", _("Partner offer")),
        ("paying_agency", _("Paid by")), ("legal_basis_label", _("Legal basis")),
        ("estimated_cost", _("Estimated cost (EUR)")),
    )),
    ("obligations", _("Obligation"), (
        ("kind_label", _("Kind of obligation")), ("description", _("Description")), ("extent", _("Extent")),
        ("proof", _("Form of proof")),
    )),
)
DATE_FIELDS = frozenset({"valid_from", "valid_until", "review_on", "due_on"})


def _display(name: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if name in DATE_FIELDS:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    if name == "estimated_cost":
        return str(value).replace(".", ",") + " €"
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    section: str
    section_label: str
    status: str  # added | removed | changed
    summary: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class PlanDiff:
    fields: tuple[FieldChange, ...] = ()
    items: tuple[ItemChange, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.items

    def _of(self, status: str) -> list[ItemChange]:
        return [item for item in self.items if item.status == status]

    @property
    def added(self) -> list[ItemChange]:
        return self._of(ADDED)

    @property
    def removed(self) -> list[ItemChange]:
        return self._of(REMOVED)

    @property
    def changed(self) -> list[ItemChange]:
        return self._of(CHANGED)

    def as_json(self) -> dict[str, Any]:
        return {
            "fields": [vars(f) for f in self.fields],
            "items": [{"section": i.section, "section_label": i.section_label, "status": i.status,
                       "summary": i.summary, "fields": [vars(f) for f in i.fields]} for i in self.items],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PlanDiff:
        if not data:
            return cls()
        return cls(
            fields=tuple(FieldChange(**f) for f in data.get("fields", [])),
            items=tuple(ItemChange(section=i["section"], section_label=i["section_label"], status=i["status"],
                                   summary=i["summary"], fields=tuple(FieldChange(**f) for f in i["fields"]))
                        for i in data.get("items", [])),
        )


def _summary(section: str, item: dict[str, Any]) -> str:
    if section == "steps":
        text = item.get("description") or "–"
        return f"{text} ({_display('due_on', item['due_on'])})" if item.get("due_on") else text
    if section == "services":
        parts = [item.get("kind_label") or "", item.get("offer") or item.get("description") or ""]
        return ": ".join(part for part in parts if part)
    parts = [item.get("kind_label") or "", item.get("extent") or "", item.get("description") or ""]
    return " · ".join(part for part in parts if part) or "–"


def diff_contents(before: dict[str, Any], after: dict[str, Any]) -> PlanDiff:
    fields = tuple(
        FieldChange(str(label), _display(name, before.get(name)), _display(name, after.get(name)))
        for name, label in PLAN_FIELDS
        if (before.get(name) or "") != (after.get(name) or "")
    )
    items: list[ItemChange] = []
    for section, section_label, compared in SECTIONS:
        old = {item["key"]: item for item in before.get(section) or []}
        new = {item["key"]: item for item in after.get(section) or []}
        for key, item in new.items():
            if key not in old:
                items.append(ItemChange(section, str(section_label), ADDED, _summary(section, item)))
                continue
            changes = tuple(
                FieldChange(str(label), _display(name, old[key].get(name)), _display(name, item.get(name)))
                for name, label in compared
                if (old[key].get(name) or "") != (item.get(name) or "")
            )
            if changes:
                items.append(ItemChange(section, str(section_label), CHANGED, _summary(section, item), changes))
        for key, item in old.items():
            if key not in new:
                items.append(ItemChange(section, str(section_label), REMOVED, _summary(section, item)))
    return PlanDiff(fields, tuple(items))
