"""Security settings (issue 19; README: Security): device credentials and the plausibility of fixes,
login throttling and lockouts (django-axes), API tokens' lifetime and the throttles on failed
credentials, the audit trail (django-auditlog), the database's owner role, the Content-Security-
Policy and the console roles' sessions. Star-imported by command.settings; every value from the
environment, checked."""
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from command.env import env_choice, env_float, env_int, env_str

_PRODUCTION = env_choice("DJANGO_MODE", "development", ("development", "production")) == "production"

# --- trackers (OsmAnd / Traccar Client at /osmand/) ---
# "keys": a registered device with its own secret (platforms.TrackerDevice); "off": the endpoint
# answers 404; "open": a registered device's identifier alone is believed (a lab phone, development
# only: anyone who learns an identifier can move that unit). Production refuses "open".
AVL_DEVICE_ENDPOINT = env_choice("AVL_DEVICE_ENDPOINT", "keys", ("keys", "off", "open"))
if _PRODUCTION and AVL_DEVICE_ENDPOINT == "open":
    raise ImproperlyConfigured("AVL_DEVICE_ENDPOINT=open is not allowed with DJANGO_MODE=production: "
                               "register each tracker with its own key (README: Security)")
# A fix farther from the unit's last one than this speed allows (plus the slack, for GPS scatter)
# is a jump no vehicle makes: the unit is flagged and the fix not trusted.
AVL_MAX_SPEED_MPS = env_float("AVL_MAX_SPEED_MPS", 60.0, minimum=10.0, maximum=350.0)
AVL_JUMP_SLACK_M = env_float("AVL_JUMP_SLACK_M", 150.0, minimum=10.0, maximum=5000.0)

# --- logins: django-axes on /login/ and /admin/login/ ---
SECURITY_APPS = ["axes", "auditlog"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=2, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1, maximum=7 * 24 * 60))
# Either too many failures for one account (from anywhere) or from one address (any account) locks.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "command.logins.locked_out"
# The address is the connection's (REMOTE_ADDR): uvicorn sets it from X-Forwarded-For only for the
# proxies it is told to trust (--forwarded-allow-ips), so a client cannot name its own address.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_USERNAME_FORM_FIELD = "username"

# --- API tokens and failed credentials ---
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30, minimum=1, maximum=3650)
# Wrong API tokens or device keys from one address before it gets 429 for the rest of the window.
CREDENTIAL_FAILURE_RATE = env_str("CREDENTIAL_FAILURE_RATE", "10/min")

# --- sessions: console roles (dispatcher, supervisor, administrator, clerk, leadership) ---
# Officers keep Django's default (their tablet works a whole shift, offline too).
CONSOLE_SESSION_MAX_S = env_int("CONSOLE_SESSION_MAX_S", 12 * 3600, minimum=600, maximum=14 * 86400 - 1)
CONSOLE_SESSION_IDLE_S = env_int("CONSOLE_SESSION_IDLE_S", 2 * 3600, minimum=60, maximum=14 * 86400 - 1)

def _tile_origin() -> list[str]:
    """An outside tile server (MAP_TILE_URL: an internal police GIS) is the one other place images come from."""
    from urllib.parse import urlsplit

    url = env_str("MAP_TILE_URL", "")
    parts = urlsplit(url.replace("{", "").replace("}", ""))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


# --- Content-Security-Policy (Django's own middleware): every page loads only the site's files;
# no inline script (JSON data blocks are not scripts), no <style> element, no framing. Style
# attributes are allowed (style-src-attr): ECharts' tooltips, the admin and the unit board's status
# dots set them, and a style attribute runs no code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *_tile_origin()],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- the request body: larger than this answers 413 with a JSON reason (photos have their own limit) ---
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_BYTES", 2_621_440, minimum=65_536, maximum=100 * 2**20)
# JSON nested deeper than this is refused before it is parsed (common.json_depth).
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 64, minimum=8, maximum=1000)


def secured_middleware(middleware: list[str]) -> list[str]:
    """The site's middleware with the security layers in their places: the CSP header beside
    SecurityMiddleware; after the login is known, the console sessions' lifetime and the audit
    trail's actor and address; django-axes last, as its documentation asks."""
    out = list(middleware)
    out.insert(out.index("django.middleware.security.SecurityMiddleware") + 1,
               "django.middleware.csp.ContentSecurityPolicyMiddleware")
    after_login = out.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    out[after_login:after_login] = ["command.sessions.ConsoleSessionMiddleware", "auditlog.middleware.AuditlogMiddleware"]
    return [*out, "axes.middleware.AxesMiddleware"]


AUTHENTICATION_BACKENDS = ["command.logins.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
SECURITY_REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a caller without credentials gets 401 with a `WWW-Authenticate: Token` challenge.
        "common.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "common.json_depth.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

# --- the audit trail (django-auditlog): who changed what, from what to what, from which address ---
# Every write outside the incident timeline (dispatch's IncidentEvent) and the rosters' own record
# (RosterChange). A unit's live position is the AVL's, kept in its track, not here.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "platforms.Unit", "exclude_fields": ["lon", "lat", "last_fix_at", "version"], "m2m_fields": ["officers"]},
    "platforms.Vehicle", "platforms.Officer", "platforms.Shift", "platforms.Squad", "platforms.Platform",
    "platforms.District",
    {"model": "platforms.TrackerDevice", "mask_fields": ["secret_hash"]},
    "grid.Zone", "grid.KeySite", "grid.PatrolPoint", "grid.PatrolRoute",
    {"model": "auth.User", "exclude_fields": ["password", "last_login"], "m2m_fields": ["groups", "user_permissions"]},
    "command.Membership",
    {"model": "authtoken.Token", "mask_fields": ["key"]},
    "axes.AccessAttempt",  # a lockout lifted by an administrator
)
# Failed logins (and the lockouts among them) are kept one by one, beside axes' counters.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
