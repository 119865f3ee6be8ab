"""Django settings of the workspace, read from the environment (no project folder).

REINTEGRATE_DATA      the data folder (default: $XDG_DATA_HOME/reintegrate or
                      ~/.local/share/reintegrate): SQLite database and secret key.
DATABASE_URL          postgres://user:password@host:port/name for PostgreSQL instead.
REINTEGRATE_TLS       1 when users reach the workspace over https (cookies marked Secure).
REINTEGRATE_PROXY     1 behind a reverse proxy that terminates TLS and sets
                      X-Forwarded-Proto (the request is then known to be https).
REINTEGRATE_HOSTS     extra host names the workspace answers to (comma separated).
REINTEGRATE_DEBUG     1 for Django's debug pages (never in production).
"""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from engine.web.data_folder import DATABASE_FILE, data_folder, secret_key

DATA_FOLDER = data_folder()
SECRET_KEY = secret_key(DATA_FOLDER)
DEBUG = os.environ.get("REINTEGRATE_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]",
                 *filter(None, os.environ.get("REINTEGRATE_HOSTS", "").split(","))]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "engine.web.workspace",
    "engine.web.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # every worker serves the rules of the database's generation (admin changes, reloads)
    "engine.web.workspace.rulebook.FollowRules",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a save sent after the session ended is said to be unsaved, not dropped in silence
    "engine.web.pages.expired.SessionEnded",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a locked-out sign-in into the lockout response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "engine.web.urls"
WSGI_APPLICATION = "engine.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "engine.web.pages.offers.offers",
    ]},
}]


def _database() -> dict:
    """PostgreSQL from DATABASE_URL, else SQLite in the data folder: WAL (readers never wait
    for the writer, a killed writer leaves the last commit) and IMMEDIATE transactions (a
    save takes the write lock when it starts, so two saves queue instead of failing)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        try:
            return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError:  # neither the URL nor the parser's words: the URL may hold a password
            raise ImproperlyConfigured(
                "DATABASE_URL is not a database address. Set it to "
                "postgres://USER:PASSWORD@HOST:PORT/DATABASE, or unset it to use SQLite in "
                "the data folder.") from None
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_FOLDER / DATABASE_FILE,
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                    "transaction_mode": "IMMEDIATE", "timeout": 20},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "workspace.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "sign-in"

# Lockout: five failed sign-ins for one account from one address lock that pair for an
# hour (a wrong password typed twice does not lock anyone; guessing does).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # axes would log the user name of each attempt: personal data
AXES_LOCKOUT_TEMPLATE = "pages/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if os.environ.get("REINTEGRATE_PROXY") == "1" else 0

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = None  # whitenoise serves the package's own static files, no collectstatic step
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cookies: never readable by scripts, not sent on cross-site posts, and Secure when the
# workspace is reached over https (REINTEGRATE_TLS=1, or a proxy saying so).
TLS = os.environ.get("REINTEGRATE_TLS") == "1"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = TLS
SESSION_COOKIE_AGE = 8 * 3600  # a working day
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = TLS
CSRF_FAILURE_VIEW = "engine.web.pages.expired.form_expired"
if os.environ.get("REINTEGRATE_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logs hold no personal data: no request bodies, no user names, no case content. The
# request logger writes only the method, the path (ids, never names) and the status.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "engine.web": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
