"""Settings read from the environment, healthchecks-style: plain and explicit.

AROBASE_VAR_DIR the data folder (default: ./var in the current directory)
DATABASE_URL    sqlite:///… (default: $AROBASE_VAR_DIR/arobase.sqlite3) or postgres://…
SECRET_KEY      required in production; a local key is kept in the data folder otherwise
DEBUG           "1" to enable Django's debug mode (never in production)
ALLOWED_HOSTS   comma-separated host names
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# The data folder (SQLite database, collected static files, local secret key): never
# derived from where the package is installed, so that every entry point (the
# `arobase` command, gunicorn, the tests) run from the same place uses the same one.
VAR_DIR = Path(os.environ.get("AROBASE_VAR_DIR") or Path.cwd() / "var").resolve()


def env_bool(name, default=False):
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key():
    """A per-checkout key in var/, so that `make run` needs no configuration."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "arobase.core",
    "arobase.territories",
    "arobase.labels",
    "arobase.public",
    "arobase.accounts",
    "arobase.referential",
    "arobase.journal",
    "arobase.actions",
    "arobase.dossiers",
    "arobase.evaluation",
    "arobase.backups",
    "arobase.opendata",
    "arobase.privacy",
    "arobase.demo",
    "rules",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "arobase.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "arobase.middleware.RejectNulBytesMiddleware",
    "arobase.middleware.HeadAsGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "arobase.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "arobase.middleware.UrlLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "arobase.core.page_cache.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "arobase.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "arobase.urls"
WSGI_APPLICATION = "arobase.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'arobase.sqlite3'}", conn_max_age=60,
        # A persistent connection is checked before reuse: after a database restart
        # the first request reconnects instead of failing.
        conn_health_checks=True,
    )
}
DATABASES["default"]["TEST"] = {"NAME": "test_arobase"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)  # SQLite makes the file, not its folder
    # A file, not memory: the browser tests' server thread opens its own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # Several workers write to one file: a transaction takes the write lock when it
    # begins, waiting for another worker's (up to 20 s). Deferred, one that read first
    # would fail at once with « database is locked » (SQLite never waits to upgrade).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["arobase.accounts.backends.ThrottledModelBackend"]
# Failed logins: an account is locked after this many failures within the window, an
# address after that many (whatever the accounts); the lock ends as failures age out.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("AROBASE_LOGIN_FAILURES_PER_ACCOUNT", 5))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("AROBASE_LOGIN_FAILURES_PER_ADDRESS", 20))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("AROBASE_LOGIN_THROTTLE_WINDOW", 15 * 60))  # seconds
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none, the
# client address is REMOTE_ADDR and X-Forwarded-For is ignored).
TRUSTED_PROXIES = int(os.environ.get("AROBASE_TRUSTED_PROXIES", 0))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security: on by default; HTTPS-only flags follow the deployment (see README).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Cache: per process by default; shared between workers and servers with CACHE_URL
# (redis://host:6379/0, needs the `redis` package of the prod extra).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
# Public pages and API answers are cached until the published data changes (see
# arobase/core/page_cache.py); browsers may keep them this long before revalidating.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 24 * 3600))
PUBLIC_BROWSER_CACHE_SECONDS = int(os.environ.get("PUBLIC_BROWSER_CACHE_SECONDS", 60))
# Content-Security-Policy violations are reported to the server's log in development.
CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "/csp-report" if DEBUG else "")

# The label's rules: settings so that the association can change them.
VILLAGE_THRESHOLD = int(os.environ.get("AROBASE_VILLAGE_THRESHOLD", 3500))
# The membership fee's rate and bounds are fields of each edition (admin › Éditions).
# Territoire d'excellence numérique: 5@ labels needed, the year's included.
TEN_MIN_FIVE_AROBASES = int(os.environ.get("AROBASE_TEN_MIN_FIVE_AROBASES", 6))

# The season: how reviews become a suggested level (arobase/evaluation/rules.py).
EVALUATORS_PER_DOSSIER = int(os.environ.get("AROBASE_EVALUATORS_PER_DOSSIER", 2))
AGGREGATION = os.environ.get("AROBASE_AGGREGATION", "mean")  # mean or median across evaluators
CALIBRATION_MIN_REVIEWS = int(os.environ.get("AROBASE_CALIBRATION_MIN_REVIEWS", 3))
CALIBRATION_SHRINKAGE = float(os.environ.get("AROBASE_CALIBRATION_SHRINKAGE", 5))
# Calibrated score (out of 100) from which 2, 3, 4 and 5 @ are suggested.
try:
    LEVEL_THRESHOLDS = tuple(float(x) for x in os.environ.get("AROBASE_LEVEL_THRESHOLDS", "20,40,60,80").split(","))
except ValueError:
    LEVEL_THRESHOLDS = ()  # refused below with the expected form
DISAGREEMENT_POINTS = float(os.environ.get("AROBASE_DISAGREEMENT_POINTS", 25))
if AGGREGATION not in ("mean", "median"):
    raise ImproperlyConfigured("AROBASE_AGGREGATION vaut « mean » ou « median ».")
if len(LEVEL_THRESHOLDS) != 4 or list(LEVEL_THRESHOLDS) != sorted(set(LEVEL_THRESHOLDS)):
    raise ImproperlyConfigured("AROBASE_LEVEL_THRESHOLDS : quatre notes croissantes, par exemple 20,40,60,80.")
# Atlaas: demo size, the map's tiles (none by default: outlines of régions and
# départements only, nothing fetched from a third party), "territories like me".
DEMO_ACTIONS = int(os.environ.get("AROBASE_DEMO_ACTIONS", 20_000))
ATLAAS_TILE_URL = os.environ.get("AROBASE_ATLAAS_TILE_URL", "")  # e.g. https://tile.example.org/{z}/{x}/{y}.png
ATLAAS_TILE_ATTRIBUTION = os.environ.get("AROBASE_ATLAAS_TILE_ATTRIBUTION", "")
PEER_POPULATION_RATIO = float(os.environ.get("AROBASE_PEER_POPULATION_RATIO", 2))  # peers: population within ×/÷ this
if PEER_POPULATION_RATIO < 1:
    raise ImproperlyConfigured("AROBASE_PEER_POPULATION_RATIO : un nombre au moins égal à 1, par exemple 2.")
OUTBOX_BATCH = int(os.environ.get("AROBASE_OUTBOX_BATCH", 50))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("AROBASE_OUTBOX_MAX_ATTEMPTS", 5))

# The association that issues invoices and receipts (shown on every PDF).
ASSOCIATION = {
    "name": os.environ.get("AROBASE_ASSOCIATION_NAME", "Association Arobase, label des territoires numériques"),
    "address": os.environ.get("AROBASE_ASSOCIATION_ADDRESS", "Adresse à configurer (AROBASE_ASSOCIATION_ADDRESS)"),
    "siret": os.environ.get("AROBASE_ASSOCIATION_SIRET", ""),
    "iban": os.environ.get("AROBASE_ASSOCIATION_IBAN", ""),
    "email": os.environ.get("AROBASE_ASSOCIATION_EMAIL", "contact@arobase.example"),
}

# E-mail: printed on the console in development (links in full); SMTP in production,
# configured from the environment (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a silent mail server is given up: a hung server never holds a worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 20))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Arobase <ne-pas-repondre@arobase.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:space"
LOGOUT_REDIRECT_URL = "public:home"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served as such: images go through a view that checks rights
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
