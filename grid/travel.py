"""Travel times on the road network: the one service every ETA in the product goes through.

- `durations_to(target, sources)`: many units -> one incident (a full OSRM table).
- `fastest_to(target, candidates, k)`: the same question answered exactly for the k fastest, pruned
  by a lower bound so only the units that could win are routed (the dispatch hot path).
- `durations_from(origin, targets)`: one point -> many (mobilization, coverage, isochrones).
- `route(origin, target)`: geometry and turn-by-turn steps (tablet navigation, console lines).

A point farther than SNAP_LIMIT_M from any road raises OffNetwork; it is never silently routed.
With no road network loaded every answer is a straight-line estimate, flagged `estimated`.
Travel times are multiplied by the congestion factor of the destination's zone at that time.
"""
import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import osrm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid import closures, congestion, lower_bound, osrm_build, selectors
from grid.geometry import EARTH_RADIUS_M, distance_m
from grid.models import RoadNetwork

BATCH = 64              # the most units routed per OSRM table while pruning (~0.1 ms a unit)
FIRST_BATCH_EXTRA = 5   # the first table routes k + this many, each next one twice as many
FIRST_LIMIT_S = 180     # road bounds are searched this far first (the demo's 3rd-best ETA: p99 119 s)
RECHECK_NETWORK_S = 5   # how often a process looks for a newly imported network


class OffNetwork(ValidationError):
    """The point is too far from any road to be routed."""


class NoRoute(ValidationError):
    """Both points are on the network, but no road joins them (e.g. on foot across the river)."""


@dataclass(frozen=True)
class Leg:
    duration_s: float
    distance_m: float
    estimated: bool = False  # True: a straight-line estimate, no road network was used


@dataclass
class Route:
    duration_s: float
    distance_m: float
    geometry: dict
    steps: list[dict] = field(default_factory=list)
    estimated: bool = False


@dataclass(frozen=True)
class Candidate:
    key: object
    lon: float
    lat: float
    extra_s: float = 0.0  # turnout time by the unit's state, added to the road time
    # How far OSRM may move this point onto a road: the snap distance when the position was snapped
    # on arrival (as unit fixes are), else unknown, i.e. up to the snapping limit.
    snap_slack_m: float | None = None


# --- the loaded network, one engine per profile per process ---------------------------------

class _Engines:
    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = -math.inf
        self.network: RoadNetwork | None = None
        self.routers: dict[str, osrm.OSRM] = {}

    def current(self) -> RoadNetwork | None:
        if time.monotonic() - self.checked_at > RECHECK_NETWORK_S:
            with self.lock:
                active = selectors.active_road_network()
                if active is None or self.network is None or active.pk != self.network.pk:
                    self.network, self.routers = active, {}
                self.checked_at = time.monotonic()
        return self.network

    def router(self, profile: str) -> osrm.OSRM | None:
        """The profile's engine; for the car while road segments are closed, the closed copy's."""
        network = self.current()
        if network is None:
            return None
        closed = closures.closed_now(network) if profile in closures.PROFILES else None
        key = (profile, closed.key if closed else None)
        with self.lock:
            if key not in self.routers:
                self.routers = {k: r for k, r in self.routers.items() if k[0] != profile or k[1] is None}
                self.routers[key] = self._engine(network, profile, closed)
            return self.routers[key]

    def open_router(self, profile: str) -> osrm.OSRM | None:
        """The profile's engine on the open network, closures or not (drawing a new closure)."""
        network = self.current()
        if network is None:
            return None
        with self.lock:
            if (profile, None) not in self.routers:
                self.routers[(profile, None)] = self._engine(network, profile, None)
            return self.routers[(profile, None)]

    @staticmethod
    def _engine(network: RoadNetwork, profile: str, closed) -> osrm.OSRM:
        if closed is not None:
            return closures.engine(network, closed)
        algorithm = network.algorithm if profile in osrm_build.CH_PROFILES else "MLD"
        from grid.roads import dataset_path

        return osrm_build.engine(dataset_path(network), profile, algorithm)

    def reset(self) -> None:
        with self.lock:
            self.checked_at, self.network, self.routers = -math.inf, None, {}
        closures.forget()


