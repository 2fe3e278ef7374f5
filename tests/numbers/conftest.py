import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Hot searches are cached; each test starts without them."""
    cache.clear()
    yield
    cache.clear()
