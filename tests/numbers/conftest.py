import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, shared by every test in the process."""
    cache.clear()
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff and agent users are made in many tests; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
