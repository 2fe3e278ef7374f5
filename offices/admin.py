from django.contrib import admin

from offices.models import Office


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "city", "phone", "is_headquarters", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["province", "is_active"]
    search_fields = ["name", "city", "address"]
    prepopulated_fields = {"slug": ["name"]}
