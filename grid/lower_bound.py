"""A lower bound on OSRM's travel time to one target, for every unit at once, read from OSRM's own
dataset of a profile (the `.nbg_nodes`, `.geometry`, `.fileIndex` and `.ebg_nodes` files the engine
serves, once per process, network and profile: car, foot and bicycle alike, each its own bound). `travel.fastest_to` routes units in order of their bound and stops once no
remaining unit can beat the k-th ETA found: the tighter the bound, the fewer units are routed. What is
read, and the proof that the bound never exceeds OSRM's duration (its steps 1-4, cited below), are in
docs/routing.md; `tests/grid/test_lower_bound.py` checks it against OSRM."""
import logging
import math
import tarfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from grid.osrm_build import DATASET

DURATION_BITS = 22
CLOSED = (1 << DURATION_BITS) - 1       # a segment's duration when it cannot be driven that way
ENABLED = np.uint32(1 << 31)            # SegmentID / GeometryID / ComponentID: the top bit is a flag
ID_MASK = np.uint32((1 << 31) - 1)
STARTPOINT = 1 << 15                    # EdgeBasedNodeSegment: fwd_segment_position:15, is_startpoint:1
LEAF = np.dtype([("forward", "<u4"), ("reverse", "<u4"), ("u", "<u4"), ("v", "<u4"), ("position", "<u4")])
OSRM_EARTH_RADIUS_M = 6_372_797.560856  # the sphere OSRM measures snapping distances on
ROUNDING_M = 1.0                         # fixed-point coordinates (0.1 m), float error, and margin
NEAR_CACHE_SIZE = 50_000                 # positions remembered with their nearby segments (~8 MB)
SUPPORTED_OSRM = {(26, 10)}             # dataset versions whose layout and flags were checked (the tests)
# The profiles whose datasets were checked against OSRM's own times (tests/grid/test_lower_bound.py and
# test_mode_bounds.py): the proof (docs/routing.md) asks only that every turn and signal penalty be >= 0,
# which each of these profiles' process_turn gives.
PROFILES = ("car", "foot", "bicycle")
CELL_M = 16.0                            # unit positions share their nearby segments per cell this wide
CELL_SLACK_M = CELL_M / math.sqrt(2)     # the farthest a point of a cell lies from its centre
NEAR_M = 2.0                             # a first, cheap search for the nearest big segment goes this far:
                                         # a unit snapped on arrival lies within 0.1 m of its road

logger = logging.getLogger(__name__)


class DatasetLayoutError(RuntimeError):
    """The OSRM dataset is not laid out as this module reads it (another OSRM version?)."""


