"""Typed requests for views, so that ``request.staff`` and ``request.htmx`` need no ``type: ignore``.

``StaffContextMiddleware`` sets ``request.staff`` (``None`` for anonymous users), django-htmx's middleware sets
``request.htmx``. A view behind ``login_required`` takes an ``AuthenticatedHttpRequest``: its user is a real
``User`` and its ``staff`` is set. Modelled on healthchecks' ``hc/accounts/http.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails

    from jobcenter.staff import StaffContext


class StaffHttpRequest(HttpRequest):
    """Any request that passed our middleware: ``staff`` is ``None`` for an anonymous user."""

    staff: StaffContext | None
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request of a logged-in staff member (views behind ``login_required``)."""

    user: User
    staff: StaffContext
    htmx: HtmxDetails
