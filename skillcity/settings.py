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
        if len(configured) < 32:
            raise SettingError("SKILLCITY_SECRET_KEY: must be at least 32 characters")
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
    "skillcity.core",
    "skillcity.accounts",
    "skillcity.registry",
    "skillcity.policy",
    "skillcity.alliances",
    "skillcity.certification",
    "skillcity.grants",
    "skillcity.training",
    "skillcity.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "skillcity.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (skillcity.accounts.throttle): this many failures within the window locks the
# username+address pair for the window.
LOGIN_MAX_FAILURES = env_int("SKILLCITY_LOGIN_MAX_FAILURES", 5, minimum=1)
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SKILLCITY_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SKILLCITY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Page size of registry lists; import size limit (rows) for one upload.
PAGE_SIZE = env_int("SKILLCITY_PAGE_SIZE", 25, minimum=5, maximum=500)
IMPORT_MAX_ROWS = env_int("SKILLCITY_IMPORT_MAX_ROWS", 50_000, minimum=1)

# Training alliances: a half-year report is due on the last day of the Nth month after the half year
# (D000 sets no date; 1 → 31 Jul / 31 Jan). Reminders go out this many days before the due date.
ALLIANCE_REPORT_DUE_MONTHS = env_int("SKILLCITY_ALLIANCE_REPORT_DUE_MONTHS", 1, minimum=0, maximum=12)
ALLIANCE_REMIND_DAYS = env_int("SKILLCITY_ALLIANCE_REMIND_DAYS", 14, minimum=0, maximum=366)

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
