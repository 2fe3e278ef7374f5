from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from compliance import crypto, services
from compliance.forms import ReviewForm
from compliance.models import (
    Agent,
    Campaign,
    Complaint,
    Document,
    DocumentAccess,
    DocumentReview,
    DocumentStatus,
    Holding,
    IdNumberReveal,
    Subscriber,
    SubscriberStatusChange,
    Suspension,
)
from compliance.views import client_ip


class KeepAdmin(admin.ModelAdmin):
    """Evidence is never deleted, from a page or from an action."""

    def has_delete_permission(self, request, obj=None):
        return False


class LogAdmin(KeepAdmin):
    """A log: staff may read it; no one adds to it or changes it by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Agent)
class AgentAdmin(KeepAdmin):
    list_display = ["company", "user", "office", "created_at"]
    list_filter = ["office"]
    search_fields = ["company", "user__username"]
    autocomplete_fields = ["user"]


class HoldingInline(admin.TabularInline):
    model = Holding
    extra = 0
    autocomplete_fields = ["number"]
    readonly_fields = ["added_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "status", "original_name", "uploaded_at", "valid_until", "review_link"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("review"))
    def review_link(self, document):
        url = reverse("admin:compliance_document_change", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(Subscriber)
class SubscriberAdmin(KeepAdmin):
    list_display = [
        "company_name",
        "credit_code",
        "legal_rep_name",
        "legal_rep_id_masked",
        "agent",
        "status",
        "created_at",
    ]
    list_filter = ["status", "handled_by_legal_rep"]
    search_fields = ["company_name", "credit_code", "legal_rep_name", "contact_phone"]
    fields = [
        "company_name",
        "credit_code",
        "legal_rep_name",
        "id_number",
        "contact_name",
        "contact_phone",
        "handled_by_legal_rep",
        "licence_predates_unified_code",
        "agent",
        "status",
        "created_at",
    ]
    readonly_fields = ["credit_code", "id_number", "agent", "status", "created_at"]
    inlines = [HoldingInline, DocumentInline]

    def has_add_permission(self, request):
        return False  # agents register subscribers in the portal, with the checks it makes

    @admin.display(description=_("legal representative's ID number"))
    def id_number(self, subscriber):
        # The reveal page itself checks the permission and logs the reveal.
        url = reverse("admin:compliance_subscriber_reveal", args=[subscriber.pk])
        return format_html(
            '{} <a href="{}">{}</a>', subscriber.legal_rep_id_masked, url, _("Reveal")
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.subscriber_refresh_status(
            subscriber=form.instance, reason="edited in admin", actor=request.user
        )

    def get_urls(self):
        reveal = self.admin_site.admin_view(self.reveal_view)
        find = self.admin_site.admin_view(self.find_by_id_view)
        return [
            path("<int:pk>/reveal-id/", reveal, name="compliance_subscriber_reveal"),
            path("find-by-id/", find, name="compliance_subscriber_find_by_id"),
            *super().get_urls(),
        ]

    def find_by_id_view(self, request):
        """Find subscribers by a full ID number through its keyed hash.

        POST, so the number never sits in a URL, a browser history or an access log.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FindByIdForm(request.POST or None)
        found = None
        if request.method == "POST" and form.is_valid():
            lookup = crypto.lookup_hash(form.cleaned_data["id_number"])
            found = Subscriber.objects.filter(legal_rep_id_hash=lookup)
            form = FindByIdForm()  # the page does not echo the number back
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "found": found,
            "title": _("Find subscribers by ID number"),
        }
        response = TemplateResponse(request, "admin/compliance/find_by_id.html", context)
        response["Cache-Control"] = "private, no-store"
        return response

    def reveal_view(self, request, pk):
        """Show the full ID number after a deliberate POST, and log who saw it."""
        subscriber = get_object_or_404(Subscriber, pk=pk)
        if not request.user.has_perm("compliance.reveal_id_number"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "subscriber": subscriber,
            "title": _("Reveal ID number"),
        }
        if request.method == "POST":
            context["id_number"] = services.subscriber_reveal_id(
                subscriber=subscriber, user=request.user, ip=client_ip(request)
            )
        response = TemplateResponse(request, "admin/compliance/reveal_id.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


class FindByIdForm(forms.Form):
    # Typed like a password: never echoed back into the page.
    id_number = forms.CharField(
        label=_("ID number"), max_length=30, widget=forms.PasswordInput(render_value=False)
    )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not ric.is_valid(value.upper()):
            raise forms.ValidationError(_("Enter a complete 18-character ID number."))
        return value


class DocumentReviewAdminForm(ReviewForm, forms.ModelForm):
    class Meta:
        model = Document
        fields = []


@admin.register(Document)
class DocumentAdmin(KeepAdmin):
    """The review queue: pending documents first, previewed through the private view."""

    list_display = [
        "pk",
        "kind",
        "subscriber",
        "status",
        "file_type",
        "uploaded_at",
        "uploaded_by",
        "valid_until",
    ]
    list_filter = ["status", "kind", "file_type"]
    list_display_links = ["pk", "kind"]
    search_fields = ["subscriber__company_name", "subscriber__credit_code", "sha256"]
    date_hierarchy = "uploaded_at"
    form = DocumentReviewAdminForm

    class Media:
        css = {"all": ["css/compliance-admin.css"]}

    readonly_fields = [
        "preview",
        "subscriber",
        "kind",
        "status",
        "original_name",
        "file_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_ip",
        "uploaded_at",
        "valid_until",
        "superseded_by",
        "review_history",
    ]

    def get_fieldsets(self, request, obj=None):
        sections = [(None, {"fields": self.readonly_fields})]
        if obj and obj.status == DocumentStatus.PENDING:
            sections.append((_("Decision"), {"fields": ["decision", "reason", "note"]}))
        return sections

    def has_add_permission(self, request):
        return False  # documents arrive through the checked upload only

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == DocumentStatus.PENDING)

    def changelist_view(self, request, extra_context=None):
        if not request.GET:
            return redirect(f"{request.path}?status__exact={DocumentStatus.PENDING}")
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("preview"))
    def preview(self, document):
        url = reverse("agent:document", args=[document.pk])
        original = f"{url}?original=1"
        if document.is_image:
            shown = format_html(
                '<img src="{}" alt="{}" class="document-preview">', url, document.get_kind_display()
            )
        else:
            shown = format_html(
                '<iframe src="{}" title="{}" class="document-preview" width="100%" height="600">'
                "</iframe>",
                url,
                document.get_kind_display(),
            )
        return format_html(
            '{}<p><a href="{}">{}</a></p>', shown, original, _("Download the original")
        )

    @admin.display(description=_("review history"))
    def review_history(self, document):
        reviews = document.reviews.select_related("reviewer")
        if not reviews:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html(
                "".join(
                    format_html(
                        "<li>{} · {} · {} {}</li>",
                        review.reviewed_at.strftime("%Y-%m-%d %H:%M"),
                        review.reviewer,
                        review.get_decision_display(),
                        review.get_reason_display(),
                    )
                    for review in reviews
                )
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        site_url = request.build_absolute_uri("/")
        with transaction.atomic():
            if data["decision"] == "approve":
                services.document_approve(
                    document=obj, reviewer=request.user, note=data["note"], site_url=site_url
                )
            else:
                services.document_reject(
                    document=obj,
                    reviewer=request.user,
                    reason=data["reason"],
                    note=data["note"],
                    site_url=site_url,
                )
        obj.refresh_from_db()

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"changed": {"fields": [str(_("Decision")), form.cleaned_data["decision"]]}}]


