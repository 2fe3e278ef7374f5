"""Settings for the 400-number portal: one module, every environment told apart by variables.

Grouped by topic, in the same order as ``.env.example``, which lists every variable;
``docs/environment.md`` describes each.
A local ``.env`` (made by ``make``, kept out of git) is read when present; real
environment variables win over it.
"""

import re
import secrets
from datetime import timedelta
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
# Where Django admin lives: one path segment with its trailing slash ("admin/"). Not named
# in robots.txt; a site elsewhere than the well-known path meets fewer scripted logins.
ADMIN_URL = env("ADMIN_URL", default="admin/")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*/", ADMIN_URL):
    raise ImproperlyConfigured(
        f"ADMIN_URL is {ADMIN_URL!r}: it must be one path segment of letters, digits, "
        '"-" or "_", ending in "/" and not starting with one, e.g. "back-office-7f3k/".'
    )
WSGI_APPLICATION = "reseller.wsgi.application"

# ------------------------------------------------------------------------------
# Apps and middleware
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # django.contrib.admin, with every changelist guarded against malformed lookups.
    "reseller.apps.PortalAdminConfig",
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
    "django_tasks",
    "django_tasks_db",
    "storages",
    "axes",
    "django_ratelimit",
    "auditlog",
    "accounts",
    "reseller",
    "outbox",
    "offices",
    "numbers",
    "news",
    "compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policy too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AuditTrailMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a short staff session that ran out says so on the login page.
    "accounts.sessions.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
    {
        # The parts a page repeats many times: a number's card (see reseller/jinja.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "jinja2_templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "reseller.jinja.environment"},
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
elif env.bool("DATABASE_POOL", default=False):
    # psycopg's pool: each process keeps DATABASE_POOL_MIN..MAX connections open and
    # lends one per request. Size it so that servers × gunicorn workers × MAX, plus the
    # job workers, stays below PostgreSQL's max_connections (docs/deploying.md).
    # https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=4),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A connection that broke while PostgreSQL was away is replaced on the next request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable server costs a request this many seconds, then the 503 page.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=3
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Cache: Redis in production (rate limits, hot searches, sessions), memory otherwise
# https://django-environ.readthedocs.io/en/latest/types.html (cache_url)
# ------------------------------------------------------------------------------
CACHE_URL = env("CACHE_URL", default=env("REDIS_URL", default="locmemcache://"))
CACHES = {"default": env.cache_url_config(CACHE_URL)}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis that is down or slow makes the cache miss (and logs it), never the page fail.
    CACHES["default"]["BACKEND"] = "accounts.cache.ForgivingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=env.float("CACHE_TIMEOUT", default=0.5),
        socket_timeout=env.float("CACHE_TIMEOUT", default=0.5),
    )
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Rate-limit counters in Redis: shared by every worker of every machine.
    CACHES["limits"] = CACHES["default"]
else:
    # No Redis: the counters live in the database (table made by `createcachetable`),
    # so every worker of this machine sees the same count. A per-process cache would
    # let each gunicorn worker grant the whole limit again.
    CACHES["limits"] = {
        "BACKEND": "accounts.cache.AtomicDatabaseCache",
        "LOCATION": "rate_limit_counters",
    }

# Number-page views and searches wait here (one machine's workers) until the flush job
# writes them to the database; with Redis they wait in Redis instead (numbers/counters.py).
COUNTER_SPOOL_DIR = Path(env("COUNTER_SPOOL_DIR", default=str(BASE_DIR / "var" / "counters")))
# A worker gathers its views and searches this many seconds, then sends them together.
COUNTER_SEND_SECONDS = env.float("COUNTER_SEND_SECONDS", default=1.0)

# Public pages the same for every visitor (home, catalogue, number pages) are kept this
# many seconds (accounts/pages.py). Only with a cache every worker shares: a per-process
# cache would not hear of a change another worker made.
PAGE_CACHE_SECONDS = env.int(
    "PAGE_CACHE_SECONDS", default=60 if CACHES["default"]["BACKEND"].endswith("RedisCache") else 0
)
# Each worker also keeps the pages it served last, and trusts its reading of whether
# content changed for this long: another server's change shows that much later here.
PAGE_CACHE_LOCAL_SECONDS = env.float("PAGE_CACHE_LOCAL_SECONDS", default=1.0)
# Pieces of pages the same for everyone (the footer, the search form's fields), kept in
# each worker's memory under what they show ({% cache … using="fragments" %}).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},  # a few kB each
}

