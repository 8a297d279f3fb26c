"""Who approves help plans at a contact point (``PlanSettings``), beyond the URL matrix.

Three ways to finalise, per office:
  * no setting: the case manager (or the Teamleitung) finalises;
  * ``approval_required``: the case manager submits, the Teamleitung approves and finalises;
  * ``joint_signoff_required``: everyone submits; a representative of each agency whose services the plan commits
    signs off, and the last sign-off finalises it. Per agency a role (everyone holding it at the office) and/or
    named staff (``PlanSignatory``) may sign; one person signs for both only where ``one_person_signs_both``.
The pure rule (which sign-offs a plan needs, who may give one now) is ``integration_plans.rules.signoff_refusal``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from integration_plans.models import PlanSettings, PlanSignatory
from jobcenter.models import Agency, ContactPoint, StaffProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

AGENCY_KINDS = (Agency.Kind.ARBEITSAMT, Agency.Kind.SOZIALHILFE)


def settings_of(office: ContactPoint) -> PlanSettings | None:
    return PlanSettings.objects.filter(contact_point=office).first()


def joint_signoff(config: PlanSettings | None) -> bool:
    return bool(config and config.joint_signoff_required)


def must_submit(config: PlanSettings | None, *, is_team_lead: bool) -> bool:
    """Must this user submit a plan rather than finalise it? (Joint sign-off: everyone; Teamleitung approval:
    everyone but the Teamleitung.)"""
    if joint_signoff(config):
        return True
    return bool(config and config.approval_required and not is_team_lead)


def _works_in(user: AbstractBaseUser, office: ContactPoint) -> bool:
    return bool(user.is_active and StaffProfile.objects.filter(user_id=user.pk, contact_points=office).exists())


def signable_kinds(user: AbstractBaseUser, office: ContactPoint, config: PlanSettings | None) -> frozenset[str]:
    """The kinds of agency ``user`` may sign off plans for at ``office`` (by role or by name); empty without joint
    sign-off. At most three queries."""
    if config is None or not joint_signoff(config) or not _works_in(user, office):
        return frozenset()
    roles = set(get_user_model().objects.filter(pk=user.pk).values_list("groups__name", flat=True))
    named = set(PlanSignatory.objects.filter(plan_settings=config, user_id=user.pk)
                .values_list("agency_kind", flat=True))
    return frozenset(kind for kind in AGENCY_KINDS
                     if kind in named or (config.signer_role(kind) and config.signer_role(kind) in roles))


def signatories(office: ContactPoint, config: PlanSettings, kind: str) -> list[Any]:
    """Everyone who may sign off for the agency of ``kind`` at ``office`` (active staff of the office holding the
    agency's role, and the named ones), by name."""
    role = config.signer_role(kind)
    who = Q(pk__in=PlanSignatory.objects.filter(plan_settings=config, agency_kind=kind).values("user_id"))
    if role:
        who |= Q(groups__name=role)
    return list(get_user_model().objects.filter(who, is_active=True, staff_profile__contact_points=office)
                .distinct().order_by("last_name", "first_name", "username"))

