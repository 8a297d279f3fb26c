"""Template helpers of the partners pages: the tab bar shown above every partners page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenter.authz import ALL_STAFF, REFERRING
from jobcenter.shortcuts import can
from partners.rules import ALL_REFERRAL_MODULES, VACANCY_MODULE

register = template.Library()


@register.inclusion_tag("partials/tabs.html", takes_context=True)
def partner_tabs(context: dict[str, Any], active: str) -> dict[str, Any]:
    request = context["request"]
    staff = request.staff
    tabs = [
        ("partners", _("Partner registry"), "partners:partner_list", "diagram-3", ALL_STAFF, None),
        ("board", _("Free places"), "partners:offer_board", "grid-3x3-gap", ALL_STAFF, None),
        ("referrals", _("Referrals"), "partners:referral_list", "send", REFERRING, ALL_REFERRAL_MODULES),
        ("vacancies", _("Vacancies"), "partners:vacancy_list", "briefcase", REFERRING, {VACANCY_MODULE}),
    ]
    visible = [
        {"key": key, "label": label, "url": reverse(url_name), "icon": icon, "active": key == active}
        for key, label, url_name, icon, roles, modules in tabs
        if can(request, roles) and (modules is None or any(staff.has_module(m) for m in modules))
    ]
    return {"tabs": visible, "testid": "partner-tabs"}


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")
