"""Live speeds from the fleet's own fixes (Celery beat, every minute): the units' stored track
(platforms.TrackPoint, moved there from Redis every 2 s by platforms.tracks.track_flush) read since the
last run, each vehicle's fixes map-matched onto the road network with OSRM's `match` service (in
process, on the open network), and every leg between two fixes spread over the road segments it drove:
metres, the seconds it took at the leg's speed, and OSRM's free-flow seconds. Summed per segment
(OSM node -> node) and 15-minute slot in SegmentSpeed; traffic/factors.py makes the zones' factors.

Why read TrackPoint and not hook the flush: platforms sits below traffic (it may not call up), the rows
are what patrol verification and replay read already (a BRIN index on their time), and a minute's lag
is nothing for a congestion picture. A leg is left out when it says nothing about the road: a unit
standing (under 1 m), a gap over a minute, or a jump faster than 200 km/h (a GPS glitch). Foot patrols
are left out (walking is no traffic speed)."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import osrm
from django.db import connection, transaction
from django.utils import timezone

from grid import travel
from grid.congestion import SLOT_MINUTES
from grid.selectors import zone_at
from platforms.models import TrackPoint, VehicleKind
from traffic.models import SpeedWatermark

LAG = timedelta(seconds=10)          # fixes still on their way from Redis
OVERLAP = timedelta(seconds=60)      # read back this far so the leg into the window has its start
LONGEST_READ = timedelta(minutes=15)  # after a pause, only the last 15 minutes are read
MAX_GAP_S = 60.0
MIN_LEG_M = 1.0
MAX_LEG_MPS = 200 / 3.6
MATCH_CHUNK = 100                    # OSRM's default limit of coordinates per match
GPS_RADIUS_M = 10.0
DRIVING = [VehicleKind.PATROL_CAR, VehicleKind.MOTORCYCLE, VehicleKind.PLATFORM_TRUCK]


@dataclass
class Sums:
    samples: int = 0
    metres: float = 0.0
    seconds: float = 0.0
    free_flow_s: float = 0.0
    ends: list = field(default_factory=list)   # [from lon, from lat, to lon, to lat]


def slot_start(moment):
    local = timezone.localtime(moment)
    return local.replace(minute=local.minute - local.minute % SLOT_MINUTES, second=0, microsecond=0)


def read_window(now) -> tuple:
    """(since, until): from the last run's mark (at most LONGEST_READ back) to now less the flush's lag."""
    until = now - LAG
    mark = SpeedWatermark.objects.filter(pk=1).values_list("through", flat=True).first()
    since = max(mark or until - LONGEST_READ, until - LONGEST_READ)
    return since, until


def fixes_by_unit(since, until) -> dict[int, list[tuple]]:
    """Each driving unit's fixes (epoch seconds, lon, lat) from OVERLAP before `since` to `until`, in order."""
    rows = (TrackPoint.objects.filter(at__gt=since - OVERLAP, at__lte=until, unit__vehicle__kind__in=DRIVING)
            .order_by("unit_id", "at").values_list("unit_id", "at", "lon", "lat"))
    found = defaultdict(list)
    for unit, at, lon, lat in rows.iterator(chunk_size=5000):
        found[unit].append((at.timestamp(), lon, lat))
    return found


def measure(fixes: list[tuple], since_s: float, router, sums: dict) -> int:
    """Match one unit's fixes and add its legs ending after `since_s` to `sums`; the legs added."""
    added = 0
    for start in range(0, max(len(fixes) - 1, 0), MATCH_CHUNK - 1):
        chunk = fixes[start:start + MATCH_CHUNK]
        if len(chunk) >= 2 and chunk[-1][0] > since_s:
            added += _match_chunk(chunk, since_s, router, sums)
    return added


def _match_chunk(chunk: list[tuple], since_s: float, router, sums: dict) -> int:
    try:
        found = router.Match(osrm.MatchParameters(
            coordinates=[(lon, lat) for _t, lon, lat in chunk], timestamps=[int(t) for t, _x, _y in chunk],
            radiuses=[GPS_RADIUS_M] * len(chunk), annotations=["nodes", "distance", "duration"],
            geometries="geojson", overview="full", gaps="split"))
    except RuntimeError:  # NoMatch: nothing on the roads (a unit parked in a courtyard)
        return 0
    times = _matched_times(found, chunk)
    added = 0
    for m, matching in enumerate(found["matchings"]):
        added += _add_matching(matching, times.get(m, []), since_s, sums)
    return added


