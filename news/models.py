import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import StatusChange, StatusMachine
from news.rendering import render_markdown


class Category(models.Model):
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", args=[self.slug])


# Paths under /news/ that are pages of their own, not articles.
RESERVED_SLUGS = {"feed", "category", "preview"}


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to visitors: published, and its publish time has come."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def front_page(self):
        """Pinned first, then newest."""
        return self.published().order_by("-pinned", "-published_at", "-id")

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def visible_to(self, user):
        """What a user may open: staff who preview see drafts and scheduled articles too."""
        return self if user.has_perm("news.preview_article") else self.published()


class Article(StatusMachine, models.Model):
    """A news article or notice (通知公告), written by staff in Markdown."""

    # The status changes an article may go through; anything else is refused.
    TRANSITIONS = {
        ArticleStatus.DRAFT: frozenset({ArticleStatus.PUBLISHED}),
        ArticleStatus.PUBLISHED: frozenset({ArticleStatus.DRAFT}),
    }

    class Source(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REPRINT = "reprint", _("Reprint")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "The article's web address: lower-case letters, digits and hyphens. "
            "Leave empty to have one made from the date."
        ),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for lists, search engines and the feed."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: a blank line starts a paragraph, **bold**, - for lists, "
            "[text](https://…) for links. Scripts, frames and styles are removed."
        ),
    )
    body_html = models.TextField(_("body as HTML"), blank=True, editable=False)
    cover = models.ImageField(
        _("cover image"),
        upload_to="news/covers/%Y/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover image description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for visitors who cannot see it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Leave empty to use the moment of publishing. A future time keeps the article "
            "hidden until then."
        ),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ORIGINAL
    )
    source_note = models.CharField(
        _("source note"), max_length=200, blank=True, help_text=_("Where a reprint comes from.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish articles")),
            ("pin_article", _("Can pin articles")),
            ("preview_article", _("Can preview unpublished articles")),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="article_status_published")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="article_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("A published article needs a publish time."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered once here, so pages never run Markdown or the sanitiser per view.
        self.body_html = render_markdown(self.body)
        if not self.slug:
            self.slug = f"{timezone.localdate():%Y%m%d}-{secrets.token_hex(3)}"
        if self.status == ArticleStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.slug])

    def get_preview_url(self):
        return reverse("news:preview", args=[self.pk])

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is taken by a page of the site; choose another.")
        if self.cover and not self.cover_alt.strip():
            errors["cover_alt"] = _("Describe the cover image for visitors who cannot see it.")
        if self.source == self.Source.REPRINT and not self.source_note.strip():
            errors["source_note"] = _("Say where the reprinted article comes from.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_visible(self) -> bool:
        """Whether visitors can see it now (published and its time has come)."""
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and not self.is_visible

    def neighbours(self) -> tuple["Article | None", "Article | None"]:
        """The published articles just before (older) and after (newer) this one."""
        if self.published_at is None:
            return None, None
        published = Article.objects.published()
        at = self.published_at
        older = (
            published.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=self.pk))
            .newest_first()
            .first()
        )
        newer = (
            published.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=self.pk))
            .order_by("published_at", "pk")
            .first()
        )
        return older, newer

    def related(self, limit: int = 5):
        return (
            Article.objects.published()
            .filter(category_id=self.category_id)
            .exclude(pk=self.pk)
            .newest_first()[:limit]
        )


class ArticleStatusChange(StatusChange):
    """One change of an article's status: who published or withdrew it, and when."""

    subject = "article"

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=25, choices=ArticleStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=25, choices=ArticleStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # A random folder per file: names stay readable, addresses cannot be guessed.
    year = timezone.now().year
    return f"news/attachments/{year}/{secrets.token_urlsafe(12)}/{PurePath(filename).name}"


class Attachment(models.Model):
    """A file offered with an article, e.g. a supplementary-agreement template."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        max_length=255,
        help_text=_("PDF, Word, Excel, ZIP or an image."),
    )
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("type"), max_length=100, blank=True, editable=False)
    type_label = models.CharField(_("type"), max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:attachment", args=[self.article.slug, self.pk])

    @property
    def filename(self) -> str:
        return PurePath(self.file.name).name