# ------------------------------------------------------------------------------
# Accounts and roles (the groups themselves: accounts/roles.py)
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username or client is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# Audit trail (django-auditlog): every change staff and agents make to these models, with
# actor, address (accounts.clients) and before/after, readable in admin, never editable.
# https://django-auditlog.readthedocs.io/en/latest/usage.html#settings
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "numbers.Prefix",
    "numbers.Plan",
    "numbers.Number",
    {
        "model": "numbers.Order",
        # Bookkeeping derived from the order's own fields, for the hold limits.
        "exclude_fields": [
            "company_key",
            "mobile_hold_slot",
            "company_hold_slot",
            "address_hold_slot",
        ],
    },
    "compliance.Agent",
    {
        "model": "compliance.Subscriber",
        # The ID number is stored encrypted and hashed; its trail shows neither.
        "exclude_fields": ["legal_rep_id_encrypted", "legal_rep_id_hash"],
        "m2m_fields": ["numbers"],
    },
    "compliance.Document",
    "compliance.Holding",
    "compliance.Suspension",
    "compliance.Complaint",
    "compliance.Campaign",
    "news.Article",
    "offices.Office",
    {
        "model": "auth.User",
        "exclude_fields": ["password", "last_login"],
        "m2m_fields": ["groups", "user_permissions"],
    },
    {"model": "auth.Group", "m2m_fields": ["permissions"]},
)
AUDITLOG_STORE_JSON_CHANGES = True

# Brute-force protection for the agent login and admin (django-axes, attempts in the database).
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Each on its own: 5 failures for one username (from anywhere), or from one client (any names).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.clients.client_address"
AXES_USERNAME_CALLABLE = "accounts.clients.login_username"
AXES_LOCKOUT_CALLABLE = "reseller.views.login_locked_out"
# Wrong passwords are not personal data to keep; the username and address are.
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken"]
LOGIN_REDIRECT_URL = "/"

# Staff who may reveal ID numbers (compliance.reveal_id_number) get short sessions: they
# end after this many idle minutes, and this many hours after the login in any case
# (accounts/sessions.py). Everyone else keeps Django's two weeks.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=8)
# A reveal asks for the password again when it was last typed longer ago than this.
REVEAL_REAUTH_MINUTES = env.int("REVEAL_REAUTH_MINUTES", default=5)
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
# Object storage (S3 protocol: Aliyun OSS, Tencent COS, MinIO, SeaweedFS), each bucket
# optional: unset, files stay on the filesystem above.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", default="")
S3_REGION = env("S3_REGION", default="")
S3_MEDIA_BUCKET = env("S3_MEDIA_BUCKET", default="")
S3_PRIVATE_BUCKET = env("S3_PRIVATE_BUCKET", default="")
_S3_OPTIONS = {
    "endpoint_url": S3_ENDPOINT_URL or None,
    "region_name": S3_REGION or None,
    "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
    "signature_version": "s3v4",
    "file_overwrite": False,
    "default_acl": None,
}
if S3_MEDIA_BUCKET:
    # Public news media: plain URLs on the bucket (or on S3_MEDIA_DOMAIN, a CDN in front).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": S3_MEDIA_BUCKET,
            "querystring_auth": False,
            "custom_domain": env("S3_MEDIA_DOMAIN", default="") or None,
        },
    }
if S3_PRIVATE_BUCKET:
    # Documents: the bucket is never public and no URL to it is handed out; the document
    # view streams each file after its permission check (compliance/storage.py).
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "bucket_name": S3_PRIVATE_BUCKET, "querystring_expire": 300},
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
# ClamAV's daemon (clamd) socket, e.g. /run/clamav/clamd.ctl: every upload is scanned
# there too; empty: only the built-in checks (which refuse the EICAR test file).
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
# Storage each agent (what it uploaded) and each subscriber (everything uploaded for it)
# may fill, in MB of 2^20 bytes; superseded documents stay as evidence and count. A
# subscriber hands in 3–10 documents of at most 10 MB (images keep a re-encoded copy).
DOCUMENT_QUOTA_AGENT_MB = env.int("DOCUMENT_QUOTA_AGENT_MB", default=5000)
DOCUMENT_QUOTA_SUBSCRIBER_MB = env.int("DOCUMENT_QUOTA_SUBSCRIBER_MB", default=200)
# Upload attempts per agent and per subscriber, counted before a file is decoded.
RATE_LIMIT_UPLOADS_PER_AGENT = env("RATE_LIMIT_UPLOADS_PER_AGENT", default="120/h")
RATE_LIMIT_UPLOADS_PER_SUBSCRIBER = env("RATE_LIMIT_UPLOADS_PER_SUBSCRIBER", default="30/h")

# ------------------------------------------------------------------------------
# E-mail
# https://django-environ.readthedocs.io/en/latest/types.html (email_url)
# ------------------------------------------------------------------------------
# The console backend prints every mail, customers' details included, into the log: fine
# on a site bound to loopback names only (`make run`), refused in production.
_email = env.email_url_config(env("EMAIL_URL", default="") or "consolemail://")
vars().update(_email)
if (
    not DEBUG
    and _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    and not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS)
):
    raise ImproperlyConfigured(
        "EMAIL_URL is not set (or is consolemail://, which prints customers' mail into the "
        "log). In production set it to the mail server, e.g. "
        "smtp+tls://user:password@smtp.example.com:587, or dummymail:// to send nothing."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFY_EMAILS = env.list("STAFF_NOTIFY_EMAILS", default=[])
# Mail goes out from the worker: a failed attempt waits MAIL_RETRY_SECONDS, doubling each
# time (capped at an hour), and after MAIL_MAX_ATTEMPTS the mail is marked failed in admin.
MAIL_RETRY_SECONDS = env.int("MAIL_RETRY_SECONDS", default=30)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=10)