engines = _Engines()


# --- congestion --------------------------------------------------------------------------------

def congestion_factor(lon: float, lat: float, at=None) -> float:
    """The factor of an ETA to the point at `at`: a hand-made band, else the fleet's measured factor
    for its zone, else 1; never below 1 (grid/congestion.py)."""
    return congestion.factor_at(lon, lat, at)


# --- snapping ----------------------------------------------------------------------------------

def snap(lon: float, lat: float, profile: str = "car") -> tuple[float, float, float]:
    """(lon, lat, metres moved) of the nearest road point; OffNetwork beyond the snapping limit."""
    router = engines.router(profile)
    if router is None:
        return lon, lat, 0.0
    waypoint = router.Nearest(osrm.NearestParameters(coordinates=[(lon, lat)]))["waypoints"][0]
    moved = float(waypoint["distance"])
    if moved > settings.SNAP_LIMIT_M:
        raise OffNetwork(_("The point (%(lon).5f, %(lat).5f) is %(moved).0f m from the nearest road (limit %(limit).0f m).")
                         % {"lon": lon, "lat": lat, "moved": moved, "limit": settings.SNAP_LIMIT_M}, code="off_network")
    location = waypoint["location"]
    return float(location[0]), float(location[1]), moved


# --- many -> one and one -> many ---------------------------------------------------------------

def durations_to(target, sources, *, profile: str = "car", at=None, congestion_share: float = 1.0) -> list[Leg | None]:
    """Travel from each source (lon, lat) to `target`; None for a source off the network. A mode held by
    only part of the car's congestion delay gives its share (grid.modes)."""
    factor = shared_factor(congestion_factor(*target, at), congestion_share)
    return [_scaled(leg, factor) for leg in _table(list(sources), target, profile, towards=True)]


def durations_from(origin, targets, *, profile: str = "car", at=None) -> list[Leg | None]:
    """Travel from `origin` to each target; congestion of each target's zone applies."""
    targets = list(targets)
    legs = _table(targets, origin, profile, towards=False)
    return [_scaled(leg, congestion_factor(*point, at)) for leg, point in zip(legs, targets)]


def shared_factor(factor: float, share: float) -> float:
    """The factor of a mode that bears `share` (0..1) of the car's congestion delay: never below 1, so
    every lower bound that relies on traffic only slowing holds for it too."""
    return 1.0 + min(max(share, 0.0), 1.0) * (factor - 1.0)


def _scaled(leg: Leg | None, factor: float) -> Leg | None:
    if leg is None or factor == 1.0:
        return leg
    return Leg(leg.duration_s * factor, leg.distance_m, leg.estimated)


def _table(points: list, anchor, profile: str, *, towards: bool) -> list[Leg | None]:
    """One OSRM table between `points` and `anchor` (points -> anchor if `towards`)."""
    router = engines.router(profile)
    snap(*anchor, profile)  # refuses an anchor off the network
    if router is None:
        return [estimate(point, anchor) for point in points]
    if not points:
        return []
    n = len(points)
    # No `radiuses`: OSRM would refuse the whole table for one unsnappable point. Every point is
    # snapped instead, and a leg whose point moved beyond the limit is dropped below.
    result = router.Table(osrm.TableParameters(
        coordinates=list(points) + [anchor], sources=list(range(n)) if towards else [n],
        destinations=[n] if towards else list(range(n)), annotations=["duration", "distance"]))
    waypoints = result["sources"] if towards else result["destinations"]
    durations, distances = result["durations"], result["distances"]
    return [_leg(durations[i][0] if towards else durations[0][i], distances[i][0] if towards else distances[0][i],
                 waypoints[i]["distance"]) for i in range(n)]


def _leg(duration, distance, snapped_m) -> Leg | None:
    if duration is None or float(snapped_m) > settings.SNAP_LIMIT_M:
        return None
    return Leg(float(duration), float(distance))


