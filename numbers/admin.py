from django.contrib import admin

from numbers.models import Number, Plan, Prefix


@admin.register(Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ["digits", "operator"]
    list_filter = ["operator"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "annual_fee", "monthly_minimum", "included_minutes", "perks"]
    search_fields = ["name"]


@admin.register(Number)
class NumberAdmin(admin.ModelAdmin):
    list_display = ["number", "operator", "price", "plan", "status", "featured", "view_count"]
    list_filter = ["operator", "status", "featured", "plan"]
    search_fields = ["number"]
    readonly_fields = ["operator", "view_count", "created_at"]
