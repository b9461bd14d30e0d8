"""All of fucai's settings, read from environment variables (see README, "Configuration")."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from fucai.env import (
    env_attachment_storage,
    env_bool,
    env_choice,
    env_database,
    env_dir,
    env_field_keys,
    env_float,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_secret_key,
    env_text,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_dir("FUCAI_DATA_DIR", Path.cwd() / "var")

DEBUG = env_bool("FUCAI_DEBUG", default=False)
SECRET_KEY = env_secret_key("FUCAI_SECRET_KEY", DATA_DIR / "secret_key")
# Personal data at rest (fucai.core.personal): first key encrypts, all decrypt.
FIELD_KEYS = env_field_keys("FUCAI_FIELD_KEY", DATA_DIR / "field_key")
ALLOWED_HOSTS = env_list("FUCAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "ninja",  # serves the OpenAPI docs' Swagger UI from its own static files, not a CDN
    "django_q",  # background worker for long jobs started from the web (`fucai qcluster`)
    "fucai.core",
    "fucai.accounts",
    "fucai.geo",
    "fucai.network",
    "fucai.sales",
    "fucai.planning",
    "fucai.party",
    "fucai.welfare",
    "fucai.evaluation",
    "fucai.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fucai.core.middleware.ChineseFirstLocaleMiddleware",  # zh-hans unless the user switched
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fucai.core.middleware.NulRefusedMiddleware",  # before any view: PostgreSQL holds no NUL
    "fucai.core.middleware.BodyTooLargeMiddleware",  # an oversized upload refused unread
    "fucai.core.middleware.CurrentUserMiddleware",
    "fucai.core.middleware.ContentSecurityPolicyMiddleware",
    "fucai.core.middleware.NoStoreMiddleware",
    "fucai.accounts.middleware.PasswordChangeRequiredMiddleware",
]

# Security. FUCAI_HTTPS=true when users reach fucai over TLS, directly or through a TLS-terminating
# proxy (which then names the header it sets in FUCAI_PROXY_SSL_HEADER): cookies travel only over
# TLS, plain HTTP is redirected, and browsers are told to keep to HTTPS (HSTS). Off by default: the
# demo is served over plain HTTP on 127.0.0.1.
HTTPS = env_bool("FUCAI_HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("FUCAI_PROXY_SSL_HEADER")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("FUCAI_HSTS_SECONDS", default=31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a promise made to the browsers' lists for a public domain; an intranet host cannot
# be preloaded, so the directive is not sent and Django's reminder of it is silenced.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Sent with every response by fucai.core.middleware.ContentSecurityPolicyMiddleware. No inline
# script anywhere (page data travels in json_script blocks); styles may be inline because ECharts
# writes style attributes into its tooltips' HTML and htmx adds a <style> for its indicators.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

ROOT_URLCONF = "fucai.urls"
WSGI_APPLICATION = "fucai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fucai.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", DATA_DIR / "fucai.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]

# Login throttling (fucai.accounts.throttle): after this many failed logins in a row for one user
# name (existing or not) the name is locked for the lockout; a client address, after the larger
# per-address count (an office behind one NAT address shares it).
LOGIN_MAX_FAILURES = env_int("FUCAI_LOGIN_MAX_FAILURES", default=5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int(
    "FUCAI_LOGIN_MAX_FAILURES_PER_ADDRESS", default=50, minimum=1
)
LOGIN_LOCKOUT_MINUTES = env_int("FUCAI_LOGIN_LOCKOUT_MINUTES", default=15, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The language of fucai's commands' output (tables, messages); `--lang` overrides it per call.
# Unset: the active language (LANGUAGE_CODE in a fresh process).
COMMAND_LANGUAGE = env_choice("FUCAI_LANGUAGE", tuple(code for code, _n in LANGUAGES), default="")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = env_dir("FUCAI_STATIC_ROOT", DATA_DIR / "static")
# Every asset (ECharts, htmx, CSS, fonts) ships inside the package and is served by the app itself:
# lottery centres run on intranets without a CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Long jobs started from the web (sales imports) run in django-q2's worker, `fucai qcluster`, with
# the database as broker. FUCAI_TASKS_SYNC=true runs them inline in the web request instead (tests).
TASKS_SYNC = env_bool("FUCAI_TASKS_SYNC", default=False)
TASK_TIMEOUT = 4 * 3600  # seconds; an import of a national-scale file stays well within it
Q_CLUSTER = {
    "name": "fucai",
    "orm": "default",
    "workers": env_int("FUCAI_WORKERS", default=2, minimum=1),
    "timeout": TASK_TIMEOUT,
    "retry": TASK_TIMEOUT + 600,  # never hand a running import to a second worker
    "max_attempts": 1,  # an import is not retried behind the user's back
    "ack_failures": True,
    "catch_up": False,
    "sync": TASKS_SYNC,
    # a siting scenario's MIP runs in a child process of the worker (fucai.planning.siting:
    # HiGHS does not always stop at its time limit); daemonic workers may not have children
    "daemonize_workers": False,
}

# Uploaded sales files are kept for this many days after their import finished (its records keep
# the file's name and SHA-256 for good); `fucai sales gc` removes older ones.
UPLOAD_RETENTION_DAYS = env_int("FUCAI_UPLOAD_RETENTION_DAYS", default=90, minimum=1)
# The largest file a page accepts (sales files, station files), in MB; larger ones are refused with
# a message naming the limit. Django keeps form fields in memory up to 2.5 MB and streams larger
# uploaded files to a temporary file (removed when the request ends), never into memory.
UPLOAD_MAX_MB = env_int("FUCAI_UPLOAD_MAX_MB", default=200, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the request body apart from files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file
# Attachments (fucai.core.attachments: photos of field visits and onboarding tasks, PDFs): kept
# under FUCAI_DATA_DIR/attachments or in an S3-compatible bucket (FUCAI_ATTACHMENT_STORAGE=s3), at
# most ATTACHMENT_MAX_MB each; photos are re-encoded with their long side at most
# ATTACHMENT_IMAGE_PX.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": env_attachment_storage("FUCAI_ATTACHMENT_STORAGE"),
}
ATTACHMENT_MAX_MB = env_int("FUCAI_ATTACHMENT_MAX_MB", default=10, minimum=1, maximum=200)
ATTACHMENT_IMAGE_PX = env_int("FUCAI_ATTACHMENT_IMAGE_PX", default=1600, minimum=320, maximum=8000)
NINJA_PAGINATION_CLASS = "fucai.core.api.paging.Paged"  # pages past the end are empty

# Analytics (fucai.analytics.backends): the engine the runners compute on, how often a web process
# looks for a new store version, and how many runner results it keeps; Spark only with pyspark.
ANALYTICS_BACKEND = env_choice("FUCAI_ANALYTICS_BACKEND", ("duckdb", "pyspark"), default="duckdb")
ANALYTICS_RECHECK_SECONDS = env_float("FUCAI_ANALYTICS_RECHECK_SECONDS", default=2.0, minimum=0)
ANALYTICS_CACHE_SIZE = env_int("FUCAI_ANALYTICS_CACHE_SIZE", default=512, minimum=0)
# a record high compared with fewer earlier years than this says "2021年以来新高", not 历史新高
RECORD_HIGH_MIN_YEARS = env_int("FUCAI_RECORD_HIGH_MIN_YEARS", default=5, minimum=1)

# Sales alerts (fucai.sales.activity): a station open on the day with no sales for this many selling
# days, or whose last four weeks fell by more than this percentage against the same weeks a year
# earlier (52 weeks back), is listed on the network overview.
ALERT_NO_SALES_DAYS = env_int("FUCAI_ALERT_NO_SALES_DAYS", default=7, minimum=1, maximum=366)
ALERT_DROP_PCT = env_float("FUCAI_ALERT_DROP_PCT", default=30.0, minimum=0, maximum=100)
SPARK_MASTER = env_text("FUCAI_SPARK_MASTER", default="local[2]")
SPARK_SHUFFLE_PARTITIONS = env_int("FUCAI_SPARK_SHUFFLE_PARTITIONS", default=4, minimum=1)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# A refused request (403, 404, 400) is logged on one line with its reason, without a traceback:
# on django.request (so every handler gets the short record) and on the console handler (which
# also prints django.security.*'s records). Server errors keep their traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "fucai.core.errors.ClientErrorsOnOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}
    },
    "loggers": {"django.request": {"filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The page a failed CSRF check shows ("this page has expired"), in the app's shell.
CSRF_FAILURE_VIEW = "fucai.core.errors.csrf_failure"

# Field visits (fucai.network.visits): a visit recorded farther than this from its station (the
# phone's position against the station's) is flagged as far, never refused.
VISIT_FAR_METRES = env_int("FUCAI_VISIT_FAR_METRES", default=500, minimum=1, maximum=100_000)

# Network planning (fucai.planning, docs/planning.md): a station covers the demand within these
# radii of it, by the demand cell's area type; the census model puts this share of each county's
# population around its seat (Jiangxi's 2020 urbanisation rate), decaying with this scale.
PLANNING_RADIUS_URBAN_M = env_int("FUCAI_PLANNING_RADIUS_URBAN_M", 500, minimum=50, maximum=50_000)
PLANNING_RADIUS_TOWN_M = env_int("FUCAI_PLANNING_RADIUS_TOWN_M", 1000, minimum=50, maximum=50_000)
PLANNING_RADIUS_RURAL_M = env_int("FUCAI_PLANNING_RADIUS_RURAL_M", 2000, minimum=50, maximum=50_000)
PLANNING_URBAN_SHARE = env_float("FUCAI_PLANNING_URBAN_SHARE", 0.6044, minimum=0.0, maximum=1.0)
PLANNING_DECAY_KM = env_float("FUCAI_PLANNING_DECAY_KM", 1.5, minimum=0.1, maximum=50.0)