def estimate(point, anchor) -> Leg:
    """The labelled straight-line estimate: distance x detour factor at the fallback speed."""
    metres = distance_m(*point, *anchor) * settings.FALLBACK_DETOUR_FACTOR
    return Leg(metres / (settings.FALLBACK_SPEED_KMH / 3.6), metres, estimated=True)


# --- the hot path: exact top-k by ETA, routing only who could win ------------------------------

def fastest_to(target, candidates: list[Candidate], *, k: int = 1, profile: str = "car", at=None,
               congestion_share: float = 1.0) -> list[tuple[Candidate, Leg]]:
    """The k candidates that reach `target` soonest (road time x congestion + extra_s), exactly.

    Candidates are routed in order of a lower bound on their ETA, in tables of k + FIRST_BATCH_EXTRA,
    then twice as many each time (up to BATCH), never past a unit whose bound exceeds the k-th best
    ETA found. Routing stops once the next bound exceeds that ETA, so the answer equals what one table
    over every candidate would give (ties included: a unit whose bound equals the k-th ETA is still
    routed) — across the river too, where a unit close in a straight line is routed and found slow,
    and never wrongly preferred. The bounds (`_Bounds`: the profile's road time, else the straight line)
    and why they never exceed OSRM's time: docs/routing.md."""
    if k < 1:
        return []
    network = engines.current()
    if network is None or not candidates:
        return _rank_all(target, candidates, k, profile, at, congestion_share)
    factor = shared_factor(congestion_factor(*target, at), congestion_share)
    target_moved = snap(*target, profile)[2]
    bounds = _Bounds(target, target_moved, candidates, network, factor, profile)
    order = np.argsort(bounds.values, kind="stable")
    ordered = bounds.values[order]
    found: list[tuple[float, int, Candidate, Leg]] = []
    start, size = 0, k + FIRST_BATCH_EXTRA
    while start < len(order):
        end = start + size
        if len(found) >= k:
            kth = found[k - 1][0]
            if ordered[start] > kth:
                break
            # Only a unit whose bound does not exceed the k-th ETA found so far may still win.
            end = min(end, start + int(np.searchsorted(ordered[start:], kth, side="right")))
        if bounds.settle(order[start:end]):
            # Bounds cut short by the search limit were about to be used: now searched in full.
            rest = order[start:]
            order[start:] = rest[np.argsort(bounds.values[rest], kind="stable")]
            ordered = bounds.values[order]
            continue
        found = _route_batch(found, order[start:end], candidates, target, profile, factor)
        start, size = end, min(size * 2, BATCH)
    return [(candidate, leg) for _, _, candidate, leg in found[:k]]


def _route_batch(found: list, chosen, candidates, target, profile: str, factor: float) -> list:
    """`found` with the routed ETAs of the `chosen` candidates merged in, best first (ties: the lower index)."""
    batch = [candidates[i] for i in chosen]
    legs = _table([(c.lon, c.lat) for c in batch], target, profile, towards=True)
    found = found + [(leg.duration_s * factor + c.extra_s, int(i), c, _scaled(leg, factor))
                     for i, c, leg in zip(chosen, batch, legs) if leg is not None]
    return sorted(found, key=lambda item: (item[0], item[1]))


