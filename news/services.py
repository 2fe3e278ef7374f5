"""Writes with side effects on articles: status changes (with history) and view counts."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from news.models import Article, ArticleStatus, ArticleStatusChange


@transaction.atomic
def article_transition(*, article: Article, to: str, actor=None, note: str = "") -> Article:
    """Move an article to ``to`` if the map allows it, and record who did it.

    Publishing without a publish time stamps it with now; a future time is kept,
    which schedules the article (it stays hidden until then). Raises
    ``IllegalTransition`` for a move the map does not allow.
    """
    current = Article.objects.select_for_update().get(pk=article.pk)
    current.check_transition(to)
    article.status = to
    fields = ["status", "updated_at"]
    if to == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
        fields.append("published_at")
    article.save(update_fields=fields)
    ArticleStatusChange.objects.create(
        article=article,
        from_status=current.status,
        to_status=to,
        actor=actor,
        note=note,
        created_at=timezone.now(),
    )
    return article


def article_publish(*, article: Article, actor=None) -> Article:
    return article_transition(article=article, to=ArticleStatus.PUBLISHED, actor=actor)


def article_withdraw(*, article: Article, actor=None) -> Article:
    return article_transition(article=article, to=ArticleStatus.DRAFT, actor=actor)


def article_record_view(*, article: Article) -> int:
    """Count one view in the database itself (concurrent views are never lost).

    One autocommitted UPDATE keeps the row lock as short as possible: every reader
    of a popular article writes this row. The count shown is the one loaded plus
    this view; concurrent views may make it lag by a few, never the stored total.
    """
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    article.view_count += 1
    return article.view_count
