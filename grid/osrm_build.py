"""Building OSRM datasets from an extract with the osrm-bindings executables, and measuring them.

Car, foot and bicycle profiles, one per way of moving (grid.modes: a bicycle or e-bike on the bicycle
profile; OSRM ships no motorcycle profile, and in city traffic a motorcycle follows the car's roads and
rules, so motorcycles route on the car graph with a congestion factor of their own). The car graph is
prepared for both CH and MLD and the faster one for the dispatch table is chosen by timing it here, on
this network.
"""
import math
import random
import statistics
import subprocess
import time
from pathlib import Path

import osrm

from grid.mvt import layer_values

BIN = Path(osrm.__file__).parent / "bin"
PROFILES = Path(osrm.__file__).parent / "share" / "profiles"
BUILT_PROFILES = ("car", "foot", "bicycle")
CH_PROFILES = ("car",)
DATASET = "network.osrm"


class BuildError(RuntimeError):
    """An OSRM tool failed; the message carries the end of its output."""


def _run(tool: str, *args: str, cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(BIN / f"osrm-{tool}"), *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise BuildError(f"osrm-{tool} failed: " + " | ".join(tail))
    return time.perf_counter() - started


def build_profile(extract_path: Path, work_dir: Path, profile: str, *, progress) -> dict:
    """extract, then MLD (partition + customize), then CH (contract) for the car graph only.

    Partition renumbers the graph, so contracting must come after it for both to coexist. Foot and
    bicycle routing are rarer (foot posts, bicycle crews) and their CH contraction costs ~15 s each: they
    are served by MLD alone."""
    profile_dir = work_dir / profile
    profile_dir.mkdir(parents=True)
    source = profile_dir / _osrm_input_name(extract_path)
    source.symlink_to(extract_path.resolve())
    timings = {"extract": _run("extract", "-p", str(PROFILES / f"{profile}.lua"), "-t", "2", source.name, cwd=profile_dir)}
    source.unlink()  # the dataset is what we keep; the extract stays where it was imported from
    timings["partition"] = _run("partition", "-t", "2", DATASET, cwd=profile_dir)
    timings["customize"] = _run("customize", "-t", "2", DATASET, cwd=profile_dir)
    if profile in CH_PROFILES:
        timings["contract"] = _run("contract", "-t", "2", DATASET, cwd=profile_dir)
    progress(f"  {profile}: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items()))
    return timings


def customize(profile_dir: Path, segment_speeds: Path) -> float:
    """Apply a segment-speed file (OSM node, OSM node, km/h; 0 closes the segment) to the MLD graph in
    `profile_dir`, in place (grid/closures.py applies it to a copy)."""
    return _run("customize", "-t", "2", "--segment-speed-file", str(segment_speeds), DATASET, cwd=profile_dir)


def _osrm_input_name(path: Path) -> str:
    """OSRM names its outputs after the input minus a known suffix: give it one it knows."""
    for suffix in (".osm.pbf", ".osm.bz2", ".osm"):
        if path.name.endswith(suffix):
            return "network" + suffix
    return "network.osm.pbf"  # a bare .pbf


def engine(dataset_dir: Path, profile: str, algorithm: str) -> osrm.OSRM:
    # use_shared_memory=False: the keyword constructor otherwise looks for a shared block (FACTS.md).
    return osrm.OSRM(storage_config=str(dataset_dir / profile / DATASET), algorithm=algorithm,
                     use_shared_memory=False, max_locations_distance_table=100_000)


def time_table(router: osrm.OSRM, bbox, sources: int = 500, repeats: int = 5) -> float:
    """Median seconds of a `sources` x 1 duration table between random points of the box."""
    rng = random.Random(7)
    min_lon, min_lat, max_lon, max_lat = bbox
    coords = [(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)) for _ in range(sources + 1)]
    params = osrm.TableParameters(coordinates=coords, sources=list(range(sources)), destinations=[sources],
                                  annotations=["duration"])
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        router.Table(params)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def choose_algorithm(dataset_dir: Path, bbox) -> tuple[str, dict]:
    seconds = {algorithm: time_table(engine(dataset_dir, "car", algorithm), bbox) for algorithm in ("CH", "MLD")}
    return min(seconds, key=seconds.get), {f"table_500x1_{k.lower()}_ms": round(v * 1000, 1) for k, v in seconds.items()}


def speed_profile(router: osrm.OSRM, bbox, zoom: int = 14) -> dict[int, float]:
    """Metres of road per whole km/h of speed, read from OSRM's own tiles (a segment crossing tiles
    is counted in each: an overcount, which only makes the ETA bounds built on it safer)."""
    metres: dict[int, float] = {}
    for x, y in _tiles(bbox, zoom):
        tile = bytes(router.Tile(osrm.TileParameters(x, y, zoom)))
        for speed, seconds in zip(layer_values(tile, "speeds", "speed"), layer_values(tile, "speeds", "duration")):
            metres[int(speed)] = metres.get(int(speed), 0.0) + float(seconds) * speed / 3.6
    if not metres or max(metres) <= 0:
        raise BuildError("the routing graph has no road with a speed: nothing is routable")
    return metres


def max_speed_kmh(profile: dict[int, float]) -> float:
    """The fastest segment plus 1 km/h for the tiles' rounding."""
    return float(max(profile) + 1)


def fast_road_metres(profile: dict[int, float], thresholds=(50, 60, 70, 80)) -> dict[str, float]:
    """For each threshold speed: how many metres of road are faster than it (rounding included)."""
    return {str(t): round(sum(m for speed, m in profile.items() if speed + 1 > t), 1) for t in thresholds}


def _tiles(bbox, zoom: int):
    min_lon, min_lat, max_lon, max_lat = bbox
    x0, y0 = _tile_of(min_lon, max_lat, zoom)
    x1, y1 = _tile_of(max_lon, min_lat, zoom)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    n = 2 ** zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
