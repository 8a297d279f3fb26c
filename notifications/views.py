"""The inbox: the user's notifications in the active office, newest first, paginated; opening one marks it read
and leads to its page (where the usual permission checks apply); "mark all as read"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter import access_log, params
from jobcenter.authz import CASE_WORK
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import active_office
from notifications import selectors, services
from notifications.forms import NotificationForm
from notifications.models import Notification

PAGE_SIZE = 20


@role_required(*CASE_WORK)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    unread_only = params.get_bool(request, "ungelesen")
    rows = selectors.inbox(request.user, office.pk, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get_page(request))
    # the notifications name clients: logged as a list, with the number of rows that name one
    access_log.shown_many(request, office_id=office.pk,
                          rows=sum(1 for row in page.object_list if row.client_id is not None))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "query": "ungelesen=1" if unread_only else "",
        "unread": selectors.unread_count(request.user, office.pk), "cap": selectors.BADGE_CAP,
    })


def _marked(request: AuthenticatedHttpRequest) -> Notification | None:
    """The notification the POST names, marked read; None when the form names none (a plain "back to the
    inbox"); 404 when it is not the user's own in one of their offices."""
    form = NotificationForm(request.POST)
    if not form.is_valid():
        return None
    try:
        return services.mark_read(notification_id=form.cleaned_data["notification"], user=request.user)
    except Notification.DoesNotExist:
        raise Http404 from None


@require_POST
@role_required(*CASE_WORK)
def open_notification(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark read and go to the page it is about."""
    notification = _marked(request)
    if notification is None or not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:inbox")
    return HttpResponseRedirect(notification.url)


@require_POST
@role_required(*CASE_WORK)
def mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    _marked(request)
    return redirect("notifications:inbox")


@require_POST
@role_required(*CASE_WORK)
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user, office_id=active_office(request).pk)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:inbox")