@dataclass(eq=False)
class RoadTimes:
    """One network's segments, ready for a Dijkstra per target and a nearest-segment lookup per unit."""

    towards: object            # csr: towards[v, u] = seconds of segment u -> v (the graph reversed)
    node_lonlat: np.ndarray    # each node's (lon, lat)
    seg_u: np.ndarray          # the snappable segments' end nodes
    seg_v: np.ndarray
    seg_big: np.ndarray        # a start point, and in no tiny component in any open direction
    seg_anchor: np.ndarray     # the segments of the proof's step 3: the big ones (if none: start points)
    lines: np.ndarray          # the snappable segments in local metres
    seg_xy: np.ndarray         # and their ends: (segment, end, x / y)
    tree: shapely.STRtree
    exit_a: np.ndarray         # the node a route starting on the segment leaves it by: v if open
    exit_b: np.ndarray         #   forwards, u if open backwards (the same node twice if one-way)
    entry_a: np.ndarray        # the node a route ending on the segment enters it by: u if open
    entry_b: np.ndarray        #   forwards, v if open backwards
    big: np.ndarray            # the indexes of the anchor segments, and their tree
    big_tree: shapely.STRtree
    origin: tuple[float, float]
    scale: tuple[float, float]  # metres per degree of longitude, of latitude
    eps: float                  # relative scale error of the projection over the network, plus 1 %
    _near: dict = field(default_factory=dict)

    def _widen(self, metres):
        return metres * (1 + self.eps) + ROUNDING_M

    def reach(self, big_gap_m):
        """The radius of the proof, step 3: every segment OSRM may put a point on lies within it, for a
        point whose nearest big-component start segment is `big_gap_m` away in this projection."""
        return self._widen(self._widen(big_gap_m))

    def project(self, lon, lat) -> np.ndarray:
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        return np.column_stack([(lon - self.origin[0]) * self.scale[0], (lat - self.origin[1]) * self.scale[1]])

    def near_segments(self, keys: list[tuple[float, float]]) -> list[np.ndarray | None]:
        """For each (lon, lat): the segments OSRM may put the point on (proof, step 3), or None if the
        network has no big component. Remembered per cell of CELL_M: the segments found for a cell are
        those any point of the cell may be put on (a superset for each point, which `own_segments`
        filters down to the point's own), so a parked car's GPS jitter and a crawl along a street find
        them remembered. An exact position per key missed nearly always (each fix moves a few metres)."""
        return self._near_cells(self._cells(keys))

    def _near_cells(self, cells: list[int]) -> list[np.ndarray | None]:
        found = [self._near.get(cell, False) for cell in cells]
        missing = list(dict.fromkeys(cell for cell, value in zip(cells, found) if value is False))
        if missing:
            if len(self._near) + len(missing) > NEAR_CACHE_SIZE:
                self._near.clear()
            self._near.update(zip(missing, self._lookup(self._centres(missing), slack=CELL_SLACK_M)))
            found = [self._near[cell] for cell in cells]
        return found

    def _cells(self, keys) -> list[int]:
        return self._cell_keys(self.project(*np.array(keys, dtype=float).reshape(-1, 2).T))

    @staticmethod
    def _cell_keys(xy: np.ndarray) -> list[int]:
        """Each projected point's cell as one integer: column << 32 plus the row (offset to be >= 0)."""
        cell = np.floor(xy / CELL_M).astype(np.int64)
        return ((cell[:, 0] << 32) + (cell[:, 1] + (1 << 31))).tolist()

    def _centres(self, cells) -> list[tuple[float, float]]:
        i = np.array([cell >> 32 for cell in cells], dtype=float)
        j = np.array([(cell & 0xFFFFFFFF) - (1 << 31) for cell in cells], dtype=float)
        lon = self.origin[0] + (i + 0.5) * CELL_M / self.scale[0]
        lat = self.origin[1] + (j + 0.5) * CELL_M / self.scale[1]
        return list(zip(lon.tolist(), lat.tolist()))

    def forget_positions(self) -> None:
        self._near.clear()

    def _lookup(self, keys, slack: float = 0.0) -> list[np.ndarray | None]:
        """The segments of proof step 3 for every point within `slack` metres of each key: a point p
        that close to the key c has its nearest big segment at most gap(c) + slack away and so every
        segment it may be put on within reach(gap(c) + slack) + slack of c."""
        if not len(self.big):
            return [None] * len(keys)
        xy = self.project(*np.array(keys, dtype=float).T)
        # Most points lie on or by a big road: one search out to reach(NEAR_M + slack) + slack finds,
        # for those with a big segment that near, the nearest one and every segment in reach at once.
        near_m = NEAR_M + slack
        which, segment, gap = self._within(xy, np.full(len(keys), self.reach(near_m + slack) + slack))
        big_gap = np.full(len(keys), np.inf)
        big = self.seg_anchor[segment] & (gap <= near_m)
        np.minimum.at(big_gap, which[big], gap[big])
        keep = np.isfinite(big_gap[which]) & (gap <= self.reach(big_gap[which] + slack) + slack)
        which, segment = which[keep], segment[keep]
        far = np.flatnonzero(np.isinf(big_gap))
        if len(far):  # the rest: find their nearest big segment, then everything within its reach
            hits, nearest = self.big_tree.query_nearest(shapely.points(xy[far]), return_distance=True)
            np.minimum.at(big_gap, far[hits[0]], nearest)
            more, extra, _ = self._within(xy[far], self.reach(big_gap[far] + slack) + slack)
            which, segment = np.concatenate([which, far[more]]), np.concatenate([segment, extra])
        order = np.argsort(which, kind="stable")
        which, segment = which[order], segment[order]
        cuts = np.searchsorted(which, np.arange(len(keys) + 1))
        return [segment[cuts[i]:cuts[i + 1]] if cuts[i + 1] > cuts[i] else None for i in range(len(keys))]

    def _within(self, xy: np.ndarray, radius: np.ndarray):
        """(point index, segment, distance) of every segment within `radius` of each point (metres):
        the tree's box search, then the exact distance to each segment found."""
        boxes = shapely.box(xy[:, 0] - radius, xy[:, 1] - radius, xy[:, 0] + radius, xy[:, 1] + radius)
        which, segment = self.tree.query(boxes)
        gap = self._gaps(xy[which], segment)
        close = gap <= radius[which]
        return which[close], segment[close], gap[close]

    def _gaps(self, xy: np.ndarray, segment: np.ndarray) -> np.ndarray:
        """Metres from each point (row of `xy`) to the segment beside it."""
        start, end = self.seg_xy[segment, 0], self.seg_xy[segment, 1]
        along = end - start
        t = np.clip(((xy - start) * along).sum(axis=1) / np.maximum((along * along).sum(axis=1), 1e-12), 0.0, 1.0)
        return np.hypot(*(start + along * t[:, None] - xy).T)

    def own_segments(self, xy: np.ndarray, starts: np.ndarray, flat: np.ndarray) -> np.ndarray:
        """Which of their cells' segments (`flat`, point i's from `starts[i]`) each point itself may be put
        on: the proof's step 3 with no slack, those within reach(gap) of it, gap being its nearest anchor
        segment's distance. That segment is among its cell's (within gap + slack of the centre), and so
        is every one within reach(gap) (within reach(gap(centre) + slack) + slack of it): the cell's
        list filtered is exactly the point's own, as tight as a lookup of the point alone."""
        which = np.repeat(np.arange(len(xy)), np.diff(np.append(starts, len(flat))))
        gap = self._gaps(xy[which], flat)
        anchor_gap = np.minimum.reduceat(np.where(self.seg_anchor[flat], gap, np.inf), starts)
        return gap <= self.reach(anchor_gap[which])

    def seconds_to(self, seeds: np.ndarray, limit: float = np.inf) -> np.ndarray:
        """D(x) of the proof for every node: the shortest time from x to any of `seeds` (inf beyond `limit`:
        the search stops there, ~0.1 ms for 2 minutes of road instead of ~1.7 ms for the whole city)."""
        return dijkstra(self.towards, directed=True, indices=seeds, min_only=True, limit=limit)

    def query(self, target) -> "Query | None":
        """Bounds towards one target; None when the target itself cannot be bounded."""
        # The target's own segments, not its cell's: more of them would seed the search wider and
        # loosen every unit's bound (an incident's point is new each time: nothing to remember).
        segments = self._lookup([(float(target[0]), float(target[1]))])[0]
        return None if segments is None else Query(self, segments)

    def bounds(self, target, units: list[tuple[float, float]], limit: float = np.inf) -> np.ndarray | None:
        """Seconds no route from each unit (lon, lat) to `target` can undercut (0: none known; inf: no
        route at all); None when the target itself cannot be bounded. With a `limit`, the Dijkstra
        stops there and a unit farther gets `limit` (still a lower bound, only a weaker one)."""
        query = self.query(target)
        if query is None:
            return None
        query.search(limit)
        return query.bounds(units)


