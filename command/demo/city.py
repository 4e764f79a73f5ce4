"""The demo city: central Shanghai's geography and street staffing, as plain data.

Provenance
----------
* served_area.geojson and patrol_routes.geojson are derived from OpenStreetMap data
  (data/shanghai_center.osm.pbf, drivable roads within ~5 km of People's Square) by
  build_geodata.py. Map data (c) OpenStreetMap contributors, available under the
  Open Database License (ODbL) 1.0, https://www.openstreetmap.org/copyright.
  Keep this notice with the files and anything built from them.
* Platforms, key sites, patrol points and zone seeds (places.py) were placed by
  hand from the street junctions of that extract, in WGS84 (not GCJ-02).
* Staffing reproduces the Xiangyang figures of DOMAIN.md (388 police, 776
  auxiliaries, 261 traffic assistants; largest platform 267 people).

Coordinates are (lon, lat), lengths in metres, times in seconds.
No Django imports: this module feeds seeding, the simulator and tests alike.
"""
import copy
import json
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPoint, Point, mapping, shape
from shapely.ops import split, unary_union

from .geo import distance_m, to_metres
from .places import (CITY_CENTRE_EXTRA, CITY_CENTRE_RADIUS_M, COMMAND_CENTRE, DISTRICTS,
                     HUANGPU_CENTRELINE, KEY_SITES, PATROL_POINTS, PLATFORMS, STAFFING, ZONE_SEEDS)

__all__ = ["COMMAND_CENTRE", "DISTRICTS", "KEY_SITES", "PATROL_POINTS", "PLATFORMS", "STAFFING",
           "SERVED_AREA", "served_area", "zones", "patrol_routes"]

HERE = Path(__file__).resolve().parent
PEOPLES_SQUARE = (121.4696, 31.2316)
PUDONG_PLATFORMS = {"P05"}  # platforms east of the Huangpu
SLIVER_M2 = 50_000  # zone fragments under 0.05 km2 join a neighbour


def _read_json(name):
    return json.loads((HERE / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _served_area():
    return shape(_read_json("served_area.geojson")["geometry"])


def served_area():
    """The area the command centre serves (a shapely Polygon, lon/lat)."""
    return _served_area()


SERVED_AREA = served_area


def patrol_routes():
    """Must-patrol lines (必巡线) along real streets of the extract."""
    return [{**{k: f["properties"][k] for k in ("code", "name", "name_en", "platform", "corridor_m")},
             "line": f["geometry"]} for f in _read_json("patrol_routes.geojson")["features"]]


def zones():
    """Grid patrol zones (网格巡区) that exactly partition the served area."""
    return copy.deepcopy(_zones())


@lru_cache(maxsize=1)
def _zones():
    rows = []
    for on_pudong, (bank, seeds) in enumerate(_banks()):
        for (name, name_en, lon, lat), polygon in zip(seeds, _voronoi_within(bank, seeds)):
            centroid = polygon.centroid
            rows.append({"code": f"Z{len(rows) + 1:02d}", "name": f"{name}巡区", "name_en": f"{name_en} zone",
                         "platform": _owner(centroid.x, centroid.y, bool(on_pudong)),
                         "response_class": _response_class(name, lon, lat), "polygon": mapping(polygon)})
    return rows


def _banks():
    """[(Puxi, its seeds), (Pudong, its seeds)]: the served area cut along the Huangpu."""
    halves = split(served_area(), LineString(HUANGPU_CENTRELINE)).geoms
    halves = sorted(halves, key=lambda part: -part.area)
    puxi, pudong = sorted(halves[:2], key=lambda part: part.centroid.x)
    # Any small piece cut off by the river's bends joins the bank it touches most.
    for piece in halves[2:]:
        if piece.intersection(puxi).length >= piece.intersection(pudong).length:
            puxi = puxi.union(piece)
        else:
            pudong = pudong.union(piece)
    return [(bank, [s for s in ZONE_SEEDS if bank.contains(Point(s[2], s[3]))]) for bank in (puxi, pudong)]


def _voronoi_within(bank, seeds):
    """One polygon per seed: its Voronoi cell clipped to the bank, slivers merged."""
    points = [Point(lon, lat) for _, _, lon, lat in seeds]
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=bank).geoms
    owned = [None] * len(points)
    orphans = []
    for cell in cells:
        for part in getattr(cell.intersection(bank), "geoms", [cell.intersection(bank)]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            seed_index = next((i for i, p in enumerate(points) if part.contains(p)), None)
            if seed_index is None:
                orphans.append(part)
            else:
                owned[seed_index] = part
    return _absorb(owned, orphans)


def _absorb(owned, orphans):
    """Detached fragments join the zone they share the longest border with."""
    for fragment in sorted(orphans, key=lambda g: (g.centroid.x, g.centroid.y)):
        best = max(range(len(owned)), key=lambda i: owned[i].intersection(fragment).length)
        owned[best] = unary_union([owned[best], fragment])
    return owned


def _owner(lon, lat, on_pudong):
    """The platform nearest the zone's centroid on the same bank of the Huangpu."""
    same_bank = [p for p in PLATFORMS if (p["code"] in PUDONG_PLATFORMS) == on_pudong]
    return min(same_bank, key=lambda p: distance_m(lon, lat, p["lon"], p["lat"]))["code"]


def _response_class(name, lon, lat):
    if name in CITY_CENTRE_EXTRA or distance_m(lon, lat, *PEOPLES_SQUARE) <= CITY_CENTRE_RADIUS_M:
        return "city_centre"
    return "other"


def area_m2(geom):
    """Area of a lon/lat geometry in square metres (local projection)."""
    return to_metres(geom).area
