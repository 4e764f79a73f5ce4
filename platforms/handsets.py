"""Officers' own positions (issue 16): every officer on duty reports from their handset (the tablet page
on a phone, or an OsmAnd / Traccar tracker registered to the officer), stored as units' fixes are: live
in Redis, tracks in PostgreSQL (platforms.handset_tracks moves them).

Redis holds the officers' picture under `settings.HANDSET_KEY_PREFIX` (default `hs:`), apart from the
units' (`avl:`), written by the same Lua script as the units' fixes (platforms.avl_lua: newer than the
last accepted, a believable move from it, else refused and counted), with officer ids where units' go:
- `hs:officers`     GEO set of the officers' last positions,
- `hs:officer:<id>` hash of an officer's last accepted fix,
- `hs:state`        hash officer id -> "lon,lat,at_ms,speed" (the console reads thousands at once),
- `hs:track`        stream of accepted fixes waiting for the flush,
- `hs:stats`        counters, `hs:suspect` officers whose last report jumped.

Only an officer on duty reports: one crewing a unit on an approved shift under way; anyone else is
refused with the reason (OfficerOffDuty), nothing written. A unit on foot or on bicycles carries no GPS
box of its own: it is where its officers are, so their handset fixes also move it (as the unit's, through
platforms.positions); a car's or motorcycle's position stays its own (its tracker or its tablet), and
its officers' handsets show where each of them is, a crew spread out included (platforms.crew_spread).
"""
from collections import Counter
from dataclasses import replace
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import cache
from typing import NamedTuple

import redis
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from platforms import handset_tracks, positions
from platforms.avl_lua import ACCEPT_LUA
from platforms.filters import on_duty_now
from platforms.models import Officer, Unit, VehicleKind
from platforms.positions import ACCEPTED, REDIS_DOWN, Fix, IngestResult, redis_client

OFFICER_OFF_DUTY = "officer_off_duty"
# Units that are where their officers are: no vehicle with a GPS box of its own.
FOLLOW_HANDSETS = (None, VehicleKind.ON_FOOT, VehicleKind.BICYCLE)
_OUTCOMES = {"A": ACCEPTED, "D": positions.DUPLICATE, "O": positions.OUT_OF_ORDER, "J": positions.IMPLAUSIBLE}


class OfficerOffDuty(ValidationError):
    """The officer crews no unit on duty now: their handset's report is refused, with the reason."""


class OfficerFix(NamedTuple):
    officer_id: int
    lon: float
    lat: float
    at: datetime
    speed_mps: float | None
    stale: bool


def key(name: str) -> str:
    return f"{settings.HANDSET_KEY_PREFIX}{name}"


# --- who is on duty ----------------------------------------------------------------------------

def duty_units(officer_ids) -> dict[int, int]:
    """officer id -> the unit they crew on an approved shift under way (the latest shift if two overlap)."""
    rows = (Unit.officers.through.objects.filter(officer_id__in=list(officer_ids),
                                                  unit__in=Unit.objects.filter(on_duty_now()))
            .order_by("officer_id", "-unit__shift__starts_at").values_list("officer_id", "unit_id"))
    found: dict[int, int] = {}
    for officer, unit in rows:
        found.setdefault(officer, unit)
    return found


def officer_on_duty_unit(officer: Officer) -> Unit:
    """The officer's unit on duty now; OfficerOffDuty, saying why, when there is none."""
    unit_id = duty_units([officer.pk]).get(officer.pk)
    if unit_id is None:
        raise OfficerOffDuty(_("%(officer)s is not on duty: no unit of theirs is on an approved shift now, so "
                               "their handset's position is not taken.") % {"officer": officer},
                             code=OFFICER_OFF_DUTY)
    return Unit.objects.select_related("vehicle").get(pk=unit_id)


# --- accepting fixes ---------------------------------------------------------------------------

