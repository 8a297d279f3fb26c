from django.contrib import admin
from django.http import HttpRequest

from cases.models import AnonymisationRun, CaseSettings, Client
from jobcenter.access_log import ClientDataAdmin


@admin.register(Client)
class ClientAdmin(ClientDataAdmin):
    """Every look at a client here is in the access log (``ClientDataAdmin``)."""

    list_display = ["last_name", "first_name", "birth_date", "contact_point"]
    list_filter = ["contact_point"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["contact_point"]


@admin.register(AnonymisationRun)
class AnonymisationRunAdmin(admin.ModelAdmin):
    """What the retention job did; read-only."""

    list_display = ["started_at", "cutoff", "clients", "triggered_by"]
    readonly_fields = ["started_at", "cutoff", "clients", "details", "triggered_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AnonymisationRun | None = None) -> bool:
        return False


@admin.register(CaseSettings)
class CaseSettingsAdmin(admin.ModelAdmin):
    """Per contact point: does the team lead confirm closings without integration?"""

    list_display = ["contact_point", "closure_confirmation_required"]
    list_editable = ["closure_confirmation_required"]
    list_display_links = ["contact_point"]
