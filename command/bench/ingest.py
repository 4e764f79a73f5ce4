"""`manage.py bench ingest`: position fixes accepted per second and visible in the GEO set, with
the latency of a batch, through the service and through the HTTP endpoint, beside a naive baseline
(one UPDATE of the unit's row per fix) measured in the same run.

Everything happens inside one transaction that is rolled back at the end, on Redis keys of the
bench's own prefix that are deleted at the end: the dev data and the live map are left untouched.
The HTTP figures go through Django's test client in this process (the whole request path: URL,
middleware, token authentication, DRF, the view), not a socket: the fleet exists only inside the
bench's uncommitted transaction, which a server in another process could not see.
"""
import json
import os
import random
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from shapely.geometry import Point

from command.bench.routing import percentiles
from command.models import Membership
from common.roles import Role
from grid.selectors import served_area
from platforms import positions, tracks
from platforms.models import District, Platform, Shift, Squad, Unit, UnitStatus
from platforms.positions import Fix


class _RollBack(Exception):
    """Leaves the bench's transaction: its fleet, users and track points never existed."""


class Fleet:
    """Throwaway units on duty at random points of the served area, each sending a drifting fix."""

    def __init__(self, unit_ids: list[int], rng: random.Random):
        area = served_area().buffer(-0.003)
        min_lon, min_lat, max_lon, max_lat = area.bounds
        self.unit_ids, self.rng = unit_ids, rng
        self.home = []
        while len(self.home) < len(unit_ids):
            lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
            if area.contains(Point(lon, lat)):
                self.home.append((lon, lat))
        self.last = {}  # unit id -> (ms, lon, lat) of the last fix sent
        self.cursor = 0

    def next_batch(self, size: int, *, per_unit: int = 1) -> list[Fix]:
        """`size` fixes: `per_unit` consecutive ones from each unit in turn (5 = a tablet's batch)."""
        fixes, now_ms = [], int(time.time() * 1000)
        while len(fixes) < size:
            index = self.cursor % len(self.unit_ids)
            self.cursor += 1
            for step in range(min(per_unit, size - len(fixes))):
                fixes.append(self._fix(index, now_ms - (per_unit - 1 - step) * 200))
        return fixes

    def _fix(self, index: int, ms: int) -> Fix:
        unit_id, (home_lon, home_lat) = self.unit_ids[index], self.home[index]
        last_ms, lon, lat = self.last.get(unit_id, (0, home_lon, home_lat))
        ms = max(ms, last_ms + 1)
        # A walk of about 10 m a fix near home: a believable drive, never a jump the ingest flags
        # (AVL_JUMP_SLACK_M) however close in time two fixes are sent.
        lon = min(max(lon + self.rng.uniform(-1e-4, 1e-4), home_lon - 0.002), home_lon + 0.002)
        lat = min(max(lat + self.rng.uniform(-1e-4, 1e-4), home_lat - 0.002), home_lat + 0.002)
        self.last[unit_id] = (ms, lon, lat)
        return Fix(unit_id=unit_id, lon=lon, lat=lat, at=datetime.fromtimestamp(ms / 1000, dt_timezone.utc),
                   speed_mps=round(self.rng.uniform(0, 15), 2), bearing=round(self.rng.uniform(0, 359), 1),
                   accuracy_m=5.0, battery=80.0)


def run(*, units: int, seconds: float, batch: int, http_seconds: float, http_batches: list[int],
        baseline_seconds: float, seed: int) -> dict:
    prefix = f"avlbench:{os.getpid()}:{int(time.time())}:"
    with override_settings(AVL_KEY_PREFIX=prefix), _no_connection_recycling():
        try:
            with transaction.atomic():
                result = _measure(units, seconds, batch, http_seconds, http_batches, baseline_seconds, seed)
                raise _RollBack
        except _RollBack:
            pass
        finally:
            positions.avl_wipe()
    return result


def _measure(units, seconds, batch, http_seconds, http_batches, baseline_seconds, seed) -> dict:
    fleet = Fleet(_throwaway_units(units), random.Random(seed))
    result = {"units": units, "seconds": seconds,
              "service": _drive(fleet, seconds, batch, _accept), "service_check": _check(fleet)}
    client = _http_client()
    result["http"] = {}
    for size in http_batches:
        per_unit = 5 if size <= 5 else 1  # small batches are a tablet's: one unit's last 5 fixes
        send = lambda fixes: _post(client, fixes)  # noqa: E731
        result["http"][f"batch_{size}"] = _drive(fleet, http_seconds, size, send, per_unit=per_unit)
    result["http_check"] = _check(fleet)
    result["track_flush"] = _flush()
    result["baseline_update_per_fix"] = _baseline(fleet, baseline_seconds)
    service, naive = result["service"]["fixes_per_s"], result["baseline_update_per_fix"]["fixes_per_s"]
    result["speedup_vs_baseline"] = round(service / naive, 1) if naive else None
    result["stats"] = positions.avl_stats()
    result["stats"]["suspect_units"] = len(result["stats"]["suspect_units"])  # units flagged for a jump
    return result


