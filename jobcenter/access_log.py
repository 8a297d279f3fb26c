"""Recording reads of personal data (the access log). Call ``record_access`` from every view that shows a
client's record or hands out a document about a client."""

from __future__ import annotations

from django.http import HttpRequest

from jobcenter.models import AccessRecord


def record_access(
    request: HttpRequest, *, client_id: int, contact_point_id: int, what: str,
    kind: str = AccessRecord.Kind.VIEW, reason: str = "",
) -> AccessRecord:
    return AccessRecord.objects.create(
        user=request.user, contact_point_id=contact_point_id, client_id=client_id, kind=kind,
        what=what[:200], reason=reason[:300],
    )
