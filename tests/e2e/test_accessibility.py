"""axe-core finds no WCAG 2 A/AA violation on the public pages, on a phone and a desktop."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.pages import AGENT_PATHS, PUBLIC_PATHS, every_language, load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations_on(page, url):
    page.goto(url)
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{url}: {violation['id']} – {violation['help']} ({len(violation['nodes'])}× e.g. "
        f"{violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize(
    ("fixture", "paths"),
    [("page", every_language(PUBLIC_PATHS)), ("phone_page", PUBLIC_PATHS)],
    ids=["desktop-both-languages", "phone"],
)
def test_public_pages_have_no_accessibility_violations(request, fixture, paths, live_server):
    load_demo_content()
    page = request.getfixturevalue(fixture)

    found = []
    for path in paths:
        found += violations_on(page, live_server.url + path)

    assert found == [], "\n".join(found)


def test_keyboard_users_can_skip_to_the_content(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_agent_portal_has_no_accessibility_violations(page, live_server, django_user_model):
    load_demo_content()
    agent = django_user_model.objects.get(username="agent")
    agent.set_password("correct-horse-battery")
    agent.save()
    page.goto(live_server.url + "/accounts/login/?next=/agent/")
    page.get_by_label("用户名").fill("agent")
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/agent/")
    subscriber_url = page.locator("a[href^='/agent/subscribers/']").last.get_attribute("href")

    found = []
    for path in [*AGENT_PATHS, subscriber_url]:
        found += violations_on(page, live_server.url + path)

    assert found == [], "\n".join(found)
