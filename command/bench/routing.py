"""`manage.py bench routing`: the dispatch hot path (ETAs of 2,000 scattered units to one incident)
against a full table and a naive baseline routing each unit separately, measured in the same run; and
the same exact top 3 for every way of moving, each against a full table of its own profile
(command.bench.routing_modes)."""
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import osrm
from django.conf import settings
from shapely.geometry import Point

from command.bench import routing_modes
from grid import lower_bound, osrm_build, travel
from grid.models import RoadNetwork
from grid.selectors import active_road_network
from grid.osm import read_extract, served_outline
from grid.roads import dataset_path, road_network_import
from grid.selectors import locate, spatial_index


def percentiles(samples_s: list[float], scale: float = 1000.0) -> dict:
    values = np.array(samples_s) * scale
    return {"p50": round(float(np.percentile(values, 50)), 3), "p99": round(float(np.percentile(values, 99)), 3),
            "n": len(samples_s)}


def on_road_points(count: int, rng: random.Random) -> list[tuple[float, float]]:
    """Random points of the served area moved onto the road, as units' fixes are."""
    area = spatial_index().served
    min_lon, min_lat, max_lon, max_lat = area.bounds
    points = []
    while len(points) < count:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if area.contains(Point(lon, lat)):
            try:
                snapped = travel.snap(lon, lat)[:2]
            except travel.OffNetwork:
                continue
            if area.contains(Point(snapped)):  # a road at the edge may lie just outside: a call there is refused
                points.append(snapped)
    return points


def run(*, units: int, incidents: int, naive_incidents: int, table_incidents: int, seed: int, build: bool,
        moved_incidents: int = 20) -> dict:
    network = _network()
    rng = random.Random(seed)
    # Unit positions are snapped onto the road when they arrive, so their snap slack is known: 0 m.
    fleet = [travel.Candidate(i, lon, lat, snap_slack_m=0.0) for i, (lon, lat) in enumerate(on_road_points(units, rng))]
    targets = on_road_points(incidents, rng)
    # Once per process: reading the lower-bound graph and finding each unit's nearby roads (then kept).
    first, _ = _time(lambda t: travel.fastest_to(t, fleet, k=3), targets[:1])
    hot, picks = _time(lambda t: travel.fastest_to(t, fleet, k=3), targets)
    hot_cpu = _cpu_time(lambda t: travel.fastest_to(t, fleet, k=3), targets)
    routed = _units_routed(lambda t: travel.fastest_to(t, fleet, k=3), targets)
    # The worst case for the per-process cache of each position's nearby roads: every unit moved.
    positions = lower_bound.for_dataset(dataset_path(network))
    moved, _ = _time(lambda t: (positions.forget_positions(), travel.fastest_to(t, fleet, k=3)),
                     targets[:moved_incidents])
    table, full = _time(lambda t: travel.durations_to(t, [(c.lon, c.lat) for c in fleet]), targets[:table_incidents])
    naive, _ = _time(lambda t: _naive(t, fleet), targets[:naive_incidents])
    return {
        "network": {"name": network.name, "sha256": network.sha256[:12], "road_km": network.road_km,
                    "algorithm": network.algorithm, "max_speed_kmh": network.max_speed_kmh},
        "units": units, "incidents": incidents,
        "hot_path_fastest_3_ms": percentiles(hot),
        "hot_path_fastest_3_cpu_ms": percentiles(hot_cpu),
        "hot_path_units_routed": {"p50": float(np.percentile(routed, 50)), "p99": float(np.percentile(routed, 99)),
                                  "max": max(routed), "of": units},
        "hot_path_first_call_ms": round(first[0] * 1000, 1),
        "hot_path_every_unit_moved_ms": percentiles(moved),
        "baseline_full_table_ms": percentiles(table),
        "baseline_naive_route_each_unit_ms": percentiles(naive),
        "speedup_vs_full_table_p99": round(np.percentile(table, 99) / np.percentile(hot, 99), 1),
        "speedup_vs_naive_p50": round(statistics.median(naive) / statistics.median(hot), 1),
        "exactness": _exactness(picks[:table_incidents], full),
        # issue 16: every way of moving, each on its own profile and bound, against its own full table
        "per_mode": routing_modes.run_modes(units=units, incidents=incidents, table_incidents=table_incidents,
                                            seed=seed),
        "zone_lookup_us": _zone_lookup(rng),
        "import_build": _build_time() if build else {"recorded_build_s": network.build_s, **network.measurements},
    }