class _Bounds:
    """Each candidate's ETA lower bound: the road-time bound of `grid.lower_bound` on the profile's own
    dataset (free-flow time x congestion + extra time); without it (a profile it was not checked for,
    a dataset it cannot read, a target it cannot place), the straight-line bound.

    The Dijkstra first stops at FIRST_LIMIT_S: a unit beyond gets that as its road time, a valid
    but weaker bound, made final (searched in full) only if it reaches the front. A hair is taken
    off the road time for float summation order: it is often exactly OSRM's."""

    def __init__(self, target, target_moved: float, candidates, network: RoadNetwork, factor: float, profile: str):
        self.query, times = None, None
        closed = closures.closed_now(network) if profile in closures.PROFILES else None
        if profile in lower_bound.PROFILES:  # each profile its own road-time bound (docs/routing.md)
            from grid.roads import dataset_path

            times = lower_bound.for_dataset(dataset_path(network), profile)
            self.query = times.query(target) if times is not None else None
        self.cut_short = np.zeros(len(candidates), dtype=bool)
        # With roads closed, a point whose snapping a closure may change takes the straight-line bound
        # (the target's: every unit's), with its full snapping slack (grid/closures.py says why).
        self.line_only = np.zeros(len(candidates), dtype=bool)
        if closed is not None and self.query is not None:
            clear = closures.clear_of(times, closed, [tuple(target)] + [(c.lon, c.lat) for c in candidates])
            self.query = self.query if clear[0] else None
            self.line_only = ~clear[1:]
        if self.query is None:
            self.values = _lower_bounds(target, target_moved, candidates, network, factor, closed=closed is not None)
            return
        self.units = [(c.lon, c.lat) for c in candidates]
        self.extra = np.array([c.extra_s for c in candidates])
        self.factor = factor
        self.line = (_lower_bounds(target, target_moved, candidates, network, factor, closed=True)
                     if self.line_only.any() else np.zeros(len(candidates)))
        self.values = np.empty(len(candidates))
        self.query.search(FIRST_LIMIT_S)
        self._set(np.arange(len(candidates)), self.query.bounds(self.units))

    def settle(self, chosen: np.ndarray) -> bool:
        """Make the bounds of `chosen` final; True if any rose (then the order may have changed)."""
        if not self.cut_short[chosen].any():
            return False
        self.query.search(math.inf)
        which = np.flatnonzero(self.cut_short)
        self._set(which, self.query.bounds([self.units[i] for i in which]))
        return True

    def _set(self, which: np.ndarray, road: np.ndarray) -> None:
        limit, line_only = self.query.limit, self.line_only[which]
        self.cut_short[which] = (road >= limit) & math.isfinite(limit) & ~line_only
        values = np.maximum(road * (1 - 1e-9) - 1e-6, 0.0) * self.factor + self.extra[which]
        self.values[which] = np.where(line_only, self.line[which], values)


def _slack(candidate: Candidate, closed: bool = False) -> float:
    """How far OSRM may move the candidate onto a road (farther and its leg is dropped); with roads
    closed, up to the limit whatever its snapping on arrival said (a closed road is not snapped to)."""
    return settings.SNAP_LIMIT_M if candidate.snap_slack_m is None or closed else candidate.snap_slack_m


def _lower_bounds(target, target_moved: float, candidates, network: RoadNetwork, factor: float,
                  closed: bool = False) -> np.ndarray:
    """ETA lower bounds from the straight line, valid for every path on this network (and on any part of
    it: roads closed)."""
    lon = np.radians([c.lon for c in candidates])
    lat = np.radians([c.lat for c in candidates])
    t_lon, t_lat = math.radians(target[0]), math.radians(target[1])
    a = np.sin((lat - t_lat) / 2) ** 2 + np.cos(lat) * math.cos(t_lat) * np.sin((lon - t_lon) / 2) ** 2
    straight = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    # The road part runs between the snapped points: the target moved `target_moved`, a source its
    # slack (at most the limit: farther and it is dropped), each possibly straight towards the other.
    slack = np.array([_slack(c, closed) for c in candidates])
    road = np.maximum(straight - slack - target_moved, 0.0)
    extra = np.array([c.extra_s for c in candidates])
    return _road_seconds_at_least(road, network) * factor + extra


def _road_seconds_at_least(road_m: np.ndarray, network: RoadNetwork) -> np.ndarray:
    """A path of at least `road_m` metres, of which at most L metres run on roads faster than v
    (for each threshold v with its L measured at import), takes at least
    max(0, road - L) / v + min(road, L) / top speed. The best of these bounds is kept."""
    top = network.max_speed_kmh / 3.6
    best = road_m / top
    for threshold, fast_m in network.measurements.get("fast_road_m", {}).items():
        v = float(threshold) / 3.6
        best = np.maximum(best, np.maximum(road_m - fast_m, 0.0) / v + np.minimum(road_m, fast_m) / top)
    return best


