"""The offer mapping is maintained here by an administrator; client data is read-only (the application pages
apply the rules and the access checks)."""

from django.contrib import admin

from profiling.models import OfferSuggestion


@admin.register(OfferSuggestion)
class OfferSuggestionAdmin(admin.ModelAdmin):
    """Which integration offer a dimension rated need / obstacle proposes (profiling.selectors.proposals_for)."""

    list_display = ["dimension", "title", "offer_category", "on_need", "on_obstacle", "active", "position"]
    list_editable = ["title", "offer_category", "on_need", "on_obstacle", "active", "position"]
    list_filter = ["dimension", "offer_category", "active"]
    search_fields = ["title"]
    ordering = ["dimension", "position", "id"]
