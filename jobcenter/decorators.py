from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jobcenter.http import StaffHttpRequest

# A decorated view keeps its signature: the request type it declares, its URL arguments and its response type.
Request = TypeVar("Request", bound=HttpRequest)
Params = ParamSpec("Params")
Response = TypeVar("Response")
View = Callable[Concatenate[Request, Params], Response]


def module_required(
    module: str,
) -> Callable[[View[Request, Params, Response]], View[Request, Params, Response]]:
    """A view of an optional module answers 404 where the active office has switched the module off."""

    def decorator(view: View[Request, Params, Response]) -> View[Request, Params, Response]:
        @wraps(view)
        def wrapped(request: Request, *args: Params.args, **kwargs: Params.kwargs) -> Response:
            staff = cast(StaffHttpRequest, request).staff  # set by StaffContextMiddleware
            if not staff or not staff.has_module(module):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: str) -> Callable[[View[Request, Params, Response]], View[Request, Params, Response]]:
    """Only staff holding one of ``roles`` may use the view (403 otherwise). There is no superuser bypass: an
    administrator (``is_superuser``) has the Administrator role's answers and the Django admin, nothing more."""

    def decorator(view: View[Request, Params, Response]) -> View[Request, Params, Response]:
        @wraps(view)
        def wrapped(request: Request, *args: Params.args, **kwargs: Params.kwargs) -> Response:
            staff = cast(StaffHttpRequest, request).staff  # set by StaffContextMiddleware
            if not staff or not staff.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
