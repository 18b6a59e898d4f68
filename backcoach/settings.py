"""Settings for backcoach, read from the environment.

Every value that differs between installs comes from an environment variable through
the small typed helpers below. A value that cannot be understood stops the start with a
clear message instead of quietly falling back to a default. The README has the table.
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is neither true nor false (use 1/0, true/false, yes/no)"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_data_dir() -> Path:
    """The per-user data folder: XDG on Linux, the usual places on macOS and Windows."""
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / "backcoach"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "backcoach"
    root = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(root) / "backcoach"


def prepare_data_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"data folder {path} cannot be created: {exc.strerror}"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(f"data folder {path} is not writable by this user")
    return path


def load_or_create_secret_key(data_dir: Path) -> str:
    """Read the key kept in the data folder, creating it (mode 600) on first start.

    O_EXCL makes creation safe when several workers start at once: one writes it, the
    others read what it wrote.
    """
    key_file = data_dir / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = key_file.read_text().strip()
        if not key:
            raise ImproperlyConfigured(
                f"{key_file} is empty; delete it to make a new one"
            ) from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


DATA_DIR = prepare_data_dir(
    Path(env_str("BACKCOACH_DATA_DIR", "") or default_data_dir()).expanduser().resolve()
)
SECRET_KEY = env_str("SECRET_KEY", "") or load_or_create_secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS: on when backcoach is reached over TLS (directly or through a proxy).
HTTPS = env_bool("BACKCOACH_HTTPS", False)
BEHIND_PROXY = env_bool("BACKCOACH_BEHIND_PROXY", False)
# Behind a proxy: how many proxies add themselves to X-Forwarded-For (the client's address is
# that many entries from the right), and which addresses may send forwarded headers at all.
PROXY_HOPS = env_int("BACKCOACH_PROXY_HOPS", 1)
PROXY_ADDRESSES = env_list("BACKCOACH_PROXY_ADDRESSES", ["127.0.0.1", "::1"])
if not 1 <= PROXY_HOPS <= 5:
    raise ImproperlyConfigured("BACKCOACH_PROXY_HOPS must be a number from 1 to 5")

INSTALLED_APPS = [
    # Ours first, so that our registration/ templates win over the admin's.
    "backcoach",
    "backcoach.accounts",
    "backcoach.library",
    "backcoach.player",
    "backcoach.safety",
    "backcoach.reminders",
    "backcoach.diary",
    "backcoach.insights",
    "backcoach.experiments",
    "backcoach.portability",
    "backcoach.api",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
]

# Background work (rendering audio tracks, sending reminders) is queued in the database and
# run by the worker that `backcoach serve` starts beside the web server: nothing else to
# install or run. Several servers on one database each start one; a task is claimed once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "backcoach.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (the player page shrinks from 16 to ~5 kB); Django adds random
    # padding against BREACH, and CSRF tokens are masked per response. After WhiteNoise,
    # which serves static files already compressed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "backcoach.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view (and the CSRF check in it) reads a body; after the middleware that
    # the refusal page's layout needs.
    "backcoach.middleware.BodyLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "backcoach.accounts.middleware.PersonTimeZoneMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backcoach.urls"
WSGI_APPLICATION = "backcoach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "backcoach.safety.context_processors.safety_banner",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction, so two writers queue on the busy timeout instead of failing
    # half-way with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str) -> dict:
    scheme = urlsplit(url).scheme
    if not scheme:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is malformed: expected sqlite:///path or postgres://user@host/name"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} is malformed: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            # Each worker process would have its own empty database.
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} is an in-memory database; name a file: sqlite:///path"
            )
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif engine.endswith("postgresql"):
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database")
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: only SQLite and PostgreSQL are supported"
        )
    return config


DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'backcoach.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# The largest body backcoach reads: a data import (BodyLimitMiddleware refuses longer ones).
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
# The longest request line (method, path and query) `backcoach serve` reads: gunicorn's own
# default, set by name so that the API's schema can say it.
REQUEST_LINE_MAX_BYTES = 4094

# Login throttling, kept in the database so that every worker process sees it: after 5
# failed attempts for one e-mail from one address, that pair waits 15 minutes; and after
# ACCOUNT_FAILURE_LIMIT failures for one account from anywhere, each further attempt waits
# a delay that doubles up to 15 minutes, lifted by a successful log-in or a password reset
# (backcoach.accounts.throttling).
AXES_FAILURE_LIMIT = env_int("BACKCOACH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # we keep no history of who logged in from where
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The login form's field is called "username" but holds the e-mail address; one address
# counts as one account whatever its case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "backcoach.accounts.throttling.login_identifier"
AXES_CLIENT_IP_CALLABLE = "backcoach.accounts.throttling.client_address"
ACCOUNT_FAILURE_LIMIT = env_int("BACKCOACH_ACCOUNT_FAILURE_LIMIT", 10)
# Password-reset e-mails to one address in an hour; more requests are answered alike, unsent.
PASSWORD_RESET_EMAILS_PER_HOUR = 3

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "backcoach.views.csrf_failure"

# Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# HSTS preload is a commitment for the whole domain that a self-hoster must make
# knowingly, so it is off and its check is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The one place where the Content-Security-Policy is written. Django 6 has this built in
# (SECURE_CSP); moving there means translating this dict and nothing else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# E-mail: printed to the console unless an SMTP server is named.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
    EMAIL_TIMEOUT = 15
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "backcoach <backcoach@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Bedtime notifications (Web Push). The VAPID key pair that signs them is made into the
# data folder on first use; servers sharing one database must share one file, as they
# share SECRET_KEY, because browsers subscribe to one public key. Push services may write
# to the contact (a mailto: or https: address) about this server's pushes.
VAPID_PRIVATE_KEY_FILE = Path(
    env_str("BACKCOACH_VAPID_KEY_FILE", "") or DATA_DIR / "vapid_private_key.pem"
).expanduser()
PUSH_CONTACT = env_str("BACKCOACH_PUSH_CONTACT", "") or "mailto:" + (
    DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()
)
if not (
    PUSH_CONTACT.startswith("https://")
    or (PUSH_CONTACT.startswith("mailto:") and "@" in PUSH_CONTACT)
):
    raise ImproperlyConfigured(
        f"BACKCOACH_PUSH_CONTACT={PUSH_CONTACT!r} must be a mailto: or https: address "
        f"(it is made from DEFAULT_FROM_EMAIL when not set)"
    )

# Time and language ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "backcoach.storage.StaticStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "WARNING"}},
}