class Query:
    """The road-time bounds of units towards one target: a Dijkstra from the target's entry nodes,
    searched as far as asked, and each unit's nearby roads looked up when its bound is asked for."""

    def __init__(self, times: RoadTimes, target_segments: np.ndarray):
        self.times = times
        self.seeds = np.unique(np.concatenate([times.entry_a[target_segments], times.entry_b[target_segments]]))
        self.shared = np.zeros(len(times.seg_u), dtype=bool)
        self.shared[target_segments] = True
        self.limit = -1.0
        self.node_seconds = None

    def search(self, limit: float = np.inf) -> None:
        """D(x) for every node up to `limit` seconds (a node farther gets `limit`)."""
        if limit > self.limit:
            self.node_seconds = np.minimum(self.times.seconds_to(self.seeds, limit), limit)
            self.limit = limit

    def bounds(self, units: list[tuple[float, float]]) -> np.ndarray:
        """Each unit's bound (seconds) at the current search limit, its cell's nearby roads looked up if
        this process has not seen the cell yet; a bound equal to a finite limit may be larger in truth."""
        # Every point has at least its nearest big segment: a network with none has no Query.
        if not units:
            return np.zeros(0)
        times, seconds = self.times, self.node_seconds
        xy = times.project(*np.array(units, dtype=float).T)
        near = times._near_cells(times._cell_keys(xy))
        sizes = np.fromiter(map(len, near), dtype=np.int64, count=len(near))
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        flat = np.concatenate(near)
        own = times.own_segments(xy, starts, flat)
        exits = np.where(own, np.minimum(seconds[times.exit_a[flat]], seconds[times.exit_b[flat]]), np.inf)
        best = np.minimum.reduceat(exits, starts)
        # Proof, step 2: on a segment the target may be on too, a route need not pass any node.
        return np.where(np.logical_or.reduceat(self.shared[flat] & own, starts), 0.0, best)


