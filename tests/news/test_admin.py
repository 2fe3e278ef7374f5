"""Writing and publishing in admin: uploads checked by content, status history, actions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.roles import EDITORS
from news.models import Article, ArticleStatusChange
from tests.factories import ArticleFactory, CategoryFactory
from tests.news.factories import PDF_BYTES, draft, office_zip_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    return make_user("ed", groups=[EDITORS], is_staff=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def article_form(category, **overrides):
    data = {
        "title": "关于调整营业时间的通知",
        "slug": "opening-hours",
        "category": category.pk,
        "summary": "",
        "body": "各办理中心周六照常营业。",
        "cover_alt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "source": "original",
        "source_note": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def with_attachment(data, name, content, title="附件"):
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": title,
            "attachments-0-file": upload(name, content),
        }
    )
    return data


def test_editor_writes_and_publishes_an_article_with_an_attachment(editor_client, editor):
    category = CategoryFactory()
    data = with_attachment(
        article_form(category, status="published"),
        "协议模板.docx",
        office_zip_bytes("word/document.xml"),
    )

    response = editor_client.post("/admin/news/article/add/", data)

    assert response.status_code == 302
    article = Article.objects.get(slug="opening-hours")
    assert article.is_visible
    assert article.author == editor
    assert article.body_html == "<p>各办理中心周六照常营业。</p>"
    attachment = article.attachments.get()
    assert attachment.type_label == "Word"
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert attachment.size > 0
    history = list(article.status_changes.values_list("from_status", "to_status", "actor"))
    assert history == [("draft", "published", editor.pk)]


def test_an_article_saved_as_draft_has_no_history_and_no_publish_time(editor_client):
    editor_client.post("/admin/news/article/add/", article_form(CategoryFactory()))

    article = Article.objects.get(slug="opening-hours")
    assert article.status == "draft"
    assert article.published_at is None
    assert not article.status_changes.exists()


def test_a_future_publish_time_schedules_the_article(editor_client, client):
    when = timezone.localtime() + timedelta(days=3)
    data = article_form(
        CategoryFactory(),
        status="published",
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
    )

    editor_client.post("/admin/news/article/add/", data)

    article = Article.objects.get(slug="opening-hours")
    assert article.is_scheduled
    assert Article.objects.published().count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notice.pdf", b"<html><script>alert(1)</script></html>", "不是 PDF 文件"),
        ("tool.exe", b"MZ\x90\x00", "请上传 PDF、Word、Excel、ZIP 或图片文件"),
        ("page.html", b"<html></html>", "请上传 PDF、Word、Excel、ZIP 或图片文件"),
        ("sheet.xlsx", office_zip_bytes("word/document.xml"), "不是 Excel 文件"),
        ("photo.jpg", png_bytes(), "不是 JPEG 文件"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_attachment_that_is_not_what_it_claims_is_refused_with_a_message(
    editor_client, name, content, message
):
    data = with_attachment(article_form(CategoryFactory()), name, content)

    response = editor_client.post("/admin/news/article/add/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_attachment_over_the_size_limit_is_refused(editor_client, settings):
    settings.NEWS_ATTACHMENT_MAX_MB = 1
    data = with_attachment(
        article_form(CategoryFactory()), "big.pdf", PDF_BYTES + b"0" * (1024 * 1024)
    )

    response = editor_client.post("/admin/news/article/add/", data)

    assert "上限为 1.0\xa0MB" in response.content.decode()
    assert not Article.objects.exists()


def test_cover_must_be_a_real_image_with_a_description(editor_client):
    category = CategoryFactory()

    not_image = editor_client.post(
        "/admin/news/article/add/",
        article_form(category, cover=upload("cover.png", b"<svg onload=alert(1)>")),
    )
    no_alt = editor_client.post(
        "/admin/news/article/add/", article_form(category, cover=upload("cover.png", png_bytes()))
    )
    good = editor_client.post(
        "/admin/news/article/add/",
        article_form(category, cover=upload("cover.png", png_bytes()), cover_alt="门店外景"),
    )

    assert not_image.status_code == 200
    assert "cover" in not_image.context["adminform"].form.errors
    assert "请描述封面图片" in no_alt.content.decode()
    assert good.status_code == 302
    assert Article.objects.get().cover_width == 40


def test_reserved_slug_is_refused(editor_client):
    response = editor_client.post(
        "/admin/news/article/add/", article_form(CategoryFactory(), slug="feed")
    )

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_publish_action_publishes_drafts_and_records_who_did_it(editor_client, editor):
    first, second = draft(slug="a"), draft(slug="b")

    response = editor_client.post(
        "/admin/news/article/",
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "2 篇文章已发布" in response.content.decode()
    assert Article.objects.published().count() == 2
    assert ArticleStatusChange.objects.filter(actor=editor, to_status="published").count() == 2


def test_withdraw_and_pin_actions(editor_client):
    article = ArticleFactory()

    editor_client.post("/admin/news/article/", {"action": "pin", "_selected_action": [article.pk]})
    editor_client.post(
        "/admin/news/article/", {"action": "withdraw", "_selected_action": [article.pk]}
    )

    article.refresh_from_db()
    assert article.pinned
    assert article.status == "draft"
    assert list(article.status_changes.values_list("to_status", flat=True)) == ["draft"]


def test_writer_without_the_publish_permission_cannot_publish(client, make_user):
    writer = make_user("writer", is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_article", "add_article", "change_article", "view_category"],
        )
    )
    client.force_login(writer)
    article = draft(slug="mine")

    client.post("/admin/news/article/add/", article_form(CategoryFactory(), status="published"))
    client.post("/admin/news/article/", {"action": "publish", "_selected_action": [article.pk]})
    action_form = client.get("/admin/news/article/").context["action_form"]
    actions = dict(action_form.fields["action"].choices) if action_form else {}

    assert Article.objects.get(slug="opening-hours").status == "draft"
    assert Article.objects.get(slug="mine").status == "draft"
    assert "publish" not in actions


def test_editing_a_published_article_keeps_it_published_without_new_history(editor_client):
    article = ArticleFactory(slug="live", title="旧标题")
    data = article_form(
        article.category,
        slug="live",
        title="新标题",
        status="published",
        published_at_0=timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
    )

    response = editor_client.post(f"/admin/news/article/{article.pk}/change/", data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "新标题"
    assert article.status == "published"
    assert not article.status_changes.exists()


def test_admin_offers_a_preview_link_for_drafts(editor_client):
    article = draft()

    body = editor_client.get(f"/admin/news/article/{article.pk}/change/").content.decode()

    assert f'href="/news/preview/{article.pk}/"' in body


def test_an_article_without_a_slug_gets_one_from_the_date(editor_client):
    editor_client.post("/admin/news/article/add/", article_form(CategoryFactory(), slug=""))

    article = Article.objects.get()
    assert article.slug.startswith(timezone.localdate().strftime("%Y%m%d-"))
    assert article.get_absolute_url() == f"/news/{article.slug}/"


def test_editor_without_the_pin_permission_cannot_pin(client, make_user):
    writer = make_user("writer", is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_article", "add_article", "change_article", "publish_article"],
        )
    )
    client.force_login(writer)

    client.post(
        "/admin/news/article/add/", article_form(CategoryFactory(), status="published", pinned="on")
    )

    article = Article.objects.get()
    assert article.is_visible
    assert not article.pinned
