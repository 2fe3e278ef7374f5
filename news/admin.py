from django.contrib import admin

from news.models import Article, Attachment, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "status", "published_at", "pinned", "view_count"]
    list_filter = ["category", "status", "pinned", "published_at"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    inlines = [AttachmentInline]
