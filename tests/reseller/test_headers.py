"""Response headers that tell a visitor's browser, and a scanner, no more than they need."""

import pytest

pytestmark = pytest.mark.django_db

DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


@pytest.mark.parametrize("path", ["/", "/numbers/", "/no-such-page/", "/accounts/login/"])
def test_every_response_denies_the_browser_features_no_page_uses(client, path):
    policy = client.get(path)["Permissions-Policy"]

    directives = dict(item.split("=", 1) for item in policy.split(", "))
    for feature in DENIED_FEATURES:
        assert directives[feature] == "()", feature
    assert directives["interest-cohort"] == "()"
