from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import StatusHistoryInline
from accounts.cache import content_changed
from news.forms import ArticleAdminForm, AttachmentForm
from news.models import Article, ArticleStatus, ArticleStatusChange, Attachment, Category
from news.services import article_publish, article_transition, article_withdraw


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    fields = ["title", "file", "type_label", "size"]
    readonly_fields = ["type_label", "size"]


class StatusChangeInline(StatusHistoryInline):
    model = ArticleStatusChange


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "category",
        "visibility",
        "published_at",
        "pinned",
        "view_count",
        "author",
    ]
    list_filter = ["category", "status", "pinned", "published_at", "source"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "slug", "summary", "body"]
    date_hierarchy = "published_at"
    readonly_fields = ["view_count", "author", "created_at", "updated_at", "preview_link"]
    actions = ["publish", "withdraw", "pin", "unpin"]
    inlines = [AttachmentInline, StatusChangeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (_("Cover image"), {"fields": ["cover", "cover_alt"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "pinned", "preview_link"]}),
        (_("Source"), {"fields": ["source", "source_note"]}),
        (_("Record"), {"fields": ["author", "view_count", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("visibility"), ordering="status")
    def visibility(self, article):
        if article.is_visible:
            return _("Visible")
        if article.is_scheduled:
            return _("Scheduled")
        return _("Draft")

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("news:preview", args=[article.pk]), _("Preview")
        )

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_visible else article.get_preview_url()

    def has_publish_permission(self, request):
        return request.user.has_perm("news.publish_article")

    def has_pin_permission(self, request):
        return request.user.has_perm("news.pin_article")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["status", "published_at"]
        if not self.has_pin_permission(request):
            fields += ["pinned"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        # The status moves through the service (transition map and history), not the form.
        wanted = obj.status
        stored = Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        obj.status = stored or ArticleStatus.DRAFT
        super().save_model(request, obj, form, change)
        if wanted != obj.status:
            article_transition(article=obj, to=wanted, actor=request.user)

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        drafts = queryset.filter(status=ArticleStatus.DRAFT)
        for article in drafts:
            article_publish(article=article, actor=request.user)
        self._report(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", len(drafts)),
            len(drafts),
        )

    @admin.action(
        description=_("Withdraw selected articles (back to draft)"), permissions=["publish"]
    )
    def withdraw(self, request, queryset):
        published = queryset.filter(status=ArticleStatus.PUBLISHED)
        for article in published:
            article_withdraw(article=article, actor=request.user)
        self._report(
            request,
            ngettext(
                "%(count)d article withdrawn.", "%(count)d articles withdrawn.", len(published)
            ),
            len(published),
        )

    @admin.action(description=_("Pin selected articles to the top"), permissions=["pin"])
    def pin(self, request, queryset):
        count = queryset.update(pinned=True)
        content_changed()  # update() sends no signal
        self._report(
            request,
            ngettext("%(count)d article pinned.", "%(count)d articles pinned.", count),
            count,
        )

    @admin.action(description=_("Unpin selected articles"), permissions=["pin"])
    def unpin(self, request, queryset):
        count = queryset.update(pinned=False)
        content_changed()  # update() sends no signal
        self._report(
            request,
            ngettext("%(count)d article unpinned.", "%(count)d articles unpinned.", count),
            count,
        )

    def _report(self, request, message, count):
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
