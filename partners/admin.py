"""Read-mostly admin for support; the application pages are the place to work (they apply the rules)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from jobcenter.access_log import ClientDataAdmin
from partners.models import Offer, Partner, Referral, Vacancy


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_point", "active"]
    list_filter = ["contact_point", "kind", "active"]
    search_fields = ["name"]
    list_select_related = ["contact_point"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "category", "places", "active"]
    list_filter = ["category", "active"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner"]


@admin.register(Referral)
class ReferralAdmin(ClientDataAdmin):
    """Referrals hold client data: readable only, changes go through the application (consent, capacity); every
    look is in the access log."""

    client_path = "case__client"

    list_display = ["offer", "status", "referred_on"]
    list_filter = ["status"]
    list_select_related = ["offer"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Referral | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Referral | None = None) -> bool:
        return False


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "status", "positions", "acquired_on"]
    list_filter = ["status"]
    search_fields = ["title", "occupation"]
    list_select_related = ["employer"]
