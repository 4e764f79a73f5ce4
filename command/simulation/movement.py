"""Crews on the move: a drive along the road route, at a uniform pace over the route's geometry.

Routes are cached by their two ends (posts are few, so patrol legs are routed once each); the
geometry of a drive is fetched only if someone asks where the crew is mid-way (re-tasked, ranked).
"""
import bisect
import math
import time
from dataclasses import dataclass, field

from grid import travel
from grid.geometry import EARTH_RADIUS_M


SLOT_S = 15 * 60  # congestion changes by the quarter hour (grid.congestion's slots)


class Routes:
    """travel.route answers, kept for the run: (origin, target, profile) -> (duration, metres, path).
    A live run (`at` None) reads congestion for now, so its answers are kept for the quarter hour only:
    in the rush hours' bands the crews drive that much slower, and the fleet's measured speeds (the
    console's live speed layer) show the congestion the bands say."""

    def __init__(self, at):
        self.at = at  # the moment congestion is read for (a headless run's start); None: now
        self.cache, self.slot = {}, None

    def get(self, origin, target, profile: str):
        if self.at is None and self.slot != (slot := int(time.time() // SLOT_S)):
            self.cache, self.slot = {}, slot
        key = (_key(origin), _key(target), profile)
        if key not in self.cache:
            self.cache[key] = self._route(origin, target, profile)
        return self.cache[key]

    def _route(self, origin, target, profile):
        found = self._route_by(origin, target, profile)
        if found is None and profile != "car":
            found = self._route_by(origin, target, "car")
        if found is None:  # off both networks (the live run died of it at a stop off the roads): no drive
            return 0.0, 0.0, Path([origin, target])
        return found.duration_s, found.distance_m, Path([tuple(p) for p in found.geometry["coordinates"]])

    def _route_by(self, origin, target, profile):
        try:
            return travel.route(origin, target, profile=profile, at=self.at)
        except (travel.OffNetwork, travel.NoRoute):
            return None


def _key(point) -> tuple:
    return round(point[0], 6), round(point[1], 6)


class Path:
    """A polyline with its cumulative length, to find the point a fraction of the way along."""

    def __init__(self, points: list):
        self.points = points or [(0.0, 0.0)]
        self.cumulative = [0.0]
        for a, b in zip(self.points, self.points[1:]):
            self.cumulative.append(self.cumulative[-1] + _metres(a, b))

    def point_at(self, fraction: float) -> tuple:
        total = self.cumulative[-1]
        if total <= 0 or fraction >= 1:
            return self.points[-1]
        if fraction <= 0:
            return self.points[0]
        want = fraction * total
        i = max(1, bisect.bisect_left(self.cumulative, want))
        a, b = self.points[i - 1], self.points[i]
        span = self.cumulative[i] - self.cumulative[i - 1]
        f = (want - self.cumulative[i - 1]) / span if span else 0.0
        return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f


def _metres(a, b) -> float:
    x = math.radians(b[0] - a[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    y = math.radians(b[1] - a[1])
    return EARTH_RADIUS_M * math.hypot(x, y)


@dataclass
class Drive:
    """From `origin` at `depart` to `target` at `arrive`. Before `rolling` the crew is still turning
    out at the origin (the turnout time of an order)."""

    origin: tuple
    target: tuple
    depart: float
    arrive: float
    profile: str
    routes: Routes = field(repr=False)
    rolling: float | None = None
    path: Path | None = field(default=None, repr=False)

    def position(self, t: float) -> tuple:
        start = self.depart if self.rolling is None else self.rolling
        if t >= self.arrive:
            return self.target
        if t <= start:
            return self.origin
        if self.path is None:
            self.path = self.routes.get(self.origin, self.target, self.profile)[2]
        return self.path.point_at((t - start) / (self.arrive - start))

    def speed_mps(self, t: float) -> float | None:
        start = self.depart if self.rolling is None else self.rolling
        # Any speed over 1 m/s reads as "moving" to the engine (the shorter turnout); 8 m/s is ~30 km/h.
        return 8.0 if start < t < self.arrive else None
