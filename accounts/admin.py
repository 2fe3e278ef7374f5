from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class StatusHistoryInline(admin.TabularInline):
    """A status machine's history on its object's admin page: read-only, never deleted."""

    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("status history")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the object may see how it got here.
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
