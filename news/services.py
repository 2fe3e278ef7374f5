"""Writes with side effects on articles: status changes (with history) and view counts."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article, ArticleStatusChange


class ArticleStatusError(Exception):
    """A status change the transition map does not allow."""


@transaction.atomic
def article_change_status(*, article: Article, to_status: str, by=None) -> Article:
    """Move an article to ``to_status`` if the map allows it, and record who did it.

    Publishing without a publish time stamps it with now; a future time is kept,
    which schedules the article (it stays hidden until then).
    """
    current = Article.objects.select_for_update().get(pk=article.pk)
    if to_status not in Article.TRANSITIONS[current.status]:
        raise ArticleStatusError(
            _("An article cannot go from %(from)s to %(to)s.")
            % {"from": current.get_status_display(), "to": Article.Status(to_status).label}
        )
    article.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
        fields.append("published_at")
    article.save(update_fields=fields)
    ArticleStatusChange.objects.create(
        article=article, from_status=current.status, to_status=to_status, changed_by=by
    )
    return article


def article_publish(*, article: Article, by=None) -> Article:
    return article_change_status(article=article, to_status=Article.Status.PUBLISHED, by=by)


def article_withdraw(*, article: Article, by=None) -> Article:
    return article_change_status(article=article, to_status=Article.Status.DRAFT, by=by)


def article_record_view(*, article: Article) -> int:
    """Count one view in the database itself (concurrent views are never lost).

    One autocommitted UPDATE keeps the row lock as short as possible: every reader
    of a popular article writes this row. The count shown is the one loaded plus
    this view; concurrent views may make it lag by a few, never the stored total.
    """
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    article.view_count += 1
    return article.view_count
