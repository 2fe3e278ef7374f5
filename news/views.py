import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from news.models import Article, Attachment, Category
from news.services import article_record_view

# Media types a browser may show inline from /media/news/; anything else is a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}


class ArticleListView(ListView):
    template_name = "news/list.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        articles = Article.objects.front_page().select_related("category")
        if "slug" in self.kwargs:
            self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
            articles = articles.filter(category=self.category)
        return articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            categories=Category.objects.all(), category=getattr(self, "category", None), **kwargs
        )


class ArticlePageMixin:
    template_name = "news/detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        article = self.object
        older, newer = article.neighbours()
        return super().get_context_data(
            attachments=article.attachments.all(),
            older=older,
            newer=newer,
            related=article.related(),
            **kwargs,
        )


class ArticleDetailView(ArticlePageMixin, DetailView):
    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if self.request.method == "GET":
            article_record_view(article=article)
        return article


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(PermissionRequiredMixin, ArticlePageMixin, DetailView):
    """Any article, drafts and scheduled ones included, for staff allowed to preview."""

    permission_required = "news.preview_article"
    login_url = "admin:login"
    queryset = Article.objects.select_related("category")
    extra_context = {"preview": True}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


@require_safe
def attachment_download(request, slug, pk):
    """An article's attachment, for whoever may see the article."""
    attachment = get_object_or_404(
        Attachment,
        pk=pk,
        article__slug=slug,
        article__in=Article.objects.visible_to(request.user),
    )
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or "application/octet-stream",
    )
    if not attachment.article.is_visible:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def media_file(request, path):
    """Public news media (covers, attachments) from MEDIA_ROOT/news/ and nothing else.

    `make run` has no web server in front; in production nginx serves /media/
    itself and this view is never reached.
    """
    root = (Path(settings.MEDIA_ROOT) / "news").resolve()
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    try:
        target = (root / path).resolve()
        servable = (
            target.is_relative_to(root) and not target.is_relative_to(private) and target.is_file()
        )
    except (OSError, ValueError):  # a NUL byte or an over-long name in the address
        servable = False
    if not servable:
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(
        target.open("rb"),
        as_attachment=content_type not in INLINE_MEDIA_TYPES,
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
