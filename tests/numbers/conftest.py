import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate-limit counters and hot searches live in the caches, shared by every test."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield  # the pure modules' tests, run without Django
        return
    from django.core.cache import cache, caches

    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        # The counters' own cache may be a database table, which the flush after a
        # transactional test does not empty; other tests roll it back with the test.
        request.getfixturevalue("transactional_db")
        caches["limits"].clear()
    yield
    cache.clear()


@pytest.fixture
def order_data():
    return {
        "name": "王经理",
        "company": "广州示例贸易有限公司",
        "mobile": "13800138000",
        "email": "",
        "office": "",
        "message": "",
        "accept_rules": "on",
    }
