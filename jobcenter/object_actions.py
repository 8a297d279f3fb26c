"""Extension point for buttons on a lower app's object: a higher app adds an action (e.g. "print the invitation")
to an appointment, a hearing or a referral without the lower app naming the higher app's URL.

A lower app's template marks the place with ``{% load object_actions %}{% object_actions "hearing" hearing %}``;
each action registered for that target is rendered there with ``obj`` (the object or row the page has), the
request context, and what its optional ``context(request, obj)`` returns. An action names the roles that see it
and, optionally, the modules of which one must be on in the active office. Higher apps register in
``AppConfig.ready``; without a registered action the tag renders nothing.

Targets in use: ``"appointment"`` (a ``cases.selectors_contacts.TimelineEntry`` of the timeline), ``"hearing"``
(``integration_plans.models.Hearing``), ``"referral"`` (``partners.models.Referral``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class ObjectAction:
    key: str
    target: str
    template: str
    roles: frozenset[str] | None = None
    modules: frozenset[str] | None = None  # any one of them must be on (None: no module needed)
    order: int = 100
    context: Callable[[HttpRequest, Any], dict[str, object]] | None = None


_ACTIONS: dict[str, ObjectAction] = {}


def register(action: ObjectAction) -> None:
    _ACTIONS[action.key] = action


def actions_for(request: HttpRequest, target: str, obj: Any) -> list[tuple[str, dict[str, object]]]:
    """(template, extra context) of every action on ``target`` the user may see, in order."""
    staff = getattr(request, "staff", None)
    if staff is None:
        return []
    result = []
    for action in sorted(_ACTIONS.values(), key=lambda a: (a.order, a.key)):
        if action.target != target:
            continue
        if action.roles is not None and not staff.has_role(*action.roles):
            continue
        if action.modules and not any(staff.has_module(module) for module in action.modules):
            continue
        result.append((action.template, action.context(request, obj) if action.context else {}))
    return result
