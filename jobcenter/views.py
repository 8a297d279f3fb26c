from __future__ import annotations

import datetime
from collections.abc import Sized
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jobcenter import access_log, readiness
from jobcenter import home as home_sections
from jobcenter.forms import StaffAuthenticationForm
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.models import StaffProfile
from jobcenter.staff import ACTIVE_OFFICE_SESSION_KEY, SESSION_EPOCH_KEY

# When the accessibility statement was last checked against the application (update with the statement's text).
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 4)


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page: each app contributes its sections for the user's roles ("Mein Tag")."""
    sections = home_sections.sections_for(request)
    if request.staff.office is not None:
        # the lists name clients: one access record with the number of rows (``items``) of all sections
        rows = sum(len(cast(Sized, section.get("items") or ())) for section in sections)
        access_log.shown_many(request, office_id=request.staff.office.pk, rows=rows)
    return render(request, "jobcenter/home.html", {"sections": sections})


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@require_POST
def set_language(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """Store the chosen UI language in the user's profile (it follows them to every device)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):  # the choices of StaffProfile.language
        messages.error(request, _("Unknown language."))
        return HttpResponseRedirect(_back(request))
    profile = request.staff.profile
    profile.language = language
    profile.save(update_fields=["language"])
    translation.activate(language)
    return HttpResponseRedirect(_back(request))


@require_POST
def switch_office(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    try:
        office_id = int(request.POST.get("office", ""))
    except ValueError:
        office_id = -1
    if office_id not in {office.pk for office in request.staff.offices}:
        messages.error(request, _("You do not work in that contact point."))
    else:
        request.session[ACTIVE_OFFICE_SESSION_KEY] = office_id
    return HttpResponseRedirect("/")


class StaffLoginView(LoginView):
    """Django's login, plus the session generation that "log out everywhere" invalidates."""

    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        profile, _created = StaffProfile.objects.get_or_create(user=form.get_user())
        self.request.session[SESSION_EPOCH_KEY] = profile.session_epoch
        return response


@require_POST
def logout_everywhere(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    """End every session of this user on every device (e.g. after a lost laptop)."""
    StaffProfile.objects.filter(user=request.user).update(session_epoch=F("session_epoch") + 1)
    logout(request)
    messages.success(request, _("You have been logged out on all devices."))
    return HttpResponseRedirect(reverse("login"))


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0 § 7): public, linked in every footer."""
    return render(request, "jobcenter/accessibility.html", {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
    })


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers and deployments: database, broker, a recent worker heartbeat and no pending
    migrations (``jobcenter/readiness.py``); 200 when all are fine, 503 otherwise."""
    ok, checks = readiness.report()
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
