"""Live positions (AVL): accept fixes into Redis and read them back (platforms.tracks moves the track
to PostgreSQL).

Redis holds the live picture (keys under `settings.AVL_KEY_PREFIX`, default `avl:`):
- `avl:units`      GEO set of the units' last positions (what `units_near` searches),
- `avl:unit:<id>`  hash of a unit's last accepted fix: lon, lat, at (epoch ms), speed, bearing,
                   accuracy, battery (empty string when the device sent none),
- `avl:track`      stream of accepted fixes waiting for `track_flush` to reach PostgreSQL,
- `avl:stats`      hash of counters: `accepted` and one per rejection reason,
- `avl:stale`      JSON of the last stale sweep.

Fixes are checked in Python (numbers, clock, roster, served area), then one Lua script per batch
compares each fix with the unit's last accepted time and writes the state, the GEO set, the track
entry and the counters atomically: two writers at once can never move a unit back in time.
"""
import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import cache
from typing import NamedTuple

import redis
import shapely
from django.conf import settings
from django.db import connection
from django.utils import timezone

from grid.selectors import served_area
from platforms import positions_fallback
from platforms.avl_lua import ACCEPT_LUA
from platforms.filters import on_duty_now
from platforms.models import TrackerDevice, Unit

# Redis away (restarting, loading its data): the intake falls back to PostgreSQL.
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.BusyLoadingError)
ACCEPTED = "accepted"
# Refused before Redis is touched, in the order they are checked.
INVALID, FROM_FUTURE = "invalid", "from_future"
UNKNOWN_DEVICE, UNIT_OFF_DUTY, OUT_OF_AREA = "unknown_device", "unit_off_duty", "out_of_area"
# Ignored by the script: not newer than the unit's last accepted fix (a retry, or a late packet).
DUPLICATE, OUT_OF_ORDER = "duplicate", "out_of_order"
# Farther from the unit's last fix than a vehicle could travel since (a spoof or a GPS fault): the
# unit is flagged (suspect_units), the fix is not trusted.
IMPLAUSIBLE = "implausible_jump"
# A device request with an unregistered or revoked identifier, or a wrong secret: refused before it is read.
BAD_KEY = "bad_key"
REASONS = (INVALID, FROM_FUTURE, UNKNOWN_DEVICE, UNIT_OFF_DUTY, OUT_OF_AREA, DUPLICATE, OUT_OF_ORDER, IMPLAUSIBLE,
           BAD_KEY)
_SCRIPT_OUTCOMES = {"A": ACCEPTED, "D": DUPLICATE, "O": OUT_OF_ORDER, "J": IMPLAUSIBLE}
_GEOADD_CHUNK = 300  # units per GEOADD inside the script: Lua's unpack() has a stack limit


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """One position report: from a unit (tablet, simulator) or from a vehicle's GPS device."""

    lon: float
    lat: float
    at: datetime
    unit_id: int | None = None
    device_id: str | None = None
    speed_mps: float | None = None
    bearing: float | None = None
    accuracy_m: float | None = None
    battery: float | None = None


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    rejected: dict[str, int]            # reason -> count, ignored duplicates and late fixes included
    outcomes: list[str] = field(repr=False)  # per fix, in the caller's order: "accepted" or the reason


class LiveFix(NamedTuple):
    """A unit's last known position. A tuple, not a dataclass: the engine builds thousands per call."""

    unit_id: int
    lon: float
    lat: float
    at: datetime
    speed_mps: float | None
    stale: bool


# --- Redis -------------------------------------------------------------------------------------

@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def redis_client() -> redis.Redis:
    """One client (and connection pool) per process and URL; redis-py reconnects after a fork."""
    return _client(settings.REDIS_URL)


def key(name: str) -> str:
    return f"{settings.AVL_KEY_PREFIX}{name}"


def unit_key(unit_id) -> str:
    return f"{settings.AVL_KEY_PREFIX}unit:{unit_id}"


@cache
def _accept_script(client: redis.Redis):
    return client.register_script(ACCEPT_LUA)


# --- accepting fixes ---------------------------------------------------------------------------

