"""The seeded call stream: a Poisson process with an hour-of-day profile, hot spots and the
category and priority mix of `assumptions`. Drawn before the run, from its own generator, so every
policy and what-if of one seed faces exactly the same calls."""
import math
import random
from dataclasses import dataclass

from shapely.geometry import Point

from command.simulation import assumptions as A
from dispatch.engine import units_needed
from grid import geometry, selectors, travel
from grid.travel import OffNetwork


@dataclass(frozen=True)
class Call:
    number: int
    at: float            # seconds from the start of the run
    lon: float
    lat: float
    category: str
    priority: int
    target_s: int
    zone_id: int | None
    key_site_id: int | None
    units_needed: int
    on_scene_s: tuple    # time on scene of each unit sent, drawn up front


def call_stream(world, *, seed: int) -> list[Call]:
    rng = random.Random(seed)
    places = _Places(world, rng)
    calls, hours = [], world.hours
    for at in arrival_times(rng, hours=hours, start_hour=world.start.hour, rate_factor=world.what_if.rate_factor):
        calls.append(_call(len(calls) + 1, at, places, rng))
    return calls


def arrival_times(rng: random.Random, *, hours: float, start_hour: int = 0, rate_factor: float = 1.0) -> list[float]:
    """A Poisson process whose rate is constant within each hour: exponential gaps drawn hour by hour
    (memoryless, so restarting at each hour's edge is exact)."""
    total = sum(A.HOURLY_WEIGHT)
    times, hour = [], 0
    while hour < hours:
        span = min(1.0, hours - hour) * 3600
        rate = A.CALLS_PER_DAY * rate_factor * A.HOURLY_WEIGHT[(start_hour + hour) % 24] / total / 3600
        t = rng.expovariate(rate) if rate > 0 else math.inf
        while t < span:
            times.append(hour * 3600 + t)
            t += rng.expovariate(rate)
        hour += 1
    return times


def _call(number: int, at: float, places: "_Places", rng: random.Random) -> Call:
    category = _pick(rng, A.CATEGORY_SHARE)
    priority = int(_pick(rng, A.PRIORITY_SHARE[category]))
    lon, lat = places.draw()
    where = selectors.locate(lon, lat)
    needed = units_needed(category, priority)
    mean = A.ON_SCENE_MIN[category] * 60
    shape_k = 1 / A.ON_SCENE_CV ** 2
    on_scene = tuple(round(max(A.ON_SCENE_MIN_S, rng.gammavariate(shape_k, mean / shape_k)), 1) for _ in range(needed))
    return Call(number, round(at, 1), lon, lat, str(category), priority, where.target_s, where.zone_id,
                where.key_site_id, needed, on_scene)


def _pick(rng: random.Random, shares: dict):
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


class _Places:
    """Where calls happen: key sites (within their radius) or zones by area, the centre denser;
    every point on the road network (within the snapping limit), as a caller's address would be."""

    def __init__(self, world, rng: random.Random):
        self.rng, self.world = rng, world
        self.zone_weights = [zone_weight(z) for z in world.zones]

    def draw(self) -> tuple[float, float]:
        while True:
            # a city with no key site draws every call in its zones (the draw of a seed is unchanged otherwise)
            at_site = bool(self.world.key_sites) and self.rng.random() < A.KEY_SITE_SHARE
            lon, lat = self._key_site() if at_site else self._zone()
            try:
                travel.snap(lon, lat)
            except OffNetwork:
                continue
            return round(lon, 6), round(lat, 6)

    def _key_site(self):
        _pk, _code, lon, lat, radius = self.rng.choice(self.world.key_sites)
        circle = geometry.circle(lon, lat, radius * 0.9)
        return self._inside(circle)

    def _zone(self):
        zone = self.rng.choices(self.world.zones, weights=self.zone_weights)[0]
        return self._inside(zone.polygon)

    def _inside(self, polygon):
        return point_inside(self.rng, polygon)


def point_inside(rng: random.Random, polygon) -> tuple[float, float]:
    """A uniformly drawn point of `polygon`: drawn in its bounds until one falls inside."""
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    while True:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if polygon.contains(Point(lon, lat)):
            return lon, lat


def zone_weight(zone) -> float:
    """A zone's share of the calls outside key sites, before normalising: area x density."""
    return geometry_area(zone.polygon) * (A.CITY_CENTRE_DENSITY if zone.response_class == "city_centre" else 1)


def geometry_area(polygon) -> float:
    """Area in square degrees scaled by cos(latitude): proportional to m2 at this city's size."""
    return polygon.area * math.cos(math.radians(polygon.centroid.y))
