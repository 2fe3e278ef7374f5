"""The demo data fills the directory and the news in both languages."""

import pytest
from django.core.management import call_command

from news.models import Article
from news.uploads import DOCX, inspect_attachment

pytestmark = pytest.mark.django_db

# URL prefix → the page's <html lang>: the demo content is Chinese, the page around it is not.
LANGUAGES = {"": "zh-Hans", "/en": "en"}


def assert_in_language(response, prefix):
    assert response.status_code == 200
    assert f'<html lang="{LANGUAGES[prefix]}">' in response.content.decode()


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_demo_offices_page_lists_thirteen_offices(client, demo, prefix):
    response = client.get(f"{prefix}/offices/")

    assert_in_language(response, prefix)
    offices = [o for _, group in response.context["provinces"] for o in group]
    assert len(offices) == 13
    assert offices[0].is_headquarters
    assert "广州400电话办理中心" in response.content.decode()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_demo_news_page_lists_at_least_three_articles_pinned_notice_first(client, demo, prefix):
    response = client.get(f"{prefix}/news/")

    assert_in_language(response, prefix)
    articles = list(response.context["articles"])
    assert len(articles) >= 3
    assert articles[0].slug == "real-name-verification-2016"
    assert articles[0].pinned


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_demo_notice_page_renders_markdown_and_offers_its_agreement_template(client, demo, prefix):
    response = client.get(f"{prefix}/news/real-name-verification-2016/")

    assert_in_language(response, prefix)
    body = response.content.decode()
    assert "<strong>重新签署补充协议。</strong>" in body
    attachment = response.context["attachments"][0]
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == attachment.content_type


def test_seed_demo_twice_adds_nothing(demo):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Article.objects.count() == 3
    attachments = Article.objects.get(slug="real-name-verification-2016").attachments.all()
    assert len(attachments) == 1
    with attachments[0].file.open("rb") as template:
        assert inspect_attachment(template) == DOCX
