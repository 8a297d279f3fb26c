from __future__ import annotations

from django.http import HttpRequest

from jobcenter import navigation as nav


def navigation(request: HttpRequest) -> dict[str, object]:
    staff = getattr(request, "staff", None)
    return {"nav_items": nav.items_for(request) if staff else [], "staff": staff}
