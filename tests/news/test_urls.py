"""URL names of the news, office, feed and sitemap pages round-trip (reverse ↔ resolve)."""

import pytest
from django.urls import resolve, reverse
from django.utils import translation


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("news:list", {}, "/news/"),
        ("news:feed", {}, "/news/feed/"),
        ("news:category", {"slug": "notices"}, "/news/category/notices/"),
        ("news:detail", {"slug": "real-name"}, "/news/real-name/"),
        ("news:preview", {"pk": 7}, "/news/preview/7/"),
        ("news:attachment", {"slug": "real-name", "pk": 3}, "/news/real-name/attachments/3/"),
        ("offices:list", {}, "/offices/"),
        ("offices:detail", {"slug": "guangzhou"}, "/offices/guangzhou/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("sitemap-section", {"section": "news"}, "/sitemap-news.xml"),
        ("news-media", {"path": "covers/2026/a.png"}, "/media/news/covers/2026/a.png"),
    ],
)
def test_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_english_pages_live_under_en():
    with translation.override("en"):
        assert reverse("news:detail", kwargs={"slug": "real-name"}) == "/en/news/real-name/"
        assert reverse("offices:list") == "/en/offices/"
