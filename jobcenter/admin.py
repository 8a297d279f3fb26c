from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from jobcenter.models import Agency, ContactPoint, CooperationAgreement, StaffProfile, WorkerHeartbeat


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
    filter_horizontal = ["parties"]


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
