"""Small helpers every app's views share: the active office, a role check for a page's links, showing a broken rule.

One of each, so that an app's ``views/common.py`` holds only what is particular to the app.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from jobcenter.errors import DomainError
from jobcenter.http import AuthenticatedHttpRequest, StaffHttpRequest
from jobcenter.models import ContactPoint


def active_office(request: AuthenticatedHttpRequest) -> ContactPoint:
    """The user's active contact point (with both agencies loaded). A user without one gets 404, as for any office
    data they cannot see: every page that needs an office answers the same."""
    office = request.staff.office
    if office is None:
        raise Http404
    return office


def can(request: AuthenticatedHttpRequest | StaffHttpRequest, roles: Collection[str]) -> bool:
    """Does the user hold one of ``roles`` (e.g. ``jobcenter.authz.STEERING``)? For links and buttons (also on pages
    of anonymous users); the view itself is guarded by ``role_required``. No superuser bypass."""
    staff = request.staff
    return bool(staff and staff.has_role(*roles))


def refuse(target: BaseForm | HttpRequest, error: DomainError, *, renamed: Mapping[str, str] | None = None) -> None:
    """Show a broken rule: on a form at the field it names (``renamed`` maps a service's field name to the form's;
    above the form when the form has no such field), on a request as an error message for the next page."""
    if isinstance(target, BaseForm):
        field = (renamed or {}).get(error.field or "", error.field)
        target.add_error(field if field in target.fields else None, error.message)
    else:
        messages.error(target, error.message)
