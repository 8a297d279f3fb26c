"""Need-to-know: the one rule for who reads the sensitive Sozialdaten of a case.

Sensitive are: contact notes marked sensitive, the Sozialanamnese, assessments (their question, result, report;
the question is also the purpose of the assessment's referral) and the health, addiction and debt ratings of a
profiling (value and remark). Their content is read only by

  * the case's assigned case manager, while they still work in the case's contact point, and
  * a Teamleitung of the case's contact point.

Everyone else who may open the page learns that the content exists, never what it says. Pages ask
``can_see_sensitive`` (one case), selectors filter or mask with ``sensitive_visible`` (many rows, in the query),
and the Auskunft is produced only by a user for whom ``can_produce_auskunft`` holds (they may see everything about
the client anyway). Every app uses this module; none keeps its own copy of the rule.

Decision on the ratings: the health, addiction and debt ratings are special categories of personal data
(Art. 9 DSGVO); their rating *value* is as sensitive as the remark ("Sucht: Vermittlungshemmnis" says as much as
the note). Only the assigned case manager and the Teamleitung see the values; others see that the area was rated
and "vertraulich" instead of the value, and comparisons, category reasons and offer proposals shown to them leave
these areas out.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

from jobcenter.roles import Role
from jobcenter.scoping import contact_point_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from cases.models import Case, Client

    User = AbstractBaseUser | AnonymousUser

# The role that reads every sensitive content of its contact point(s).
TEAM_LEAD = Role.TEAMLEITUNG


def _fresh_roles_and_offices(user: User) -> tuple[frozenset[str], frozenset[int]]:
    """Roles and contact points asked of the database now (services do not trust a per-request cache)."""
    from jobcenter.models import ContactPoint

    roles = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]  # User has groups
    offices = frozenset(ContactPoint.objects.filter(staff__user=user.pk).values_list("id", flat=True))
    return roles, offices


def _roles_and_offices(user: User, roles: Collection[str] | None) -> tuple[frozenset[str], frozenset[int]]:
    if roles is None:
        return _fresh_roles_and_offices(user)
    return frozenset(roles), contact_point_ids(user)


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def reads_all_of_office(roles: Collection[str]) -> bool:
    """A Teamleitung reads the sensitive content of every case of their contact point(s)."""
    return TEAM_LEAD in roles


def can_see_sensitive(user: User, case: Case, *, roles: Collection[str] | None = None) -> bool:
    """May ``user`` read the sensitive content of ``case``? The assigned case manager who still works in the
    case's contact point, or a Teamleitung of that contact point. ``roles`` (``request.staff.roles``) saves the
    queries in a view; without it the database is asked (services)."""
    if not _active(user):
        return False
    user_roles, offices = _roles_and_offices(user, roles)
    if case.contact_point_id not in offices:
        return False
    if case.case_manager_id is not None and case.case_manager_id == user.pk:
        return True
    return reads_all_of_office(user_roles)


def sensitive_visible(user: User, roles: Collection[str], case_path: str = "case") -> Q:
    """The rows whose case (reached by ``case_path`` from the queried model; ``""`` for ``Case`` itself) the
    user may read the sensitive content of: the same rule as ``can_see_sensitive``, as a query expression."""
    prefix = f"{case_path}__" if case_path else ""
    if not _active(user):
        return Q(pk__in=[])
    offices = contact_point_ids(user)
    in_office = Q(**{f"{prefix}contact_point_id__in": offices})
    if reads_all_of_office(roles):
        return in_office
    return in_office & Q(**{f"{prefix}case_manager_id": user.pk})


def can_produce_auskunft(user: User, client: Client, roles: Collection[str] | None = None) -> bool:
    """May ``user`` produce the Auskunft (everything stored about ``client``, sensitive content included)?
    A Teamleitung of the client's contact point (and of every contact point holding a case of the client), or the
    case manager assigned to every case of the client (working in their contact points)."""
    from cases.models import Case

    if not _active(user):
        return False
    user_roles, offices = _roles_and_offices(user, roles)
    if client.contact_point_id not in offices:
        return False
    cases = list(Case.objects.filter(client=client).values_list("contact_point_id", "case_manager_id"))
    if any(office not in offices for office, _manager in cases):
        return False
    if reads_all_of_office(user_roles):
        return True
    # vacuously true for a client without a case: nothing sensitive exists without one
    return all(manager == user.pk for _office, manager in cases)


def auskunft_producers(client: Client) -> list[str]:
    """Names of who can produce the client's Auskunft: the Teamleitung of the client's contact point and the
    case manager assigned to every case (if there is one), for the message shown to anyone else."""
    from cases.models import Case

    users = get_user_model().objects.filter(is_active=True)
    leads = users.filter(groups__name=TEAM_LEAD, staff_profile__contact_points=client.contact_point_id)
    managers = set(Case.objects.filter(client=client).values_list("case_manager_id", flat=True))
    chosen = list(leads.order_by("last_name", "first_name", "id").distinct())
    if len(managers) == 1 and None not in managers:
        manager = users.filter(pk=next(iter(managers)), staff_profile__contact_points=client.contact_point_id).first()
        if manager is not None and manager not in chosen:
            chosen.append(manager)
    return [user.get_full_name() or user.get_username() for user in chosen]