@admin.register(DocumentReview)
class DocumentReviewAdmin(LogAdmin):
    list_display = ["reviewed_at", "document", "decision", "reason", "reviewer"]
    list_filter = ["decision", "reason"]
    search_fields = ["document__subscriber__company_name"]


@admin.register(DocumentAccess)
class DocumentAccessAdmin(LogAdmin):
    list_display = ["accessed_at", "user", "document", "ip", "as_download"]
    list_filter = ["as_download"]
    search_fields = ["user__username", "ip"]


@admin.register(IdNumberReveal)
class IdNumberRevealAdmin(LogAdmin):
    list_display = ["revealed_at", "user", "subscriber", "ip"]
    search_fields = ["user__username", "subscriber__company_name"]


@admin.register(SubscriberStatusChange)
class SubscriberStatusChangeAdmin(LogAdmin):
    list_display = ["created_at", "subscriber", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status"]


@admin.register(Campaign)
class CampaignAdmin(KeepAdmin):
    list_display = ["title", "deadline", "is_active", "notice_url"]
    list_filter = ["is_active"]


@admin.register(Complaint)
class ComplaintAdmin(KeepAdmin):
    """Recording a complaint suspends its number at once."""

    list_display = ["received_at", "number", "kind", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["number__number", "details"]
    autocomplete_fields = ["number"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        complaint = services.complaint_record(
            number=obj.number,
            kind=obj.kind,
            details=obj.details,
            received_at=obj.received_at,
            recorded_by=request.user,
        )
        obj.pk = complaint.pk
        obj.recorded_by = complaint.recorded_by
        obj._state.adding = False
        messages.warning(request, _("Number %(number)s is suspended.") % {"number": obj.number})


@admin.register(Suspension)
class SuspensionAdmin(LogAdmin):
    list_display = ["suspended_at", "number", "cause", "subscriber", "reason", "lifted_at"]
    list_filter = ["cause", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["number__number", "subscriber__company_name"]
    actions = ["lift"]

    @admin.action(description=_("Lift the selected suspensions"), permissions=["lift"])
    def lift(self, request, queryset):
        for suspension in queryset.open():
            services.suspension_lift(
                suspension=suspension,
                reason=f"lifted by {request.user.get_username()}",
                actor=request.user,
            )
        self.message_user(request, _("The selected suspensions are lifted."))

    def has_lift_permission(self, request):
        return request.user.has_perm("compliance.change_suspension")
