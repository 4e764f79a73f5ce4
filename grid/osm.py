"""Reading an OpenStreetMap extract: what roads it has, where it is, and the area its roads serve.

One pyosmium pass over the file; no Django. A file that is not OSM data, is truncated, or has no
drivable road raises ExtractError with a message a person can act on.
"""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium
import shapely

from grid.geometry import LocalProjection

# Highway values the OSRM car profile routes on (service roads too: extracts may keep them).
DRIVABLE = {
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
    "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "service", "road",
}
# Outline of the served area: road points every SAMPLE_M are triangulated and triangles with an edge
# longer than GAP_M dropped, so gaps narrower than that (a river, a park, rail yards) are inside;
# then an opening removes arms thinner than 2 x OPENING_M (a lone road leaving the extract), and
# MARGIN_M keeps the edge roads inside. (Buffering the lines themselves took 110 s on the demo city.)
SAMPLE_M, GAP_M, OPENING_M, MARGIN_M, SIMPLIFY_M = 100, 1000, 500, 150, 40
SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")


class ExtractError(ValueError):
    """The file cannot serve as a road network."""


@dataclass
class Road:
    name: str
    highway: str
    coords: list[tuple[float, float]]


@dataclass
class Extract:
    path: Path
    sha256: str
    nodes: int = 0
    ways: int = 0
    roads: list[Road] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return shapely.MultiLineString([road.coords for road in self.roads]).bounds

    @property
    def projection(self) -> LocalProjection:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return LocalProjection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)

    @property
    def road_km(self) -> float:
        network = self.projection.to_metres(shapely.MultiLineString([road.coords for road in self.roads]))
        return round(network.length / 1000, 1)

    @property
    def named_roads(self) -> int:
        return len({road.name for road in self.roads if road.name})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_extract(path: Path) -> Extract:
    """Every drivable road of the extract, with its name and class."""
    path = Path(path)
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    if not path.name.endswith(SUFFIXES):
        raise ExtractError(f"{path.name}: expected an OpenStreetMap extract ({', '.join(SUFFIXES)})")
    extract = Extract(path=path, sha256=file_sha256(path))
    try:
        _scan(extract)
    except RuntimeError as error:  # pyosmium's word for unreadable, truncated or foreign data
        raise ExtractError(f"{path.name} is not a readable OpenStreetMap file: {error}") from None
    if not extract.roads:
        raise ExtractError(f"{path.name} has no drivable roads ({extract.ways} ways, {extract.nodes} nodes)")
    return extract


def _scan(extract: Extract) -> None:
    for obj in osmium.FileProcessor(str(extract.path)).with_locations():
        if obj.is_node():
            extract.nodes += 1
        elif obj.is_way():
            extract.ways += 1
            road = _road(obj)
            if road:
                extract.roads.append(road)


def _road(way) -> Road | None:
    highway = way.tags.get("highway")
    if highway not in DRIVABLE or len(way.nodes) < 2:
        return None
    try:
        coords = [(node.lon, node.lat) for node in way.nodes]
    except osmium.InvalidLocationError:
        return None  # a way whose nodes were cut off by the extract's edge
    return Road(name=way.tags.get("name", ""), highway=highway, coords=coords)


def served_outline(extract: Extract):
    """The area the road network serves, as one lon/lat polygon."""
    projection = extract.projection
    network = projection.to_metres(shapely.MultiLineString([road.coords for road in extract.roads]))
    area = _filled(network).buffer(-OPENING_M, quad_segs=4).buffer(OPENING_M + MARGIN_M, quad_segs=4)
    if area.is_empty:  # a network too small to survive the opening: keep a plain margin around it
        area = network.buffer(MARGIN_M, quad_segs=4)
    outline = shapely.Polygon(_largest(area).exterior).simplify(SIMPLIFY_M)
    return shapely.set_precision(projection.to_lonlat(outline), 1e-7)


def _filled(network):
    """The union of the Delaunay triangles over the road points whose edges are all short."""
    points = shapely.MultiPoint(shapely.get_coordinates(network.segmentize(SAMPLE_M)))
    triangles = shapely.get_parts(shapely.delaunay_triangles(points))
    if len(triangles) == 0:  # fewer than three points, or all on one line
        return network.buffer(MARGIN_M, quad_segs=4)
    corners = shapely.get_coordinates(triangles).reshape(-1, 4, 2)
    longest_edge = np.linalg.norm(np.diff(corners, axis=1), axis=2).max(axis=1)
    return _largest(shapely.unary_union(triangles[longest_edge <= GAP_M]))


def _largest(area):
    return max(area.geoms, key=lambda part: part.area) if area.geom_type == "MultiPolygon" else area