# --- reading the dataset ------------------------------------------------------------------------

def read(dataset_dir: Path, profile: str = "car") -> RoadTimes:
    """The profile's dataset under `dataset_dir` (the network's folder) as RoadTimes."""
    if profile not in PROFILES:
        raise DatasetLayoutError(f"no lower bound was checked for the {profile!r} profile (PROFILES: {PROFILES})")
    base = Path(dataset_dir) / profile
    try:
        return _read(base)
    except (OSError, KeyError, ValueError, tarfile.TarError) as error:
        raise DatasetLayoutError(f"cannot read the OSRM dataset in {base}: {error}") from error


def _read(base: Path) -> RoadTimes:
    coordinates, index, chain, forward, reverse, components, leaves = _read_files(base)
    nodes = len(coordinates)
    if index[0] != 0 or index[-1] != len(chain) or (np.diff(index) < 1).any() or chain.max(initial=0) >= nodes:
        raise DatasetLayoutError("the geometry index does not describe the node chains")
    if leaves["u"].max(initial=0) >= nodes or leaves["v"].max(initial=0) >= nodes:
        raise DatasetLayoutError("the snapping index names nodes the network does not have")
    towards = _reversed_graph(index, chain, forward, reverse, leaves, nodes)
    seg_u, seg_v = leaves["u"].astype(np.int64), leaves["v"].astype(np.int64)
    startpoint = (leaves["position"] & STARTPOINT).astype(bool)
    seg_big = startpoint & ~_in_tiny_component(leaves, components)
    ends = _segment_ends(leaves, seg_u, seg_v)
    # A network with no big component at all (a small extract) leaves OSRM no other road to offer.
    ends["seg_anchor"] = seg_big if seg_big.any() else startpoint
    return _with_geometry(coordinates, towards, seg_u, seg_v, seg_big, ends)


def _read_files(base: Path) -> tuple:
    """The node coordinates, the way chains with their durations, the components and the snapping leaves."""
    with tarfile.open(base / f"{DATASET}.nbg_nodes") as nbg:
        _check_version(_member(nbg, "osrm_fingerprint.meta"))
        coordinates = _array(nbg, "/common/nbn_data/coordinates", "<i4", 2) / 1e6
    with tarfile.open(base / f"{DATASET}.geometry") as geometry:
        index = _array(geometry, "/common/segment_data/index", "<u4").astype(np.int64)
        chain = _array(geometry, "/common/segment_data/nodes", "<u4").astype(np.int64)
        forward = _unpack(geometry, "forward_durations", len(chain))
        reverse = _unpack(geometry, "reverse_durations", len(chain))
    with tarfile.open(base / f"{DATASET}.ebg_nodes") as ebg:
        # EdgeBasedNode: geometry id, component id (top bit: tiny), annotation id: 12 bytes
        components = _array(ebg, "/common/ebg_node_data/nodes", "<u4", 3)[:, 1]
    leaf_bytes = (base / f"{DATASET}.fileIndex").read_bytes()
    if len(leaf_bytes) % LEAF.itemsize:
        raise DatasetLayoutError(f"the snapping index is not made of {LEAF.itemsize}-byte leaves")
    return coordinates, index, chain, forward, reverse, components, np.frombuffer(leaf_bytes, LEAF)


def _in_tiny_component(leaves, components) -> np.ndarray:
    """Each snappable segment: is it open in some direction that lies in a tiny component?"""
    tiny_any = np.zeros(len(leaves), dtype=bool)
    for column in ("forward", "reverse"):
        open_ = (leaves[column] & ENABLED).astype(bool)
        ids = (leaves[column] & ID_MASK).astype(np.int64)
        if (ids[open_] >= len(components)).any():
            raise DatasetLayoutError("the snapping index names edge-based nodes the network does not have")
        tiny = np.zeros(len(leaves), dtype=bool)
        tiny[open_] = (components[ids[open_]] & ENABLED).astype(bool)
        tiny_any |= tiny
    return tiny_any


