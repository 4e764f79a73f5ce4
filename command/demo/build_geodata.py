"""Regenerate the OSM-derived files of the demo city from the extract.

    python -m command.demo.build_geodata data/shanghai_center.osm.pbf

Writes served_area.geojson and patrol_routes.geojson next to this module. Both
are derived from OpenStreetMap data and carry the ODbL notice.
"""
import json
import sys
from pathlib import Path

import osmium
import shapely
from shapely.geometry import LineString, mapping
from shapely.ops import linemerge, substring

from grid.osm import read_extract, served_outline

from .geo import distance_m, to_lonlat, to_metres
from .places import PATROL_ROUTE_STREETS, PLATFORMS

HERE = Path(__file__).resolve().parent
ATTRIBUTION = ("Map data (c) OpenStreetMap contributors, available under the Open Database "
               "License (ODbL) 1.0, https://www.openstreetmap.org/copyright; derived from "
               "data/shanghai_center.osm.pbf (OSM data as of 2025-08-09)")
ROUTE_MIN_M, ROUTE_MAX_M = 1000, 4000


def read_ways(path):
    """[(tags, [(lon, lat), ...]), ...] for every way of the extract."""
    ways = []
    for obj in osmium.FileProcessor(str(path)).with_locations():
        if obj.is_way() and len(obj.nodes) > 1:
            ways.append((dict(obj.tags), [(n.lon, n.lat) for n in obj.nodes]))
    return ways


def street_line(ways, name):
    """The longest connected run of a named street (dual carriageways merge per side)."""
    parts = [LineString(coords) for tags, coords in ways if tags.get("name") == name]
    merged = linemerge(parts)
    if merged.geom_type == "MultiLineString":
        merged = max(merged.geoms, key=lambda part: to_metres(part).length)
    return merged


def clip_from_platform(line, platform):
    """Cut a long street to ROUTE_MAX_M, starting from the end nearer the platform."""
    start, end = line.coords[0], line.coords[-1]
    if distance_m(*end, platform["lon"], platform["lat"]) < distance_m(*start, platform["lon"], platform["lat"]):
        line = line.reverse()
    metric = to_metres(line)
    if metric.length > ROUTE_MAX_M:
        metric = substring(metric, 0, ROUTE_MAX_M)
    return to_lonlat(metric)


def inside(line, area):
    """The longest part of `line` within the served area: a patrol line may not leave it."""
    part = line.intersection(area)
    if part.geom_type != "LineString":
        part = max(getattr(part, "geoms", [part]), key=lambda piece: to_metres(piece).length)
    return part


def patrol_route_features(ways, area):
    platforms = {p["code"]: p for p in PLATFORMS}
    features = []
    for code, name, name_en, platform in PATROL_ROUTE_STREETS:
        line = clip_from_platform(inside(street_line(ways, name), area), platforms[platform])
        length = to_metres(line).length
        if not ROUTE_MIN_M <= length <= ROUTE_MAX_M + 1:
            raise ValueError(f"{name}: {length:.0f} m is outside the 1-4 km patrol line range")
        line = shapely.set_precision(line, 1e-7)
        features.append({"type": "Feature", "geometry": mapping(line),
                         "properties": {"code": code, "name": f"{name}巡线", "name_en": f"{name_en} patrol line",
                                        "street": name, "platform": platform, "corridor_m": 50,
                                        "length_m": round(length)}})
    return features


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(pbf_path):
    ways = read_ways(pbf_path)
    area = served_outline(read_extract(Path(pbf_path)))  # the same outline a road import computes
    write_json(HERE / "served_area.geojson",
               {"type": "Feature", "geometry": mapping(area),
                "properties": {"name": "served area", "attribution": ATTRIBUTION}})
    write_json(HERE / "patrol_routes.geojson",
               {"type": "FeatureCollection", "attribution": ATTRIBUTION,
                "features": patrol_route_features(ways, area)})
    print(f"served area {to_metres(area).area / 1e6:.1f} km2, "
          f"{len(area.exterior.coords)} vertices; {len(PATROL_ROUTE_STREETS)} patrol routes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/shanghai_center.osm.pbf")