def fixes_accept(*, fixes: list[Fix], source: str, credential: str = "") -> IngestResult:
    """Check every fix, write the valid ones to the live picture at once, count every refusal.

    `source` names the interface ("batch", "osmand", "websocket", "bench"): it is counted too, so
    the stats show which door the fixes came in by. `credential` says who sent them
    ("device:<tracker>", "session:<user>", "token:<user>"), kept with every track point.
    With Redis away the fixes go straight to PostgreSQL (platforms.positions_fallback)."""
    if not fixes:
        return IngestResult(accepted=0, rejected={}, outcomes=[])
    now_ms = time.time() * 1000.0
    outcomes: list[str | None] = [_number_problem(fix, now_ms) for fix in fixes]
    units = _resolve_units(fixes, outcomes)
    _check_served(fixes, outcomes)
    try:
        _write(fixes, units, outcomes, source, credential)
    except REDIS_DOWN:
        codes = positions_fallback.fixes_store(fixes, units, outcomes, credential)
        for i, code in codes.items():
            outcomes[i] = _SCRIPT_OUTCOMES[code]
    rejected = Counter(outcome for outcome in outcomes if outcome != ACCEPTED)
    return IngestResult(accepted=len(fixes) - sum(rejected.values()), rejected=dict(rejected), outcomes=outcomes)


def _number_problem(fix: Fix, now_ms: float) -> str | None:
    numbers = (fix.lon, fix.lat, fix.speed_mps, fix.bearing, fix.accuracy_m, fix.battery)
    if not all(value is None or (isinstance(value, (int, float)) and math.isfinite(value)) for value in numbers):
        return INVALID
    if not (-180 <= fix.lon <= 180 and -90 <= fix.lat <= 90) or fix.at.tzinfo is None:
        return INVALID
    for value, low, high in ((fix.speed_mps, 0, 150), (fix.bearing, 0, 360), (fix.accuracy_m, 0, 100_000),
                             (fix.battery, 0, 100)):
        if value is not None and not low <= value <= high:
            return INVALID
    if fix.at.timestamp() * 1000.0 > now_ms + settings.AVL_MAX_CLOCK_SKEW_S * 1000.0:
        return FROM_FUTURE
    return None


def _check_served(fixes: list[Fix], outcomes: list) -> None:
    """One vectorised test for the batch (a point on the edge counts as inside, as `covers` has it)."""
    open_ = [i for i, outcome in enumerate(outcomes) if outcome is None]
    if not open_:
        return
    area = served_area()
    if not shapely.is_prepared(area):
        shapely.prepare(area)
    inside = shapely.intersects_xy(area, [fixes[i].lon for i in open_], [fixes[i].lat for i in open_])
    for i, ok in zip(open_, inside):
        if not ok:
            outcomes[i] = OUT_OF_AREA


def _resolve_units(fixes: list[Fix], outcomes: list) -> list[int | None]:
    """The unit of every fix still in play, found with one query per kind of sender; fixes from
    unknown senders or from units off duty get their reason in `outcomes`."""
    open_ = [i for i, outcome in enumerate(outcomes) if outcome is None]
    on_duty = _on_duty_units({fixes[i].unit_id for i in open_ if fixes[i].unit_id is not None})
    devices = _device_units({fixes[i].device_id for i in open_ if fixes[i].unit_id is None})
    units: list[int | None] = [None] * len(fixes)
    for i in open_:
        fix = fixes[i]
        found = on_duty.get(fix.unit_id) if fix.unit_id is not None else devices.get(fix.device_id)
        if isinstance(found, int):
            units[i] = found
        else:
            outcomes[i] = found or UNKNOWN_DEVICE
    return units


def _on_duty_units(unit_ids: set[int]) -> dict[int, int | str]:
    if not unit_ids:
        return {}
    # Raw SQL with one array parameter: at hundreds of ids a batch, building and parsing `IN (...)`
    # and loading two timestamps a row cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute("SELECT u.id, s.approved AND s.starts_at <= %(now)s AND %(now)s < s.ends_at"
                       " FROM platforms_unit u JOIN platforms_shift s ON s.id = u.shift_id WHERE u.id = ANY(%(ids)s)",
                       {"now": timezone.now(), "ids": list(unit_ids)})
        return {pk: pk if on_duty else UNIT_OFF_DUTY for pk, on_duty in cursor.fetchall()}


def _device_units(device_ids: set[str]) -> dict[str, int | str]:
    """A registered, unrevoked tracker reports for the unit its vehicle or officer serves on duty now
    (platforms.trackers.tracker_unit_id); any other identifier is an unknown device."""
    from platforms.trackers import tracker_unit_id

    found: dict[str, int | str] = {}
    for tracker in TrackerDevice.objects.filter(identifier__in=device_ids, revoked_at__isnull=True):
        found[tracker.identifier] = tracker_unit_id(tracker) or UNIT_OFF_DUTY
    return found


