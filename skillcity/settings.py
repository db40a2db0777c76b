"""SkillCity settings, read from environment variables through strict parsers (skillcity.core.env).

Every setting has a working default so `skillcity demo` runs with none set: SQLite in WAL mode in
./data, a secret key generated once and kept in the data folder, Chinese UI.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from skillcity.core.env import SettingError, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SKILLCITY_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"


def _secret_key() -> str:
    configured = env_str("SKILLCITY_SECRET_KEY", "")
    if configured:
        # Django's own deployment check (security.W009): at least 50 characters, at least 5 of
        # them different, and not one of its generated placeholders.
        if len(configured) < 50 or len(set(configured)) < 5 or configured.startswith("django-insecure-"):
            raise SettingError(
                "SKILLCITY_SECRET_KEY: must be at least 50 characters with at least 5 different ones "
                "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        return configured
    # A safe default for a single machine: generated once, kept beside the database.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SKILLCITY_DEBUG", False)
ALLOWED_HOSTS = env_list("SKILLCITY_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SKILLCITY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "csp",
    "skillcity.core",
    "skillcity.jobs",
    "skillcity.accounts",
    "skillcity.registry",
    "skillcity.policy",
    "skillcity.alliances",
    "skillcity.certification",
    "skillcity.grants",
    "skillcity.training",
    "skillcity.competitions",
    "skillcity.talents",
    "skillcity.platforms",
    "skillcity.schools",
    "skillcity.learning",
    "skillcity.employment",
    "skillcity.apprenticeship",
    "skillcity.matching",
    "skillcity.timeline",
    "skillcity.supervision",
    "skillcity.notifications",
    "skillcity.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skillcity.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "skillcity.web.middleware.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "skillcity.web.middleware.NullCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "skillcity.web.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "skillcity.urls"
WSGI_APPLICATION = "skillcity.wsgi.application"

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
                "django.template.context_processors.i18n",
                "skillcity.web.context_processors.navigation",
                "skillcity.web.context_processors.display_preferences",
            ],
        },
    },
]

# --- Database: PostgreSQL when a URL is given, otherwise embedded SQLite in WAL mode -------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("SKILLCITY_DB_CONN_MAX_AGE", 60, minimum=0)
        )
    except Exception as exc:  # dj_database_url raises several types for a malformed URL
        raise SettingError(f"DATABASE_URL: cannot parse ({exc})") from None
    if _db["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise SettingError(f"DATABASE_URL: unsupported database engine {_db['ENGINE']!r}")
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / env_str("SKILLCITY_SQLITE_NAME", "skillcity.sqlite3")),
        # Keep each server thread's connection: opening one runs the PRAGMAs below, and closing the
        # last one checkpoints the WAL — per request, that cost more than the request itself.
        "CONN_MAX_AGE": env_int("SKILLCITY_DB_CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": True,
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with writers queued on a lock file (see skillcity/core/sqlite_backend).
    _db["ENGINE"] = "skillcity.core.sqlite_backend"
    _db["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers never both read
        # the audit chain's head and fork it; WAL lets readers run beside the writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=30000;"
        ),
    }
    # Tests run on a private in-memory database (named here: with our own ENGINE path,
    # pytest-django would otherwise take it for a file database and name one per xdist worker).
    _db.setdefault("TEST", {}).setdefault("NAME", ":memory:")
DATABASES = {"default": _db}
# A thread per process copies SQLite's WAL back (skillcity/core/sqlite_backend); the demo build turns
# it off for the fresh file it builds alone.
SQLITE_CHECKPOINTER = env_bool("SKILLCITY_SQLITE_CHECKPOINTER", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (skillcity.accounts.services): this many failures within the window locks the
# (normalised) username from that address for the window; LOGIN_USERNAME_MAX_FAILURES failures
# from any addresses lock the username everywhere; LOGIN_ADDRESS_MAX_FAILURES failures for any names
# lock the address. The state is in the database, shared by every process.
LOGIN_MAX_FAILURES = env_int("SKILLCITY_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_USERNAME_MAX_FAILURES = env_int("SKILLCITY_LOGIN_USERNAME_MAX_FAILURES", 20, minimum=1)
LOGIN_ADDRESS_MAX_FAILURES = env_int("SKILLCITY_LOGIN_ADDRESS_MAX_FAILURES", 50, minimum=1)
LOGIN_LOCK_SECONDS = env_int("SKILLCITY_LOGIN_LOCK_SECONDS", 900, minimum=1)

# --- Language and time: Chinese by default, English available ------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- HTTPS and browser security (docs/operator-guide.md, "Production settings") ------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SKILLCITY_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SKILLCITY_SSL_REDIRECT", False)
# HSTS: 0 sends no header (the default: a browser that saw it cannot reach the site over plain
# HTTP until it expires, so it is turned on deliberately, once HTTPS works).
SECURE_HSTS_SECONDS = env_int("SKILLCITY_HSTS_SECONDS", 0, minimum=0, maximum=2 * 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SKILLCITY_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SKILLCITY_HSTS_PRELOAD", False)
# Behind a proxy that terminates TLS: the header it sets to "https" (e.g. X-Forwarded-Proto). Only
# set it when the proxy always sets or strips that header, or a client could claim HTTPS.
_proxy_ssl_header = env_str("SKILLCITY_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    if not _proxy_ssl_header.replace("-", "").isalnum():
        raise SettingError(f"SKILLCITY_PROXY_SSL_HEADER={_proxy_ssl_header!r}: expected a header name")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp, D-12): scripts, styles and everything else from the platform
# itself only; no inline script or style, no eval. Bootstrap's icons are data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SKILLCITY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Neither setting above caps a file: every upload is bounded by SKILLCITY_UPLOAD_MAX_MB through the first
# upload handler and skillcity.core.uploads, and an .xlsx by what it unpacks to, before it is read.
UPLOAD_MAX_MB = env_int("SKILLCITY_UPLOAD_MAX_MB", 20, minimum=1, maximum=1024)
XLSX_MAX_UNCOMPRESSED_MB = env_int("SKILLCITY_XLSX_MAX_UNCOMPRESSED_MB", 100, minimum=1, maximum=4096)
XLSX_MAX_SHARED_STRINGS_MB = env_int("SKILLCITY_XLSX_MAX_SHARED_STRINGS_MB", 30, minimum=1, maximum=4096)
XLSX_MAX_ROWS = env_int("SKILLCITY_XLSX_MAX_ROWS", 100_000, minimum=10, maximum=10_000_000)
FILE_UPLOAD_HANDLERS = [
    "skillcity.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Public objections to grants on notice (skillcity.grants.objections): per address within the window,
# anonymous ones per notice per day, and the largest request body accepted.
OBJECTION_MAX_PER_ADDRESS = env_int("SKILLCITY_OBJECTION_MAX_PER_ADDRESS", 5, minimum=1)
OBJECTION_WINDOW_SECONDS = env_int("SKILLCITY_OBJECTION_WINDOW_SECONDS", 3600, minimum=1)
OBJECTION_MAX_PER_NOTICE = env_int("SKILLCITY_OBJECTION_MAX_PER_NOTICE", 30, minimum=1)
OBJECTION_MAX_BODY_BYTES = env_int("SKILLCITY_OBJECTION_MAX_BODY_BYTES", 16 * 1024, minimum=1024)

# Page size of registry lists; import size limit (rows) for one upload.
PAGE_SIZE = env_int("SKILLCITY_PAGE_SIZE", 25, minimum=5, maximum=500)
IMPORT_MAX_ROWS = env_int("SKILLCITY_IMPORT_MAX_ROWS", 50_000, minimum=1)

# Training alliances: a half-year report is due on the last day of the Nth month after the half year
# (D000 sets no date; 1 → 31 Jul / 31 Jan). Reminders go out this many days before the due date.
ALLIANCE_REPORT_DUE_MONTHS = env_int("SKILLCITY_ALLIANCE_REPORT_DUE_MONTHS", 1, minimum=0, maximum=12)
ALLIANCE_REMIND_DAYS = env_int("SKILLCITY_ALLIANCE_REMIND_DAYS", 14, minimum=0, maximum=366)

# Training vouchers: a redemption can be taken back at the counter within this many minutes (0: never);
# a worker is told this many days before a voucher of theirs expires (skillcity.notifications).
REDEMPTION_UNDO_MINUTES = env_int("SKILLCITY_REDEMPTION_UNDO_MINUTES", 30, minimum=0, maximum=1440)
VOUCHER_EXPIRY_NOTICE_DAYS = env_int("SKILLCITY_VOUCHER_EXPIRY_NOTICE_DAYS", 14, minimum=1, maximum=366)
# The bureau is warned this many days before a policy document or a rule's last version expires.
POLICY_EXPIRY_WARNING_DAYS = env_int("SKILLCITY_POLICY_EXPIRY_WARNING_DAYS", 90, minimum=1, maximum=3660)
# Notifications also go out by SMS through this adapter (dotted path); the default records the messages
# in a table (the demo and the tests send nothing). See docs/notifications.md.
SMS_BACKEND = env_str("SKILLCITY_SMS_BACKEND", "skillcity.notifications.sms.SimulatedSmsSender")

LOG_LEVEL = env_choice("SKILLCITY_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Personal data never reaches a log line unmasked (PIPL): the filter masks ID numbers and phones.
    "filters": {"mask_personal_data": {"()": "skillcity.core.masking.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The audit chain (skillcity.core.audit; docs/operator-guide.md, "The audit log"). The key that the
# chain's HMACs are made with lives outside the database: from the environment, or a file in the
# data folder made on first use. The anchor — the signed chain heads — is a file the database
# cannot reach either; put it where only the platform's user may write (and copy it off-machine).
AUDIT_KEY = env_str("SKILLCITY_AUDIT_KEY", "")
if AUDIT_KEY and len(AUDIT_KEY) < 32:
    raise SettingError("SKILLCITY_AUDIT_KEY: must be at least 32 characters")
AUDIT_KEY_FILE = Path(env_str("SKILLCITY_AUDIT_KEY_FILE", str(DATA_DIR / "audit.key"))).resolve()
AUDIT_ANCHOR_FILE = Path(
    env_str("SKILLCITY_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchor.jsonl"))
).resolve()
# A write seals the chain when the last seal in its process is older than this (seconds; 0: only
# `skillcity audit seal`, the scheduler and `audit verify` seal).
AUDIT_SEAL_EVERY = env_int("SKILLCITY_AUDIT_SEAL_EVERY", 60, minimum=0, maximum=86_400)

# --- Background exports (docs/operator-guide.md) ---------------------------------------------------
# A registry export of more rows than this runs as a background job with a progress bar and a download
# link; smaller ones download at once.
EXPORT_BACKGROUND_ROWS = env_int("SKILLCITY_EXPORT_BACKGROUND_ROWS", 5000, minimum=0, maximum=10_000_000)

# The policy pack in use (docs/policy-engine.md §"Policy packs"): a pack name found in the shipped packs
# (skillcity/policy/packs/) or in one of POLICY_PACK_DIRS (folders holding other cities' packs, comma-separated).
POLICY_PACK = env_str("SKILLCITY_POLICY_PACK", "dongguan")
POLICY_PACK_DIRS = env_list("SKILLCITY_POLICY_PACK_DIRS", [])
