"""The Sozialanamnese of a case: readable and writable only by the assigned case manager and the Teamleitung;
everyone else with access to the case learns only that it exists. Every reading is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.authz import CASE_WORK, STEERING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.roles import Module
from jobcenter.shortcuts import refuse
from profiling import selectors
from profiling.errors import ProfilingError
from profiling.forms import SocialHistoryForm
from profiling.models import SocialHistory
from profiling.services.access import Part, audit_label, record_read
from profiling.services.social_history import save_social_history
from profiling.views.common import get_case, may_write, refuse_sensitive, require_module, sees_sensitive


@role_required(*CASE_WORK)
def social_history_detail(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case(request, case_pk)
    require_module(request, case, Module.SOZIALANAMNESE)
    history = selectors.social_history_of(request.user, case)
    allowed = sees_sensitive(request, case)
    record_read(request, case=case, part=Part.SOCIAL_HISTORY if allowed and history is not None
                else Part.SOCIAL_HISTORY_PAGE)
    return render(request, "profiling/social_history_detail.html", {
        "case": case, "allowed": allowed, "exists": history is not None,
        "history": history if allowed else None,
        "recorded_on": history.recorded_on if history else None,
        "sections": [(SocialHistory.section_label(name), getattr(history, name))
                     for name in SocialHistory.SECTIONS] if allowed and history else [],
        "can_edit": allowed and case.is_open and may_write(request),
        "access_log": selectors.access_log(case, [audit_label(Part.SOCIAL_HISTORY, case)]) if allowed else [],
    })


@role_required(*STEERING)
def social_history_edit(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case(request, case_pk)
    require_module(request, case, Module.SOZIALANAMNESE)
    if not sees_sensitive(request, case):
        return refuse_sensitive(request, "profiling:social_history", case_pk=case.pk)
    if not case.is_open:
        messages.error(request, _("This case is closed. Open a new case to continue working with the client."))
        return redirect("profiling:social_history", case_pk=case.pk)
    history = selectors.social_history_of(request.user, case)
    # the form shows the content: that is a reading too
    record_read(request, case=case, part=Part.SOCIAL_HISTORY if history is not None else Part.SOCIAL_HISTORY_PAGE)
    if request.method == "POST":
        form = SocialHistoryForm(request.POST)
        if form.is_valid():
            try:
                save_social_history(case=case, data=form.to_input(), by=request.user)
            except ProfilingError as error:
                refuse(form, error)
            else:
                messages.success(request, _("Social history saved."))
                return redirect("profiling:social_history", case_pk=case.pk)
    else:
        initial = {name: getattr(history, name) for name in ("recorded_on", *SocialHistory.SECTIONS)} if history \
            else {"recorded_on": timezone.localdate()}
        form = SocialHistoryForm(initial=initial)
    return render(request, "profiling/social_history_form.html", {"case": case, "form": form, "history": history},
                  status=400 if form.is_bound else 200)
