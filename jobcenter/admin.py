from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from jobcenter.models import (
    AccessRecord,
    Agency,
    ContactPoint,
    CooperationAgreement,
    DataFlow,
    StaffProfile,
    WorkerHeartbeat,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district_key"]
    list_filter = ["kind"]
    search_fields = ["name", "district_key"]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["name", "variant", "employment_agency", "welfare_agency"]
    list_filter = ["variant"]
    search_fields = ["name"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "valid_from", "valid_until"]
    filter_horizontal = ["parties", "contact_points"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["contact_points"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "staff_profile__contact_points"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["created_at", "hostname"]
    readonly_fields = ["created_at", "hostname", "token"]


class DataFlowInline(admin.TabularInline):
    """Data of the other Träger this access showed: both Träger and the kind of data (jobcenter.access_log)."""

    model = DataFlow
    extra = 0
    can_delete = False
    readonly_fields = ["data", "owner_carrier", "reader_carrier", "rows"]

    def has_add_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Administrators filter the access log by user, office, kind and client; nobody edits it."""

    inlines = [DataFlowInline]
    list_display = ["at", "user", "contact_point", "client_id", "clients", "kind", "what", "reason"]
    list_filter = ["kind", "contact_point", ("at", admin.DateFieldListFilter), "user"]
    search_fields = ["=client_id", "user__username", "what"]
    date_hierarchy = "at"
    list_select_related = ["user", "contact_point"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False
