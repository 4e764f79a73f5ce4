"""The offline basemap: the active road network served as small vector tiles the console draws itself.

A tile is JSON: the roads crossing it, clipped to the tile plus a small buffer (so strokes join
across tile edges), simplified to half a screen pixel at its zoom, as integer tile pixels
0..EXTENT, with each road's OSM class and name. Why vector rather than server-drawn PNGs:
`manage.py bench basemap` measures both. On the demo city at z15, gzipped JSON is 0.5 KB a tile
(p50) and made in 0.2-0.4 ms; even a crude PNG (1x, no anti-aliasing) is 8 KB and 4 ms, needs an
imaging library and a CJK font on the server, and blurs on high-density screens.

The roads come from `roads.json`, written beside the OSRM datasets by the import. Each process
builds one index (shapely STRtree, Web Mercator) per network and replaces it when another
network becomes active; tiles are deterministic per (network, z, x, y), so a per-process LRU is
all the caching they need besides the browser's (ETag + Cache-Control).
"""
import gzip
import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from grid.models import RoadNetwork
from grid.roads import dataset_path

MIN_ZOOM, MAX_ZOOM = 11, 18
EXTENT = 4096       # tile pixels per 256 screen pixels: 1/16 px precision, still small integers
BUFFER = 128        # 8 screen pixels: more than half the widest stroke, so lines meet at tile edges
TOLERANCE = 8       # half a screen pixel: simplification no eye can see
CACHED_TILES = 4096  # a city at z11-16 plus the streets dispatchers look at closely; ~3 KB each
MAX_LAT = 85.0511287798  # Web Mercator's edge

# Draw order (minor under major) and the first zoom a class shows at; *_link roads follow their road.
CLASS_RANK = {"service": 0, "living_street": 1, "unclassified": 2, "residential": 2, "tertiary": 3,
              "secondary": 4, "primary": 5, "trunk": 6, "motorway": 7}
CLASS_MIN_ZOOM = {"motorway": 11, "trunk": 11, "primary": 11, "secondary": 12, "tertiary": 13,
                  "unclassified": 14, "residential": 14, "living_street": 15, "service": 15}


class NoRoadNetwork(LookupError):
    pass


class NoSuchTile(LookupError):
    pass


def road_class(highway: str) -> str:
    return highway.removesuffix("_link")


@dataclass(frozen=True)
class TileRef:
    """One tile of one network: enough to answer a conditional request without making the tile."""

    network: str  # the extract's sha256
    dataset_dir: str
    bbox: tuple[float, float, float, float]
    z: int
    x: int
    y: int

    @property
    def version(self) -> str:
        return network_version(self.network)

    @property
    def etag(self) -> str:
        return f'"{self.network[:16]}-{self.z}-{self.x}-{self.y}"'

    def cache_control(self, version: str | None) -> str:
        # A URL that names this network's version never changes content; any other must revalidate.
        return "private, max-age=31536000, immutable" if version == self.version else "private, no-cache"

    def gzipped(self) -> bytes:
        if not self.overlaps_network():
            return _EMPTY  # most of the world: answered without loading the roads
        return _rendered(self.network, self.dataset_dir, self.z, self.x, self.y)

    def overlaps_network(self) -> bool:
        pad = BUFFER / EXTENT  # a road just beyond the tile's edge still shows in its buffer
        west, _, _, north = tile_bounds_lon_lat(self.z, self.x - pad, self.y - pad)
        _, south, east, _ = tile_bounds_lon_lat(self.z, self.x + pad, self.y + pad)
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return west <= max_lon and east >= min_lon and south <= max_lat and north >= min_lat


def tile_ref(*, z: int, x: int, y: int) -> TileRef:
    """The active network's tile z/x/y, or NoSuchTile / NoRoadNetwork saying why not."""
    if not MIN_ZOOM <= z <= MAX_ZOOM or not (0 <= x < 2 ** z and 0 <= y < 2 ** z):
        raise NoSuchTile(f"No tile {z}/{x}/{y}: zoom is {MIN_ZOOM}-{MAX_ZOOM}, x and y 0 to 2^zoom - 1.")
    network = active_network()
    if network is None:
        raise NoRoadNetwork("No road network is imported: run `manage.py import_roads`.")
    sha256, dataset_dir, *bbox = network
    return TileRef(sha256, dataset_dir, tuple(bbox), z, x, y)


def network_version(sha256: str) -> str:
    """What tile URLs carry (`?v=`) so that a browser's cached tiles end with their network."""
    return sha256[:12]


def active_network() -> tuple | None:
    """(sha256, dataset_dir, min_lon, min_lat, max_lon, max_lat): one indexed query, no cache to go stale."""
    return (RoadNetwork.objects.filter(active=True)
            .values_list("sha256", "dataset_dir", "min_lon", "min_lat", "max_lon", "max_lat").first())


# --- projection ---------------------------------------------------------------------------------

