from django.contrib import admin

from cases.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "birth_date", "contact_point"]
    list_filter = ["contact_point"]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["contact_point"]
