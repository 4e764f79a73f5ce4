"""Road travel times from candidate points to the demand cells, through the project's one travel
service (`grid.travel`), snapped and cached per road network.

One OSRM table per origin point to every cell of the universe (`demand.universe`): a candidate's
row does not depend on which cells a band's demand falls in, so a row is computed once per road
network, cell set and congestion at the band's time, and every plan, band and move-up after that
reads it from the cache (Redis, shared by the web and worker processes). Off the network or no
road between: infinite (unreachable, never "far")."""
import hashlib
import time
import zlib

import numpy as np
from django.core.cache import cache

from grid import selectors, travel
from grid.travel import OffNetwork
from planning.demand import Cell, universe, universe_digest

CACHE_S = 7 * 24 * 3600


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
    points = [(c.lon, c.lat) for c in cells]
    for n, (origin, key) in enumerate(zip(origins, keys)):
        if key in found:
            matrix[n] = _unpack(found[key], len(cells))
            timing.cached += 1
        else:
            matrix[n] = _row(origin, points, at, profile)
            cache.set(key, _pack(matrix[n]), CACHE_S)
            timing.routed += 1
        if progress and n % 20 == 0:
            progress(n / max(1, len(origins)))
    timing.seconds += time.perf_counter() - started
    return matrix


def _prefix(cells: list[Cell], at, profile: str) -> str:
    network = selectors.active_road_network()
    factors = [travel.congestion_factor(c.lon, c.lat, at) for c in cells]
    congestion = hashlib.sha256(np.asarray(factors).tobytes()).hexdigest()[:12]
    return f"planning:times:{network.pk if network else 0}:{profile}:{universe_digest(cells)}:{congestion}"


def _row(origin, points: list, at, profile: str) -> np.ndarray:
    try:
        legs = travel.durations_from(origin, points, profile=profile, at=at)
    except OffNetwork:
        return np.full(len(points), np.inf)
    return np.array([leg.duration_s if leg is not None else np.inf for leg in legs], dtype=np.float64)


def _pack(row: np.ndarray) -> bytes:
    return zlib.compress(row.astype(np.float32).tobytes(), 1)


def _unpack(blob: bytes, count: int) -> np.ndarray:
    row = np.frombuffer(zlib.decompress(blob), dtype=np.float32).astype(np.float64)
    return row if len(row) == count else np.full(count, np.inf)
