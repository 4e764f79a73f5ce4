"""Road closures on the routing (交通管制): while road segments are closed, the car is routed on a copy
of the network's car dataset with those segments closed, so every route, table and ETA goes around them.

How: OSRM's traffic update. The closed segments (pairs of OSM node ids, both ways) are written to a
segment-speed file at speed 0, which osrm-customize applies to a copy of the MLD graph in about 0.2 s
(measured on the demo city); a speed of 0 makes the segment impassable and unsnappable. One copy per
set of closed segments, named by the set's hash, built once and shared by every process on the machine.

Why not OSRM's `exclude`: it works only on classes fixed in the profile when the graph is built (toll,
motorway, ferry), not on a stretch closed for this afternoon's event. Why not refusing routes through a
closure and routing again: the engine's tables give no paths to check, and a route found to cross one
has no exact next best; on the closed copy the answer stays exact.

The ETA lower bound (docs/routing.md). A closure only makes routes longer: every route on the closed
copy is a route on the open network with the same segment durations. But it also changes where OSRM
puts a point (a closed segment is never snapped to), and step 3 of the proof relies on that. So the
road-time bound is kept only for a point whose snapping cannot change: no closed segment lies within
reach(g) of it, g being its nearest big road's distance (then OSRM offers it the same segments as on
the open network). Every other point takes the straight-line bound, which holds on any subgraph; and
when the target itself is such a point, every unit does (`clear_of`). tests/grid/test_closures.py
checks the bound and the exact ranking against the closed network's own tables.

Which segments are closed comes from `settings.TRAVEL_CLOSURES`, a dotted path to a function of the
active network returning [(segments, line coordinates)] (traffic.control.closed_now): grid sits below the
app that keeps them."""
import fcntl
import hashlib
import json
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.utils.module_loading import import_string

from grid import osrm_build

PROFILES = ("car",)        # a closed road is closed to traffic; a foot patrol still walks it
RECHECK_S = 2.0            # how often a process asks which segments are closed
KEEP_OLD_S = 3600.0        # copies for sets no longer in use are removed after this long


@dataclass(frozen=True)
class Closed:
    """The segments closed now: OSM node pairs and the lines they make (lon, lat)."""

    key: str
    segments: tuple[tuple[int, int], ...]
    lines: tuple[tuple[tuple[float, float], ...], ...]


def closed_set(rows) -> Closed | None:
    """[(segments, line coordinates)] as one Closed, keyed by its segments; None when nothing is closed."""
    segments = sorted({(int(a), int(b)) for found, _line in rows for a, b in found})
    if not segments:
        return None
    key = hashlib.sha256(json.dumps(segments).encode()).hexdigest()[:16]
    lines = tuple(tuple((float(x), float(y)) for x, y in line) for _segments, line in rows if len(line) >= 2)
    return Closed(key=key, segments=tuple(segments), lines=lines)


_now = {"checked_at": -math.inf, "network": None, "closed": None}


def closed_now(network) -> Closed | None:
    """The segments of `network` closed now, asked at most once per RECHECK_S per process."""
    if network is None or not getattr(settings, "TRAVEL_CLOSURES", ""):
        return None
    if time.monotonic() - _now["checked_at"] > RECHECK_S or _now["network"] != network.pk:
        closed = closed_set(import_string(settings.TRAVEL_CLOSURES)(network))
        _now.update(checked_at=time.monotonic(), network=network.pk, closed=closed)
    return _now["closed"]


def forget() -> None:
    _now.update(checked_at=-math.inf, network=None, closed=None)


# --- the closed copy of the car dataset --------------------------------------------------------

def dataset_dir(network, closed: Closed) -> Path:
    """Where the closed copy lives: beside the network's folder, one folder per closed set."""
    return settings.ROAD_DATA_DIR / f"{network.dataset_dir}-closed" / closed.key


def prepare(network, closed: Closed) -> Path:
    """The closed copy's folder, built if missing (under a file lock: two processes never build one twice)."""
    from grid.roads import dataset_path

    final = dataset_dir(network, closed)
    if (final / "ready").is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (final / "ready").is_file():
            _build(dataset_path(network) / "car", final, closed)
            _prune(final.parent, keep=final.name)
    return final


def _build(source: Path, final: Path, closed: Closed) -> None:
    work = final.parent / f"building-{closed.key}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work / "car")
    speeds = work / "closed.csv"
    speeds.write_text("".join(f"{a},{b},0\n{b},{a},0\n" for a, b in closed.segments))
    try:
        osrm_build.customize(work / "car", speeds)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    (work / "ready").write_text(json.dumps({"segments": len(closed.segments)}))
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)


def _prune(folder: Path, *, keep: str) -> None:
    """Copies of closed sets no longer in use (after KEEP_OLD_S: a process may still route on one)."""
    for old in folder.iterdir():
        if old.is_dir() and old.name != keep and time.time() - old.stat().st_mtime > KEEP_OLD_S:
            shutil.rmtree(old, ignore_errors=True)


def engine(network, closed: Closed):
    """An OSRM engine on the closed copy (MLD: customize updates that graph, not the CH)."""
    return osrm_build.engine(prepare(network, closed), "car", "MLD")


# --- which points keep the road-time bound -----------------------------------------------------

def clear_of(times, closed: Closed, points: list[tuple[float, float]]) -> np.ndarray:
    """For each (lon, lat): no closed segment within reach(g) of it (g: its nearest big road's distance,
    in `times`' projection), so OSRM snaps it on the closed copy exactly as on the open network."""
    if not points:
        return np.zeros(0, dtype=bool)
    xy = times.project(*np.array(points, dtype=float).T)
    spots = shapely.points(xy)
    if not len(times.big):
        return np.zeros(len(points), dtype=bool)
    hits, gaps = times.big_tree.query_nearest(spots, return_distance=True)
    g = np.full(len(points), np.inf)
    np.minimum.at(g, hits[0], gaps)
    lines = shapely.multilinestrings([shapely.linestrings(times.project(*np.array(line).T)) for line in closed.lines])
    return shapely.distance(spots, lines) > times.reach(g) + 1.0
