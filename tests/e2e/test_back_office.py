"""A day in the back office, in Chromium, as the role that does each job, on a desktop and
on a 390 px phone: the editor publishes, sales confirms an order, the agent registers the
subscriber and uploads its documents, the reviewer works through the queue, and sales
puts the order in service once the subscriber is verified.

Set E2E_SHOTS to a folder to keep a screenshot of every screen (never in the repository).
"""

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from compliance.models import Agent
from numbers.models import OrderStatus
from tests.compliance.factories import credit_code, id_number
from tests.conftest import _watched_page
from tests.factories import ArticleFactory
from tests.numbers.factories import OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1366, "height": 768}
KINDS = ["营业执照", "法定代表人身份证（正面）", "法定代表人身份证（反面）", "补充协议（已签章）"]


@pytest.fixture(params=["desktop", "phone"])
def screen(request, browser, phone_page):
    """A 1366 × 768 office screen (the size staff lists must fit), or a 390 px phone."""
    if request.param == "phone":
        yield "phone", phone_page
        return
    yield from (("desktop", page) for page in _watched_page(browser, viewport=DESKTOP))


def shot(page, size, name):
    folder = os.environ.get("E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{size}-{name}.png", full_page=True)


def scan(color: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), color).save(out, "JPEG")
    return {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def log_in(page, live_server, username, next_url=""):
    page.context.clear_cookies()
    query = f"?next={next_url}" if next_url else ""
    page.goto(f"{live_server.url}/accounts/login/{query}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def run_action(page, action):
    page.locator("select[name=action]").select_option(action)
    with page.expect_navigation():
        page.get_by_role("button", name="执行").click()


def test_a_day_in_the_back_office(screen, live_server, make_user):
    size, page = screen
    make_user("editor", groups=["editors"], is_staff=True, password=PASSWORD)
    make_user("sales", groups=["sales"], is_staff=True, password=PASSWORD)
    make_user("reviewer", groups=["reviewers"], is_staff=True, password=PASSWORD)
    agent = make_user("agent", groups=["agents"], password=PASSWORD, email="a@example.com")
    Agent.objects.create(user=agent, company="广州代理")
    ArticleFactory(title="2027年实名认证复核通知", status="draft", published_at=None)
    order = OrderFactory(company="端到端科技有限公司", agent=agent)

    # The editor publishes the notice.
    log_in(page, live_server, "editor", "/admin/news/article/")
    page.locator("tr", has_text="2027年实名认证复核通知").locator("input.action-select").check()
    run_action(page, "publish")
    expect(page.locator(".messagelist")).to_contain_text("已发布")
    shot(page, size, "1-editor-published")

    # Sales confirms the order; the list shows its agent and date.
    log_in(page, live_server, "sales", "/admin/numbers/order/")
    row = page.locator("#result_list tr", has_text=order.reference)
    expect(row.locator("td.field-agent")).to_have_text("agent")
    expect(row.locator("td.field-placed")).not_to_be_empty()
    row.locator("input.action-select").check()
    run_action(page, "make_confirmed")
    expect(page.locator(".messagelist")).to_contain_text("已确认")
    shot(page, size, "2-sales-confirmed")

    # The agent lands in the portal, registers the subscriber from the order, uploads.
    log_in(page, live_server, "agent")
    assert page.url == f"{live_server.url}/agent/"
    expect(page.locator(".portal-bar")).to_contain_text("广州代理 · agent")
    expect(page.locator(".call-bar")).to_have_count(0)
    shot(page, size, "3-agent-overview")
    page.get_by_role("link", name="登记用户").first.click()
    expect(page.get_by_role("textbox", name="公司名称", exact=True)).to_have_value(
        "端到端科技有限公司"
    )
    page.get_by_role("textbox", name="统一社会信用代码", exact=True).fill(credit_code(7311))
    page.get_by_role("textbox", name="法定代表人", exact=True).fill("测试")
    page.get_by_role("textbox", name="法定代表人身份证号", exact=True).fill(id_number(7311))
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/agent/subscribers/*/")
    # A refused upload: its error is in view, not under the fold.
    page.get_by_role("combobox", name="资料").select_option(label=KINDS[0])
    page.get_by_label("文件").set_input_files(
        {"name": "licence.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上传").click()
    error = page.locator("#upload .field__error").first
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    shot(page, size, "4-agent-upload-refused")
    for kind, color in zip(KINDS, ["white", "gray", "silver", "beige"], strict=True):
        page.get_by_role("combobox", name="资料").select_option(label=kind)
        page.get_by_label("文件").set_input_files(scan(color))
        with page.expect_navigation():
            page.get_by_role("button", name="上传").click()
        expect(page.get_by_text("资料已上传，等待审核。")).to_be_visible()
    shot(page, size, "5-agent-uploaded")

    # The reviewer works through the queue on one screen per document.
    log_in(page, live_server, "reviewer", "/admin/compliance/document/")
    shot(page, size, "6-reviewer-queue")
    page.locator("#result_list tbody tr").first.locator("th a").click()
    expect(page.locator(".review-panel")).to_contain_text("端到端科技有限公司")
    shot(page, size, "7-reviewer-document")
    for _kind in KINDS:
        page.get_by_label("通过").check()
        with page.expect_navigation():
            page.get_by_role("button", name="保存", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("已通过：端到端科技有限公司")
    expect(page.locator(".messagelist")).to_contain_text("所有资料均已审核")
    shot(page, size, "8-reviewer-queue-empty")

    # Sales puts the verified order in service.
    log_in(page, live_server, "sales", "/admin/numbers/order/")
    for action in ("make_awaiting_verification", "make_active"):
        page.locator("#result_list tr", has_text=order.reference).locator(
            "input.action-select"
        ).check()
        run_action(page, action)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    shot(page, size, "9-sales-active")
