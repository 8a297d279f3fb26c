"""``{% error_prefix %}``: "Fehler: " before the page title while a form on the page shows errors (WCAG 2.4.2).

A form shown again with its errors is a different state of the page; a screen reader announces the title first,
so the prefix tells at once that the submission did not go through. Every bound form or formset in the template
context counts (also inside a list or dict one level down), so no view has to remember to say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def _has_errors(value: object) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and (bool(value.non_form_errors()) or any(form.errors for form in value.forms))
    return False


def _candidates(value: object) -> Iterable[object]:
    yield value
    if isinstance(value, Mapping):
        yield from value.values()
    elif isinstance(value, list | tuple):
        yield from value


@register.simple_tag(takes_context=True)
def error_prefix(context: template.Context) -> str:
    for value in context.flatten().values():
        if any(_has_errors(candidate) for candidate in _candidates(value)):
            return _("Error") + ": "
    return ""
