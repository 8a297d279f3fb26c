"""The navigation registry: apps register their menu entries in ``AppConfig.ready``.

An entry names the roles that see it and, for an optional module, the module that must be enabled in the
user's active office; a switched-off module's entries vanish (and its views answer 404, see ``decorators``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str = "circle"
    roles: frozenset[str] | None = None  # None: every staff role
    module: str | None = None
    order: int = 100
    url_kwargs: dict[str, object] = field(default_factory=dict)
    # a short text beside the label (e.g. the unread count), "" for none; computed per request, so it must be
    # cheap: one indexed query, cached on the request (``notifications.selectors.unread_badge``)
    badge: Callable[[HttpRequest], str] | None = None


_REGISTRY: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    for item in items:
        _REGISTRY[item.key] = item


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    staff = getattr(request, "staff", None)
    if staff is None:
        return []
    visible: list[dict[str, object]] = []
    for item in sorted(_REGISTRY.values(), key=lambda i: (i.order, i.key)):
        if item.roles is not None and not (staff.roles & item.roles):  # no superuser bypass
            continue
        if item.module and not staff.has_module(item.module):
            continue
        url = reverse(item.url_name, kwargs=item.url_kwargs or None)
        visible.append(
            {"key": item.key, "label": item.label, "url": url, "icon": item.icon,
             "active": request.path.startswith(url) and url != "/" or request.path == url,
             "badge": item.badge(request) if item.badge else ""}
        )
    return visible
