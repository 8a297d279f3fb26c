"""Profilings: the two-step form (strengths first), one profiling with category, reasons, proposals and the
comparison, setting the category, and the list of a case's profilings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Segment
from jobcenter import access_log
from jobcenter.authz import PROFILING_READ, REFERRING, STEERING
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.scoping import get_scoped_or_404
from jobcenter.shortcuts import refuse
from profiling import selectors
from profiling.errors import ProfilingError
from profiling.forms import ConfirmCategoryForm, ProfilingForm
from profiling.models import Profiling
from profiling.rules import SEGMENT_OF_CATEGORY, ProfileCategory
from profiling.services.profilings import confirm_category, record_profiling
from profiling.views.common import get_case, may_write


@role_required(*PROFILING_READ)
def case_profilings(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case(request, case_pk)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, case=case.pk)
    views = selectors.case_profilings(request.user, request.staff.roles, case)
    return render(request, "profiling/case_profilings.html", {
        "case": case, "views": views, "can_write": case.is_open and may_write(request),
    })


@role_required(*STEERING)
def profiling_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """GET: step 1 (strengths). POST ``action``: "ratings" → step 2, "strengths" → back to step 1 (both keep
    everything typed), "save" → validate all and record."""
    case = get_case(request, case_pk)
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, case=case.pk)
    if not case.is_open:
        messages.error(request, _("This case is closed. Open a new case to continue working with the client."))
        return redirect("cases:client_detail", pk=case.client_id)
    status, step = 200, ProfilingForm.STEP_STRENGTHS
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = ProfilingForm(request.POST, final=action == "save")
        if action == "save":
            if form.is_valid():
                try:
                    profiling = record_profiling(case=case, ratings=form.ratings(), by=request.user,
                                                 profiled_on=form.cleaned_data["profiled_on"],
                                                 summary=form.cleaned_data["summary"])
                except ProfilingError as error:
                    refuse(form, error)
                else:
                    messages.success(request, _("Profiling saved. Check the proposed category and set it."))
                    return redirect("profiling:profiling_detail", pk=profiling.pk)
            status, step = 400, ProfilingForm.STEP_RATINGS
        else:
            form.is_valid()  # cleans what was typed; ratings are demanded only when saving
            step = ProfilingForm.STEP_STRENGTHS if action == "strengths" else ProfilingForm.STEP_RATINGS
            if action not in {"ratings", "strengths"}:  # no button sent it: say so, keep what was typed
                form.add_error(None, _("Choose one of the buttons: continue to the ratings, back to the "
                                       "strengths, or save."))
                status = 400
    else:
        form = ProfilingForm(initial={"profiled_on": timezone.localdate()})
    return render(request, "profiling/profiling_form.html", {
        "case": case, "form": form, "step": step, "rows": form.rows(),
        "previous": selectors.latest_profiling(case),
    }, status=status)


def _get_profiling(request: AuthenticatedHttpRequest, pk: int) -> Profiling:
    return get_scoped_or_404(Profiling.objects.select_related("case__client", "case__contact_point"),
                             request.user, pk=pk)


def _render_detail(request: AuthenticatedHttpRequest, profiling: Profiling, *,
                   form: ConfirmCategoryForm | None = None, status: int = 200) -> HttpResponse:
    view = selectors.profiling_detail(request.user, request.staff.roles, profiling)
    current = view.profiling
    case = current.case
    access_log.shown(request, client_id=case.client_id, office_id=case.contact_point_id, profiling=current.pk,
                     case=case.pk)
    can_confirm = (case.is_open and may_write(request) and not current.is_confirmed
                   and selectors.is_latest(current))
    derived_segment = Segment(SEGMENT_OF_CATEGORY[current.derived_category]).label
    if can_confirm and form is None:
        form = ConfirmCategoryForm(derived=current.derived_category, segment_label=str(derived_segment))
    return render(request, "profiling/profiling_detail.html", {
        "view": view, "profiling": current, "case": case, "can_confirm": can_confirm,
        "confirm_form": form if can_confirm else None,
        "derived_label": ProfileCategory(current.derived_category).label,
        "segment_label": Segment(SEGMENT_OF_CATEGORY[current.category]).label,
        "derived_segment_label": derived_segment,
        "can_refer": case.is_open and request.staff.has_role(*REFERRING),
        "can_write": case.is_open and may_write(request),
    }, status=status)


@role_required(*PROFILING_READ)
def profiling_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_profiling(request, pk))


@require_POST
@role_required(*STEERING)
def profiling_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Set the category (the rule's, or another with a reason); the case moves on to planning."""
    profiling = _get_profiling(request, pk)
    segment = Segment(SEGMENT_OF_CATEGORY[profiling.derived_category]).label
    form = ConfirmCategoryForm(request.POST, derived=profiling.derived_category, segment_label=str(segment))
    if form.is_valid():
        data = form.cleaned_data
        try:
            confirm_category(profiling=profiling, category=data["category"], reason=data["reason"],
                             apply_segment=data["apply_segment"], by=request.user)
        except ProfilingError as error:
            if error.field not in form.fields:  # e.g. set meanwhile by someone else: the page says how it stands
                refuse(request, error)
                return redirect("profiling:profiling_detail", pk=profiling.pk)
            refuse(form, error)
        else:
            messages.success(request, _("Profile category set."))
            return redirect("profiling:profiling_detail", pk=profiling.pk)
    return _render_detail(request, profiling, form=form, status=400)
