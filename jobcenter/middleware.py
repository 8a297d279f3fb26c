from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from jobcenter.http import StaffHttpRequest
from jobcenter.staff import SESSION_EPOCH_KEY, SESSION_RENEWED_KEY, StaffContext


class SessionRenewalMiddleware:
    """Sliding session expiry at the cost of one write per ``SESSION_RENEW_SECONDS``, not one per request
    (``SESSION_SAVE_EVERY_REQUEST`` would add BEGIN, UPDATE and COMMIT to every page). A logged-in session whose
    last renewal is older than that is marked modified; the session middleware around this one then saves it with
    a fresh expiry. A session therefore ends between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and
    ``SESSION_COOKIE_AGE`` seconds after the last request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # after a logout the user is anonymous: nothing to renew
            now = int(time.time())
            if now - int(request.session.get(SESSION_RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now
        return response


class StaffContextMiddleware:
    """Attach ``request.staff`` and activate the language the user chose in their profile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: StaffHttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            staff = StaffContext(user=request.user, request=request)
            if request.session.get(SESSION_EPOCH_KEY, 0) != staff.profile.session_epoch:
                # ended by "log out everywhere" on another device
                logout(request)
                return redirect_to_login(request.get_full_path())
            request.staff = staff
            staff.offices  # noqa: B018  loaded now (every page names the office): office scoping then needs no query
            translation.activate(staff.profile.language)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            request.staff = None
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user (pages, htmx partials, PDFs,
    CSVs hold Sozialdaten: no browser or proxy cache may keep them). Static files and responses that set their own
    Cache-Control (the admin's ``never_cache``) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and "Cache-Control" not in response
                and not request.path.startswith(self.static_prefix)):
            response["Cache-Control"] = "private, no-store"
        return response
