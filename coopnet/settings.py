"""Settings for the CoopNet portal.

Every value comes from an environment variable (see `.env.example` and the README), with safe
defaults for development. With DJANGO_DEBUG off, start-up refuses to go on without a real
secret key.
"""

import os
from pathlib import Path

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


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development (see README.md)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django
    "coopnet.apps.StaffAdminConfig",  # django.contrib.admin, with a scoped site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Content: themes as tags, list filters
    "taggit",
    "django_filters",
    # Publishing: rich-text editor, versions, image renditions
    "django_prose_editor",
    "simple_history",
    "easy_thumbnails",
    # Security: login protection, a second factor for staff, Content-Security-Policy
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Open data: the API and its schema, with Swagger UI and Redoc served by the project
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Member accounts (django-allauth): sign-in by email, verification, password reset
    "allauth",
    "allauth.account",
    # Background tasks (email): django-tasks, with its database backend's queue table
    "django_tasks",
    "django_tasks_db",
    # The portal
    "principles",
    "casestudies",
]

# Order matters: the security headers sit outside the page cache, so a page served from the
# cache still gets fresh headers (and a fresh CSP nonce); axes goes last, as its documentation
# asks.
MIDDLEWARE = [
    # Transport and static files
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Faults and headers
    "coopnet.ops.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "coopnet.ops.middleware.ConditionalGetMiddleware",
    "coopnet.ops.middleware.NulCharacterMiddleware",
    # Caching (casestudies/caching) and the database each request reads
    "casestudies.caching.middleware.AnonymousPageCacheMiddleware",
    "coopnet.ops.middleware.PrimaryDatabaseMiddleware",
    # Django's request handling
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A staff write commits with a new content version (casestudies/caching)
    "casestudies.caching.middleware.StaffWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on every version, whichever code path saves
    "simple_history.middleware.HistoryRequestMiddleware",
    # Member accounts: gives allauth the request (its adapter and rate limits need it)
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coopnet.urls"

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
                "csp.context_processors.nonce",
            ],
        },
    },
    {
        # The list's hot fragments, the case study card and the filter form, in Jinja2
        # (casestudies/discovery/jinja.py says why); templates/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "fragments",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "casestudies.discovery.jinja.environment"},
    },
]

