import pytest

from tests.news.factories import ensure_editors_group


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Logins are not what these tests are about; the real hasher costs a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _editors_group(request):
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        ensure_editors_group()


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Sitemap entries are on SITE_URL; here it is the test client's own host.
    settings.SITE_URL = "http://testserver"
