"""What the profiling app contributes to other pages: the client-page sections (profiling, Sozialanamnese,
assessments) and the start-page worklists ("Profiling offen", "Sozialanamnese offen", each with its full page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import client_page
from cases.models import Case, Client
from jobcenter import access_log, params
from jobcenter.authz import REFERRING, STEERING
from jobcenter.decorators import role_required
from jobcenter.home import CardItem
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.listing import CARD_COUNT_CAP, card_rows, paginate
from jobcenter.models import ContactPoint
from jobcenter.roles import Module
from profiling import selectors
from profiling.views.common import may_write, sees_sensitive

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from profiling.selectors import LatestProfiling

HOME_LIMIT = 5
PAGE_SIZE = 25


def _authenticated(request: HttpRequest) -> AuthenticatedHttpRequest:
    """The client page (``cases.client_page``) and the start page (``jobcenter.home``) call their sections with
    a plain ``HttpRequest``, but only for logged-in staff holding the section's roles."""
    return cast(AuthenticatedHttpRequest, request)


# --- client page --------------------------------------------------------------------------------------------
def client_profiling(http_request: HttpRequest, client: Client) -> dict[str, object]:
    request = _authenticated(http_request)
    staff = request.staff
    overview = selectors.client_overview(request.user, staff.roles, client)
    open_case = client_page.cases_of(request, client).here  # read once for all sections
    return {
        "overview": overview, "latest": overview.latest, "open_case": open_case,
        "can_write": open_case is not None and may_write(request),
        "can_refer": open_case is not None and staff.has_role(*REFERRING),
    }


def client_social_history(http_request: HttpRequest, client: Client) -> dict[str, object]:
    request = _authenticated(http_request)
    open_case = client_page.cases_of(request, client).here  # read once for all sections
    histories = selectors.client_social_histories(request.user, client)
    return {
        "histories": [{"history": h, "allowed": sees_sensitive(request, h.case)} for h in histories],
        "open_case": open_case,
        "can_record": open_case is not None and sees_sensitive(request, open_case) and may_write(request)
        and not any(h.case_id == open_case.pk for h in histories),
    }


def client_assessments(http_request: HttpRequest, client: Client) -> dict[str, object]:
    request = _authenticated(http_request)
    open_case = client_page.cases_of(request, client).here  # read once for all sections
    assessments = selectors.client_assessments(request.user, client)
    return {
        "assessments": [{"assessment": a, "allowed": sees_sensitive(request, a.referral.case)} for a in assessments],
        "open_case": open_case,
        "can_commission": open_case is not None and may_write(request) and sees_sensitive(request, open_case),
    }


# --- start page ---------------------------------------------------------------------------------------------


R = TypeVar("R", bound=Case)


def _profiling_item(case: WithAnnotations[Case, LatestProfiling]) -> CardItem:
    if case.latest_profiling_id:
        url = reverse("profiling:profiling_detail", args=[case.latest_profiling_id])
        detail = _("Profiling recorded, category not set yet")
    else:
        url, detail = reverse("profiling:profiling_create", args=[case.pk]), _("No profiling yet")
    return CardItem(url=url, title=str(case.client), detail=detail, when=case.opened_on, badge=case.get_status_display())


def _history_item(case: Case) -> CardItem:
    return CardItem(url=reverse("profiling:social_history_edit", args=[case.pk]), title=str(case.client),
                detail=_("Client needing case management"), when=case.opened_on, badge=case.get_status_display())


@dataclass(frozen=True)
class Worklist(Generic[R]):
    slug: str
    title: str
    icon: str
    empty: str
    module: str | None
    query: Callable[[AbstractBaseUser, frozenset[str], ContactPoint], QuerySet[R]]  # (user, roles, office)
    item: Callable[[R], CardItem]

    def rows(self, request: AuthenticatedHttpRequest, office: ContactPoint) -> QuerySet[R]:
        return self.query(request.user, request.staff.roles, office)


def _worklists() -> dict[str, Worklist[Any]]:
    return {
        "profiling": Worklist(
            "profiling", _("Profiling to do"), "clipboard-data",
            _("Every case in intake or profiling has its profile category."), None,
            selectors.profiling_worklist, _profiling_item),
        "sozialanamnese": Worklist(
            "sozialanamnese", _("Social history to record"), "journal-medical",
            _("Every client in case management has a social history."), Module.SOZIALANAMNESE,
            selectors.social_history_worklist, _history_item),
    }


def _card(request: AuthenticatedHttpRequest, slug: str) -> dict[str, object]:
    worklist = _worklists()[slug]
    staff = request.staff
    office = staff.office
    hidden = office is None or (worklist.module is not None and not staff.has_module(worklist.module))
    context: dict[str, object] = {
        "title": worklist.title, "icon": worklist.icon, "empty": worklist.empty, "when_format": "d.m.Y",
        "items": [], "total": 0, "more_url": "", "hidden": hidden,
    }
    if hidden or office is None:
        return context
    rows, total, capped = card_rows(worklist.rows(request, office), HOME_LIMIT)
    context.update(total=total, capped=capped, cap=CARD_COUNT_CAP, items=[worklist.item(case) for case in rows],
                   more_url=reverse("profiling:worklist", args=[slug]) if total > HOME_LIMIT else "")
    return context


def profiling_worklist(request: HttpRequest) -> dict[str, object]:
    return _card(_authenticated(request), "profiling")


def social_history_worklist(request: HttpRequest) -> dict[str, object]:
    return _card(_authenticated(request), "sozialanamnese")


@role_required(*STEERING)
def worklist_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The whole of one start-page list, paginated in the database."""
    worklist = _worklists().get(slug)
    staff = request.staff
    office = staff.office
    if worklist is None or office is None or (worklist.module and not staff.has_module(worklist.module)):
        raise Http404
    page = paginate(worklist.rows(request, office), params.get_page(request), PAGE_SIZE)
    access_log.shown_many(request, office_id=office.pk, rows=page.object_list)
    return render(request, "profiling/worklist.html", {
        "worklist": worklist, "page": page, "items": [worklist.item(case) for case in page.object_list],
    })
