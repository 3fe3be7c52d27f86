"""Settings for every environment, read from the environment in this one place.

With no environment at all the service runs as a self-contained demo: SQLite in
the project folder, Celery tasks executed in-process, e-mail on the console,
DEBUG on. Deployments set DATABASE_URL, CELERY_BROKER_URL and REDIS_URL and use
config.settings.production. A malformed value stops start-up with a message
naming the variable instead of being silently read as a default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean flag; anything but a recognised spelling is a start-up error.

    django-environ reads an unknown spelling ("ture") as False, which would
    quietly turn a production safety flag off.
    """
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


DEBUG = env_bool("DEBUG", True)
# The development key is only ever used without DEBUG off in production settings,
# which refuse to start without a real SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files
    "drf_standardized_errors",
    "accounts.apps.AxesConfig",  # django-axes, with a translated name
    "csp",
    "simple_history",
    "accounts",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses a body over the cap (413) and NUL characters in the query string (400)
    # before any other middleware or view reads the request.
    "config.middleware.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language picks the language of API errors and of pages without a prefix.
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in person accepts a newly published privacy notice before going on.
    "accounts.privacy_middleware.ConsentRequiredMiddleware",
    # Records who made each change kept in the history of companies, needs, etc.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers sign-in attempts on a locked account or address (last, as axes asks).
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matching.context_processors.navigation",
                "matching.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Each web and worker process keeps its connection for a minute: opening one costs
