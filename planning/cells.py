"""The demand cells: fixed squares on the road network, one lattice per response class: 100 m inside
key sites (their 60 s target is met only a few hundred metres away, so coarser cells would blur
it), 250 m in the city centre (180 s), 400 m elsewhere (300 s). A cell keeps its key between runs,
so travel times to it stay cached (`matrix`). The set of cells, the universe, depends only on the
road network and the zones and key sites; it is kept in Redis, computed once per network.

A cell stands at one road point inside it: of its centre and four points around it, taken to where
the router actually routes them (OSRM routes to the nearest road of the network's big component,
which may not be the nearest road at all: a stub or a ramp cut off from the rest), the one with the
least road time to and from the others. Measured from a cut-off stub, a cell whose calls any crew
reaches in a minute looked out of every crew's reach, since the one-to-many table refuses a target
moved beyond the snapping limit while the dispatch engine's many-to-one accepts it."""
import hashlib
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from shapely.geometry import Point, shape

from grid import geometry, selectors, travel
from grid.models import KeySite, Zone
from grid.travel import OffNetwork
from planning.places import Lattice, on_road

CELL_M = {60: 100.0, 180: 250.0, 300: 400.0}
CACHE_S = 30 * 24 * 3600
VERSION = 3  # of the way cells are made: a change makes every process compute them afresh


@dataclass(frozen=True)
class Cell:
    id: str
    lon: float
    lat: float
    target_s: int
    zone_id: int | None
    key_site_id: int | None



_universe = {"signature": None, "cells": None}


def universe() -> list[Cell]:
    """Every cell of the served area with a road, by class; computed once per network and geometry."""
    network = selectors.active_road_network()
    signature = (VERSION, network.pk if network else None, *_geometry_signature())
    if _universe["signature"] != signature:
        key = "planning:cells:" + hashlib.sha256(repr(signature).encode()).hexdigest()[:24]
        cells = cache.get(key)
        if cells is None:
            cells = _cells()
            cache.set(key, cells, CACHE_S)
        _universe.update(cells=cells, signature=signature)
    return _universe["cells"]


def _geometry_signature() -> tuple:
    zones = Zone.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    sites = KeySite.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return zones["n"], str(zones["t"]), sites["n"], str(sites["t"])


def columns(cells: list[Cell]) -> np.ndarray:
    """Where the cells stand in the universe's order (the travel-time matrix's columns)."""
    index = {c.id: n for n, c in enumerate(universe())}
    return np.array([index[c.id] for c in cells], dtype=np.int64)


def universe_digest(cells: list[Cell]) -> str:
    return hashlib.sha256("|".join(f"{c.id}@{c.lon},{c.lat}" for c in cells).encode()).hexdigest()[:16]


def _cells() -> list[Cell]:
    found = {}
    sites = [shape(s.polygon) if s.polygon else geometry.circle(s.lon, s.lat, s.radius_m) for s in KeySite.objects.all()]
    centre = [shape(z.polygon) for z in Zone.objects.filter(response_class="city_centre")]
    every = [shape(z.polygon) for z in Zone.objects.all()] or [selectors.served_area()]
    for target, regions in ((60, sites), (180, centre), (300, every)):
        lattice = Lattice(CELL_M[target])
        for region in regions:
            for key in _keys_over(lattice, region.bounds):
                if f"c{target}:{key[0]}:{key[1]}" not in found:
                    cell = _cell(lattice, key, target, region)
                    if cell is not None:
                        found[cell.id] = cell
    return sorted(found.values(), key=lambda c: c.id)


def _keys_over(lattice: Lattice, bounds) -> list:
    low, high = lattice.cell(bounds[0], bounds[1]), lattice.cell(bounds[2], bounds[3])
    return [(i, j) for i in range(low[0], high[0] + 1) for j in range(low[1], high[1] + 1)]


def _cell(lattice: Lattice, key, target: int, region) -> Cell | None:
    lon, lat = lattice.centre(key)
    if not region.buffer(lattice.d_lat / 2).contains(Point(lon, lat)):
        return None
    quarter_lon, quarter_lat = lattice.d_lon / 4, lattice.d_lat / 4
    tried = [(lon, lat)] + [(lon + i * quarter_lon, lat + j * quarter_lat) for i in (-1, 1) for j in (-1, 1)]
    roads = []
    for point in dict.fromkeys(p for p in (on_road(*t) for t in tried) if p):
        road = _routed(point)
        if road and road not in [r for r, _ in roads] and selectors.served_area_contains(*road) and lattice.cell(*road) == key:
            where = selectors.locate(*road)
            if where.target_s == target:
                roads.append((road, where))
    if not roads:
        return None
    road, where = roads[_central(roads)] if len(roads) > 1 else roads[0]
    return Cell(f"c{target}:{key[0]}:{key[1]}", road[0], road[1], target, where.zone_id, where.key_site_id)


def _routed(point: tuple) -> tuple | None:
    """Where the router takes a route to `point` (the end of a route from the served area's middle),
    if within the snapping limit of it."""
    try:
        found = travel.route(_middle(), point)
    except (travel.OffNetwork, travel.NoRoute):
        return None
    end = found.geometry["coordinates"][-1]
    if geometry.distance_m(end[0], end[1], *point) > settings.SNAP_LIMIT_M:
        return None
    return round(end[0], 6), round(end[1], 6)


def _middle() -> tuple:
    point = selectors.served_area().representative_point()
    return on_road(point.x, point.y) or (point.x, point.y)


def _central(roads: list) -> int:
    """The road point with the least road time to and from the others (unreachable: infinite)."""
    points = [road for road, _ in roads]
    times = np.full((len(points), len(points)), np.inf)
    for n, point in enumerate(points):
        try:
            legs = travel.durations_from(point, points)
        except OffNetwork:
            continue
        times[n] = [leg.duration_s if leg else np.inf for leg in legs]
    return int(np.argmin(times.sum(axis=1) + times.sum(axis=0)))
