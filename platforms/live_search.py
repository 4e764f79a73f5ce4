"""The dispatch engine's search of the live map, nearest first (DESIGN §3.3): the units nearest a
scene with their distance and live state, in one round trip, and which units have a place on the map
at all. The engine filters its candidates among what is found, so a call reads tens of rows, not the
whole fleet on duty."""
import time
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings

from platforms.positions import LiveFix, key, live_fix, redis_client

# The engine's nearest-first search: the `count` live units nearest a point (any unit: the engine
# filters its candidates among them), or (count 0) every one within the radius, each with its distance
# and state, in one round trip. GEOSEARCH ... ASC COUNT reads the GEO set's cells once and keeps only
# the nearest.
_NEAREST_LUA = """
local found
if tonumber(ARGV[4]) > 0 then
  found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[3], 'm',
                     'ASC', 'COUNT', ARGV[4], 'WITHDIST')
else
  found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[3], 'm', 'ASC', 'WITHDIST')
end
local out = {}
for i, row in ipairs(found) do
  out[i] = row[1] .. ',' .. row[2] .. ',' .. (redis.call('HGET', KEYS[2], row[1]) or '')
end
return table.concat(out, ';')
"""
NEAREST_CEILING_M = 100_000.0  # beyond any city's edge: a unit farther needs hours by road


@cache
def _nearest_script(client: redis.Redis):
    return client.register_script(_NEAREST_LUA)


@dataclass(frozen=True)
class Nearest:
    """The live units nearest a point. `found`: every unit the GEO search returned; `fixes`: those
    with a live state; `reach_m`: no unit on the live map outside `found` is nearer than this
    (straight line); `complete`: the search found every unit within NEAREST_CEILING_M."""

    fixes: dict[int, LiveFix]
    found: frozenset[int]
    reach_m: float
    complete: bool


def live_nearest(lon: float, lat: float, count: int) -> Nearest:
    """The `count` units nearest a point on the live map, nearest first (raises REDIS_DOWN)."""
    found = _search(lon, lat, NEAREST_CEILING_M, count)
    complete = len(found[1]) < count
    # GEO positions are stored to about 0.6 m (a 52-bit geohash): the reach is kept a metre short.
    reach_m = NEAREST_CEILING_M if complete else max(found[2] - 1.0, 0.0)
    return Nearest(found[0], found[1], reach_m, complete)


def live_within(lon: float, lat: float, radius_m: float) -> Nearest:
    """Every unit on the live map within `radius_m` of a point (raises REDIS_DOWN): the engine's second
    search, straight to the distance its first answer says is enough."""
    radius_m = min(radius_m, NEAREST_CEILING_M)
    fixes, found, _ = _search(lon, lat, radius_m, 0)
    complete = radius_m >= NEAREST_CEILING_M
    return Nearest(fixes, found, NEAREST_CEILING_M if complete else max(radius_m - 1.0, 0.0), complete)


def _search(lon: float, lat: float, radius_m: float, count: int) -> tuple[dict, frozenset, float]:
    """The live units within `radius_m`, the `count` nearest (0: all): their live states, their ids,
    and the last one's distance."""
    reply = _nearest_script(redis_client())(keys=[key("units"), key("state")],
                                            args=[repr(float(lon)), repr(float(lat)), repr(float(radius_m)), int(count)])
    stale_before = time.time() - settings.STALE_FIX_AFTER_S
    fixes, found, last_m = {}, set(), 0.0
    for row in filter(None, reply.decode().split(";")):
        pk, metres, state = row.split(",", 2)
        found.add(int(pk))
        last_m = float(metres)
        if state:
            fixes[int(pk)] = live_fix(int(pk), state, stale_before)
    return fixes, frozenset(found), last_m


def on_live_map(unit_ids) -> set[int]:
    """Of these units, those with a place on the live map (the GEO set)."""
    unit_ids = [int(pk) for pk in unit_ids]
    if not unit_ids:
        return set()
    scores = redis_client().zmscore(key("units"), unit_ids)
    return {pk for pk, score in zip(unit_ids, scores) if score is not None}
