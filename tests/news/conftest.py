import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Logins are not what these tests are about; the real hasher costs a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
