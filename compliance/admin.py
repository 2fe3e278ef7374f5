from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum.cn import ric

from accounts import sessions
from accounts.clients import client_address
from accounts.validators import OneLineFieldsMixin
from compliance import services
from compliance.forms import ReviewForm
from compliance.models import (
    IDENTITY_FIELDS,
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
    SubscriberChange,
    SubscriberStatusChange,
    Suspension,
)
from numbers import ratelimit
from numbers.admin_confirm import confirmed_reason


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


class AgentCreationForm(OneLineFieldsMixin, forms.ModelForm):
    """One form for a working agent: the login, the profile, the group, the office."""

    username = forms.CharField(
        label=_("Login name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Review decisions, suspensions and assigned orders are sent here."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = Agent
        fields = ["company", "office"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AgentChangeForm(OneLineFieldsMixin, forms.ModelForm):
    email = forms.EmailField(label=_("E-mail"))
    is_active = forms.BooleanField(
        label=_("May log in"),
        required=False,
        help_text=_("Untick to stop an agent: its subscribers, orders and history are kept."),
    )

    class Meta:
        model = Agent
        fields = ["company", "office"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email
        self.fields["is_active"].initial = self.instance.user.is_active


@admin.register(Agent)
class AgentAdmin(KeepAdmin):
    list_display = ["company", "user", "office", "may_log_in", "created_at"]
    list_filter = ["office", "user__is_active"]
    search_fields = ["company", "user__username"]
    list_select_related = ["user", "office"]
    actions = ["deactivate", "reactivate"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AgentChangeForm if obj else AgentCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj:
            return ["company", "office", "email", "is_active"]
        return ["username", "email", "password1", "password2", "company", "office"]

    @admin.display(description=_("may log in"), boolean=True, ordering="user__is_active")
    def may_log_in(self, agent):
        return agent.user.is_active

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            super().save_model(request, obj, form, change)
            obj.user.email = data["email"]
            obj.user.save(update_fields=["email"])
            services.agent_set_active(agent=obj, active=data["is_active"])
            return
        user, _password = services.agent_create(
            username=data["username"],
            company=data["company"],
            office=data["office"],
            email=data["email"],
            password=data["password1"],
        )
        created = user.agent_profile
        obj.pk, obj.user, obj.created_at = created.pk, user, created.created_at
        obj._state.adding = False

    @admin.action(
        description=_("Stop the selected agents (history is kept)"), permissions=["change"]
    )
    def deactivate(self, request, queryset):
        for agent in queryset.select_related("user"):
            services.agent_set_active(agent=agent, active=False)
        self.message_user(
            request, _("The selected agents can no longer log in; their history is kept.")
        )

    @admin.action(description=_("Let the selected agents log in again"), permissions=["change"])
    def reactivate(self, request, queryset):
        for agent in queryset.select_related("user"):
            services.agent_set_active(agent=agent, active=True)
        self.message_user(request, _("The selected agents can log in again."))


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


class SubscriberChangeInline(admin.TabularInline):
    model = SubscriberChange
    fields = ["changed_at", "field_label", "old_value", "new_value", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("changes by staff")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("field"))
    def field_label(self, change):
        return Subscriber._meta.get_field(change.field).verbose_name


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
    inlines = [HoldingInline, DocumentInline, SubscriberChangeInline]

    def has_add_permission(self, request):
        return False  # agents register subscribers in the portal, with the checks it makes

    @admin.display(description=_("legal representative's ID number"))
    def id_number(self, subscriber):
        # The reveal page itself checks the permission and logs the reveal.
        url = reverse("admin:compliance_subscriber_reveal", args=[subscriber.pk])
        return format_html(
            '{} <a href="{}">{}</a>', subscriber.legal_rep_id_masked, url, _("Reveal")
        )

    def save_model(self, request, obj, form, change):
        # Through the service: each change is logged with its author, and a changed
        # identity field sends the documents attesting it back to review.
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        logged = services.subscriber_update(subscriber=obj, changes=changes, actor=request.user)
        if any(change.field in IDENTITY_FIELDS for change in logged):
            messages.warning(
                request,
                _(
                    "The subscriber's identity changed: the documents that attest it are back "
                    "in the review queue, and the subscriber is verified again only after review."
                ),
            )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.subscriber_refresh_status(
            subscriber=form.instance,
            reason=services.say_edited_in_admin(request.user),
            actor=request.user,
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
        status = 200
        if request.method == "POST":
            # Per user, not per address: each search tells whose number it is.
            allowed = ratelimit.hit(
                "id-search",
                request,
                settings.RATE_LIMIT_ID_SEARCHES,
                value=f"user:{request.user.pk}",
            )
            if not allowed:
                form = FindByIdForm()
                status = 429
            elif form.is_valid():
                found = services.subscriber_find_by_id(
                    id_number=form.cleaned_data["id_number"],
                    user=request.user,
                    ip=client_address(request) or None,
                )
                form = FindByIdForm()  # the page does not echo the number back
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "found": found,
            "refused": status == 429,
            "title": _("Find subscribers by ID number"),
        }
        response = TemplateResponse(
            request, "admin/compliance/find_by_id.html", context, status=status
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def reveal_view(self, request, pk):
        """Show the full ID number after a deliberate POST, and log who saw it.

        The password is asked for again when it was last typed more than
        REVEAL_REAUTH_MINUTES ago: a session left open is not enough.
        """
        subscriber = get_object_or_404(Subscriber, pk=pk)
        if not request.user.has_perm(sessions.REVEALS_ID_NUMBERS):
            raise PermissionDenied
        form = RevealForm(
            request,
            data=request.POST if request.method == "POST" else None,
            ask_password=not sessions.password_is_recent(request),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "subscriber": subscriber,
            "form": form,
            "title": _("Reveal ID number"),
        }
        if form.is_valid():
            if form.ask_password:
                sessions.password_confirmed(request)
            context["id_number"] = services.subscriber_reveal_id(
                subscriber=subscriber, user=request.user, ip=client_address(request) or None
            )
        response = TemplateResponse(request, "admin/compliance/reveal_id.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


class RevealForm(forms.Form):
    """The deliberate POST of a reveal, with the staff member's password when it is due.

    The password goes through ``authenticate``, so django-axes counts a wrong one like a
    failed login and locks the account (and the client) after the same number.
    """

    password = forms.CharField(
        label=_("Your password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Your password was last entered a while ago; enter it again to reveal."),
    )

    def __init__(self, request, *args, ask_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.ask_password = ask_password
        if not ask_password:
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(_("That is not your password."))
        return password


class FindByIdForm(OneLineFieldsMixin, forms.Form):
    # Typed like a password: never echoed back into the page.
    id_number = forms.CharField(
        label=_("ID number"), max_length=30, widget=forms.PasswordInput(render_value=False)
    )

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not ric.is_valid(value.upper()):
            raise forms.ValidationError(_("Enter a complete 18-character ID number."))
        return value


class ReviewQueue(ChangeList):
    """The documents list in queue order unless a column header was clicked."""

    def get_ordering(self, request, queryset):
        if ORDER_VAR in self.params:
            return super().get_ordering(request, queryset)
        return QUEUE_ORDER


class DocumentReviewAdminForm(ReviewForm, forms.ModelForm):
    class Meta:
        model = Document
        fields = []


@admin.register(Document)
class DocumentAdmin(KeepAdmin):
    """The review queue: pending documents first, previewed through the private view."""

    list_display = [
        "document_no",
        "kind",
        "subscriber",
        "status",
        "file_type",
        "uploaded_at",
        "uploaded_by",
        "valid_until",
    ]
    list_filter = ["status", "kind", "file_type"]
    list_display_links = ["document_no", "kind"]
    search_fields = ["subscriber__company_name", "subscriber__credit_code", "sha256"]
    date_hierarchy = "uploaded_at"
    form = DocumentReviewAdminForm

    class Media:
        css = {"all": ["css/compliance-admin.css"]}

    readonly_fields = [
        "review_panel",
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
        # Scan and details, then the decision, all in the first screen; the record below.
        sections = [(None, {"fields": self.readonly_fields[:1]})]
        if obj and obj.status == DocumentStatus.PENDING:
            sections.append((_("Decision"), {"fields": ["decision", "reason", "note"]}))
        sections.append((_("Record"), {"fields": self.readonly_fields[1:]}))
        return sections

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Saving opens the next document, so "save and continue editing" would mislead.
        extra_context = {**(extra_context or {}), "show_save_and_continue": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False  # documents arrive through the checked upload only

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == DocumentStatus.PENDING)

    def changelist_view(self, request, extra_context=None):
        if not request.GET:
            return redirect(f"{request.path}?status__exact={DocumentStatus.PENDING}")
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("no."), ordering="pk")
    def document_no(self, document):
        return f"#{document.pk}"

    def get_queryset(self, request):
        return queue_order(super().get_queryset(request).select_related("subscriber"))

    def get_changelist(self, request, **kwargs):
        return ReviewQueue

    def response_change(self, request, obj):
        """Say what was decided, and open the next document waiting (one click on)."""
        review = obj.latest_review()
        if review is not None:
            self.message_user(request, review_message(review), messages.SUCCESS)
        following = queue_order(Document.objects.awaiting_review()).exclude(pk=obj.pk).first()
        if following is None:
            self.message_user(request, _("The queue is empty: every document is reviewed."))
            return redirect("admin:compliance_document_changelist")
        return redirect("admin:compliance_document_change", following.pk)

    @admin.display(description=_("document and subscriber"))
    def review_panel(self, document):
        """The scan beside the subscriber's details, so both can be compared on one screen."""
        subscriber = document.subscriber
        facts = [
            (_("Company name"), subscriber.company_name),
            (_("Unified social credit code"), subscriber.credit_code),
            (_("Legal representative"), subscriber.legal_rep_name),
            (_("ID number"), subscriber.legal_rep_id_masked),
            (_("Contact"), f"{subscriber.contact_name} {subscriber.contact_phone}".strip()),
            (_("Status"), subscriber.get_status_display()),
        ]
        details = format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts)
        link = reverse("admin:compliance_subscriber_change", args=[subscriber.pk])
        return format_html(
            '<div class="review-panel"><div class="review-panel__scan">{}</div>'
            '<div class="review-panel__facts"><dl>{}</dl><p><a href="{}">{}</a></p></div></div>',
            self.preview(document),
            details,
            link,
            _("Open the subscriber"),
        )

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
        review = form.instance.latest_review()
        return review_message(review) if review else ""


def review_message(review: DocumentReview) -> str:
    params = {
        "kind": review.document.get_kind_display(),
        "company": review.document.subscriber.company_name,
        "reason": review.get_reason_display(),
    }
    if review.decision == DocumentReview.Decision.APPROVED:
        return _("Approved: %(kind)s of %(company)s.") % params
    return _("Rejected: %(kind)s of %(company)s (%(reason)s); the agent is told.") % params


def queue_order(documents):
    """Oldest first, but while a campaign runs, documents of subscribers with a number in
    service (which the deadline would suspend) before the rest."""
    in_service = Holding.objects.filter(
        Exists(Campaign.objects.filter(is_active=True)),
        subscriber=OuterRef("subscriber"),
        number__status__in=["active", "suspended"],
    )
    flag = Exists(in_service)
    return documents.annotate(deadline_applies=flag).order_by(*QUEUE_ORDER)


# What would cost a number its service at the deadline first, then the oldest upload.
QUEUE_ORDER = ["-deadline_applies", "uploaded_at", "pk"]


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
    list_display = ["revealed_at", "action", "user", "subscriber", "id_number_masked", "ip"]
    list_filter = ["action"]
    search_fields = ["user__username", "subscriber__company_name"]


@admin.register(SubscriberStatusChange)
class SubscriberStatusChangeAdmin(LogAdmin):
    list_display = ["created_at", "subscriber", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status"]


@admin.register(Campaign)
class CampaignAdmin(KeepAdmin):
    list_display = ["title", "deadline", "is_active", "notice_url"]
    list_filter = ["is_active"]


class ComplaintForm(OneLineFieldsMixin, forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I understand that recording this complaint suspends the number at once."),
    )

    class Meta:
        model = Complaint
        fields = ["number", "kind", "details", "received_at"]
        error_messages = {
            "number": {
                "invalid_choice": _(
                    "Only a number in service (or already suspended) can be complained about."
                )
            }
        }


@admin.register(Complaint)
class ComplaintAdmin(KeepAdmin):
    """Recording a complaint suspends its number at once."""

    form = ComplaintForm
    list_display = ["received_at", "number", "kind", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["number__number", "details"]
    autocomplete_fields = ["number"]

    def get_fields(self, request, obj=None):
        fields = ["number", "kind", "details", "received_at"]
        return fields if obj else [*fields, "confirm"]

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
    list_display = [
        "suspended_at",
        "number",
        "cause",
        "subscriber",
        "reason",
        "lifted_at",
        "lifted_by",
        "lifted_reason",
    ]
    list_filter = ["cause", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["number__number", "subscriber__company_name"]
    actions = ["lift"]

    @admin.action(description=_("Lift the selected suspensions…"), permissions=["lift"])
    def lift(self, request, queryset):
        queryset = queryset.open()
        reason, page = confirmed_reason(
            self,
            request,
            queryset,
            title=_("Lift suspensions"),
            warning=_(
                "The numbers go back into service once no other suspension holds them. The "
                "suspension stays lifted until its cause recurs (a later campaign deadline, "
                "a document expiring again)."
            ),
            submit=_("Lift these suspensions"),
        )
        if page:
            return page
        count = 0
        for suspension in queryset:
            services.suspension_lift(suspension=suspension, reason=reason, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d suspension lifted.", "%(count)d suspensions lifted.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    def has_lift_permission(self, request):
        return request.user.has_perm("compliance.change_suspension")


@admin.register(SubscriberChange)
class SubscriberChangeAdmin(LogAdmin):
    list_display = ["changed_at", "subscriber", "field", "old_value", "new_value", "actor"]
    list_filter = ["field"]
    search_fields = ["subscriber__company_name"]
