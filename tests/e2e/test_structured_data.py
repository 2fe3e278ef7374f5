"""JSON-LD data blocks under the strict Content-Security-Policy, in Chromium.

A data block (a <script> whose type is not JavaScript) is never run, so
``script-src 'self'`` does not apply to it: the page fixture fails the test on any
CSP violation the console reports.
"""

import json

import pytest

from tests.pages import load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_json_ld_blocks_load_without_a_csp_violation_and_parse(page, live_server):
    load_demo_content()

    found = {}
    for path in ["/numbers/4006328888/", "/numbers/", "/offices/guangzhou/",
                 "/news/real-name-verification-2016/"]:  # fmt: skip
        page.goto(live_server.url + path)
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
        found[path] = [json.loads(block)["@type"] for block in blocks]

    assert found == {
        "/numbers/4006328888/": ["Organization", "Product"],
        "/numbers/": ["Organization", "ItemList"],
        "/offices/guangzhou/": ["Organization", "LocalBusiness"],
        "/news/real-name-verification-2016/": ["Organization", "NewsArticle"],
    }
