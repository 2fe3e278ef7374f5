"""axe-core finds no WCAG 2 A/AA violation on the public pages, on a phone and a desktop."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from numbers.models import Number, NumberStatus
from numbers.shortlist import LIMIT as SHORTLIST_LIMIT
from numbers.shortlist import SALT as SHORTLIST_SALT
from tests.pages import AGENT_PATHS, PUBLIC_PATHS, every_language, load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations_on(page, url):
    page.goto(url)
    return axe_violations(page, url)


def axe_violations(page, label):
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{label}: {violation['id']} – {violation['help']} ({len(violation['nodes'])}× e.g. "
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


def test_states_a_visitor_can_meet_have_no_accessibility_violations(page, live_server, settings):
    """A held number, a form with errors, a full shortlist and the rate-limited page."""
    load_demo_content()
    held = Number.objects.listed().sorted_by("").first()
    held.status, held.hold_expires_at = NumberStatus.HELD, timezone.now() + timedelta(hours=5)
    held.save()
    others = list(Number.objects.listed().exclude(pk=held.pk).values_list("number", flat=True))
    settings.RATE_LIMIT_ORDER_LOOKUPS = "1/h"
    found = []

    for path in ["/numbers/", f"/numbers/{held.number}/", f"/en/numbers/{held.number}/"]:
        found += violations_on(page, live_server.url + path)
        assert page.locator(".hold-status__left").first.is_visible()

    page.goto(f"{live_server.url}/numbers/{others[0]}/order/")
    page.locator("#order button[type=submit]").click()
    page.wait_for_selector(".field__error")
    found += axe_violations(page, "order form with errors")

    full = [*others, *(f"40099{index:05d}" for index in range(SHORTLIST_LIMIT))][:SHORTLIST_LIMIT]
    page.context.add_cookies(
        [{"name": "shortlist", "value": signing.dumps(full, salt=SHORTLIST_SALT, compress=True),
          "url": live_server.url}]
    )  # fmt: skip
    page.goto(f"{live_server.url}/numbers/{held.number}/")
    page.locator(".number-page .shortlist-button button").click()
    page.wait_for_selector(".message--error")
    found += axe_violations(page, "shortlist full")
    found += violations_on(page, live_server.url + "/shortlist/")

    for _attempt in range(2):
        page.goto(live_server.url + "/orders/")
        page.fill("input[name=reference]", "ZC7K3F9Q")
        page.fill("input[name=mobile]", "13800138000")
        page.locator("main form button[type=submit]").click()
    assert page.locator(".error-page__status").inner_text() == "429"
    found += axe_violations(page, "rate limited")
    cache.clear()

    assert found == [], "\n".join(found)
