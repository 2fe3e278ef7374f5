"""News media in the public bucket (S3_MEDIA_BUCKET), on a real S3 server: SeaweedFS."""

import urllib.request

import pytest

from tests.factories import ArticleFactory
from tests.news.factories import PDF_BYTES, AttachmentFactory, png_bytes, upload
from tests.support.servers import MEDIA_BUCKET

pytestmark = pytest.mark.django_db


def test_a_cover_is_stored_in_the_media_bucket_and_public_at_its_url(buckets):
    article = ArticleFactory(cover=upload("cover.png", png_bytes()))

    assert article.cover.url.startswith(f"{buckets.endpoint_url}/{MEDIA_BUCKET}/news/covers/")
    with urllib.request.urlopen(article.cover.url) as public:
        assert public.read() == png_bytes()


def test_an_attachment_is_downloaded_from_the_bucket_through_its_article(client, buckets):
    attachment = AttachmentFactory()

    response = client.get(attachment.get_absolute_url())

    assert b"".join(response.streaming_content) == PDF_BYTES
    stored = buckets.client().get_object(Bucket=MEDIA_BUCKET, Key=attachment.file.name)
    assert stored["Body"].read() == PDF_BYTES
