from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from numbers import patterns
from numbers.imports import NumberResource
from numbers.models import Number, Pattern, Plan, Prefix, SearchTally, Status


@admin.register(Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ["digits", "operator"]
    list_filter = ["operator"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "annual_fee", "monthly_minimum", "included_minutes", "perks"]
    search_fields = ["name"]


# ---- Numbers: catalogue (issue 3) ----


class PatternListFilter(admin.SimpleListFilter):
    title = _("pattern")
    parameter_name = "pattern"

    def lookups(self, request, model_admin):
        return Pattern.choices

    def queryset(self, request, queryset):
        if self.value() in Pattern.values:
            return queryset.filter(**{f"pattern_{self.value()}": True})
        return queryset


class NumberActionForm(ActionForm):
    plan = forms.ModelChoiceField(
        label=_("plan"), queryset=Plan.objects.all(), required=False, empty_label=_("(no plan)")
    )
    price = forms.IntegerField(label=_("price"), min_value=0, required=False)


@admin.register(Number)
class NumberAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [NumberResource]
    formats = [CSV, XLSX]
    list_display = [
        "number",
        "operator",
        "price",
        "plan",
        "status",
        "featured",
        "view_count",
        "classes",
    ]
    list_filter = ["operator", "status", PatternListFilter, "plan", "featured"]
    search_fields = ["number"]
    search_help_text = _("Digits anywhere in the number, e.g. 8888 or 400-632-8888.")
    readonly_fields = ["operator", "view_count", "created_at", "classes"]
    list_select_related = ["plan"]
    # An exact count of a million rows on every list page is not worth it.
    show_full_result_count = False
    action_form = NumberActionForm
    actions = ["feature", "unfeature", "change_plan", "set_price", "retire"]

    @admin.display(description=_("patterns"))
    def classes(self, number):
        return " · ".join(str(pattern.label) for pattern in number.vanity_patterns) or "—"

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, patterns.normalize_number(search_term))

    def has_delete_permission(self, request, obj=None):
        # Numbers carry orders and history: retire them instead.
        return False

    def _done(self, request, count, message):
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Feature the selected numbers"), permissions=["change"])
    def feature(self, request, queryset):
        count = queryset.update(featured=True)
        self._done(
            request,
            count,
            ngettext("%(count)d number featured.", "%(count)d numbers featured.", count),
        )

    @admin.action(description=_("Stop featuring the selected numbers"), permissions=["change"])
    def unfeature(self, request, queryset):
        count = queryset.update(featured=False)
        self._done(
            request,
            count,
            ngettext(
                "%(count)d number no longer featured.",
                "%(count)d numbers no longer featured.",
                count,
            ),
        )

    @admin.action(
        description=_("Give the selected numbers the chosen plan"), permissions=["change"]
    )
    def change_plan(self, request, queryset):
        try:
            plan = NumberActionForm.base_fields["plan"].clean(request.POST.get("plan"))
        except ValidationError:
            self.message_user(request, _("Choose a plan from the list."), messages.ERROR)
            return
        count = queryset.update(plan=plan)
        self._done(
            request,
            count,
            ngettext(
                "%(count)d number moved to the plan.", "%(count)d numbers moved to the plan.", count
            ),
        )

    @admin.action(
        description=_("Set the entered price on the selected numbers"), permissions=["change"]
    )
    def set_price(self, request, queryset):
        try:
            price = NumberActionForm.base_fields["price"].clean(request.POST.get("price"))
        except ValidationError:
            price = None
        if price is None:
            self.message_user(request, _("Enter a price in whole yuan first."), messages.ERROR)
            return
        count = queryset.update(price=price)
        self._done(
            request,
            count,
            ngettext("%(count)d number repriced.", "%(count)d numbers repriced.", count),
        )

    @admin.action(
        description=_("Retire the selected numbers (only those not in an order)"),
        permissions=["change"],
    )
    def retire(self, request, queryset):
        count = queryset.orderable().update(status=Status.RETIRED, hold_expires_at=None)
        self._done(
            request,
            count,
            ngettext("%(count)d number retired.", "%(count)d numbers retired.", count),
        )


@admin.register(SearchTally)
class SearchTallyAdmin(admin.ModelAdmin):
    list_display = ["day", "query", "hits"]
    list_filter = ["day"]
    search_fields = ["query"]
