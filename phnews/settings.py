"""Settings for phnews.

Everything that differs between a laptop, CI and a production host comes from
the environment; the defaults run the embedded setup (SQLite and a Whoosh
index under the project folder) with nothing else to start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from articles.search.engines.cluster import mapping

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# Runtime state (database, index, caches) lives in var/ unless told otherwise.
VAR_DIR = Path(os.environ.get("PHNEWS_VAR_DIR", BASE_DIR / "var"))
# Page files: the bundled samples and copies of everything imported.
PHNEWS_DATA_DIR = Path(os.environ.get("PHNEWS_DATA_DIR", BASE_DIR / "data"))
PHNEWS_INDEX_DIR = Path(os.environ.get("PHNEWS_INDEX_DIR", VAR_DIR / "whoosh_index"))
# Writer processes for a full index build (rebuild_index); 0 = one per core, at most 4.
PHNEWS_INDEX_PROCS = env_int("PHNEWS_INDEX_PROCS", 0)
PHNEWS_SAMPLES_DIR = BASE_DIR / "data" / "samples"
# The site's one name: page titles, header, OpenSearch, admin and feeds all read it.
PHNEWS_SITE_NAME = os.environ.get("PHNEWS_SITE_NAME", "嘉兴日报·平湖版档案")
# The 数据下载 page's files (manage.py build_downloads writes them) and the
# terms of use the operator gives them, shown on the page and in the manifest.
PHNEWS_DOWNLOADS_DIR = Path(os.environ.get("PHNEWS_DOWNLOADS_DIR", VAR_DIR / "downloads"))
PHNEWS_DATA_LICENSE = os.environ.get("PHNEWS_DATA_LICENSE", "")
# Requests per client address and minute to the paged article list
# (/api/articles.json); 0 for no cap.
PHNEWS_API_RATE_PER_MINUTE = env_int("PHNEWS_API_RATE_PER_MINUTE", 120)
# Articles per page of that list: the default, and the most a client may ask for.
PHNEWS_API_PAGE_SIZE = env_int("PHNEWS_API_PAGE_SIZE", 100)
PHNEWS_API_MAX_PAGE_SIZE = env_int("PHNEWS_API_MAX_PAGE_SIZE", 500)
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", True)
# Reader pages are cached until the archive changes (articles/browse/cache.py);
# at most this long after a change that bypassed model signals. 0: off.
PHNEWS_PAGE_CACHE_SECONDS = int(os.environ.get("PHNEWS_PAGE_CACHE_SECONDS", "0" if DEBUG else "60"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-phnews-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Production runs behind an HTTPS-terminating proxy: one switch turns on
# everything that depends on it; each part can still be set on its own.
PHNEWS_HTTPS = env_bool("PHNEWS_HTTPS", False)
if env_bool("PHNEWS_TRUST_X_FORWARDED_PROTO", PHNEWS_HTTPS):
    # Only safe when the proxy overwrites this header on every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PHNEWS_HTTPS)
# The proxy's health probe talks plain HTTP to the backend.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", PHNEWS_HTTPS)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", PHNEWS_HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if PHNEWS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PHNEWS_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PHNEWS_HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sent on every response by articles.guards.csp (docs/operations.md, "Guards").
# Scripts and styles come only from this site's static files; inline style
# attributes (the search chart's bar heights) are the one inline allowance.
PHNEWS_CONTENT_SECURITY_POLICY = os.environ.get("PHNEWS_CONTENT_SECURITY_POLICY", "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]))

# Import limits (articles/importing/limits.py, docs/operations.md): a printed
# page holds tens of articles and tens of thousands of characters at most;
# anything far past that is refused before a byte of it is stored.
PHNEWS_IMPORT_MAX_FILE_BYTES = env_int("PHNEWS_IMPORT_MAX_FILE_BYTES", 1024 * 1024)
PHNEWS_IMPORT_MAX_PAGE_CHARS = env_int("PHNEWS_IMPORT_MAX_PAGE_CHARS", 200_000)

# Request size limits: the public site only takes short GET queries; the
# admin's largest form carries one article body or page text, which can be as
# long as the import allows. Form-encoded, a character costs up to 12 bytes
# (4 UTF-8 bytes as %XX each), so the limit follows the import's, with 1 MiB
# for the form's other fields; a request past it gets a Chinese answer
# (articles/guards/request_size.py), not a dropped connection.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE",
                                      PHNEWS_IMPORT_MAX_PAGE_CHARS * 12 + 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
PHNEWS_IMPORT_MAX_PAGE_ARTICLES = env_int("PHNEWS_IMPORT_MAX_PAGE_ARTICLES", 200)
# One import at a time (articles/importing/lock.py): a second run waits this
# many seconds for the first, then gives up without touching anything.
PHNEWS_IMPORT_LOCK_WAIT = env_int("PHNEWS_IMPORT_LOCK_WAIT", 300)

# Staff logins (articles/admin/login_throttle.py): this many failures for one
# account, or from one address, within the lockout window refuse further
# logins until the window has passed.
PHNEWS_LOGIN_MAX_FAILURES = env_int("PHNEWS_LOGIN_MAX_FAILURES", 5)
PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("PHNEWS_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
PHNEWS_LOGIN_LOCKOUT_SECONDS = env_int("PHNEWS_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# The client's address is the proxy's last X-Forwarded-For entry only when a
# proxy that sets it stands in front (as with PHNEWS_HTTPS); else REMOTE_ADDR.
PHNEWS_TRUST_X_FORWARDED_FOR = env_bool("PHNEWS_TRUST_X_FORWARDED_FOR", PHNEWS_HTTPS)

CACHES = {
    # Per process: reader pages (articles/browse/cache.py).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every worker on the host: requests per client to the paged API (articles/browse/rate.py).
    "api_rate": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "api_rate"),
    },
    # Shared by every worker on the host: failed-login counts.
    "login_throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "login_throttle"),
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Before haystack: our rebuild_index command (atomic, several writer
    # processes) overrides haystack's, and Django picks the first app's.
    "articles",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "articles.guards.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "articles.guards.nul_guard.NulGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "articles.guards.request_size.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "phnews.urls"

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
                "articles.browse.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "phnews.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'phnews.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one SQLite file: wait for locks instead
    # of failing, and let readers run beside the writer.
    # BEGIN IMMEDIATE: a transaction takes the write lock when it starts, so
    # a second writer waits (up to the timeout) instead of failing with
    # "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
if not DEBUG:
    # Served (gunicorn + whitenoise): hashed, compressed files from
    # collectstatic, cacheable forever. Development and tests keep plain storage.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Search: haystack, Whoosh on local disk by default.
# Our engine extends haystack's Whoosh backend for Chinese (articles/search/).
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": os.environ.get("PHNEWS_SEARCH_ENGINE", "articles.search.engines.local.backend.ChineseWhooshEngine"),
        "PATH": str(PHNEWS_INDEX_DIR),
    }
}
# The background writer (`manage.py search_sync --loop`, started by bin/run)
# looks at the index queue this often, in seconds: an admin edit is
# searchable about this long after it is saved.
PHNEWS_SEARCH_SYNC_INTERVAL = float(os.environ.get("PHNEWS_SEARCH_SYNC_INTERVAL", "1"))
# Every search's budget (docs/operations.md, "Guards"): query length and
# terms, jieba words a fuzzy term may expand into, posting entries read and
# seconds spent; past them the reader is asked to simplify the query.
PHNEWS_SEARCH_MAX_QUERY_CHARS = env_int("PHNEWS_SEARCH_MAX_QUERY_CHARS", 100)
PHNEWS_SEARCH_MAX_TERMS = env_int("PHNEWS_SEARCH_MAX_TERMS", 10)
PHNEWS_SEARCH_MAX_FUZZY_WORDS = env_int("PHNEWS_SEARCH_MAX_FUZZY_WORDS", 12)
# 0: 20 postings per indexed article, at least 300,000 (articles/search/budget.py).
PHNEWS_SEARCH_MAX_POSTINGS = env_int("PHNEWS_SEARCH_MAX_POSTINGS", 0)
PHNEWS_SEARCH_TIME_LIMIT = float(os.environ.get("PHNEWS_SEARCH_TIME_LIMIT", "1"))
# Heavy searches (docs/operations.md, "Guards"): a query whose weight
# (distinct bigrams plus fuzzy words) passes PHNEWS_SEARCH_HEAVY_WEIGHT needs
# one of PHNEWS_SEARCH_HEAVY_SLOTS host-wide slots, else it is answered 503
# at once; by default one core is always left to ordinary pages. Admitted
# heavy searches run this much nicer (0: at the usual priority).
PHNEWS_SEARCH_HEAVY_WEIGHT = env_int("PHNEWS_SEARCH_HEAVY_WEIGHT", 20)
PHNEWS_SEARCH_HEAVY_SLOTS = env_int("PHNEWS_SEARCH_HEAVY_SLOTS", max(1, (os.cpu_count() or 1) - 1))
PHNEWS_SEARCH_HEAVY_NICE = env_int("PHNEWS_SEARCH_HEAVY_NICE", 10)
# /healthz answers 503 past these (docs/operations.md, "Guards"): queued
# index updates, the age in seconds of the oldest, and index documents
# missing or extra beyond what the queue explains.
PHNEWS_HEALTH_MAX_QUEUE = env_int("PHNEWS_HEALTH_MAX_QUEUE", 20000)
PHNEWS_HEALTH_MAX_QUEUE_AGE = env_int("PHNEWS_HEALTH_MAX_QUEUE_AGE", 300)
PHNEWS_HEALTH_MAX_INDEX_GAP = env_int("PHNEWS_HEALTH_MAX_INDEX_GAP", 10)
# The scale path (docs/scaling.md): PHNEWS_SEARCH_URL points haystack at an
# Elasticsearch cluster with Chinese analysis instead of the local directory.
_search_cluster = mapping.connection_from_env()
if _search_cluster:
    HAYSTACK_CONNECTIONS = {"default": _search_cluster}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PHNEWS_LOG_LEVEL", "INFO")},
}
