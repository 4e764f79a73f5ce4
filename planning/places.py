"""Where crews can be, as points on the road: a post, a route's waypoints out and back, a zone's
streets; and the lattice of demand cells. The planner and the simulator read the same points,
so a plan is judged on where the crews it places actually drive (`command.simulation.world`
calls these too)."""
import math

from shapely.geometry import Point, shape

from grid import travel
from grid.geometry import EARTH_RADIUS_M, distance_m
from grid.travel import OffNetwork

ROUTE_WAYPOINT_M = 500.0   # a route's crew is seen at waypoints about this far apart
ZONE_STOPS = 5             # a zone's community patrol stops at up to this many road points


def on_road(lon: float, lat: float) -> tuple | None:
    """The nearest road point (rounded to 1e-6 degrees), or None when no road is within the limit."""
    try:
        snapped = travel.snap(lon, lat)
    except OffNetwork:
        return None
    return round(snapped[0], 6), round(snapped[1], 6)


def task_stops(*, point=None, line=None, polygon=None, every_m: float = ROUTE_WAYPOINT_M,
               zone_stops: int = ZONE_STOPS) -> tuple:
    """Where a patrol task takes a crew, as points on the road: a post (`point`, (lon, lat)); a route's
    waypoints out and back (`line`, [[lon, lat], ...]); a zone's streets (`polygon`, GeoJSON)."""
    if point is not None:
        found = on_road(*point)
        return (found,) if found else ()
    if line is not None:
        ahead = list(dict.fromkeys(p for p in (on_road(*c) for c in every(line, every_m)) if p))
        return tuple(ahead + ahead[-2:0:-1])
    return zone_streets(polygon, zone_stops)


def every(coordinates: list, metres: float) -> list:
    """The line's vertices about `metres` apart, both ends kept."""
    kept, run = [coordinates[0]], 0.0
    for a, b in zip(coordinates, coordinates[1:]):
        run += distance_m(a[0], a[1], b[0], b[1])
        if run >= metres:
            kept.append(b)
            run = 0.0
    if kept[-1] != coordinates[-1]:
        kept.append(coordinates[-1])
    return kept


def zone_streets(geojson: dict, most: int = ZONE_STOPS) -> tuple:
    """A few road points spread over the zone's middle: its representative point and the road points
    nearest a 2x2 grid at the thirds of its bounds (those inside it)."""
    polygon = shape(geojson)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    candidates = [polygon.representative_point().coords[0]]
    for i in (1, 2):
        for j in (1, 2):
            lon, lat = min_lon + (max_lon - min_lon) * i / 3, min_lat + (max_lat - min_lat) * j / 3
            if polygon.contains(Point(lon, lat)):
                candidates.append((lon, lat))
    points = [p for p in (on_road(*c) for c in candidates) if p]
    return tuple(dict.fromkeys(points))[:most]


class Lattice:
    """Square cells of `metres` over the city, numbered from a fixed origin so that a cell keeps its
    key from one run to the next (its travel times stay cached)."""

    ORIGIN = (121.0, 31.0)  # any fixed point west and south of the served area will do

    def __init__(self, metres: float):
        self.metres = metres
        self.d_lat = math.degrees(metres / EARTH_RADIUS_M)
        self.d_lon = self.d_lat / math.cos(math.radians(31.2))

    def cell(self, lon: float, lat: float) -> tuple[int, int]:
        return (math.floor((lon - self.ORIGIN[0]) / self.d_lon), math.floor((lat - self.ORIGIN[1]) / self.d_lat))

    def centre(self, cell: tuple[int, int]) -> tuple[float, float]:
        return (self.ORIGIN[0] + (cell[0] + 0.5) * self.d_lon, self.ORIGIN[1] + (cell[1] + 0.5) * self.d_lat)
