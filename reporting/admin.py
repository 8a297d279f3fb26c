from django.contrib import admin
from django.http import HttpRequest

from reporting.models import MonthlyReport, ProgrammeOffer, ProgrammePlan


class ProgrammeOfferInline(admin.TabularInline):
    model = ProgrammeOffer
    extra = 0


@admin.register(ProgrammePlan)
class ProgrammePlanAdmin(admin.ModelAdmin):
    list_display = ["office", "year", "expected_hlu", "expected_kombi", "expected_alhi", "caseload_ratio",
                    "updated_by", "updated_at"]
    list_filter = ["office", "year"]
    inlines = [ProgrammeOfferInline]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    """Read-only: reports are generated (and claimed) by the service, never edited by hand."""

    list_display = ["office", "month", "status", "requested_by", "requested_at", "finished_at", "attempts"]
    list_filter = ["office", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MonthlyReport | None = None) -> bool:
        return False
