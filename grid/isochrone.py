"""Isochrones: the area reachable from a point within a time, for the console and coverage planning.

How it is drawn (variants measured on the demo city against the routed time of every road point 40 m
apart: at 180 s and 300 s about 2.5 % of the reachable road falls outside the area, and 9-18 % of the
road inside is not reachable in time: one-way streets, and the margin at the edge):
1. Points every BASE_SPACING_M along the network's roads (the dataset's roads.json, merged into
   junction-to-junction lines), only those inside the disc no path could leave in time: the
   network's top speed, tightened by how little road is fast (the straight-line bound `fastest_to` falls
   back on when it has no road-time bound).
2. Thinned on a square grid to at most MAX_SAMPLES, then timed by one OSRM table from the origin.
3. Along each road the edge is interpolated between a reachable and an unreachable point.
4. The reachable points are triangulated; triangles with an edge longer than GAP_M are dropped, so
   a city block between reachable streets is in and the river is out; the rest widened by MARGIN_M.
With no road network loaded the answer is a labelled straight-line disc, like every other ETA.
"""
import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping

from grid import osrm_build, travel
from grid.geometry import LocalProjection, circle
from grid.models import RoadNetwork
from grid.roads import dataset_path

BASE_SPACING_M = 40.0   # the finest sampling along a road
MAX_SAMPLES = 5000      # a table of 5,000 takes ~0.5 s on 2 vCPUs; 3,000 left 2.4x as much reachable road out
GAP_M = 350.0           # longer triangle edges are gaps (rivers, rail yards), not city blocks
MARGIN_M = 40.0         # the width given to the reachable roads
SIMPLIFY_M = 10.0
GRID_GROWTH = 1.15      # thinning cell growth per try


@dataclass(frozen=True)
class RoadSamples:
    """Points along the network's roads in local metres, with the line each lies on and where."""

    projection: LocalProjection
    xy: np.ndarray        # (n, 2) metres
    line_id: np.ndarray   # (n,) index of the merged road line
    pos: np.ndarray       # (n,) metres along that line


def isochrone(origin, seconds: float, *, profile: str = "car", at=None) -> dict:
    """A GeoJSON Feature: the (Multi)Polygon reachable from `origin` within `seconds`, and how many
    points were routed to draw it. OffNetwork when the origin is too far from any road."""
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValidationError(_("The time must be a positive number of seconds."), code="invalid")
    network = travel.engines.current()
    moved = travel.snap(*origin, profile)[2]  # refuses an origin off the network
    if network is None:
        return _estimate(origin, seconds, profile)
    samples = road_samples(str(dataset_path(network)))
    centre = _metres(samples, origin)
    candidates = _inside_disc(samples, centre, reach_m(network, profile, seconds) + moved)
    kept, cell = _thin(samples, candidates, MAX_SAMPLES)
    durations = _durations(samples, kept, origin, profile, at)
    points = _reachable_points(samples, kept, durations, seconds, cell)
    area = _area(np.vstack([points, centre[None, :]]))
    return _feature(samples.projection.to_lonlat(area), seconds, profile, len(kept),
                    int(np.sum(durations <= seconds)), estimated=False)


# --- how far a path can get ----------------------------------------------------------------------

def reach_m(network: RoadNetwork, profile: str, seconds: float) -> float:
    """The longest road path any trip of `seconds` can take: at most L metres of road are faster
    than v (measured at import for each threshold v), the rest is no faster than v."""
    top = top_speed_kmh(network, profile) / 3.6
    best = seconds * top
    if profile not in osrm_build.CH_PROFILES:
        return best  # the fast-road measurements are of the car graph
    for threshold, fast_m in network.measurements.get("fast_road_m", {}).items():
        v = float(threshold) / 3.6
        best = min(best, seconds * top if seconds * top <= fast_m else fast_m + (seconds - fast_m / top) * v)
    return best


_top_speeds: dict[tuple[int, str], float] = {}
_top_speeds_lock = threading.Lock()


def top_speed_kmh(network: RoadNetwork, profile: str) -> float:
    """The car's top speed was measured at import; other profiles' are read from their own graph
    once per process (~0.7 s for the demo city's foot graph)."""
    if profile in osrm_build.CH_PROFILES:
        return network.max_speed_kmh
    with _top_speeds_lock:
        if (network.pk, profile) not in _top_speeds:
            bbox = (network.min_lon, network.min_lat, network.max_lon, network.max_lat)
            speeds = osrm_build.speed_profile(travel.engines.router(profile), bbox)
            _top_speeds[(network.pk, profile)] = osrm_build.max_speed_kmh(speeds)
        return _top_speeds[(network.pk, profile)]


# --- sampling ------------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def road_samples(dataset_dir: str) -> RoadSamples:
    """Sampled once per process and dataset (a dataset folder never changes: it is named by hash)."""
    roads = json.loads((Path(dataset_dir) / "roads.json").read_text())["roads"]
    network = shapely.line_merge(shapely.MultiLineString([coords for _, _, coords in roads]))
    min_lon, min_lat, max_lon, max_lat = network.bounds
    projection = LocalProjection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    lines = shapely.get_parts(projection.to_metres(network))
    lengths = shapely.length(lines)
    per_line = np.floor(lengths / BASE_SPACING_M).astype(int) + 2  # both ends and every 40 m between
    line_id = np.repeat(np.arange(len(lines)), per_line)
    step = np.arange(per_line.sum()) - np.repeat(np.cumsum(per_line) - per_line, per_line)
    pos = np.minimum(step * BASE_SPACING_M, lengths[line_id])
    xy = shapely.get_coordinates(shapely.line_interpolate_point(lines[line_id], pos))
    return RoadSamples(projection, xy, line_id, pos)


