from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from offices.models import Office, forget_active_offices


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "city", "phone", "is_headquarters", "order", "is_active"]
    list_display_links = ["name"]
    list_editable = ["order", "is_active"]
    list_filter = ["province", "is_active", "is_headquarters"]
    search_fields = ["name", "province", "city", "district", "address"]
    ordering = ["-is_headquarters", "order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_headquarters", "order", "is_active"]}),
        (_("Where"), {"fields": ["province", "city", "district", "address"]}),
        (_("Map position"), {"fields": ["latitude", "longitude"]}),
        (_("For visitors"), {"fields": ["phone", "opening_hours", "notes"]}),
    ]

    @admin.action(description=_("Hide selected offices from the site"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        forget_active_offices()  # update() sends no signal
        message = ngettext(
            "%(count)d office is hidden from the site.",
            "%(count)d offices are hidden from the site.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Orders name the office they were assigned to: hide an office instead.
        return False