WSGI_APPLICATION = "coopnet.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Co-operative Councils' Innovation Network case studies"
# The site's address, for links in email sent outside a request (alert digests): its scheme and
# host, no trailing slash. Defaults to https:// and the first of DJANGO_ALLOWED_HOSTS.
SITE_URL = os.environ.get("DJANGO_SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)
CASE_STUDIES_PER_PAGE = 20
# A PDF pack (/case-studies/pack.pdf) of a longer list is refused with a message. WeasyPrint
# lays out some 0.2 s a case study (measured: 10 long ones in 12 s on a machine six times
# oversubscribed), so 50 stays well inside GUNICORN_TIMEOUT; packs are then kept per content
# version (casestudies/opendata/packs.py).
PACK_MAX_CASE_STUDIES = int(os.environ.get("PACK_MAX_CASE_STUDIES", "50"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Publishing: previews, lead images.
PREVIEW_LOGIN_URL = "admin:login"
LEAD_IMAGE_MAX_BYTES = 5 * 1024 * 1024
LEAD_IMAGE_MIN_WIDTH = 600
LEAD_IMAGE_MAX_PIXELS = 6000 * 6000
# Lead image renditions: widths that fit the case study page's column, for srcset.
THUMBNAIL_ALIASES = {
    "casestudies.CaseStudy.lead_image": {
        f"w{width}": {"size": (width, 0), "upscale": False, "quality": 82}
        for width in (480, 800, 1200)
    }
}
THUMBNAIL_PRESERVE_EXTENSIONS = ("png", "webp")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Security headers, login protection, caching, health and faults. Everything below reads the
# environment; README.md and .env.example list the variables and docs/deploy.md explains them.
# Defaults are the safe production ones when DJANGO_DEBUG is off.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

# A database failure outside a view (e.g. loading a session) also gets the friendly 503 page.
# (handler500 in coopnet/urls.py.)

# HTTPS and security headers. Behind a TLS-terminating proxy set DJANGO_BEHIND_PROXY=1 (trust
# X-Forwarded-Proto) and, if the proxy already redirects HTTP to HTTPS,
# DJANGO_SECURE_SSL_REDIRECT=0.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 60 * 60))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not SECURE_SSL_REDIRECT and not DEBUG:
    # Turned off on purpose (the proxy redirects to HTTPS): not a deployment mistake.
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Cookies: HttpOnly and SameSite everywhere; Secure with DJANGO_SECURE_COOKIES (above).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after DJANGO_SESSION_COOKIE_AGE seconds (8 hours by default) and, unless
# DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE=0, when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one address, that pair is locked out for AXES_COOLOFF_HOURS, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Members sign in by email address (django-allauth); axes, first, counts their failures
    # too, by address (AXES_USERNAME_CALLABLE).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# The staff sign-in posts a username, the members' one (allauth) an email address as "login":
# axes locks out either, per address and client address.
AXES_USERNAME_CALLABLE = "coopnet.logins.axes_username"
# A lockout ends AXES_COOLOFF_HOURS after it began, however many attempts follow; and a sign-in
# with a valid second-factor code is never locked out (coopnet/twofactor.py), so someone
# guessing passwords from a shared address cannot keep a publisher out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_WHITELIST_CALLABLE = "coopnet.twofactor.valid_second_factor"

# A second factor (TOTP, with recovery codes) for publishers and superusers: on in production,
# off for development unless DJANGO_STAFF_TWO_FACTOR=1.
STAFF_TWO_FACTOR = env_bool("DJANGO_STAFF_TWO_FACTOR", default=not DEBUG)
STAFF_TWO_FACTOR_PERMISSIONS = ["casestudies.publish_casestudy"]
OTP_TOTP_ISSUER = "CoopNet"
if env_bool("DJANGO_BEHIND_PROXY"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Cache: Redis when REDIS_URL is set (errors are logged and ignored, so the site keeps serving
# uncached), process memory otherwise (one process only: with several workers set REDIS_URL).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coopnet",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an ignored Redis error is still logged
# Rendered pieces of list pages (casestudies/caching/fragments.py) are kept in each
# process's own memory: their keys hold the content version, so they never go stale, and reading
# them costs no trip to Redis. At most this many of each (a card is about 1.5 KB, a filter form
# about 40 KB at 10,000 case studies: some 15 MB and 20 MB a process at most).
CACHES.update(
    {
        name: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": name,
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
        for name, entries in (("cards", 10_000), ("filterforms", 500))
    }
)
# Anonymous GET pages are cached for at most PAGE_CACHE_SECONDS (0 turns the page cache off),
# and never past the next scheduled publication; any content change empties it at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Each process reads the content version (kept in the database) at most this often: a change
# shows on every page within this many seconds.
CONTENT_VERSION_SECONDS = float(os.environ.get("CONTENT_VERSION_SECONDS", "1"))
# Where the page cache learns the next scheduled publication (a dotted path, so that the cache
# imports nothing above it).
PAGE_CACHE_NEXT_PUBLICATION = "casestudies.discovery.facets.next_publication"
# The in-memory facet index (casestudies/discovery/facets.py) is rebuilt on any content change,
# and at the latest after this many seconds, for changes made behind the application's back.
FACET_INDEX_SECONDS = int(os.environ.get("FACET_INDEX_SECONDS", "300"))
# The facet index is shared between processes through the default cache, and built ahead of
# readers by the process that commits a content change (casestudies/discovery/facets.py).
FACET_INDEX_SHARED = env_bool("FACET_INDEX_SHARED", True)
FACET_INDEX_PREBUILD = env_bool("FACET_INDEX_PREBUILD", True)
# The nice value of the thread that builds it ahead (Linux; 0 leaves it as the worker's), so
# that readers in the other workers go first while it takes a core.
FACET_INDEX_PREBUILD_NICE = int(os.environ.get("FACET_INDEX_PREBUILD_NICE", "10"))
# While another process builds a new content version's facet index, how long readers may go on
# with the one they have (its answers lag by that change; pages drawn from it are not cached).
FACET_INDEX_STAND_IN_SECONDS = int(os.environ.get("FACET_INDEX_STAND_IN_SECONDS", "10"))
PAGE_CACHE_EXCLUDE_PREFIXES = ["/admin/", "/healthz", "/readyz", "/accounts/"]
# Conditional GET (ETag, Last-Modified, 304 Not Modified) on these path prefixes.
CONDITIONAL_GET_PREFIXES = ["/feeds/", "/api/", "/sitemap.xml"]

# Read replica: DATABASE_REPLICA_URL adds a "replica" alias; reads go there, writes (and every
# query of a request that writes, and the admin) to "default". See coopnet/db_routers.py.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["coopnet.db_routers.PrimaryReplicaRouter"]
# Staff pages: they always read the primary, and a signed-in user's write there empties the page
# cache even when it saves without signals (queryset.update). Add the prefix of any other
# editing pages.
PRIMARY_DATABASE_PREFIXES = ["/admin/"]
# The databases /readyz reports (the primary and the cache decide whether it is ready).
READYZ_DATABASES = list(DATABASES)
# A read replica that fails is skipped for this many seconds: reads go to the primary.
REPLICA_RETRY_SECONDS = int(os.environ.get("REPLICA_RETRY_SECONDS", "30"))

# Media on S3-compatible object storage (pip install -e '.[s3]'): set AWS_STORAGE_BUCKET_NAME;
# django-storages reads AWS_S3_REGION_NAME, AWS_S3_ENDPOINT_URL and credentials from the env.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
# Open data: a read-only API with its OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CoopNet case studies API",
    "DESCRIPTION": (
        "Read-only open data: the published case studies of the Co-operative Councils' "
        "Innovation Network, the co-operative principles and the organisations involved."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Email (issue 14): the console under `make run` (DJANGO_DEBUG on), SMTP in production, both
# set by DJANGO_EMAIL_BACKEND if needed. Mail is sent by background tasks (TASKS below), never
# in the request; casestudies/notifications/email.py is the one way the portal sends mail.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CoopNet <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Background tasks (django-tasks, the backport of Django 6's django.tasks). In production the
# database backend: a task is a row written in the request's own transaction, and
# `manage.py db_worker` (docs/deploy.md) runs it. Under `make run` and in the tests the
# immediate backend runs a task as soon as it is enqueued, so no worker is needed.
# DJANGO_TASKS_BACKEND=immediate|database chooses explicitly.
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASKS_BACKEND == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}

# Member accounts (django-allauth, issue 14). Members sign in with their email address, which
# they must verify first; they are never staff. Who may sign up (the member organisations'
# email domains, or a publisher's invitation) is decided by the adapter,
# casestudies/members/adapter.py, which also sends allauth's email through send_email().
ACCOUNT_ADAPTER = "casestudies.members.adapter.MemberAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link in an email confirms only with a POST
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False  # members' sessions end like staff ones (SESSION_COOKIE_AGE)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CoopNet] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's own rate limits (in the cache) stay on: 5 failed sign-ins per address in 5 minutes,
# 10 a minute per client address; axes then locks a (address, client) pair for
# AXES_COOLOFF_HOURS after AXES_FAILURE_LIMIT failures.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:account"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# How long a publisher's invitation to sign up stays valid.
MEMBER_INVITATION_DAYS = int(os.environ.get("MEMBER_INVITATION_DAYS", "14"))
# "Ask about this work": messages a member may send, and a contact may receive, in 24 hours
# (counted from the message log, casestudies/members/ask.py).
ASK_MESSAGES_PER_MEMBER = int(os.environ.get("ASK_MESSAGES_PER_MEMBER", "5"))
ASK_MESSAGES_PER_CONTACT = int(os.environ.get("ASK_MESSAGES_PER_CONTACT", "10"))