def _metres(samples: RoadSamples, point) -> np.ndarray:
    return shapely.get_coordinates(samples.projection.to_metres(shapely.Point(point)))[0]


def _inside_disc(samples: RoadSamples, centre: np.ndarray, radius_m: float) -> np.ndarray:
    return np.nonzero(np.hypot(*(samples.xy - centre).T) <= radius_m)[0]


def _thin(samples: RoadSamples, candidates: np.ndarray, cap: int) -> tuple[np.ndarray, float]:
    """At most `cap` of the candidates, one per grid cell, and the cell size that achieved it."""
    cell = BASE_SPACING_M
    while True:
        ij = np.floor(samples.xy[candidates] / cell).astype(np.int64)
        # One number per cell: a city is never 4 million cells across.
        _, first = np.unique(ij[:, 0] * 4_000_037 + ij[:, 1], return_index=True)
        if len(first) <= cap:
            return np.sort(candidates[first]), cell
        cell *= GRID_GROWTH


def _durations(samples: RoadSamples, kept: np.ndarray, origin, profile: str, at) -> np.ndarray:
    """Seconds from the origin to each kept sample; infinity where OSRM found no way."""
    if not len(kept):
        return np.zeros(0)
    lonlat = shapely.get_coordinates(samples.projection.to_lonlat(shapely.points(samples.xy[kept])))
    legs = travel.durations_from(origin, [tuple(p) for p in lonlat.tolist()], profile=profile, at=at)
    return np.array([math.inf if leg is None else leg.duration_s for leg in legs])


# --- from timed points to an area ---------------------------------------------------------------

def _reachable_points(samples: RoadSamples, kept: np.ndarray, durations: np.ndarray, seconds: float,
                      cell: float) -> np.ndarray:
    """The reachable samples, plus where each road stops being reachable between two samples
    (time taken as linear along the road: samples are a cell or two apart)."""
    order = np.lexsort((samples.pos[kept], samples.line_id[kept]))
    kept, durations = kept[order], durations[order]
    a, b = kept[:-1], kept[1:]
    # Neighbours on one line only; thinning may have left a long stretch unsampled in between.
    adjacent = (samples.line_id[a] == samples.line_id[b]) & (samples.pos[b] - samples.pos[a] <= 2.5 * cell)
    ends = [_edge(samples.xy[a], samples.xy[b], durations[:-1], durations[1:], adjacent, seconds),
            _edge(samples.xy[b], samples.xy[a], durations[1:], durations[:-1], adjacent, seconds)]
    return np.vstack([samples.xy[kept[durations <= seconds]], *ends])


def _edge(start, end, t_start, t_end, adjacent, seconds: float) -> np.ndarray:
    """The point between `start` (reachable) and `end` (not) where the time runs out."""
    crossing = adjacent & (t_start <= seconds) & (t_end > seconds)
    t0, t1 = t_start[crossing], t_end[crossing]
    # An unroutable neighbour (infinite time): go halfway, as far as the sampling can tell.
    fraction = np.where(np.isfinite(t1), (seconds - t0) / np.where(np.isfinite(t1), t1 - t0, 1.0), 0.5)
    return start[crossing] + np.clip(fraction, 0.0, 1.0)[:, None] * (end[crossing] - start[crossing])


def _area(points: np.ndarray):
    """Short-edged Delaunay triangles over the points, widened by MARGIN_M; lone points count too."""
    triangles = shapely.get_parts(shapely.delaunay_triangles(shapely.MultiPoint(points)))
    if len(triangles):
        corners = shapely.get_coordinates(triangles).reshape(-1, 4, 2)
        triangles = triangles[np.linalg.norm(np.diff(corners, axis=1), axis=2).max(axis=1) <= GAP_M]
    # The triangles of one triangulation never overlap: their coverage union is cheap (~ms).
    filled = shapely.coverage_union_all(triangles) if len(triangles) else shapely.Polygon()
    lone = points[~shapely.intersects_xy(filled.buffer(1.0), points[:, 0], points[:, 1])] if len(triangles) else points
    area = shapely.union_all([filled.buffer(MARGIN_M, quad_segs=3),
                              shapely.MultiPoint(lone).buffer(MARGIN_M, quad_segs=3)])
    return area.simplify(SIMPLIFY_M)


def _estimate(origin, seconds: float, profile: str) -> dict:
    """No road network: the straight-line disc the fallback ETAs imply, labelled estimated."""
    radius = seconds * settings.FALLBACK_SPEED_KMH / 3.6 / settings.FALLBACK_DETOUR_FACTOR
    return _feature(circle(*origin, radius), seconds, profile, 0, 0, estimated=True)


def _feature(area, seconds: float, profile: str, samples: int, reachable: int, *, estimated: bool) -> dict:
    area = shapely.set_precision(area, 1e-6)
    return {"type": "Feature", "geometry": mapping(area),
            "properties": {"seconds": seconds, "profile": profile, "samples": samples, "reachable": reachable,
                           "estimated": estimated}}

