"""An editor publishes an article with an attachment; a visitor reads it and downloads the file."""

import pytest
from playwright.sync_api import expect

from accounts.roles import EDITORS
from news.models import Article
from tests.factories import CategoryFactory
from tests.news.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_publishes_an_article_that_a_visitor_reads_and_downloads(
    browser, page, live_server, make_user, tmp_path
):
    make_user("editor", groups=[EDITORS], is_staff=True, password="s3cret-Editor-pass")
    CategoryFactory(slug="notices", name="通知公告")
    template = tmp_path / "补充协议模板.pdf"
    template.write_bytes(PDF_BYTES)

    # The editor logs in and writes the article with its attachment.
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "s3cret-Editor-pass")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/news/article/add/")
    page.fill("#id_title", "关于重新签署补充协议的通知")
    page.fill("#id_slug", "sign-the-agreement-again")
    page.select_option("#id_category", label="通知公告")
    page.fill("#id_summary", "请于月底前重新签署补充协议。")
    page.fill("#id_body", "各位代理商：\n\n请下载**补充协议模板**，签署后交回。")
    page.fill("#id_attachments-0-title", "补充协议模板")
    page.set_input_files("#id_attachments-0-file", template)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    # Saved as a draft: not public yet. The editor publishes it with the action.
    assert Article.objects.get(slug="sign-the-agreement-again").status == "draft"
    page.goto(live_server.url + "/news/")
    assert page.get_by_text("关于重新签署补充协议的通知").count() == 0
    page.goto(live_server.url + "/admin/news/article/")
    page.locator("tr", has_text="关于重新签署补充协议的通知").locator("input.action-select").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1 篇文章已发布")

    # A visitor (no login) finds it on /news/ and in the feed, opens it, downloads the file.
    visitor = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    visitor.goto(live_server.url + "/news/")
    visitor.get_by_role("link", name="关于重新签署补充协议的通知").click()
    visitor.wait_for_url(live_server.url + "/news/sign-the-agreement-again/")
    assert visitor.locator("h1").inner_text() == "关于重新签署补充协议的通知"
    assert visitor.locator(".article__body strong").inner_text() == "补充协议模板"
    assert "浏览: 1" in visitor.locator(".article__meta").inner_text()
    assert "PDF" in visitor.locator(".attachment-list").inner_text()
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="补充协议模板").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert open(download.path(), "rb").read() == PDF_BYTES  # noqa: SIM115

    feed = visitor.request.get(live_server.url + "/news/feed/")
    assert feed.ok
    assert "关于重新签署补充协议的通知" in feed.text()
    visitor.context.close()
