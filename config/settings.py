"""Settings for the comparison site, read from the environment.

Development needs nothing set: SQLite in the project folder, local-memory cache,
DEBUG on. Production sets DJANGO_DEBUG=0 and must then provide DJANGO_SECRET_KEY
and DJANGO_ALLOWED_HOSTS, or the site refuses to start.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if DEBUG:
    SECRET_KEY = SECRET_KEY or "development-only-secret-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG off these environment variables must be set: " + ", ".join(missing)
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "captcha",
    "reversion",
    "adminsortable2",
    "csp",
    "comparisons",
    "comments",
    "pagecache",
]
# The benchmarks (tests/bench/): a development-only app, in a checkout but not in the package.
if (BASE_DIR / "tests" / "bench" / "__init__.py").exists():
    INSTALLED_APPS.append("tests.bench")

# Order matters. The page cache comes first: it answers anonymous readers with a stored page
# and the headers every middleware below gave it when it was stored (security headers, CSP,
# ETag), so a hit runs none of them and touches neither the database nor the session. Below
# it, security headers wrap everything; ConditionalGet turns fresh pages into 304s (the page
# cache does it for its hits); a database outage anywhere below becomes a friendly 503.
MIDDLEWARE = [
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SiteCSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "config.middleware.MalformedSessionCookieMiddleware",
    "config.middleware.NulCharacterMiddleware",
    "comparisons.middleware.PublishDueDraftsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comparisons.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that tests which start real server processes can share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("DJANGO_TEST_SQLITE", str(BASE_DIR / ".test-db.sqlite3"))
    }
    # Concurrent web use: readers never wait for a writer (WAL); a write transaction takes
    # the write lock when it begins (IMMEDIATE), so it waits its turn (up to 20 s) instead
    # of failing with "database is locked" when it first writes after reading.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The site's queries run in milliseconds, but PostgreSQL JIT-compiles any query whose
    # estimated cost passes jit_above_cost (a LIMIT 1 over 100,000 comparisons does):
    # 20 to 90 ms of compiling to save microseconds. Off for this site's connections.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

# Two caches. "default" holds pages, counters and sessions; when Redis fails it answers
# "miss" and logs, so readers are served from the database. "ratelimit" must never pretend:
# when it fails it raises, and posting refuses with 429 instead of skipping the limit.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("DJANGO_CACHE_DIR", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "site")
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.25"))
REDIS_PAUSE_SECONDS = float(os.environ.get("REDIS_PAUSE_SECONDS", "2"))


def redis_cache(ignore_exceptions):
    from config.redis_connection import GiveUpQuicklyConnection

    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
            "IGNORE_EXCEPTIONS": ignore_exceptions,
            # After a timeout, not asked again for REDIS_PAUSE_SECONDS: one wait per moment
            # for a Redis that hangs, not one per cache call.
            "CONNECTION_POOL_KWARGS": {"connection_class": GiveUpQuicklyConnection},
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(True), "ratelimit": redis_cache(False)}
elif CACHE_DIR:
    # Several processes on one machine without Redis (used by the two-server test on SQLite).
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.path.join(CACHE_DIR, alias),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
        for alias in ("default", "ratelimit")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit",
        },
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# The comments app counts posts in this cache and answers 429 when it raises.
COMMENTS_RATE_LIMIT_CACHE = "ratelimit"
# Sessions are read from the cache (the database only on a miss), so checking whether a
# visitor with a session cookie is logged in costs no SQL query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole-page cache for anonymous readers (the pagecache package). Pages are dropped at once
# by tag when what they show changes; the timeout is only a backstop.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# What browsers and shared caches (CDN, reverse proxy) are told. Short, because they cannot
# be told about edits: a reader sees an edit within max-age + stale-while-revalidate seconds.
PAGE_HTTP_MAX_AGE = int(os.environ.get("PAGE_HTTP_MAX_AGE", "5"))
PAGE_HTTP_SHARED_MAX_AGE = int(os.environ.get("PAGE_HTTP_SHARED_MAX_AGE", "5"))
PAGE_HTTP_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_HTTP_STALE_WHILE_REVALIDATE", "10"))
# Query parameters a cached page may have; any other parameter bypasses the cache.
PAGE_CACHE_QUERY_PARAMETERS = ["page", "sort", "q", "comment_page"]
# Hottest pages also kept in each worker's memory, never staler than the shared cache.
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "200"))
# Parts of pages (related lists, comment threads) each worker keeps until their tags change.
PAGE_CACHE_FRAGMENTS = int(os.environ.get("PAGE_CACHE_FRAGMENTS", "1000"))
# With Redis, each worker hears from Redis itself when a page's tags change
# (pagecache/watch.py), so a hit on its own copy needs no round trip. Off: every hit
# checks the tag versions in Redis (for a Redis that refuses CLIENT TRACKING).
PAGE_CACHE_WATCH_CHANGES = env_bool("PAGE_CACHE_WATCH_CHANGES", default=True)
# Part of every page's key: change it (or run `manage.py invalidate_pages`) after a deploy.
PAGE_CACHE_KEY_VERSION = os.environ.get("PAGE_CACHE_KEY_VERSION", "1")
# Every app server process checks this often, in a thread of its own, that the shared cache
# has taken every change (replaying refused ones) and has not lost tag versions (a Redis
# restart or flush): see pagecache/recovery.py. 0 switches the thread off (tests run it).
PAGE_CACHE_RECOVERY_SECONDS = float(os.environ.get("PAGE_CACHE_RECOVERY_SECONDS", "5"))
# Edge caches (Varnish with xkey) in front of the app servers, purged by tag on every change:
# their purge URLs, comma-separated (docs/caching.md; pagecache/varnish/default.vcl).
EDGE_PURGE_URLS = env_list("EDGE_PURGE_URLS")
EDGE_PURGE_TIMEOUT = float(os.environ.get("EDGE_PURGE_TIMEOUT", "2"))
# Seconds a reader is asked to wait when the database is unreachable.
DATABASE_RETRY_AFTER_SECONDS = 30

# Reader interest (comparisons/interest/): with a Redis URL the beacon only increments
# counters there and `manage.py flush_interest` (cron, every minute) writes them to the database.
INTEREST_REDIS_URL = os.environ.get("INTEREST_REDIS_URL", REDIS_URL)
INTEREST_KEY_PREFIX = os.environ.get(
    "INTEREST_KEY_PREFIX", os.environ.get("CACHE_KEY_PREFIX", "site") + ":interest"
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

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

# Uploaded media (docs/production.md, "Media"): in MEDIA_ROOT and served by the app itself,
# unless the environment names an S3-compatible object store, which then holds and serves them.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_SERVED_BY_APP = not AWS_STORAGE_BUCKET_NAME
MEDIA_ORIGIN = None
if AWS_STORAGE_BUCKET_NAME:
    from config.media import media_store_settings

    globals().update(media_store_settings(os.environ))  # the AWS_* settings and MEDIA_ORIGIN
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"
# An admin form carries a whole comparison: a body up to Comparison.BODY_MAX_CHARACTERS
# (4 bytes a character at most) and a long table. A longer body gets a form error, not a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SITE_NAME = os.environ.get("SITE_NAME", "Differences")
SITE_TAGLINE = "Clear comparisons of things people mix up"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the site does not use, switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Scripts only from our own files: no inline script, no eval (see static/js/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_HTTPS_PROXY") else None
    )

# Comments: see README "Comments". The app's defaults live in comments/conf.py.
COMMENTS_AUTO_PUBLISH = env_bool("COMMENTS_AUTO_PUBLISH", default=False)
# COMMENTS_RATE_LIMIT_CACHE is "ratelimit", set with CACHES above: it raises when Redis fails.
COMMENTS_RATE_LIMITS = ((5, 10 * 60), (1, 15))
COMMENTS_MIN_SUBMIT_SECONDS = 3
COMMENTS_MAX_FORM_AGE_SECONDS = 2 * 60 * 60
COMMENTS_CLIENT_IP_HEADER = os.environ.get("COMMENTS_CLIENT_IP_HEADER") or None
CAPTCHA_TIMEOUT = 30  # minutes a captcha image stays valid
# The captcha: large, readable codes (comments/captcha.py) and, where flite is installed, an
# audio version ("Listen to the code"). Without flite the site offers the image only.
CAPTCHA_CHALLENGE_FUNCT = "comments.captcha.readable_challenge"
CAPTCHA_NOISE_FUNCTIONS = ("comments.captcha.noise_strokes", "comments.captcha.noise_speckles")
CAPTCHA_FILTER_FUNCTIONS = ()
CAPTCHA_FONT_SIZE = 48
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_FOREGROUND_COLOR = "#1f2328"
CAPTCHA_FLITE_PATH = os.environ.get("CAPTCHA_FLITE_PATH") or shutil.which("flite")
CAPTCHA_SOX_PATH = os.environ.get("CAPTCHA_SOX_PATH") or shutil.which("sox")
# A comment refused for its CSRF token comes back with its text; other pages as Django does.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"
COMMENTS_RETRY_AFTER_SECONDS = DATABASE_RETRY_AFTER_SECONDS
# The site's public address, for links in e-mails (reply notices, the moderators' digest).
COMMENTS_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")


def email_settings(environ):
    """Django's e-mail settings from `environ`: EMAIL_URL, else EMAIL_HOST and its companions.

    EMAIL_URL is smtp://user:password@host:port (smtp+tls:// for STARTTLS, smtp+ssl:// for
    TLS from the start) or console://, locmem://, dummy://. With neither set, mail is printed
    to the console (`make run` shows it).
    """
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    url = environ.get("EMAIL_URL", "").strip()
    if not url:
        if not environ.get("EMAIL_HOST"):
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        use_ssl = environ.get("EMAIL_USE_SSL", "").lower() in {"1", "true", "yes", "on"}
        use_tls = environ.get("EMAIL_USE_TLS", "").lower() in {"1", "true", "yes", "on"}
        return {
            "EMAIL_BACKEND": smtp,
            "EMAIL_HOST": environ["EMAIL_HOST"],
            "EMAIL_PORT": int(environ.get("EMAIL_PORT") or 25),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": use_tls,
            "EMAIL_USE_SSL": use_ssl,
        }
    parts = urlsplit(url)
    simple = {"console", "locmem", "dummy"}
    if parts.scheme in simple:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtp+ssl"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:port (or smtp+tls://, "
            "smtp+ssl://, console://, locmem://, dummy://)."
        )
    use_ssl, use_tls = parts.scheme == "smtp+ssl", parts.scheme == "smtp+tls"
    return {
        "EMAIL_BACKEND": smtp,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


# E-mail: see docs/comments.md. Sending never waits longer than EMAIL_TIMEOUT seconds.
globals().update(email_settings(os.environ))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Differences <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Cache errors swallowed by django-redis are logged here (ERROR), so an outage is seen.
    "loggers": {"django_redis": {"level": "ERROR"}},
}