def _segment_ends(leaves, seg_u, seg_v) -> dict:
    """Through which end node each segment is left and entered, in each direction open to it."""
    ahead = (leaves["forward"] & ENABLED).astype(bool)
    back = (leaves["reverse"] & ENABLED).astype(bool)
    if not (ahead | back).all():
        raise DatasetLayoutError("a snappable segment is closed both ways")
    return {"exit_a": np.where(ahead, seg_v, seg_u), "exit_b": np.where(back, seg_u, seg_v),
            "entry_a": np.where(ahead, seg_u, seg_v), "entry_b": np.where(back, seg_v, seg_u)}


def _check_version(fingerprint: bytes) -> None:
    """OSRM's fingerprint: b"OSRP", then major, minor and patch version bytes."""
    if fingerprint[:4] != b"OSRP" or tuple(fingerprint[4:6]) not in SUPPORTED_OSRM:
        raise DatasetLayoutError(f"OSRM dataset version {tuple(fingerprint[4:7])} is not one this reader was "
                                 f"checked against ({sorted(SUPPORTED_OSRM)}): run tests/grid/test_lower_bound.py "
                                 f"and extend SUPPORTED_OSRM")


def _array(archive: tarfile.TarFile, name: str, dtype: str, width: int = 1) -> np.ndarray:
    """A vector of fixed-size records, checked against the element count OSRM stores beside it."""
    data = np.frombuffer(_member(archive, name), dtype)
    count = int(np.frombuffer(_member(archive, f"{name}.meta"), "<u8")[0])
    if len(data) != count * width:
        raise DatasetLayoutError(f"{name}: {len(data)} values for {count} records of {width}")
    return data.reshape(count, width) if width > 1 else data


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    for candidate in (name, name.lstrip("/")):
        try:
            return archive.extractfile(candidate).read()
        except KeyError:
            continue
    raise KeyError(name)


def _unpack(archive: tarfile.TarFile, name: str, count: int) -> np.ndarray:
    """An OSRM PackedVector<_, 22>: blocks of 64 elements in 22 little-endian 64-bit words, which
    makes the whole a plain little-endian bit stream."""
    words = np.frombuffer(_member(archive, f"/common/segment_data/{name}/packed"), "<u8")
    stored = int(np.frombuffer(_member(archive, f"/common/segment_data/{name}/number_of_elements.meta"), "<u8")[0])
    if stored != count or len(words) * 64 < count * DURATION_BITS:
        raise DatasetLayoutError(f"{name}: {stored} packed values for {count} chain positions")
    bits = np.unpackbits(words.view(np.uint8), bitorder="little")[:count * DURATION_BITS]
    weights = (1 << np.arange(DURATION_BITS, dtype=np.int64))
    return bits.reshape(count, DURATION_BITS).astype(np.int64) @ weights