def handset_report(*, officer: Officer, fixes: list[Fix], credential: str = "", source: str = "handset",
                   unit_too: bool = True) -> IngestResult:
    """Check and store an officer's own fixes; refused whole (OfficerOffDuty) when they are not on duty.
    With `unit_too`, a unit on foot or on bicycles is moved with them (a tracker registered to the officer
    reports for the unit already: it passes False)."""
    officer_on_duty_unit(officer)
    return handsets_accept(items=[(officer.pk, fix) for fix in fixes], credential=credential, source=source,
                           unit_too=unit_too)


def handsets_accept(*, items: list[tuple[int, Fix]], credential: str = "", source: str = "handset",
                    unit_too: bool = True) -> IngestResult:
    """Many officers' fixes at once, in one script call (the simulator's and the benchmark's way): each
    checked as a unit's is, a fix of an officer off duty refused as OFFICER_OFF_DUTY; those accepted of
    officers crewing a unit on foot or on bicycles move the unit too (with `unit_too`)."""
    fixes = [replace(fix, unit_id=None, device_id=None) for _officer, fix in items]
    officers = [officer for officer, _fix in items]
    duty = duty_units(set(officers))
    outcomes = positions.fix_problems(fixes)
    outcomes = [outcome or (None if officer in duty else OFFICER_OFF_DUTY) for officer, outcome in zip(officers, outcomes)]
    try:
        _write(officers, fixes, outcomes, source, credential)
    except REDIS_DOWN:
        handset_tracks.store_directly(officers, fixes, outcomes, credential)
    accepted = [i for i, outcome in enumerate(outcomes) if outcome == ACCEPTED]
    if unit_too and accepted:
        _move_units_with_their_officers([(duty[officers[i]], fixes[i]) for i in accepted], credential)
    rejected = Counter(outcome for outcome in outcomes if outcome != ACCEPTED)
    return IngestResult(accepted=len(accepted), rejected=dict(rejected), outcomes=outcomes)


def _move_units_with_their_officers(moves: list[tuple[int, Fix]], credential: str) -> None:
    following = set(Unit.objects.filter(pk__in={unit for unit, _fix in moves})
                     .filter(Q(vehicle__isnull=True) | Q(vehicle__kind__in=FOLLOW_HANDSETS[1:]))
                     .values_list("pk", flat=True))
    fixes = [replace(fix, unit_id=unit) for unit, fix in moves if unit in following]
    if fixes:
        positions.fixes_accept(fixes=fixes, source="handset", credential=credential)


def unit_follows_handsets(unit: Unit) -> bool:
    return (unit.vehicle.kind if unit.vehicle_id else None) in FOLLOW_HANDSETS


@cache
def _script(client: redis.Redis):
    return client.register_script(ACCEPT_LUA)


def _write(officers: list[int], fixes: list[Fix], outcomes: list, source: str, credential: str) -> None:
    """The units' script on the officers' keys: the valid fixes oldest first, the counts in one call."""
    valid = sorted((i for i, outcome in enumerate(outcomes) if outcome is None), key=lambda i: fixes[i].at)
    packed = "".join(
        f"{officers[i]},{round(fixes[i].at.timestamp() * 1000)},{float(fixes[i].lon)!r},{float(fixes[i].lat)!r},"
        f"{_text(fixes[i].speed_mps)},{_text(fixes[i].bearing)},{_text(fixes[i].accuracy_m)},{_text(fixes[i].battery)};"
        for i in valid)
    args = [key("officer:"), settings.HANDSET_STATE_TTL_S, settings.HANDSET_TRACK_BACKLOG_MAX, 300,
            settings.AVL_MAX_SPEED_MPS, settings.AVL_JUMP_SLACK_M, credential, packed]
    refused = Counter(outcome for outcome in outcomes if outcome is not None)
    refused[f"source:{source}"] = len(fixes)
    for reason, count in refused.items():
        args += [reason, count]
    codes = _script(redis_client())(keys=[key("officers"), key("stats"), key("track"), key("state"), key("suspect")],
                                    args=args)
    for i, code in zip(valid, codes.decode()):
        outcomes[i] = _OUTCOMES[code]


