"""Settings for the 400-number portal: one module, every environment told apart by variables.

Grouped by topic, in the same order as ``.env.example``, which lists every variable;
``docs/environment.md`` describes each.
A local ``.env`` (made by ``make``, kept out of git) is read when present; real
environment variables win over it.
"""

import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set it in the environment "
            "(50+ random characters); locally, `make .env` writes one for you."
        )
    SECRET_KEY = secrets.token_urlsafe(50)  # DEBUG only: sessions end with the process

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOCAL_HOSTS)

# Behind TLS in production; a site bound to loopback names only (``make run``,
# tests) has no certificate to redirect to.
HTTPS = env.bool("HTTPS", default=not DEBUG and not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS))

ROOT_URLCONF = "reseller.urls"
WSGI_APPLICATION = "reseller.wsgi.application"

# ------------------------------------------------------------------------------
# Apps and middleware
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "import_export",
    "csp",
    "accounts",
    "reseller",
    "offices",
    "numbers",
    "news",
    "compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reseller.context_processors.site",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Data: PostgreSQL in production and CI, an SQLite file as the embedded default
# https://docs.djangoproject.com/en/5.2/ref/databases/
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock up front, so concurrent writers queue
    # instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # A file, not memory, so the live server's threads and the tests share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Cache: Redis in production (rate limits, hot searches, sessions), memory otherwise
# https://django-environ.readthedocs.io/en/latest/types.html (cache_url)
# ------------------------------------------------------------------------------
CACHE_URL = env("CACHE_URL", default=env("REDIS_URL", default="locmemcache://"))
CACHES = {"default": env.cache_url_config(CACHE_URL)}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# ------------------------------------------------------------------------------
# Accounts and roles (the groups themselves: accounts/roles.py)
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# ------------------------------------------------------------------------------
# Language and time: Simplified Chinese by default, English under /en/
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# ------------------------------------------------------------------------------
# Static files and public media
# https://whitenoise.readthedocs.io/en/stable/django.html
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# ------------------------------------------------------------------------------
# Private documents (real-name verification)
# ------------------------------------------------------------------------------
# Verification documents: outside MEDIA_ROOT, never served by URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# When set (e.g. "/_private/"), documents are handed to nginx by X-Accel-Redirect to an
# `internal` location whose alias is PRIVATE_MEDIA_ROOT, after the permission check.
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="")

# ------------------------------------------------------------------------------
# E-mail
# https://django-environ.readthedocs.io/en/latest/types.html (email_url)
# ------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFY_EMAILS = env.list("STAFF_NOTIFY_EMAILS", default=[])

# A slow mail server delays a response by at most this many seconds; it never loses an order.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# ------------------------------------------------------------------------------
# Security: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "reseller.views.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Everything is served by us: no inline script or style, no third-party origin.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
if not FIELD_ENCRYPTION_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is not set. It encrypts ID numbers at rest and must be a "
        "dedicated Fernet key (not SECRET_KEY); locally, `make .env` writes one for you."
    )

# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
# Rate limits count per client address, so this must match the deployment.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# ------------------------------------------------------------------------------
# Rate limits, per client address (see NUM_PROXIES), as "count/period" (s, m, h, d)
# ------------------------------------------------------------------------------
# Orders and call-back requests.
RATE_LIMIT_ORDERS = env("RATE_LIMIT_ORDERS", default="5/h")
# Failed look-ups of an order by reference and mobile.
RATE_LIMIT_ORDER_LOOKUPS = env("RATE_LIMIT_ORDER_LOOKUPS", default="10/h")

# ------------------------------------------------------------------------------
# The business: the name, contacts and links the pages show
# ------------------------------------------------------------------------------
SITE_NAME = env("SITE_NAME", default="优选400")
SITE_NAME_EN = env("SITE_NAME_EN", default="Premium 400")
SITE_HOTLINE = env("SITE_HOTLINE", default="4001234567")
SITE_QQ = env("SITE_QQ", default="800012345")
SITE_WECHAT = env("SITE_WECHAT", default="premium400")
SITE_EMAIL = env("SITE_EMAIL", default="")
SITE_ADDRESS = env("SITE_ADDRESS", default="")
SITE_ICP = env("SITE_ICP", default="粤ICP备00000000号")
# A TrueType/OpenType font with Chinese glyphs for share cards; empty: the first of
# numbers.share_card.FONT_CANDIDATES found (Debian's fonts), else Pillow's own, in English.
SHARE_CARD_FONT = env("SHARE_CARD_FONT", default="")
# The public address (scheme and host, no trailing slash): links in e-mails, canonical
# and hreflang links, sitemap entries and share cards all point there.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# ------------------------------------------------------------------------------
# Orders
# ------------------------------------------------------------------------------
# How long a number stays held for an unconfirmed order.
ORDER_HOLD_HOURS = env.int("ORDER_HOLD_HOURS", default=72)

# ------------------------------------------------------------------------------
# Catalogue: who may import and export numbers in the admin
# https://django-import-export.readthedocs.io/en/latest/installation.html#settings
# ------------------------------------------------------------------------------
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The /bench/ping endpoint for load tests; off in production.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# ------------------------------------------------------------------------------
# News: upload limits for article covers and attachments
# ------------------------------------------------------------------------------
NEWS_COVER_MAX_MB = env.int("NEWS_COVER_MAX_MB", default=5)
NEWS_ATTACHMENT_MAX_MB = env.int("NEWS_ATTACHMENT_MAX_MB", default=20)

# ------------------------------------------------------------------------------
# Logging: to the console, where gunicorn and the service manager collect it
# https://docs.djangoproject.com/en/5.2/topics/logging/
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
