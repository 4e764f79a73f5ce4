"""The public services desk's settings (services/): the SMS gateway, callback surveys, booking and the
public pages' rate limits. Star-imported by command.settings; every value from the environment, checked."""
import re

from django.core.exceptions import ImproperlyConfigured

from command.env import env_bool, env_choice, env_int, env_list, env_str

_PRODUCTION = env_choice("DJANGO_MODE", "development", ("development", "production")) == "production"

# --- SMS gateway (services/sms) ---
# "console": messages go to the log (and, outside production, to the dev inbox at /dev/sms/);
# "smpp": an SMPP 3.4 SMSC (a carrier's or an SMS gateway's) at SMPP_HOST:SMPP_PORT.
SMS_BACKEND = env_choice("SMS_BACKEND", "console", ("console", "smpp"))
SMS_SENDER = env_str("SMS_SENDER", "110")  # the source address the citizen sees
SMPP_HOST = env_str("SMPP_HOST", "127.0.0.1")
SMPP_PORT = env_int("SMPP_PORT", 2775, minimum=1, maximum=65535)
SMPP_SYSTEM_ID = env_str("SMPP_SYSTEM_ID", "")
SMPP_PASSWORD = env_str("SMPP_PASSWORD", "")
SMPP_SYSTEM_TYPE = env_str("SMPP_SYSTEM_TYPE", "")
SMPP_TIMEOUT_S = env_int("SMPP_TIMEOUT_S", 10, minimum=1, maximum=120)
if SMS_BACKEND == "smpp" and not SMPP_SYSTEM_ID:
    raise ImproperlyConfigured("SMS_BACKEND=smpp needs SMPP_SYSTEM_ID (and SMPP_PASSWORD) for the bind")
# At most this many messages to one number per hour (codes, confirmations, surveys together).
SMS_PER_NUMBER_PER_HOUR = env_int("SMS_PER_NUMBER_PER_HOUR", 5, minimum=1, maximum=100)
SMS_MAX_RETRIES = env_int("SMS_MAX_RETRIES", 5, minimum=0, maximum=20)
# The dev inbox shows the console backend's messages, one-time codes included: never in production.
SMS_DEV_INBOX = False if _PRODUCTION else env_bool("SMS_DEV_INBOX", True)
# Links in messages (booking management, survey) start with this; the request's host when empty.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- callback surveys ---
SURVEY_DELAY_S = env_int("SURVEY_DELAY_S", 1800, minimum=0, maximum=7 * 86400)
SURVEY_ANSWER_WINDOW_S = env_int("SURVEY_ANSWER_WINDOW_S", 86400, minimum=10, maximum=7 * 86400)
SURVEY_LINK_DAYS = env_int("SURVEY_LINK_DAYS", 7, minimum=1, maximum=30)
SURVEY_LOOKBACK_DAYS = env_int("SURVEY_LOOKBACK_DAYS", 3, minimum=1, maximum=60)  # older closings get none
SURVEY_SWEEP_S = env_int("SURVEY_SWEEP_S", 60, minimum=1, maximum=3600)
# No SMS in these local (Asia/Shanghai) hours, "HH:MM-HH:MM", may wrap midnight; "none": no quiet hours.
SURVEY_QUIET_HOURS = env_str("SURVEY_QUIET_HOURS", "21:00-08:00")
if SURVEY_QUIET_HOURS.lower() == "none":
    SURVEY_QUIET_HOURS = ""
elif not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", SURVEY_QUIET_HOURS):
    raise ImproperlyConfigured(f"SURVEY_QUIET_HOURS={SURVEY_QUIET_HOURS!r} must be HH:MM-HH:MM (e.g. 21:00-08:00) or none")
# Where an SMS could endanger the caller: these categories, and calls whose description names one of
# the keywords, go to the clerk's phone-callback queue instead.
SURVEY_NO_SMS_CATEGORIES = env_list("SURVEY_NO_SMS_CATEGORIES", ["domestic_violence", "sexual_assault"])
SURVEY_NO_SMS_KEYWORDS = env_list("SURVEY_NO_SMS_KEYWORDS", ["家暴", "家庭暴力", "性侵", "强奸", "猥亵",
                                                               "domestic violence", "sexual assault", "rape"])
CALLBACK_MAX_TRIES = env_int("CALLBACK_MAX_TRIES", 3, minimum=1, maximum=10)

# --- booking and the desk ---
BOOKING_CODE_TTL_S = env_int("BOOKING_CODE_TTL_S", 600, minimum=60, maximum=3600)
BOOKING_CODE_TRIES = env_int("BOOKING_CODE_TRIES", 5, minimum=1, maximum=10)
BOOKING_DAYS_AHEAD = env_int("BOOKING_DAYS_AHEAD", 14, minimum=1, maximum=90)
DESK_NO_SHOW_GRACE_S = env_int("DESK_NO_SHOW_GRACE_S", 900, minimum=0, maximum=7200)
# Public pages and API, per caller's address and per phone number (DRF throttles on the cache).
PUBLIC_RATE_PER_ADDRESS = env_str("PUBLIC_RATE_PER_ADDRESS", "120/hour")
PUBLIC_RATE_PER_NUMBER = env_str("PUBLIC_RATE_PER_NUMBER", "10/hour")

SERVICES_BEAT_SCHEDULE = {
    "survey-sweep": {"task": "services.tasks.survey_sweep_task", "schedule": float(SURVEY_SWEEP_S),
                     "options": {"expires": float(SURVEY_SWEEP_S)}},
    "desk-sweep": {"task": "services.tasks.desk_sweep_task", "schedule": 60.0, "options": {"expires": 60.0}},
    "slots-ahead": {"task": "services.tasks.slots_ahead_task", "schedule": 3600.0, "options": {"expires": 3600.0}},
}

# The API schema's names for the services desk's choice sets (fields named "kind", "outcome" elsewhere too).
SERVICES_ENUM_NAME_OVERRIDES = {"HelpKindEnum": "services.models.HelpKind", "TicketOutcomeEnum": "services.models.Outcome",
                                "CallbackOutcomeEnum": "services.models.AttemptOutcome", "RatingEnum": "services.models.Rating"}
