"""``{% object_actions "target" obj %}``: the buttons higher apps registered for an object (``jobcenter.object_actions``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from jobcenter import object_actions as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def object_actions(context: template.Context, target: str, obj: Any) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")  # noqa: S308 - nothing to render
    parts = []
    for name, extra in registry.actions_for(request, target, obj):
        values: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
        values.update(extra, obj=obj)
        parts.append(get_template(name).render(values, request))
    return mark_safe("".join(parts))  # noqa: S308 - rendered (auto-escaped) templates