def _network() -> RoadNetwork:
    network = active_road_network()
    # None yet, or one imported before a way of moving had its profile (grid.modes): the import builds it
    if network is None or not set(osrm_build.BUILT_PROFILES) <= set(network.profiles or []):
        network, _ = road_network_import(path=Path(settings.ROAD_NETWORK), progress=lambda line: None)
        travel.engines.reset()
    return network


def _time(call, targets) -> tuple[list[float], list]:
    samples, results = [], []
    for target in targets:
        started = time.perf_counter()
        results.append(call(target))
        samples.append(time.perf_counter() - started)
    return samples, results


def _cpu_time(call, targets) -> list[float]:
    """CPU seconds of this process (OSRM's threads included) per call: steadier than the wall clock
    on a machine shared with other work, which only adds waiting to it."""
    samples = []
    for target in targets:
        started = time.process_time()
        call(target)
        samples.append(time.process_time() - started)
    return samples


def _units_routed(call, targets) -> list[int]:
    """How many units each call routed (deterministic, unlike the latency on a shared machine)."""
    counts, table = [], travel._table

    def counting(points, *args, **kwargs):
        counts[-1] += len(points)
        return table(points, *args, **kwargs)

    travel._table = counting
    try:
        for target in targets:
            counts.append(0)
            call(target)
    finally:
        travel._table = table
    return counts


def _naive(target, fleet) -> list:
    """What peers do at best: one route request per unit."""
    router = travel.engines.router("car")
    legs = []
    for unit in fleet:
        found = router.Route(osrm.RouteParameters(coordinates=[(unit.lon, unit.lat), target], overview="false"))
        legs.append(float(found["routes"][0]["duration"]))
    return legs


def _exactness(picks, full_tables) -> dict:
    """The pruned answer must be what a table over every unit gives: same ETAs, in order."""
    mismatches = 0
    for pick, legs in zip(picks, full_tables):
        best = sorted(leg.duration_s for leg in legs if leg is not None)[:len(pick)]
        mismatches += [round(leg.duration_s, 6) for _, leg in pick] != [round(d, 6) for d in best]
    return {"incidents_compared": len(full_tables), "top3_mismatches": mismatches}


def _zone_lookup(rng: random.Random) -> dict:
    area = spatial_index().served
    min_lon, min_lat, max_lon, max_lat = area.bounds
    points = [(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)) for _ in range(5000)]
    samples, _ = _time(lambda p: locate(*p), points)
    return percentiles(samples, scale=1e6)


def _build_time() -> dict:
    """A fresh build of the active extract into a scratch folder (the database is not touched)."""
    started = time.perf_counter()
    extract = read_extract(Path(settings.ROAD_NETWORK))
    read_s = time.perf_counter() - started
    outline_started = time.perf_counter()
    served_outline(extract)
    outline_s = time.perf_counter() - outline_started
    with tempfile.TemporaryDirectory() as scratch:
        steps = {p: osrm_build.build_profile(extract.path, Path(scratch), p, progress=lambda line: None)
                 for p in osrm_build.BUILT_PROFILES}
    return {"read_s": round(read_s, 2), "outline_s": round(outline_s, 2),
            "steps_s": {p: {k: round(v, 2) for k, v in s.items()} for p, s in steps.items()},
            "total_s": round(time.perf_counter() - started, 2)}