def _text(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def refuse_off_duty(*, source: str) -> None:
    """Count a report refused because its officer is off duty (the refusal stands with Redis away)."""
    try:
        redis_client().hincrby(key("stats"), OFFICER_OFF_DUTY, 1)
        redis_client().hincrby(key("stats"), f"source:{source}", 1)
    except REDIS_DOWN:
        pass


# --- reading the officers' picture -------------------------------------------------------------

_STATES_LUA = """
local out = {}
for i, id in ipairs(ARGV) do out[i] = redis.call('HGET', KEYS[1], id) or '' end
return table.concat(out, ';')
"""


@cache
def _states_script(client: redis.Redis):
    return client.register_script(_STATES_LUA)


def officers_live(officer_ids) -> dict[int, OfficerFix]:
    """The last handset fix of each of these officers that has one (stale after STALE_FIX_AFTER_S)."""
    ids = [int(pk) for pk in dict.fromkeys(officer_ids)]
    if not ids:
        return {}
    stale_before = datetime.now(dt_timezone.utc).timestamp() - settings.STALE_FIX_AFTER_S
    found = {}
    for start in range(0, len(ids), 5000):  # ARGV stays well under Lua's limits
        chunk = ids[start:start + 5000]
        states = _states_script(redis_client())(keys=[key("state")], args=chunk).decode().split(";")
        for pk, state in zip(chunk, states):
            if state:
                lon, lat, at_ms, speed = state.split(",")
                at = int(at_ms) / 1000.0
                found[pk] = OfficerFix(pk, float(lon), float(lat), datetime.fromtimestamp(at, dt_timezone.utc),
                                       float(speed) if speed else None, at < stale_before)
    return found


def handset_stats() -> dict:
    """The officers' intake counters: accepted, each refusal, each source."""
    counts = {name.decode(): int(value) for name, value in redis_client().hgetall(key("stats")).items()}
    return {"accepted": counts.pop(ACCEPTED, 0),
            "rejected": {name: value for name, value in sorted(counts.items()) if not name.startswith("source:")},
            "sources": {name.removeprefix("source:"): value for name, value in sorted(counts.items())
                        if name.startswith("source:")},
            "track_backlog": redis_client().xlen(key("track"))}


def handsets_forget(officer_ids) -> None:
    """Take officers off the live map (their shift ended)."""
    ids = [int(pk) for pk in officer_ids]
    if ids:
        pipe = redis_client().pipeline(transaction=False)
        pipe.zrem(key("officers"), *ids)
        pipe.hdel(key("state"), *ids)
        pipe.execute()


def handsets_wipe() -> None:
    """Delete every handset key (tests, benchmarks)."""
    client = redis_client()
    names = list(client.scan_iter(match=f"{settings.HANDSET_KEY_PREFIX}*", count=1000))
    for start in range(0, len(names), 1000):
        client.delete(*names[start:start + 1000])


def handsets_sweep() -> int:
    """Take officers no longer on duty off the live map (their shift ended); how many."""
    on_map = [int(member) for member in redis_client().hkeys(key("state"))]
    gone = set(on_map) - set(duty_units(on_map))
    handsets_forget(gone)
    return len(gone)


def handset_from_device(tracker, fix: Fix) -> str | None:
    """A tracker registered to an officer (OsmAnd / Traccar) is their handset: its fix, taken for the
    officer's unit already (platforms.api.osmand_report), is the officer's own position too."""
    try:
        result = handset_report(officer=tracker.officer, fixes=[fix], credential=f"device:{tracker.pk}",
                                source="osmand", unit_too=False)
    except OfficerOffDuty:
        return OFFICER_OFF_DUTY
    return result.outcomes[0]