# PostgreSQL a backend process and the request several milliseconds (bench/load.py).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
# A persistent connection is checked before each request reuses it, so a
# database restart costs the requests in flight, not the ones after it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database fails a request in seconds rather than holding the
    # web process until the operating system gives up on the connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once (runserver's threads, a
    # double click): write-ahead logging lets readers go on beside the writer, and
    # a transaction takes the write lock when it begins (IMMEDIATE), so a second
    # writer waits up to `timeout` seconds instead of failing with "database is
    # locked" when its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The cache holds only what can be lost (throttle counters): with Redis down
    # or frozen it answers from process memory after one short timeout
    # (config/cache.py) instead of failing or stalling every request.
    CACHES = {"default": {"BACKEND": "config.cache.FailoverRedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long an anonymous visitor's home page, needs list and API needs list may be
# served from the cache (matching/public_cache.py; writes invalidate them at once).
# Off without Redis: each process's own memory would not see another's writes.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60 if REDIS_URL else 0)

# --- Users ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "matching:dashboard"
LOGOUT_REDIRECT_URL = "matching:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Who may take part in which programme (matching/eligibility.py) ----------
# A researcher qualifies by any one listed title or degree; a programme not
# named here (揭榜挂帅) is open to every verified researcher. 科技副总: a senior
# title (副高 or above) or a doctorate; 博士入企: a doctorate or a doctoral candidate.
PROGRAMME_ELIGIBILITY = {
    "tech_vp": {"titles": ["professor", "associate_professor", "research_fellow"],
                "degrees": ["doctorate"]},
    "phd": {"titles": ["phd"], "degrees": ["doctorate"]},
}

# --- Language: Chinese first, English on request ----------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Request bodies ------------------------------------------------------------
# A body announced larger than this is refused (413) before it is read: the largest
# honest request is an outcome with 10 MB of evidence plus its form fields.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_MB", 11) * 1024 * 1024
# Bodies without files (JSON, forms) larger than this are refused (413 on the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB, stated
# Uploaded files above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# No request of the API nests JSON deeper than a list in an object.
API_JSON_MAX_DEPTH = 20

# --- E-mail -----------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:password@smtp.example.com:587; the demo
# prints every message on the console instead.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="钱塘人才对接平台 <noreply@qiantang.local>")

# --- Who runs the site ----------------------------------------------------------
# Shown in the footer of every page and used to sign e-mails ("the … team")
# instead of the host name a request happened to use. ICP_FILING is the 备案号
# the operator obtains before the site is served in mainland China.
SITE_NAME = env.str("SITE_NAME", default="钱塘新区人才企业对接平台")
# The address e-mails link to (a notification's page), without a trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_OPERATOR = env.str("SITE_OPERATOR", default="杭州钱塘区经济信息化和科学技术局")
SITE_CONTACT = env.str("SITE_CONTACT", default="0571-00000000 · service@qiantang.local")
ICP_FILING = env.str("ICP_FILING", default="浙ICP备00000000号")

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker the demo runs every task in-process, right after the commit
# that enqueued it, so a person trying the service needs no Redis or worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Reliability: a task is acknowledged only once it has finished, and re-queued
# when its worker dies, so a killed worker loses no job; tasks are therefore
# written to be replay-safe. Prefetch 1 keeps a long job from holding others.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Redis re-delivers a message nobody acknowledged after the visibility timeout:
# that is how the work of a worker whose main process was killed comes back
# (a killed child's work is re-queued at once). Five minutes bounds that delay
# for the short tasks; a long job (rebuild, cohort solve) still running when its
# message comes back is recognised by its run's live heartbeat and not started
# twice (matching/services/runs.py), so the timeout need not outlast it.
# Short socket timeouts: a dead or frozen broker costs a request a second or
# two once, not a hang (and the outbox keeps what it could not send).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 5 * 60),
    "unacked_restore_interval": 30,  # look for such messages every 30 s
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 1,
    "socket_timeout": 3,  # above the worker's 1 s BRPOP wait
    "socket_keepalive": True,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The worker and beat wait out a broker outage of any length instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A publish retries once at once (a pooled connection gone stale across a Redis
# restart), then gives up: the outbox row stays pending for the relay.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.5, "interval_max": 0.5}
# Long jobs write a heartbeat on their run every RUN_STALE_SECONDS / 4; a run
# silent for RUN_STALE_SECONDS is taken as abandoned and queued again.
RUN_STALE_SECONDS = env_int("RUN_STALE_SECONDS", 120)
# A full rebuild is scored in chunks of this many needs, one Celery task each,
# spread over every worker (0: the whole rebuild in one task). What the chunks
# share is written once per run under MATCH_REBUILD_DIR: on several machines,
# a directory every worker mounts (see README, "Deployment sizing").
MATCH_REBUILD_CHUNK_NEEDS = env_int("MATCH_REBUILD_CHUNK_NEEDS", 480)
MATCH_REBUILD_DIR = Path(env.str("MATCH_REBUILD_DIR", default=str(BASE_DIR / "var" / "rebuilds")))
# How often beat sends what the outbox holds and looks for abandoned runs.
RECOVERY_SECONDS = env_int("RECOVERY_SECONDS", 60)
# No task's caller reads its return value: results are stored in the database
# rows the tasks write, not in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Sends the tasks whose first send failed (broker down) once it answers.
    "outbox-relay": {
        "task": "matching.tasks.outbox_relay",
        "schedule": timedelta(seconds=RECOVERY_SECONDS),
        "options": {"expires": RECOVERY_SECONDS},  # ticks missed in an outage: one will do
    },
    # Queues again the rebuilds and cohort runs whose worker died.
    "recover-runs": {
        "task": "matching.tasks.runs_recover",
        "schedule": timedelta(seconds=RECOVERY_SECONDS),
        "options": {"expires": RECOVERY_SECONDS},  # ticks missed in an outage: one will do
    },
    "expire-overdue-challenges": {
        "task": "matching.tasks.challenges_expire_overdue",
        "schedule": timedelta(hours=1),
    },
    # The full rebuild runs at night, when nobody waits for a worker.
    "statistics-snapshot": {
        "task": "matching.tasks.stats_snapshot",
        "schedule": crontab(hour=1, minute=0),
    },
    "reminders": {
        "task": "matching.tasks.reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Service-day reminders and shortfalls, and the evaluations falling due (issue 16).
    "service-notices": {
        "task": "matching.tasks.service_notices",
        "schedule": crontab(hour=8, minute=15),
    },
    "evaluations-open": {
        "task": "matching.tasks.evaluations_open",
        "schedule": crontab(hour=1, minute=30),
    },
    "rebuild-match-scores": {
        "task": "matching.tasks.match_rebuild_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Flags unused accounts and anonymises those flagged long enough (issue 15).
    "retention-sweep": {
        "task": "matching.tasks.retention_sweep",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- REST framework -----------------------------------------------------------
# An API token works this long after the sign-in that issued it; each sign-in
# issues a new one and ends the previous.
API_TOKEN_LIFETIME = timedelta(hours=env_int("API_TOKEN_LIFETIME_HOURS", 7 * 24))

# --- Personal information (PIPL, issue 15) -----------------------------------
# A deletion request is carried out within this many days (the law's "promptly").
DELETION_DEADLINE_DAYS = env_int("DELETION_DEADLINE_DAYS", 15)
# An account nobody signed in to for this long is flagged to staff (a deletion
# request "account unused"), then anonymised once DELETION_DEADLINE_DAYS pass
# without a sign-in (matching.tasks.retention_sweep, nightly).
RETENTION_INACTIVE_DAYS = env_int("RETENTION_INACTIVE_DAYS", 3 * 365)
# The browsable API (HTML forms over every endpoint) is for development; production
# answers JSON only (production.py reads the flag again with its own DEBUG).
API_BROWSABLE = env_bool("API_BROWSABLE", DEBUG)


def api_renderers(browsable: bool) -> list[str]:
    return ["rest_framework.renderers.JSONRenderer",
            *(["rest_framework.renderers.BrowsableAPIRenderer"] if browsable else [])]


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",  # `Authorization: Token <key>`
        "rest_framework.authentication.SessionAuthentication",  # with CSRF, for the browser
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "config.api.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["config.throttles.AnonThrottle", "config.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("THROTTLE_ANON", default="120/min"),
                               "user": env.str("THROTTLE_USER", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": api_renderers(API_BROWSABLE),
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser",
                               "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "config.api.ExceptionHandler",
    # Errors are documented and answered the same way in DEBUG too.
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
}
_ERROR_ENUMS = ["ValidationErrorEnum", "ClientErrorEnum", "ServerErrorEnum",
                *(f"ErrorCode{c}Enum" for c in (401, 403, 404, 405, 406, 415, 429, 500))]
SPECTACULAR_SETTINGS = {
    "TITLE": "Qiantang talent–enterprise matching API",
    "DESCRIPTION": (
        "Companies post R&D needs, researchers apply, district staff review. "
        "Authenticate with `POST /api/v1/auth/token/` and send `Authorization: Token <key>`; "
        "the browser's session works too (with its CSRF token). Errors have one shape: "
        "`{type, errors: [{code, detail, attr}]}` where `attr` names the field; messages "
        "follow `Accept-Language` (zh-hans by default, en)."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        **{name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
           for name in _ERROR_ENUMS},
        "ChallengeStatusEnum": "matching.api.enums.CHALLENGE_STATUS",
        "ApplicationStatusEnum": "matching.api.enums.APPLICATION_STATUS",
        "PlacementStatusEnum": "matching.api.enums.PLACEMENT_STATUS",
        "OutcomeStatusEnum": "matching.api.enums.OUTCOME_STATUS",
        "CohortRunStatusEnum": "matching.api.enums.COHORT_RUN_STATUS",
        "AgreementStatusEnum": "matching.api.enums.AGREEMENT_STATUS",
        "LanguageEnum": "config.settings.base.LANGUAGES",
        "LegalTextKindEnum": "accounts.api.privacy.LEGAL_TEXT_KIND",
        "ConsentKindEnum": "accounts.api.privacy.CONSENT_KIND",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- Content-Security-Policy (django-csp) -----------------------------------
# Scripts only from this site (no inline script anywhere); inline style attributes
# are allowed for the admin's bar charts and Swagger UI. No frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Sign-in attempts (django-axes) ------------------------------------------
# Failures are counted in the database, which every web process shares. Five in a
# row for one account from one address lock that pair for 15 minutes; an address
# alone is locked for every account only past AXES_ADDRESS_FAILURE_LIMIT (see
# accounts/lockout.py for why).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "config.api.login_username"
AXES_CLIENT_IP_CALLABLE = "config.api.client_ip"
# How many reverse proxies in front append to X-Forwarded-For (0: clients connect
# directly); the client address for sign-in locks and the API's anonymous throttle.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# 揭榜挂帅 after the applications (issue 17): expert panels and publicity (公示).
# A panel has PANEL_SIZE experts unless staff choose otherwise within
# PANEL_SIZE_MIN..PANEL_SIZE_MAX; an expert sits on at most EXPERT_MAX_LOAD
# panels still at work; the result is published for PUBLICITY_WORKING_DAYS
# working days (Monday to Friday).
PANEL_SIZE = env_int("PANEL_SIZE", 5)
PANEL_SIZE_MIN = env_int("PANEL_SIZE_MIN", 3)
PANEL_SIZE_MAX = env_int("PANEL_SIZE_MAX", 5)
EXPERT_MAX_LOAD = env_int("EXPERT_MAX_LOAD", 3)
PUBLICITY_WORKING_DAYS = env_int("PUBLICITY_WORKING_DAYS", 5)
if not 1 <= PANEL_SIZE_MIN <= PANEL_SIZE <= PANEL_SIZE_MAX:
    raise ImproperlyConfigured("PANEL_SIZE must lie within PANEL_SIZE_MIN..PANEL_SIZE_MAX (≥ 1)")
if EXPERT_MAX_LOAD < 1 or PUBLICITY_WORKING_DAYS < 1:
    raise ImproperlyConfigured("EXPERT_MAX_LOAD and PUBLICITY_WORKING_DAYS must be at least 1")
