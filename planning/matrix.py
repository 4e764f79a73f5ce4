"""Road travel times from candidate points to the demand cells, on the project's one travel service's
engines (`grid.travel`), snapped and cached per road network.

A row per origin point to every cell of the universe (`cells.universe`): a candidate's row does not
depend on which cells a band's demand falls in, so it is computed once per road network, cell set
and congestion at the band's time, and every plan, band and move-up after that reads it from the
cache (Redis, shared by the web and worker processes). Rows missing from the cache are routed in
many-to-many OSRM tables of BATCH origins, read as `grid.travel.durations_to` reads its tables (the
dispatch engine's: an origin snapped beyond SNAP_LIMIT_M is off the network, the congestion of the
target's zone at the band's time applies): one table of a hundred origins costs about what one
origin's one-to-many table does. Off the network or no road between: infinite (unreachable, never
"far")."""
import hashlib
import time
import zlib

import numpy as np
import osrm
from django.conf import settings
from django.core.cache import cache

from grid import selectors, travel
from planning.cells import Cell, universe, universe_digest

CACHE_S = 7 * 24 * 3600
BATCH = 100


class Timing:
    """What computing a matrix cost: rows read from the cache, rows routed, seconds."""

    def __init__(self):
        self.cached = self.routed = 0
        self.seconds = 0.0

    def as_dict(self) -> dict:
        return {"rows_cached": self.cached, "rows_routed": self.routed, "seconds": round(self.seconds, 3)}


def times_from(origins: list, *, at=None, profile: str = "car", timing: Timing | None = None,
               progress=None) -> np.ndarray:
    """seconds[origin, cell] on the road to every cell of the universe, in its order (the congestion
    of each cell's zone at `at` applied). A band's cells are a subset: index the columns."""
    started, timing = time.perf_counter(), timing if timing is not None else Timing()
    cells = universe()
    prefix = _prefix(cells, at, profile)
    keys = [f"{prefix}:{lon:.6f},{lat:.6f}" for lon, lat in origins]
    found = cache.get_many(keys)
    matrix = np.full((len(origins), len(cells)), np.inf, dtype=np.float64)
    missing = []
    for n, key in enumerate(keys):
        if key in found:
            matrix[n] = _unpack(found[key], len(cells))
        else:
            missing.append(n)
    timing.cached += len(origins) - len(missing)
    points = [(c.lon, c.lat) for c in cells]
    factors = np.array([travel.congestion_factor(*p, at) for p in points]) if missing else None
    for start in range(0, len(missing), BATCH):
        rows = missing[start:start + BATCH]
        matrix[rows] = table([origins[n] for n in rows], points, profile) * factors[None, :]
        cache.set_many({keys[n]: _pack(matrix[n]) for n in rows}, CACHE_S)
        timing.routed += len(rows)
        if progress:
            progress((start + len(rows)) / len(missing))
    timing.seconds += time.perf_counter() - started
    return matrix


def _prefix(cells: list[Cell], at, profile: str) -> str:
    network = selectors.active_road_network()
    factors = [travel.congestion_factor(c.lon, c.lat, at) for c in cells]
    congestion = hashlib.sha256(np.asarray(factors).tobytes()).hexdigest()[:12]
    return f"planning:times:{network.pk if network else 0}:{profile}:{universe_digest(cells)}:{congestion}"


def table(origins: list, points: list, profile: str = "car") -> np.ndarray:
    """seconds[origin, point] in one OSRM table (free flow); an origin snapped beyond the limit is off
    the network (infinite); without a road network, the travel service's straight-line estimate."""
    router = travel.engines.router(profile)
    if router is None:
        return np.array([[travel.estimate(o, p).duration_s for p in points] for o in origins])
    count = len(origins)
    result = router.Table(osrm.TableParameters(
        coordinates=list(origins) + list(points), sources=list(range(count)),
        destinations=list(range(count, count + len(points))), annotations=["duration"]))
    rows = np.array([[np.inf if d is None else float(d) for d in row] for row in result["durations"]])
    off = np.array([float(w["distance"]) > settings.SNAP_LIMIT_M for w in result["sources"]])
    rows[off] = np.inf
    return rows


def _pack(row: np.ndarray) -> bytes:
    return zlib.compress(row.astype(np.float32).tobytes(), 1)


def _unpack(blob: bytes, count: int) -> np.ndarray:
    row = np.frombuffer(zlib.decompress(blob), dtype=np.float32).astype(np.float64)
    return row if len(row) == count else np.full(count, np.inf)