def _throwaway_units(count: int) -> list[int]:
    now = timezone.now()
    district = District.objects.create(code=f"BENCH{os.getpid()}", name="bench")
    area = served_area().representative_point()
    platform = Platform.objects.create(code=f"BENCH{os.getpid()}", name="bench", district=district,
                                       lon=area.x, lat=area.y)
    squad = Squad.objects.create(platform=platform, number=1, name="bench")
    shift = Shift.objects.create(squad=squad, kind="day", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=8), approved=True)
    made = Unit.objects.bulk_create(
        [Unit(call_sign=f"B{i:05d}", shift=shift, platform=platform, status=UnitStatus.AVAILABLE)
         for i in range(count)], batch_size=1000)
    return [unit.pk for unit in made]


def _accept(fixes: list[Fix]):
    return positions.fixes_accept(fixes=fixes, source="bench").accepted


def _post(client: Client, fixes: list[Fix]) -> int:
    body = {"fixes": [{"unit": fix.unit_id, "lon": fix.lon, "lat": fix.lat, "at": fix.at.isoformat(),
                       "speed": fix.speed_mps, "bearing": fix.bearing, "accuracy": fix.accuracy_m,
                       "battery": fix.battery} for fix in fixes]}
    response = client.post("/api/v1/positions", json.dumps(body), content_type="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"the endpoint answered {response.status_code}: {response.content[:200]!r}")
    return response.json()["accepted"]


def _drive(fleet: Fleet, seconds: float, size: int, send, *, per_unit: int = 1) -> dict:
    """Send batches back to back for `seconds`; time each send."""
    latencies, sent, accepted = [], 0, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        fixes = fleet.next_batch(size, per_unit=per_unit)
        began = time.perf_counter()
        accepted += send(fixes)
        latencies.append(time.perf_counter() - began)
        sent += len(fixes)
    elapsed = time.perf_counter() - started
    return {"batch_size": size, "batches": len(latencies), "sent": sent, "accepted": accepted,
            "fixes_per_s": round(accepted / elapsed), "fixes_per_s_inside_accept": round(accepted / sum(latencies)),
            "batch_ms": percentiles(latencies), "per_fix_us": percentiles(latencies, scale=1e6 / size)}


def _check(fleet: Fleet) -> dict:
    """Every unit's GEO position and last state must be its last fix sent: `lost` counts those not."""
    client = positions.redis_client()
    ids = list(fleet.last)
    geo = client.geopos(positions.key("units"), *ids)
    pipe = client.pipeline(transaction=False)
    for unit_id in ids:
        pipe.hget(positions.unit_key(unit_id), "at")
    stamps = pipe.execute()
    lost = 0
    for unit_id, where, stamp in zip(ids, geo, stamps):
        ms, lon, lat = fleet.last[unit_id]
        # GEO members are 52-bit geohashes: about 0.6 m of rounding, well inside 1e-5 degrees.
        placed = where is not None and abs(where[0] - lon) < 1e-5 and abs(where[1] - lat) < 1e-5
        lost += not (placed and stamp is not None and int(stamp) == ms)
    return {"units_checked": len(ids), "lost": lost, "track_backlog": client.xlen(positions.key("track"))}


def _flush(seconds: float = 10.0) -> dict:
    """Move the backlog into TrackPoint (inside the bench's transaction) for up to `seconds`, as the
    beat task does: batches of AVL_FLUSH_BATCH."""
    backlog = positions.redis_client().xlen(positions.key("track"))
    started, moved = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        step = tracks.track_flush(max_batches=1)
        moved += step
        if step == 0:
            break
    elapsed = time.perf_counter() - started
    return {"rows": moved, "backlog_before": backlog, "seconds": round(elapsed, 2),
            "rows_per_s": round(moved / elapsed) if elapsed else None}


def _baseline(fleet: Fleet, seconds: float) -> dict:
    """The naive way: one UPDATE of the unit's row per fix (inside the bench's transaction, so it
    pays no commit per fix: a flattering baseline)."""
    latencies = []
    started = time.perf_counter()
    with connection.cursor() as cursor:
        while time.perf_counter() - started < seconds:
            for fix in fleet.next_batch(100):
                began = time.perf_counter()
                cursor.execute("UPDATE platforms_unit SET lon = %s, lat = %s, last_fix_at = %s WHERE id = %s",
                               [fix.lon, fix.lat, fix.at, fix.unit_id])
                latencies.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - started
    return {"fixes": len(latencies), "fixes_per_s": round(len(latencies) / elapsed),
            "per_fix_us": percentiles(latencies, scale=1e6)}


def _http_client() -> Client:
    """A client with a dispatcher's token, as the simulator uses."""
    user = get_user_model().objects.create(username=f"bench-{os.getpid()}-{int(time.time())}")
    Membership.objects.create(user=user, role=Role.DISPATCHER)
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


class _no_connection_recycling:
    """The test client fires request_started/finished, which would close the connection that holds
    the bench's transaction (Django's own test runner unhooks them the same way)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