def _rank_all(target, candidates, k, profile, at, congestion_share=1.0) -> list[tuple[Candidate, Leg]]:
    legs = durations_to(target, [(c.lon, c.lat) for c in candidates], profile=profile, at=at,
                        congestion_share=congestion_share)
    ranked = sorted(((leg.duration_s + c.extra_s, i, c, leg) for i, (c, leg) in enumerate(zip(candidates, legs)) if leg),
                    key=lambda item: (item[0], item[1]))
    return [(c, leg) for _, _, c, leg in ranked[:k]]


def seconds_at_least(straight_m: float) -> float:
    """No unit farther than `straight_m` from a target in a straight line reaches it sooner than this
    by road: both ends may snap up to the limit towards each other, no road is faster than the
    network's measured speeds, and congestion only ever slows (factor >= 1)."""
    road_m = np.array([max(straight_m - 2 * settings.SNAP_LIMIT_M, 0.0)])
    network = engines.current()
    if network is None:  # the labelled estimate: straight line x detour at the fallback speed
        return float(road_m[0] / (settings.FALLBACK_SPEED_KMH / 3.6))
    return float(_road_seconds_at_least(road_m, network)[0])


REACH_STEP_M = 5.0
REACH_GRID_M = np.arange(0.0, 100_000.0 + REACH_STEP_M, REACH_STEP_M)  # the road distances metres_beyond tries


def metres_beyond(seconds: float) -> float:
    """A straight-line distance beyond which every unit needs more than `seconds` by road: the inverse
    of `seconds_at_least`, which only grows with the distance, read off a 5 m grid and rounded up (a
    search a little wider than needed stays exact). Infinite past 100 km."""
    network = engines.current()
    if network is None:
        times = REACH_GRID_M / (settings.FALLBACK_SPEED_KMH / 3.6)
    else:
        times = _road_seconds_at_least(REACH_GRID_M, network)
    first = int(np.searchsorted(times, seconds, side="right"))  # the first distance needing more
    if first >= len(REACH_GRID_M):
        return math.inf
    return float(REACH_GRID_M[first] + 2 * settings.SNAP_LIMIT_M)


def warm_up() -> bool:
    """Load the engines and the road-time bound of the active network now (a worker process's first
    ranking would otherwise pay 50-70 ms for it): one ranking at a point of the served area."""
    network = engines.current()
    if network is None:
        return False
    point = selectors.served_area().representative_point()
    try:
        fastest_to((point.x, point.y), [Candidate(key=0, lon=point.x, lat=point.y)], k=1)
    except ValidationError:  # the point is off the road: the engines are loaded all the same
        pass
    return True


# --- a route with its steps --------------------------------------------------------------------

def route(origin, target, *, profile: str = "car", at=None) -> Route:
    router = engines.router(profile)
    snap(*origin, profile), snap(*target, profile)  # refuse points off the network; OSRM snaps itself
    if router is None:
        leg = estimate(origin, target)
        return Route(leg.duration_s, leg.distance_m, {"type": "LineString", "coordinates": [list(origin), list(target)]},
                     estimated=True)
    try:
        found = router.Route(osrm.RouteParameters(coordinates=[origin, target], steps=True, geometries="geojson",
                                                  overview="full"))
    except RuntimeError as error:  # osrm-bindings' only word for a failed query
        if str(error).startswith("NoRoute"):
            raise NoRoute(_("No %(profile)s route joins the two points.") % {"profile": profile}, code="no_route") from None
        raise
    best = found["routes"][0]
    factor = congestion_factor(*target, at)
    coordinates = [[float(x), float(y)] for x, y in best["geometry"]["coordinates"]]
    return Route(float(best["duration"]) * factor, float(best["distance"]), {"type": "LineString", "coordinates": coordinates},
                 steps=[_step(step, factor) for step in best["legs"][0]["steps"]])


def _step(step, factor: float) -> dict:
    maneuver = step["maneuver"]
    try:
        modifier = str(maneuver["modifier"])
    except (KeyError, IndexError, RuntimeError):
        modifier = ""
    return {"name": str(step["name"]), "type": str(maneuver["type"]), "modifier": modifier,
            "distance_m": round(float(step["distance"]), 1), "duration_s": round(float(step["duration"]) * factor, 1),
            "location": [float(v) for v in maneuver["location"]]}
