"""Real-name verification end to end in Chromium: an agent hands in documents, a reviewer
decides in admin, the agent sees the outcome and the reason."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import AGENTS, REVIEWERS
from tests.compliance.factories import credit_code, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def scan(color: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), color).save(out, "JPEG")
    return {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def test_agent_uploads_reviewer_decides_agent_sees_the_reason(page, live_server, make_user):
    agent = make_user("agent_e2e", groups=[AGENTS], password=PASSWORD, email="a@example.com")
    from compliance.models import Agent

    Agent.objects.create(user=agent, company="端到端代理")
    make_user("reviewer_e2e", groups=[REVIEWERS], is_staff=True, password=PASSWORD)

    # The agent registers a subscriber and uploads a licence scan and an ID scan.
    log_in(page, live_server, "agent_e2e", "/agent/")
    page.get_by_role("link", name="登记用户").click()
    page.get_by_role("textbox", name="公司名称", exact=True).fill("端到端科技有限公司")
    page.get_by_role("textbox", name="统一社会信用代码", exact=True).fill(credit_code(4242))
    page.get_by_role("textbox", name="法定代表人", exact=True).fill("测试")
    page.get_by_role("textbox", name="法定代表人身份证号", exact=True).fill(id_number(4242))
    page.get_by_role("textbox", name="联系电话", exact=True).fill("020-12345678")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/agent/subscribers/*/")
    subscriber_url = page.url
    assert id_number(4242) not in page.content()
    expect(page.get_by_text(id_number(4242)[:3] + "*" * 11 + id_number(4242)[-4:])).to_be_visible()
    for kind, color in [("营业执照", "white"), ("法定代表人身份证（正面）", "gray")]:
        page.get_by_role("combobox", name="资料").select_option(label=kind)
        page.get_by_label("文件").set_input_files(scan(color))
        with page.expect_navigation():
            page.get_by_role("button", name="上传").click()
        expect(page.get_by_text("资料已上传，等待审核。")).to_be_visible()
    checklist = page.locator(".checklist")
    expect(checklist.locator("li", has_text="营业执照").get_by_text("待审核")).to_be_visible()
    expect(checklist.locator("li", has_text="身份证（正面）").get_by_text("待审核")).to_be_visible()
    page.context.clear_cookies()

    # The reviewer approves the licence and rejects the ID scan in admin.
    log_in(page, live_server, "reviewer_e2e", "/admin/compliance/document/")
    queue = page.locator("#result_list")
    assert id_number(4242) not in page.content()
    queue.get_by_role("link", name="营业执照").click()
    assert (
        page.locator("img.document-preview").evaluate(
            "img => img.decode().then(() => img.naturalWidth)"
        )
        == 300
    )
    page.get_by_label("通过").check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    # Saving a decision opens the next document in the queue.
    expect(page.locator(".messagelist")).to_contain_text("已通过：端到端科技有限公司 的营业执照。")
    expect(page.locator(".review-panel")).to_contain_text("端到端科技有限公司")
    page.get_by_label("驳回", exact=True).check()
    page.get_by_label("驳回原因").select_option("illegible")
    page.get_by_label("给代理商的说明").fill("照片反光，号码看不清")
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    page.context.clear_cookies()

    # The agent sees both outcomes and why the ID scan was rejected.
    log_in(page, live_server, "agent_e2e", subscriber_url.removeprefix(live_server.url))
    checklist = page.locator(".checklist")
    expect(checklist.locator("li", has_text="营业执照").get_by_text("已通过")).to_be_visible()
    rejected = checklist.locator("li", has_text="身份证（正面）")
    expect(rejected.get_by_text("已驳回：请重新上传")).to_be_visible()
    expect(rejected.get_by_text("照片反光，号码看不清")).to_be_visible()
    expect(rejected.get_by_text("光线充足", exact=False)).to_be_visible()


def test_a_pdf_under_its_sandbox_still_shows_in_the_reviewers_preview(page, live_server, make_user):
    from compliance.models import Agent
    from tests.compliance.factories import SubscriberFactory, pdf_bytes, stored_document

    agent = make_user("agent_pdf", groups=[AGENTS], password=PASSWORD)
    Agent.objects.create(user=agent, company="PDF代理")
    make_user("reviewer_pdf", groups=[REVIEWERS], is_staff=True, password=PASSWORD)
    document = stored_document(SubscriberFactory(agent=agent), agent, data=pdf_bytes())

    log_in(page, live_server, "reviewer_pdf", f"/admin/compliance/document/{document.pk}/change/")

    expect(page.locator("iframe.document-preview")).to_be_visible()

    # Chromium's PDF viewer is an extension frame inside the sandboxed document's frame.
    def is_viewer(frame):
        return frame.url.startswith("chrome-extension://")

    if not any(is_viewer(frame) for frame in page.frames):
        page.wait_for_event("framenavigated", predicate=is_viewer)