def _write(fixes: list[Fix], units: list, outcomes: list, source: str, credential: str) -> None:
    """One script call: the valid fixes oldest first (a batch may come in any order), the counts."""
    valid = sorted((i for i, outcome in enumerate(outcomes) if outcome is None), key=lambda i: fixes[i].at)
    packed = "".join(
        f"{units[i]},{round(fixes[i].at.timestamp() * 1000)},{float(fixes[i].lon)!r},{float(fixes[i].lat)!r},"
        f"{_text(fixes[i].speed_mps)},{_text(fixes[i].bearing)},{_text(fixes[i].accuracy_m)},{_text(fixes[i].battery)};"
        for i in valid)
    args = [settings.AVL_KEY_PREFIX + "unit:", settings.AVL_STATE_TTL_S, settings.AVL_TRACK_BACKLOG_MAX,
            _GEOADD_CHUNK, settings.AVL_MAX_SPEED_MPS, settings.AVL_JUMP_SLACK_M, credential, packed]
    refused = Counter(outcome for outcome in outcomes if outcome is not None)
    refused[f"source:{source}"] = len(fixes)
    for reason, count in refused.items():
        args += [reason, count]
    codes = _accept_script(redis_client())(keys=[key("units"), key("stats"), key("track"), key("state"),
                                                 key("suspect")], args=args)
    for i, code in zip(valid, codes.decode()):
        outcomes[i] = _SCRIPT_OUTCOMES[code]


# --- issue 16 hook: officers' own handsets (platforms.handsets) check their fixes as units' are -----------

def fix_problems(fixes: list[Fix]) -> list[str | None]:
    """Each fix's refusal found before its sender is looked up (numbers, clock, served area), else None."""
    now_ms = time.time() * 1000.0
    outcomes: list[str | None] = [_number_problem(fix, now_ms) for fix in fixes]
    _check_served(fixes, outcomes)
    return outcomes

# --- end of the issue 16 hook ------------------------------------------------------------------------


def refusal_count(reason: str, *, source: str) -> None:
    """Count a report refused before it could be read as a fix (bad key, unreadable parameters);
    with Redis away the count is lost, the refusal stands."""
    pipe = redis_client().pipeline(transaction=False)
    pipe.hincrby(key("stats"), reason, 1)
    pipe.hincrby(key("stats"), f"source:{source}", 1)
    try:
        pipe.execute()
    except REDIS_DOWN:
        pass


def _text(value: float | None) -> str:
    return "" if value is None else repr(float(value))


# --- reading the live picture (the dispatch engine's selectors) --------------------------------

def live_positions(unit_ids=None) -> dict[int, LiveFix]:
    """Last known position of each unit, keyed by unit id: Redis first, else the unit's row (the
    track's last flush). Units with no position at all are absent. `unit_ids=None` means the units
    on duty now."""
    if unit_ids is None:
        unit_ids = list(Unit.objects.filter(on_duty_now()).values_list("pk", flat=True))
    unit_ids = list(dict.fromkeys(int(pk) for pk in unit_ids))
    stale_before = time.time() - settings.STALE_FIX_AFTER_S
    try:
        found = _live_from_redis(unit_ids, stale_before)
    except REDIS_DOWN:
        found = {}  # the rows below: where the track flush or the fallback intake left each unit
    missing = [pk for pk in unit_ids if pk not in found]
    if missing:
        rows = Unit.objects.filter(pk__in=missing, lon__isnull=False, lat__isnull=False, last_fix_at__isnull=False)
        for pk, lon, lat, at in rows.values_list("pk", "lon", "lat", "last_fix_at"):
            found[pk] = LiveFix(pk, lon, lat, at, None, at.timestamp() < stale_before)
    return found


# The engine reads thousands of units per call. Parsing thousands of replies costs more in Python
# than the work itself, so the ids go as one argument and the server joins the states into one
# string (';' between units, '' for a unit with no state). HMGET in chunks: unpack() has a limit.
_STATES_OF_LUA = """
local function states_of(key, joined)
  local ids, states = {}, {}
  for id in string.gmatch(joined, '[^,]+') do ids[#ids + 1] = id end
  for i = 1, #ids, 1000 do
    local chunk = redis.call('HMGET', key, unpack(ids, i, math.min(i + 999, #ids)))
    for j = 1, #chunk do states[i + j - 1] = chunk[j] end
  end
  return ids, states
end
"""
_STATES_LUA = _STATES_OF_LUA + """
local ids, states = states_of(KEYS[1], ARGV[1])
local out = {}
for i = 1, #ids do out[i] = states[i] or '' end
return table.concat(out, ';')
"""


@cache
def _states_script(client: redis.Redis):
    return client.register_script(_STATES_LUA)


