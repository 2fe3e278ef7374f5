import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate-limit counters and hot searches live in the caches, shared by every test."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield  # the pure modules' tests, run without Django
        return
    from django.core.cache import caches

    def clear():
        for cache in caches.all(initialized_only=False):
            cache.clear()

    clear()
    yield
    clear()


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
