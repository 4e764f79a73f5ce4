"""The gazetteer of an OpenStreetMap extract: every name a caller may give for a place in the served
area, read with pyosmium at road import. No Django: `grid.places` stores what this returns.

- streets: one entry a name, at the middle vertex of its longest stretch (on the street itself, so a
  call placed there snaps to it), weighted by the name's whole length;
- junctions: a node shared by ways of two different names, nodes of one pair within JUNCTION_MERGE_M
  merged (a dual carriageway crosses another in up to four nodes), named "A与B交叉口" with the more
  important street first; a street meeting its own continuation (西藏中路/西藏南路) is no junction;
- house numbers: `addr:street` + `addr:housenumber` ("南京东路100号");
- named features: buildings, shops, schools, hospitals, stations, amenities, neighbourhoods (nodes,
  closed ways and multipolygons, at a point inside them); bus stops of one name within
  STOP_MERGE_M merged (one each side of the road); metro exits named after their station
  ("人民广场站1号口") when OSM gives only the exit's ref.
"""
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import osmium
import shapely
from shapely.prepared import prep

from grid.geometry import distance_m
from grid.osm import DRIVABLE
from grid.place_names import STREET_ENDINGS, house_number, search_key

# What a network's names were read with: bump it when the reading changes, and the next import (even
# of a file already imported) reads every active network's names again.
VERSION = 1
STREETS = DRIVABLE | {"pedestrian", "living_street"}
JUNCTION_MERGE_M = 150
STOP_MERGE_M = 300
EXIT_STATION_M = 500
# Highway classes by importance: the first street of a junction's name is the more important one.
ROAD_RANK = {"motorway": 0, "trunk": 1, "primary": 2, "secondary": 3, "tertiary": 4, "unclassified": 5,
             "residential": 6, "living_street": 7, "pedestrian": 7, "road": 8, "service": 9}
ALIAS_KEYS = ("alt_name", "short_name", "official_name")
FEATURE_KEYS = ("amenity", "shop", "building", "tourism", "leisure", "office", "healthcare", "historic",
                "railway", "public_transport", "place", "landuse", "craft", "club", "sport", "man_made")


@dataclass
class Entry:
    kind: str
    name: str
    lon: float
    lat: float
    street: str = ""
    cross_street: str = ""
    number: int | None = None
    weight: float = 0.0
    osm: str = ""
    aliases: tuple[str, ...] = ()  # other names it is known by (alt_name, short_name, official_name)


@dataclass
class _Street:
    rank: int = 99
    length_m: float = 0.0
    longest_m: float = -1.0
    point: tuple[float, float] = (0.0, 0.0)


def read_gazetteer(path: Path, outline) -> tuple[list[Entry], dict]:
    """The entries of the extract at `path` inside `outline` (a shapely polygon), and counts by kind."""
    started = time.perf_counter()
    reader = _Reader()
    for obj in osmium.FileProcessor(str(path)).with_areas():
        reader.take(obj)
    inside = prep(outline)
    entries = [entry for entry in reader.entries() if inside.covers(shapely.Point(entry.lon, entry.lat))]
    counts = defaultdict(int)
    for entry in entries:
        counts[entry.kind] += 1
    return entries, {"version": VERSION, "entries": len(entries), "by_kind": dict(sorted(counts.items())),
                     "read_s": round(time.perf_counter() - started, 2)}


def feature_kind(tags) -> str | None:
    """What a named non-road feature is, in the console's words; None when it is none of them."""
    railway, amenity = tags.get("railway"), tags.get("amenity")
    if railway == "subway_entrance":
        return "metro_exit"
    if railway in ("station", "halt") or tags.get("public_transport") == "station":
        return "station"
    if tags.get("highway") == "bus_stop" or tags.get("public_transport") in ("platform", "stop_position"):
        return "bus_stop"
    if amenity in ("school", "kindergarten", "college", "university"):
        return "school"
    if amenity in ("hospital", "clinic") or "healthcare" in tags:
        return "hospital"
    if "shop" in tags:
        return "shop"
    if amenity:
        return "amenity"
    if tags.get("place") or tags.get("landuse") == "residential":
        return "neighbourhood"
    if "building" in tags:
        return "building"
    if any(key in tags for key in FEATURE_KEYS) or (tags.get("highway") == "pedestrian" and tags.get("area") == "yes"):
        return "landmark"
    return None