def _reversed_graph(index, chain, forward, reverse, leaves, nodes: int):
    """The road graph, each open direction reversed (so a Dijkstra from the target's nodes follows
    routes backwards), in seconds.

    Segment j of a chain runs chain[j] -> chain[j + 1], forward[j + 1] deciseconds that way and
    reverse[j] back (OSRM 26 also stores a node's own penalty as a chain[j] -> chain[j] step: those
    are left out, penalties only add time). Which ways a segment may be driven is what the snapping
    index says (its forward / reverse edge-based node exists): OSRM 26 stores both durations even for
    a oneway. Each segment takes the shorter of its two durations and of any parallel segment joining
    the same two nodes; a segment missing from the snapping index is taken as two-way."""
    pair, seconds = _node_pair_seconds(index, chain, forward, reverse, nodes)
    leaf_pair = _pair_key(leaves["u"].astype(np.int64), leaves["v"].astype(np.int64), nodes)
    found = np.searchsorted(pair, leaf_pair)
    if (found >= len(pair)).any() or (pair[np.minimum(found, len(pair) - 1)] != leaf_pair).any():
        raise DatasetLayoutError("a snappable segment is missing from the geometry")
    ahead = (leaves["forward"] & ENABLED).astype(bool)
    back = (leaves["reverse"] & ENABLED).astype(bool)
    lu, lv = leaves["u"].astype(np.int64), leaves["v"].astype(np.int64)
    unindexed = ~np.isin(pair, leaf_pair)
    nu, nv = pair[unindexed] // nodes, pair[unindexed] % nodes
    rows = np.concatenate([lv[ahead], lu[back], nv, nu])          # towards[to, from] = time from -> to
    cols = np.concatenate([lu[ahead], lv[back], nu, nv])
    weights = np.concatenate([seconds[found[ahead]], seconds[found[back]], seconds[unindexed], seconds[unindexed]])
    order = np.lexsort((weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    # A zero-duration segment stays an edge: csgraph takes a sparse matrix's stored zeros as edges.
    return coo_matrix((weights[keep], (rows[keep], cols[keep])), shape=(nodes, nodes)).tocsr()


def _node_pair_seconds(index, chain, forward, reverse, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of nodes a segment joins (sorted keys) with the shortest duration among them, in seconds."""
    position = np.arange(len(chain) - 1)
    inside = np.ones(len(chain) - 1, dtype=bool)
    inside[index[1:-1] - 1] = False  # the last node of a chain does not lead into the next chain
    position = position[inside]
    u, v = chain[position], chain[position + 1]
    deciseconds = np.minimum(forward[position + 1], reverse[position])
    real = (u != v) & (deciseconds != CLOSED)
    pair = _pair_key(u[real], v[real], nodes)
    order = np.lexsort((deciseconds[real], pair))
    pair, deciseconds = pair[order], deciseconds[real][order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    return pair[first], deciseconds[first] / 10.0


def _pair_key(u, v, nodes: int):
    return np.minimum(u, v) * nodes + np.maximum(u, v)


def _with_geometry(coordinates, towards, seg_u, seg_v, seg_big, ends: dict) -> RoadTimes:
    min_lon, min_lat = coordinates.min(axis=0)
    max_lon, max_lat = coordinates.max(axis=0)
    origin = ((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    per_degree = OSRM_EARTH_RADIUS_M * math.pi / 180
    scale = (per_degree * math.cos(math.radians(origin[1])), per_degree)
    # East-west distances are scaled by cos(origin) instead of cos(lat): off by at most these ratios.
    farthest = min(max(abs(min_lat), abs(max_lat)), 89.0)
    nearest = 0.0 if min_lat <= 0 <= max_lat else min(abs(min_lat), abs(max_lat))
    middle = math.cos(math.radians(origin[1]))
    eps = max(middle / math.cos(math.radians(farthest)), math.cos(math.radians(nearest)) / middle) - 1 + 0.01
    times = RoadTimes(towards=towards, node_lonlat=coordinates, seg_u=seg_u, seg_v=seg_v, seg_big=seg_big,
                      lines=np.empty(0, object), seg_xy=np.empty((0, 2, 2)), tree=None, **ends,
                      big=np.flatnonzero(ends["seg_anchor"]), big_tree=None, origin=origin, scale=scale, eps=eps)
    ends = np.stack([times.project(coordinates[seg_u, 0], coordinates[seg_u, 1]),
                     times.project(coordinates[seg_v, 0], coordinates[seg_v, 1])], axis=1)
    times.lines, times.seg_xy = shapely.linestrings(ends), ends
    times.tree = shapely.STRtree(times.lines)
    times.big_tree = shapely.STRtree(times.lines[times.big])
    return times


# --- one per network per process ----------------------------------------------------------------

_loaded: dict = {}  # profile -> {"key": ..., "times": ...}
_lock = threading.Lock()


def for_dataset(dataset_dir: Path, profile: str = "car") -> RoadTimes | None:
    """The network's RoadTimes for the profile, read on first use and kept; None when the dataset cannot
    be read. A dataset rebuilt in the same folder (a re-import after a crash) is read again."""
    try:
        stamp = (dataset_dir / profile / f"{DATASET}.fileIndex").stat()
    except OSError:
        return None
    key = (str(dataset_dir), stamp.st_mtime_ns, stamp.st_size)
    loaded = _loaded.get(profile, {})
    if loaded.get("key") != key:
        with _lock:
            loaded = _loaded.get(profile, {})
            if loaded.get("key") != key:
                try:
                    times = read(dataset_dir, profile)
                except DatasetLayoutError:
                    logger.warning("no road-time lower bound for %s (%s): the straight-line bound serves", dataset_dir,
                                   profile, exc_info=True)
                    times = None
                loaded = _loaded[profile] = {"key": key, "times": times}
    return loaded["times"]
