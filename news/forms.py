from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import OneLineFieldsMixin
from news.models import Article, ArticleStatus, Attachment
from news.uploads import inspect_attachment, inspect_cover


class ArticleAdminForm(OneLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "category",
            "summary",
            "body",
            "cover",
            "cover_alt",
            "status",
            "published_at",
            "pinned",
            "source",
            "source_note",
        ]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            inspect_cover(cover)
        return cover

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else ArticleStatus.DRAFT
        if status != current and status not in Article.TRANSITIONS[current]:
            raise forms.ValidationError(_("This status change is not allowed."))
        return status

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") == ArticleStatus.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            # Published without a time: it goes live now.
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


class AttachmentForm(OneLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            file_type = inspect_attachment(upload)
            self.instance.size = upload.size
            self.instance.content_type = file_type.content_type
            self.instance.type_label = file_type.label
        return upload