class _Reader:
    """One pass: streets and the names meeting at each node, house numbers and named features."""

    def __init__(self):
        self.streets: dict[str, _Street] = defaultdict(_Street)
        self.names_at: dict[int, set[str]] = defaultdict(set)
        self.where: dict[int, tuple[float, float]] = {}
        self.features: list[tuple[Entry, object]] = []
        self.exits: list[tuple[Entry, str]] = []

    def take(self, obj) -> None:
        if obj.is_way():
            self._way(obj)
        elif obj.is_node() and len(obj.tags):
            self._feature(obj, _node_point(obj), f"n{obj.id}")
        elif obj.is_area():
            self._feature(obj, _area_point(obj), f"w{obj.orig_id()}" if obj.from_way() else f"r{obj.orig_id()}")

    def _way(self, way) -> None:
        name, highway = way.tags.get("name", ""), way.tags.get("highway")
        if not name or highway not in STREETS or len(way.nodes) < 2:
            return
        try:
            line = [(node.lon, node.lat) for node in way.nodes]
        except osmium.InvalidLocationError:
            return  # cut off by the extract's edge
        length = sum(distance_m(*a, *b) for a, b in zip(line, line[1:]))
        street = self.streets[name]
        street.rank, street.length_m = min(street.rank, ROAD_RANK.get(highway, 9)), street.length_m + length
        if length > street.longest_m:
            street.longest_m, street.point = length, line[len(line) // 2]
        for node, point in zip(way.nodes, line):
            self.names_at[node.ref].add(name)
            self.where[node.ref] = point

    def _feature(self, obj, point, osm: str) -> None:
        if point is None:
            return
        tags = obj.tags
        lon, lat = point
        street, number = tags.get("addr:street", ""), tags.get("addr:housenumber", "")
        if street and number:
            said, value = house_number(number)
            self.features.append((Entry("address", f"{street}{said}", lon, lat, street=street, number=value,
                                        osm=osm), None))
        kind, name = feature_kind(tags), tags.get("name", "")
        if kind == "metro_exit":
            self.exits.append((Entry(kind, name, lon, lat, street=street, osm=osm), tags.get("ref", "")))
        elif kind and name and (kind != "landmark" or tags.get("highway") in (None, "pedestrian")):
            aliases = tuple(alias.strip() for key in ALIAS_KEYS for alias in tags.get(key, "").split(";") if alias.strip())
            self.features.append((Entry(kind, name, lon, lat, street=street, osm=osm, aliases=aliases),
                                  tags.get("station")))

    def entries(self) -> list[Entry]:
        stations = [entry for entry, station in self.features if entry.kind == "station" and station != "train"]
        features = [entry for entry, _ in self.features if entry.kind != "bus_stop"]
        stops = _merged_stops([entry for entry, _ in self.features if entry.kind == "bus_stop"])
        exits = [entry for entry in (_exit_named(entry, ref, stations) for entry, ref in self.exits) if entry]
        return [*self._street_entries(), *self._junctions(), *features, *stops, *exits]

    def _street_entries(self) -> list[Entry]:
        return [Entry("street", name, *street.point, street=name, weight=round(street.length_m))
                for name, street in sorted(self.streets.items())]

    def _junctions(self) -> list[Entry]:
        nodes_of_pair: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        for ref, names in self.names_at.items():
            ordered = sorted(names, key=self._importance)
            for i, first in enumerate(ordered):
                for second in ordered[i + 1:]:
                    if not continues(first, second):
                        nodes_of_pair[(first, second)].append(self.where[ref])
        found = []
        for (first, second), points in sorted(nodes_of_pair.items()):
            weight = round(self.streets[first].length_m + self.streets[second].length_m)
            found += [Entry("junction", f"{first}与{second}交叉口", lon, lat, street=first, cross_street=second,
                            weight=weight) for lon, lat in _clustered(points, JUNCTION_MERGE_M)]
        return found

    def _importance(self, name: str):
        street = self.streets[name]
        return street.rank, -street.length_m, name


def continues(first: str, second: str) -> bool:
    """Whether two names are one street going on (西藏中路 → 西藏南路, 西藏南路 → 西藏南路隧道)."""
    if first.startswith(second) or second.startswith(first):
        return True
    return _stem(first) == _stem(second)


def _stem(name: str) -> str:
    key = search_key(name)
    for ending in STREET_ENDINGS:
        key = key.removesuffix(ending)
    return key.rstrip("东西南北中一二三四五六七八九十")


def _clustered(points: list[tuple[float, float]], within_m: float) -> list[tuple[float, float]]:
    """Points grouped greedily by distance; each group stands at its member nearest the group's mean."""
    groups: list[list[tuple[float, float]]] = []
    for point in sorted(points):
        group = next((g for g in groups if distance_m(*g[0], *point) <= within_m), None)
        if group is None:
            groups.append([point])
        else:
            group.append(point)
    placed = []
    for group in groups:
        mean = (sum(p[0] for p in group) / len(group), sum(p[1] for p in group) / len(group))
        placed.append(min(group, key=lambda p: distance_m(*p, *mean)))
    return placed


def _merged_stops(stops: list[Entry]) -> list[Entry]:
    by_name: dict[str, list[Entry]] = defaultdict(list)
    for stop in stops:
        by_name[stop.name].append(stop)
    merged = []
    for name, group in sorted(by_name.items()):
        for lon, lat in _clustered([(s.lon, s.lat) for s in group], STOP_MERGE_M):
            merged.append(Entry("bus_stop", name, lon, lat, osm=next(s.osm for s in group if (s.lon, s.lat) == (lon, lat))))
    return merged


def _exit_named(entry: Entry, ref: str, stations: list[Entry]) -> Entry | None:
    """A metro exit said as callers say it: its station's name and its number ("人民广场站1号口")."""
    near = [s for s in stations if distance_m(entry.lon, entry.lat, s.lon, s.lat) <= EXIT_STATION_M]
    station = min(near, key=lambda s: distance_m(entry.lon, entry.lat, s.lon, s.lat)).name if near else ""
    station = station if not station or station.endswith("站") else f"{station}站"
    ref = ref.strip()
    label = ref if not ref or ref.endswith(("口", "出口", "入口")) else f"{ref}号口"
    if entry.name and (entry.name.startswith(station[:-1]) or not station):
        name = entry.name
    elif entry.name:
        name = f"{station}{entry.name}"
    elif station and label:
        name = f"{station}{label}"
    else:
        return None
    entry.name = name
    return entry


def _node_point(node) -> tuple[float, float] | None:
    if not node.location.valid():
        return None
    return node.location.lon, node.location.lat


def _area_point(area) -> tuple[float, float] | None:
    """A point inside the area (its outer rings' polygon): a centroid may fall outside an L-shaped block."""
    try:
        rings = [shapely.Polygon([(n.lon, n.lat) for n in ring]) for ring in area.outer_rings()]
    except osmium.InvalidLocationError:
        return None
    polygon = shapely.MultiPolygon([ring for ring in rings if ring.is_valid and not ring.is_empty])
    if polygon.is_empty:
        return None
    point = polygon.point_on_surface()
    return (point.x, point.y) if math.isfinite(point.x) else None
