"""Streets by name, from the imported road network: where the console's search finds "南京东路".

The names come from `roads.json` beside the OSRM datasets (OpenStreetMap data, ODbL). Each name's
point is the middle vertex of its longest stretch: on the street itself, so an incident placed
there snaps to it."""
import json
import threading
from dataclasses import dataclass

from grid.geometry import distance_m
from grid.roads import dataset_path
from grid.selectors import active_road_network

_lock = threading.Lock()
_index: dict[str, list["Street"]] = {}


@dataclass(frozen=True)
class Street:
    name: str
    kind: str
    lon: float
    lat: float
    length_m: float


def streets_named(query: str, *, limit: int = 10) -> list[Street]:
    """Streets whose name contains `query` (case-insensitive), exact matches and longer streets first."""
    query = (query or "").strip().lower()
    network = active_road_network()
    if not query or network is None:
        return []
    found = [street for street in _streets(network) if query in street.name.lower()]
    found.sort(key=lambda s: (s.name.lower() != query, not s.name.lower().startswith(query), -s.length_m, s.name))
    return found[:limit]


def _streets(network) -> list[Street]:
    with _lock:  # two first searches at once read the file once
        if network.dataset_dir not in _index:
            roads = json.loads((dataset_path(network) / "roads.json").read_text())["roads"]
            _index.clear()
            _index[network.dataset_dir] = _longest_stretch_per_name(roads)
        return _index[network.dataset_dir]


def _longest_stretch_per_name(roads) -> list[Street]:
    best: dict[str, Street] = {}
    for name, kind, line in roads:
        if not name or len(line) < 2:
            continue
        length = sum(distance_m(*a, *b) for a, b in zip(line, line[1:]))
        if name not in best or length > best[name].length_m:
            lon, lat = line[len(line) // 2]
            best[name] = Street(name=name, kind=kind, lon=lon, lat=lat, length_m=round(length))
    return sorted(best.values(), key=lambda s: s.name)
