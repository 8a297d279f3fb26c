"""Admin: the legal notices also protect a version printed in letters (invitations), not only in agreements."""

from django.contrib import admin
from django.http import HttpRequest

from integration_plans.admin import LegalNoticeAdmin
from integration_plans.models import LegalNotice


class LetterAwareLegalNoticeAdmin(LegalNoticeAdmin):
    """A notice printed in an agreement or a letter is never edited or deleted: add a new version instead."""

    def get_readonly_fields(self, request: HttpRequest, obj: LegalNotice | None = None) -> list[str]:
        if obj is not None and obj.letters.exists():
            return ["basis", "version", "title", "text", "valid_from", "is_example"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: LegalNotice | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.letters.exists())


admin.site.unregister(LegalNotice)
admin.site.register(LegalNotice, LetterAwareLegalNoticeAdmin)
