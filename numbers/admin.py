from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from accounts.admin import StatusHistoryInline
from accounts.cache import content_changed
from accounts.history import IllegalTransition
from accounts.roles import AGENTS
from accounts.validators import OneLineFieldsMixin
from numbers import patterns, services
from numbers.admin_confirm import confirmed_reason
from numbers.forms import MobileField
from numbers.imports import ChineseCSV, NumberExportResource, NumberResource, UnreadableFile
from numbers.models import (
    CallbackRequest,
    Number,
    NumberStatusChange,
    Order,
    OrderEvent,
    OrderStatus,
    Pattern,
    Plan,
    Prefix,
    SearchTally,
)


@admin.register(Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ["digits", "operator"]
    list_filter = ["operator"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "annual_fee", "monthly_minimum", "included_minutes", "perks"]
    search_fields = ["name", "name_en"]


# ------------------------------------------------------------------------------
# Numbers
# ------------------------------------------------------------------------------


class PatternListFilter(admin.SimpleListFilter):
    title = _("pattern")
    parameter_name = "pattern"

    def lookups(self, request, model_admin):
        return Pattern.choices

    def queryset(self, request, queryset):
        if self.value() in Pattern.values:
            return queryset.filter(**{f"pattern_{self.value()}": True})
        return queryset


class NumberStatusChangeInline(StatusHistoryInline):
    model = NumberStatusChange


class NumberActionForm(OneLineFieldsMixin, ActionForm):
    plan = forms.ModelChoiceField(
        label=_("plan"), queryset=Plan.objects.all(), required=False, empty_label=_("(no plan)")
    )
    # Checked in the action, which can say what is wrong (a failing action form only
    # makes the admin say that no action was chosen).
    price = forms.IntegerField(label=_("price"), required=False)


@admin.register(Number)
class NumberAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [NumberResource]
    formats = [ChineseCSV, XLSX]
    import_template_name = "admin/numbers/number/import.html"
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
    readonly_fields = [
        "status",
        "hold_expires_at",
        "operator",
        "view_count",
        "created_at",
        "classes",
    ]
    fields = ["number", "price", "plan", "featured", *readonly_fields]
    list_select_related = ["plan"]
    inlines = [NumberStatusChangeInline]
    # An exact count of a million rows on every list page is not worth it.
    show_full_result_count = False
    action_form = NumberActionForm
    actions = ["feature", "unfeature", "change_plan", "set_price", "retire"]

    @admin.display(description=_("patterns"))
    def classes(self, number):
        return " · ".join(str(pattern.label) for pattern in number.vanity_patterns) or "—"

    def get_export_resource_classes(self, request):
        return [NumberExportResource]

    def export_action(self, request):
        # The export takes the list's filters from its link; one the list does not know
        # gets the list's own answer (its error page), not a 500.
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            changelist = reverse(f"{self.admin_site.name}:numbers_number_changelist")
            return HttpResponseRedirect(f"{changelist}?{ERROR_FLAG}=1")

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_readonly_fields(self, request, obj=None):
        # The digits are the number: typed once, when it is added, never changed.
        return [*self.readonly_fields, "number"] if obj else self.readonly_fields

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
        content_changed()  # update() sends no signal
        self._done(
            request,
            count,
            ngettext("%(count)d number featured.", "%(count)d numbers featured.", count),
        )

    @admin.action(description=_("Stop featuring the selected numbers"), permissions=["change"])
    def unfeature(self, request, queryset):
        count = queryset.update(featured=False)
        content_changed()  # update() sends no signal
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
        content_changed()  # update() sends no signal
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
        if price < 0:
            self.message_user(request, _("A price cannot be negative."), messages.ERROR)
            return
        count = queryset.update(price=price)
        content_changed()  # update() sends no signal
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
        count = services.numbers_retire(
            numbers=queryset, actor=request.user, note=str(_("Retired by staff."))
        )
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


# ------------------------------------------------------------------------------
# Orders and call-back requests
# ------------------------------------------------------------------------------


def active_agents():
    return get_user_model().objects.filter(groups__name=AGENTS, is_active=True).order_by("username")


class OrderAdminForm(OneLineFieldsMixin, forms.ModelForm):
    mobile = MobileField(label=_("Mobile"))

    class Meta:
        model = Order
        fields = ["company", "name", "mobile", "email", "message", "office", "agent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agent" in self.fields:
            self.fields["agent"].queryset = active_agents()


class AssignForm(OneLineFieldsMixin, forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=active_agents())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SweepListFilter(admin.SimpleListFilter):
    """Unconfirmed holds of a mobile, company or address that used up its hold limit."""

    title = _("possible sweep")
    parameter_name = "sweep"

    def lookups(self, request, model_admin):
        return [("yes", _("A hold limit is used up"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.possible_sweep()
        return queryset


class OrderEventInline(StatusHistoryInline):
    model = OrderEvent
    verbose_name_plural = _("order history")


def _transition_action(to: OrderStatus, description, note):
    """An admin action that moves each selected order to ``to`` through the transition map."""

    def action(modeladmin, request, queryset):
        moved = 0
        for order in queryset.select_related("number"):
            try:
                services.order_transition(order=order, to=to, actor=request.user, note=str(note))
            except (services.OrderError, IllegalTransition) as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
            else:
                moved += 1
        if moved:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d order is now %(status)s.",
                    "%(count)d orders are now %(status)s.",
                    moved,
                )
                % {"count": moved, "status": to.label},
                messages.SUCCESS,
            )

    action.__name__ = f"make_{to.value}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderAdminForm
    # Ten columns fit 1366 px: the customer in one, the mobile on the order's page.
    list_display = [
        "reference",
        "number",
        "customer",
        "status",
        "hold_left",
        "office",
        "agent",
        "placed",
    ]
    list_filter = [
        SweepListFilter,
        "status",
        "office",
        ("agent", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["reference", "mobile", "company", "name", "number__number"]
    date_hierarchy = "created_at"
    list_select_related = ["number", "office", "agent"]
    readonly_fields = ["reference", "number", "status", "hold_left", "language", "created_at"]
    fieldsets = [
        (None, {"fields": ["reference", "number", "status", "hold_left", "created_at"]}),
        (_("Customer"), {"fields": ["company", "name", "mobile", "email", "message", "language"]}),
        (_("Handled by"), {"fields": ["office", "agent"]}),
    ]
    inlines = [OrderEventInline]
    actions = [
        _transition_action(
            OrderStatus.CONFIRMED, _("Confirm selected orders"), _("Confirmed by staff.")
        ),
        "assign",
        _transition_action(
            OrderStatus.AWAITING_VERIFICATION,
            _("Send selected orders to real-name verification"),
            _("Documents sent for real-name verification."),
        ),
        _transition_action(
            OrderStatus.ACTIVE, _("Activate selected orders"), _("Number put in service.")
        ),
        "activate_before_verification",
        "cancel",
    ]

    @admin.display(description=_("placed"), ordering="created_at")
    def placed(self, order):
        # Short, so that the list keeps to one line per order at 1366 px.
        return date_format(timezone.localtime(order.created_at), "Y-m-d H:i")

    @admin.display(description=_("customer"), ordering="company")
    def customer(self, order):
        return f"{order.company} · {order.name}"

    @admin.display(description=_("reserved for (unconfirmed holds: mobile · company · address)"))
    def hold_left(self, order):
        if order.hold_expires_at is None:
            return "–"
        if order.hold_expires_at <= timezone.now():
            return _("hold ran out")
        # A sweep shows as the same mobile, company or address holding many numbers at once.
        alike = [getattr(order, f"{slot}_holds", None) for slot in ("mobile", "company", "address")]
        if None in alike:  # the change page's read-only field: the bare time left
            return timeuntil(order.hold_expires_at)
        return f"{timeuntil(order.hold_expires_at)} ({' · '.join(map(str, alike))})"

    def get_queryset(self, request):
        return super().get_queryset(request).with_holds_alike()

    def view_on_site(self, order):
        return order.get_signed_url()  # the customer's own page, as the customer sees it

    def has_add_permission(self, request):
        return False  # orders come through the order form, which holds the number

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Office and agent change through services, which write the history.
        office, agent = obj.office, obj.agent
        if change:
            stored = Order.objects.get(pk=obj.pk)
            obj.office, obj.agent = stored.office, stored.agent
            # Contact details staff corrected no longer count among the customer's holds
            # (their places were the old mobile's or company's).
            if "mobile" in form.changed_data:
                obj.mobile_hold_slot = 0
            if "company" in form.changed_data:
                obj.company_hold_slot = 0
        super().save_model(request, obj, form, change)
        if change and "office" in form.changed_data:
            services.order_set_office(order=obj, office=office, actor=request.user)
        if change and "agent" in form.changed_data:
            services.order_assign(order=obj, agent=agent, actor=request.user)

    def _move_each(self, request, queryset, to, **kwargs):
        moved = 0
        for order in queryset.select_related("number"):
            try:
                services.order_transition(order=order, to=to, actor=request.user, **kwargs)
            except services.OrderError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d order is now %(status)s.",
                    "%(count)d orders are now %(status)s.",
                    moved,
                )
                % {"count": moved, "status": to.label},
                messages.SUCCESS,
            )

    @admin.action(description=_("Cancel selected orders…"), permissions=["change"])
    def cancel(self, request, queryset):
        reason, page = confirmed_reason(
            self,
            request,
            queryset,
            title=_("Cancel orders"),
            warning=_(
                "Cancelling is final: the order cannot be reopened and its number goes back "
                "on sale at once."
            ),
            submit=_("Cancel these orders"),
        )
        if page:
            return page
        self._move_each(request, queryset, OrderStatus.CANCELLED, note=reason)
        return None

    @admin.action(
        description=_("Put selected orders in service before verification…"),
        permissions=["activate_unverified"],
    )
    def activate_before_verification(self, request, queryset):
        reason, page = confirmed_reason(
            self,
            request,
            queryset,
            title=_("Put in service before verification"),
            warning=_(
                "The regulator requires real-name verification before a number is in service. "
                "Do this only with a manager's approval; your name and reason are kept in the "
                "order's history, and the number is suspended at the next campaign deadline "
                "if its subscriber is still not verified."
            ),
            submit=_("Put in service"),
        )
        if page:
            return page
        self._move_each(request, queryset, OrderStatus.ACTIVE, override_reason=reason)
        return None

    def has_activate_unverified_permission(self, request):
        return request.user.has_perm("numbers.activate_unverified")

    @admin.action(description=_("Assign selected orders to an agent"), permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for order in queryset:
                services.order_assign(
                    order=order,
                    agent=form.cleaned_data["agent"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            self.message_user(
                request,
                ngettext(
                    "%(count)d order assigned to %(agent)s.",
                    "%(count)d orders assigned to %(agent)s.",
                    queryset.count(),
                )
                % {"count": queryset.count(), "agent": form.cleaned_data["agent"]},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign orders to an agent"),
            "opts": self.model._meta,
            "orders": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/numbers/order/assign.html", context)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "mobile", "message_start", "created_at", "handled", "handled_by"]
    list_filter = ["handled", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["name", "mobile", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "mobile", "message", "language", "created_at", "handled_at"]
    fields = [*readonly_fields[:5], "handled", "handled_at", "handled_by", "staff_note"]
    list_select_related = ["handled_by"]
    actions = ["mark_handled"]

    @admin.display(description=_("what they need"))
    def message_start(self, lead):
        return Truncator(lead.message).chars(60)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if obj.handled and "handled" in form.changed_data:
            obj.handled_at = timezone.now()
            obj.handled_by = obj.handled_by or request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        leads = list(queryset.filter(handled=False))
        for lead in leads:
            services.callback_request_mark_handled(lead=lead, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d call-back request marked as handled.",
                "%(count)d call-back requests marked as handled.",
                len(leads),
            )
            % {"count": len(leads)},
            messages.SUCCESS,
        )
