from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def module_required(module: str) -> Callable[[View], View]:
    """A view of an optional module answers 404 where the active office has switched the module off."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.staff or not request.staff.has_module(module):  # type: ignore[attr-defined]
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: str) -> Callable[[View], View]:
    """Only staff holding one of ``roles`` may use the view (403 otherwise). There is no superuser bypass: an
    administrator (``is_superuser``) has the Administrator role's answers and the Django admin, nothing more."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            staff = request.staff  # type: ignore[attr-defined]
            if not staff or not staff.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
