from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from news.models import Article, Category


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


class ArticleDetailView(DetailView):
    template_name = "news/detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().select_related("category")