def _matched_times(found, chunk) -> dict[int, list[float]]:
    """Per matching, the times of its tracepoints in order (its legs join consecutive ones)."""
    times = defaultdict(list)
    for i, point in enumerate(found["tracepoints"]):
        try:
            times[int(point["matchings_index"])].append((int(point["waypoint_index"]), chunk[i][0]))
        except (TypeError, KeyError, IndexError, RuntimeError):  # a fix that matched no road
            continue
    return {m: [t for _w, t in sorted(found_)] for m, found_ in times.items()}


def _add_matching(matching, times: list[float], since_s: float, sums: dict) -> int:
    legs = matching["legs"]
    coords = [(float(x), float(y)) for x, y in matching["geometry"]["coordinates"]]
    if len(times) != len(legs) + 1:
        return 0
    offset, added = 0, 0
    for k, leg in enumerate(legs):
        nodes = [int(n) for n in leg["annotation"]["nodes"]]
        geometry = coords[offset:offset + len(nodes)]
        offset += len(nodes) - 1
        if times[k + 1] > since_s and len(geometry) == len(nodes):
            added += _add_leg(leg, nodes, geometry, times[k + 1] - times[k], sums, times[k + 1])
    return added


def _add_leg(leg, nodes, geometry, seconds: float, sums: dict, ended_s: float) -> int:
    metres = [float(d) for d in leg["annotation"]["distance"]]
    free = [float(d) for d in leg["annotation"]["duration"]]
    total = sum(metres)
    if seconds <= 0 or seconds > MAX_GAP_S or total < MIN_LEG_M or total / seconds > MAX_LEG_MPS:
        return 0
    # The segments' own durations leave out the turn and signal penalties that the leg's (and an ETA's)
    # include: spread the leg's whole free-flow time over them, so a car at ETA pace measures 1.
    scale = float(leg["duration"]) / sum(free) if sum(free) > 0 else 1.0
    slot = slot_start(datetime.fromtimestamp(ended_s, tz=dt_timezone.utc))
    for j, (a, b) in enumerate(zip(nodes, nodes[1:])):
        if a == b or metres[j] <= 0:
            continue
        row = sums.setdefault((a, b, slot), Sums(ends=[*geometry[j], *geometry[j + 1]]))
        row.samples += 1
        row.metres += metres[j]
        row.seconds += seconds * metres[j] / total
        row.free_flow_s += free[j] * scale
    return 1


_UPSERT = (
    "INSERT INTO traffic_segmentspeed (from_node, to_node, slot_start, zone_id, samples, metres, seconds, free_flow_s,"
    " from_lon, from_lat, to_lon, to_lat) VALUES {values} ON CONFLICT (from_node, to_node, slot_start) DO UPDATE SET"
    " samples = traffic_segmentspeed.samples + EXCLUDED.samples, metres = traffic_segmentspeed.metres + EXCLUDED.metres,"
    " seconds = traffic_segmentspeed.seconds + EXCLUDED.seconds,"
    " free_flow_s = traffic_segmentspeed.free_flow_s + EXCLUDED.free_flow_s"
)


def store(sums: dict, until) -> None:
    """Add the sums to their segments' slots and move the mark, in one transaction: a run that fails
    leaves both as they were, and the next reads the same fixes again."""
    rows = []
    for (a, b, slot), s in sums.items():
        zone = zone_at((s.ends[0] + s.ends[2]) / 2, (s.ends[1] + s.ends[3]) / 2)
        rows.append((a, b, slot, zone, s.samples, s.metres, s.seconds, s.free_flow_s, *s.ends))
    with transaction.atomic():
        with connection.cursor() as cursor:
            for i in range(0, len(rows), 1000):
                part = rows[i:i + 1000]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(part))
                cursor.execute(_UPSERT.format(values=values), [v for row in part for v in row])
        SpeedWatermark.objects.update_or_create(pk=1, defaults={"through": until})


def speeds_measure(*, now=None) -> dict:
    """One run: the fixes since the last, matched and summed. Returns what it did (for the task's log)."""
    now = now or timezone.now()
    since, until = read_window(now)
    router = travel.engines.open_router("car")
    sums: dict = {}
    legs = 0
    if router is not None:
        for fixes in fixes_by_unit(since, until).values():
            legs += measure(fixes, since.timestamp(), router, sums)
    store(sums, until)
    return {"since": since, "until": until, "legs": legs, "segments": len(sums)}
