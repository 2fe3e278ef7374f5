"""Factories and sample files for the news tests."""

import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, ArticleStatus, Attachment
from tests.factories import ArticleFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the site's own feed and sitemap


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def office_zip_bytes(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def draft(**fields) -> Article:
    return ArticleFactory(status=ArticleStatus.DRAFT, published_at=None, **fields)


def scheduled(**fields) -> Article:
    return ArticleFactory(published_at=timezone.now() + timedelta(days=2), **fields)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    article = factory.SubFactory(ArticleFactory)
    title = "400业务补充协议模板"
    file = factory.LazyFunction(lambda: upload("agreement.pdf", PDF_BYTES))
    size = len(PDF_BYTES)
    content_type = "application/pdf"
    type_label = "PDF"
