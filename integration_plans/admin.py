"""Admin: legal notices (versioned texts) and the per-office plan setting (approval by the team lead, joint sign-off
by the agencies with their signing roles and named signatories); plans are read-only here."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from integration_plans.models import IntegrationPlan, LegalNotice, PlanSettings, PlanSignatory
from jobcenter.access_log import ClientDataAdmin
from jobcenter.authz import PLAN_READ
from jobcenter.models import Agency, StaffProfile


@admin.register(LegalNotice)
class LegalNoticeAdmin(admin.ModelAdmin):
    """A text in use is never edited: add a new version with its own start date and end the old one."""

    list_display = ["basis", "version", "title", "valid_from", "valid_until", "is_example"]
    list_filter = ["basis", "is_example"]
    search_fields = ["title", "text"]
    ordering = ["basis", "-version"]

    def get_readonly_fields(self, request: HttpRequest, obj: LegalNotice | None = None) -> list[str]:
        if obj is not None and obj.plans.exists():
            # printed in agreements: only the end of its validity may still be set
            return ["basis", "version", "title", "text", "valid_from", "is_example"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: LegalNotice | None = None) -> bool:
        return obj is None or not obj.plans.exists()


class SignatoryFormSet(BaseInlineFormSet):
    """With joint sign-off, each agency needs a signing role or at least one named signatory; a named signatory must
    work at the contact point in a role that can open plans."""

    def clean(self) -> None:
        super().clean()
        config = self.instance
        named: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            user, kind = data.get("user"), data.get("agency_kind")
            if user is not None and config.contact_point_id and not StaffProfile.objects.filter(
                    user=user, contact_points=config.contact_point_id, user__is_active=True,
                    user__groups__name__in=PLAN_READ).exists():
                form.add_error("user", _("Only active staff of this contact point who can open plans (case managers, "
                                         "team leads, placement and benefits officers) may sign off."))
            if kind:
                named.add(kind)
        if config.joint_signoff_required:
            for kind, label in Agency.Kind.choices:
                if not config.signer_role(kind) and kind not in named:
                    raise ValidationError(_("Joint sign-off needs someone who signs for %(agency)s: choose a role "
                                            "or name a member of staff.") % {"agency": label})


class SignatoryInline(admin.TabularInline):
    model = PlanSignatory
    formset = SignatoryFormSet
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    """How plans are approved at a contact point: by the team lead, or signed off by both agencies."""

    list_display = ["contact_point", "approval_required", "joint_signoff_required"]
    list_editable = ["approval_required"]
    list_display_links = ["contact_point"]
    inlines = [SignatoryInline]
    fieldsets = [
        (None, {"fields": ["contact_point", "approval_required"]}),
        (_("Sign-off by the agencies"), {"fields": ["joint_signoff_required", "employment_signer_role",
                                                    "welfare_signer_role", "one_person_signs_both"]}),
    ]


@admin.register(IntegrationPlan)
class IntegrationPlanAdmin(ClientDataAdmin):
    client_path = "case__client"  # every look is in the access log
    list_display = ["__str__", "status", "kind", "valid_from", "valid_until", "content_sha256"]
    list_filter = ["status", "kind"]
    list_select_related = ["case__client"]
    search_fields = ["=id", "=case__id", "content_sha256"]
    readonly_fields = [field.name for field in IntegrationPlan._meta.fields]
    exclude = ["legal_notices"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: IntegrationPlan | None = None) -> bool:
        return False

