"""Admin: legal notices (versioned texts) and the per-office plan setting; plans are read-only here."""

from django.contrib import admin
from django.http import HttpRequest

from integration_plans.models import IntegrationPlan, LegalNotice, PlanSettings
from jobcenter.access_log import ClientDataAdmin


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


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["contact_point", "approval_required"]
    list_editable = ["approval_required"]
    list_display_links = ["contact_point"]


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

