"""The Teamleitung's report of the data flows between the Träger (docs/domain.md §9): per month, kind of data and
direction, for the active office; as a page, as CSV and as Excel (``?format=csv|xlsx``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jobcenter import exports, params
from jobcenter.authz import REPORTING
from jobcenter.db_router import replica_reads
from jobcenter.decorators import role_required
from jobcenter.http import AuthenticatedHttpRequest
from jobcenter.shortcuts import active_office
from reporting import carrier_flows

FIRST_YEAR = 2000


@role_required(*REPORTING)
@replica_reads
def carrier_flow_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    office = active_office(request)
    today = timezone.localdate()
    year = params.get_int(request, "year", today.year, minimum=FIRST_YEAR, maximum=today.year)
    rows = carrier_flows.flows_of_year(office, year)
    fmt = exports.requested_format(request, "")
    if fmt:
        return exports.response(carrier_flows.as_export(office, year, rows), fmt)
    return render(request, "reporting/carrier_flows.html", {
        "office": office, "year": year, "rows": rows, "totals": carrier_flows.totals(rows),
        "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
    })