# Text messages (watch notices): a class with send(mobile, text); see README.md, The shop.
SMS_BACKEND = env(
    "SMS_BACKEND",
    default="numbers.sms.ConsoleBackend" if DEBUG else "numbers.sms.DisabledBackend",
)

# A slow mail server delays a response by at most this many seconds; it never loses an order.
# ------------------------------------------------------------------------------
# Background jobs: the Tasks API with its database backend (same transaction as the
# change that causes a job; `manage.py db_worker` runs them, on any number of machines)
# https://github.com/RealOrangeOne/django-tasks-db
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# How long the worker waits for the mail server before an attempt counts as failed.
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

# No page uses a device, payment or tracking API (static/js/shop.js only fetches and
# edits the page), so each is switched off for us and for anything we might frame.
# https://github.com/adamchainz/django-permissions-policy
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}

FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
if not FIELD_ENCRYPTION_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY is not set. It encrypts ID numbers at rest and must be a "
        "dedicated Fernet key (not SECRET_KEY); locally, `make .env` writes one for you."
    )

# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
# Rate limits, login lockouts and evidence logs all take the client address from
# accounts.clients.client_address, which believes the header only from a loopback or
# private peer. nginx on the same host: NUM_PROXIES=1 (see README, "Client addresses").
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# ------------------------------------------------------------------------------
# Rate limits, as "count/period" (s, m, h, d): django-ratelimit counting in the
# "limits" cache, per client address (accounts.clients) or per mobile number
# ------------------------------------------------------------------------------
# Orders per mobile number (and call-back requests per address).
RATE_LIMIT_ORDERS = env("RATE_LIMIT_ORDERS", default="5/h")
# Orders per client address: loose, since an office orders from behind one address.
RATE_LIMIT_ORDERS_PER_ADDRESS = env("RATE_LIMIT_ORDERS_PER_ADDRESS", default="30/h")
# Failed look-ups of an order by reference and mobile.
RATE_LIMIT_ORDER_LOOKUPS = env("RATE_LIMIT_ORDER_LOOKUPS", default="10/h")
# Staff searches of subscribers by full ID number, per staff user (logged like reveals).
RATE_LIMIT_ID_SEARCHES = env("RATE_LIMIT_ID_SEARCHES", default="30/h")
RATELIMIT_USE_CACHE = "limits"
RATELIMIT_IP_META_KEY = "accounts.clients.client_address"
# A counter the cache cannot answer for lets the request through (numbers.ratelimit logs it).
RATELIMIT_FAIL_OPEN = True
# Django's own Redis cache and our database cache increment atomically, though
# django-ratelimit only names django-redis and memcached as supported.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

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
# How long a number stays held for an order staff have not confirmed yet: long enough
# for a call back on the next working day, short enough that held-back stock returns.
# Confirming an order holds its number with no expiry (staff look after it from then on).
ORDER_HOLD_HOURS = env.int("ORDER_HOLD_HOURS", default=24)
# Unconfirmed holds at one time (0: no limit), so nobody can reserve the catalogue away:
# per mobile (one person), per company name however it is typed, and per client
# address, loosest, since a whole office orders from behind one address.
HOLD_LIMIT_PER_MOBILE = env.int("HOLD_LIMIT_PER_MOBILE", default=3)
HOLD_LIMIT_PER_COMPANY = env.int("HOLD_LIMIT_PER_COMPANY", default=5)
HOLD_LIMIT_PER_ADDRESS = env.int("HOLD_LIMIT_PER_ADDRESS", default=10)
# The signed link to an order's page works while the order is open and this many days
# after it closes (in service, cancelled or expired); then only the look-up opens it.
ORDER_LINK_DAYS = env.int("ORDER_LINK_DAYS", default=90)
# Watches (盯号) run out after this many days; a quotation is valid this many days.
WATCH_DAYS = env.int("WATCH_DAYS", default=30)
QUOTE_VALID_DAYS = env.int("QUOTE_VALID_DAYS", default=7)
# Printed on quotations: who the buyer pays, and how.
SITE_LEGAL_NAME = env("SITE_LEGAL_NAME", default="广州优选通信技术有限公司")
SITE_LEGAL_NAME_EN = env("SITE_LEGAL_NAME_EN", default="Guangzhou Premium 400 Telecom Co., Ltd.")
BANK_TRANSFER_NOTE = env(
    "BANK_TRANSFER_NOTE",
    default="开户行：中国工商银行广州白云支行 · 账号：3602 0000 0000 0000 000 · 户名同上",
)
BANK_TRANSFER_NOTE_EN = env(
    "BANK_TRANSFER_NOTE_EN",
    default=(
        "Bank: ICBC Guangzhou Baiyun branch · Account: 3602 0000 0000 0000 000 · "
        "Account name as above"
    ),
)

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