def _live_from_redis(unit_ids: list[int], stale_before: float) -> dict[int, LiveFix]:
    if not unit_ids:
        return {}
    joined = ",".join(map(str, unit_ids))
    states = _states_script(redis_client())(keys=[key("state")], args=[joined]).decode().split(";")
    return {pk: live_fix(pk, state, stale_before) for pk, state in zip(unit_ids, states) if state}


def live_fix(pk: int, state: str, stale_before: float) -> LiveFix:
    lon, lat, at_ms, speed = state.split(",")
    at = int(at_ms) / 1000.0
    return LiveFix(pk, float(lon), float(lat), datetime.fromtimestamp(at, dt_timezone.utc),
                   float(speed) if speed else None, at < stale_before)


def units_near(lon: float, lat: float, radius_m: float, *, count: int | None = None) -> list[tuple[int, float]]:
    """Units in the GEO set within `radius_m` of a point, nearest first, as (unit id, metres)."""
    found = redis_client().geosearch(key("units"), longitude=lon, latitude=lat, radius=radius_m, unit="m",
                                     sort="ASC", count=count, withdist=True)
    return [(int(member), float(distance)) for member, distance in found]


def avl_forget(unit_ids) -> None:
    """Take units off the live map and out of the engine's reach (their shift ended); the per-unit
    detail hash stays until it expires."""
    unit_ids = [int(pk) for pk in unit_ids]
    if unit_ids:
        pipe = redis_client().pipeline(transaction=False)
        pipe.zrem(key("units"), *unit_ids)
        pipe.hdel(key("state"), *unit_ids)
        pipe.hdel(key("suspect"), *unit_ids)
        pipe.execute()


@dataclass(frozen=True)
class StaleUnits:
    checked_at: datetime | None
    unit_ids: list[int]


def stale_units() -> StaleUnits:
    """Units on duty with no fix for STALE_FIX_AFTER_S (or none ever), as of the last sweep."""
    raw = redis_client().get(key("stale"))
    if raw is None:
        return StaleUnits(None, [])
    data = json.loads(raw)
    return StaleUnits(datetime.fromtimestamp(data["checked_at"], dt_timezone.utc), data["unit_ids"])


def avl_stats() -> dict:
    """The counters since they were last wiped: accepted, each refusal reason, each source; and the
    backlog of track entries waiting for PostgreSQL."""
    client = redis_client()
    counts = {name.decode(): int(value) for name, value in client.hgetall(key("stats")).items()}
    return {
        "accepted": counts.pop(ACCEPTED, 0),
        "rejected": {reason: counts.get(reason, 0) for reason in REASONS},
        "sources": {name.removeprefix("source:"): value for name, value in sorted(counts.items())
                    if name.startswith("source:")},
        "track_backlog": client.xlen(key("track")),
        "suspect_units": suspect_units(),
    }


def suspect_units() -> list[dict]:
    """Units whose last report jumped farther than a vehicle could travel, with where it claimed to
    be: flagged until a believable fix follows."""
    found = []
    for unit, claimed in sorted(redis_client().hgetall(key("suspect")).items(), key=lambda item: int(item[0])):
        lon, lat, at_ms = claimed.decode().split(",")
        found.append({"unit": int(unit), "lon": float(lon), "lat": float(lat),
                      "at": datetime.fromtimestamp(int(at_ms) / 1000.0, dt_timezone.utc)})
    return found


def avl_wipe() -> None:
    """Delete every AVL key under the prefix (tests, benchmarks): the live picture starts empty."""
    client = redis_client()
    names = list(client.scan_iter(match=f"{settings.AVL_KEY_PREFIX}*", count=1000))
    for start in range(0, len(names), 1000):
        client.delete(*names[start:start + 1000])


# --- the stale sweep run by Celery beat --------------------------------------------------------

def stale_sweep() -> StaleUnits:
    """Record which units on duty have gone quiet, and take units off duty off the live map.

    Unit status is left alone: a quiet tablet is flagged for the dispatcher, not decided about."""
    client = redis_client()
    on_duty = list(Unit.objects.filter(on_duty_now()).values_list("pk", flat=True))
    positions = live_positions(on_duty)
    quiet = sorted(pk for pk in on_duty if pk not in positions or positions[pk].stale)
    on_map = {int(member) for member in client.zrange(key("units"), 0, -1)}
    avl_forget(on_map - set(on_duty))
    checked_at = time.time()
    client.set(key("stale"), json.dumps({"checked_at": checked_at, "unit_ids": quiet}))
    return StaleUnits(datetime.fromtimestamp(checked_at, dt_timezone.utc), quiet)