def mercator(lon, lat):
    """Web Mercator scaled to the unit square: x east from -180°, y south from the top edge."""
    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    return (np.asarray(lon) + 180.0) / 360.0, (1.0 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2.0


def tile_bounds_lon_lat(z: int, x: float, y: float) -> tuple[float, float, float, float]:
    """West, south, east, north of tile x, y (fractions allowed: Mercator maps boxes to boxes)."""
    n = 2 ** z
    lat = lambda row: math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))  # noqa: E731
    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


# --- the roads of one network -------------------------------------------------------------------

class RoadLayer:
    """Every road of a network in unit-square Mercator, indexed for tile queries."""

    def __init__(self, roads: list):
        streets = _streets(roads)
        self.names = [name for name, _, _ in streets]
        self.classes = [highway for _, highway, _ in streets]
        self.min_zoom = np.array([CLASS_MIN_ZOOM.get(road_class(h), 15) for h in self.classes])
        self.lines = shapely.transform(np.array([line for _, _, line in streets]), _to_unit_square)
        self.tree = shapely.STRtree(self.lines)

    def tile(self, z: int, x: int, y: int) -> dict:
        n, pad = 2 ** z, BUFFER / EXTENT
        area = ((x - pad) / n, (y - pad) / n, (x + 1 + pad) / n, (y + 1 + pad) / n)
        hits = self.tree.query(shapely.box(*area))
        hits = np.sort(hits[self.min_zoom[hits] <= z])
        clipped = shapely.clip_by_rect(self.lines[hits], *area)
        simple = shapely.simplify(clipped, TOLERANCE / EXTENT / n, preserve_topology=False)
        return {"extent": EXTENT, "roads": self._features(hits, *_pixel_parts(simple, z, x, y))}

    def _features(self, hits, owners, parts) -> list:
        """One feature per (class, name) in the tile, so the console labels each street once."""
        grouped: dict[tuple, list] = {}
        for owner, part in zip(owners, parts):
            road = hits[owner]
            grouped.setdefault((self.classes[road], self.names[road]), []).append(part)
        ordered = sorted(grouped.items(), key=lambda item: (CLASS_RANK.get(road_class(item[0][0]), 0), item[0]))
        return [[highway, name, lines] for (highway, name), lines in ordered]


def _streets(roads: list) -> list[tuple]:
    """OSM splits a street into a way per block; joined back up, a street is labelled once per tile
    on its longest stretch, and a tile query touches a few hundred lines instead of thousands."""
    blocks: dict[tuple, list] = {}
    for name, highway, coords in roads:
        blocks.setdefault((name, highway), []).append(coords)
    streets = []
    for (name, highway), lines in blocks.items():
        merged = shapely.line_merge(shapely.MultiLineString(lines))
        streets += [(name, highway, line) for line in shapely.get_parts(merged)]
    return streets


def _to_unit_square(coords):
    return np.column_stack(mercator(coords[:, 0], coords[:, 1]))


def _pixel_parts(geoms, z: int, x: int, y: int) -> tuple[list, list]:
    """Each line part as a flat [x0, y0, x1, y1, ...] of tile pixels, with the index of its road."""
    parts, owners = shapely.get_parts(geoms, return_index=True)
    coords, which = shapely.get_coordinates(parts, return_index=True)
    n = 2 ** z
    pixels = np.rint((coords * n - (x, y)) * EXTENT).astype(np.int64)
    keep = np.ones(len(pixels), bool)
    keep[1:] = (which[1:] != which[:-1]) | np.any(pixels[1:] != pixels[:-1], axis=1)  # drop repeats
    pixels, which = pixels[keep], which[keep]
    starts = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])
    out_owners, out_parts = [], []
    for start, stop in zip(starts, np.r_[starts[1:], len(which)]):
        if stop - start >= 2:
            out_owners.append(int(owners[which[start]]))
            out_parts.append(pixels[start:stop].ravel().tolist())
    return out_owners, out_parts


_layers: dict[str, RoadLayer] = {}
_layers_lock = threading.Lock()


def road_layer(network: str, dataset_dir: str) -> RoadLayer:
    """This process's index of `network`, built on first use; the previous network's is dropped."""
    with _layers_lock:  # two first requests at once build it once
        if network not in _layers:
            roads = json.loads((dataset_path(RoadNetwork(dataset_dir=dataset_dir)) / "roads.json").read_text())
            _layers.clear()
            _layers[network] = RoadLayer(roads["roads"])
        return _layers[network]


@lru_cache(maxsize=CACHED_TILES)
def _rendered(network: str, dataset_dir: str, z: int, x: int, y: int) -> bytes:
    return encode(road_layer(network, dataset_dir).tile(z, x, y))


def encode(tile: dict) -> bytes:
    # gzip once here rather than per response: every browser accepts it, and the LRU holds 4x more.
    return gzip.compress(json.dumps(tile, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=6, mtime=0)


def forget_road_layers() -> None:
    """Drop every index and tile: for tests, and for a process that must see a re-import at once."""
    with _layers_lock:
        _layers.clear()
    _rendered.cache_clear()


_EMPTY = encode({"extent": EXTENT, "roads": []})
