"""`manage.py bench routing`, per way of moving (issue 16): each mode's exact top 3 (grid.modes.fastest_to:
its own profile, its own lower bound, its own share of the congestion) over a fleet of that mode, beside a
full table of the same profile and congestion answering the same incidents. The mismatches must be 0: the
pruning is only worth having if it is exact for every mode, not just the car's.

The fleet and the incidents of a mode are snapped onto that mode's own network (an officer on foot stands
on a pavement or a footpath the car profile does not have), and ranked at a weekday's morning peak so the
motorcycle's share of the congestion (grid.modes) is measured where it differs from the car's."""
import random
from datetime import datetime, time, timedelta

import numpy as np
from django.utils import timezone
from shapely.geometry import Point

from grid import modes, travel
from grid.selectors import spatial_index

PEAK = time(8, 30)  # inside the demo's morning congestion band


def run_modes(*, units: int, incidents: int, table_incidents: int, seed: int) -> dict:
    from command.bench.routing import percentiles

    at = peak_moment()
    found = {"at": at.isoformat()}
    for mode in modes.MODES:
        found[mode] = _one_mode(mode, units=units, incidents=incidents, table_incidents=table_incidents,
                                seed=seed, at=at, percentiles=percentiles)
    return found


def peak_moment(now=None) -> datetime:
    """The next weekday's PEAK, local time (today's when it is a weekday and still ahead)."""
    local = timezone.localtime(now)
    moment = local.replace(hour=PEAK.hour, minute=PEAK.minute, second=0, microsecond=0)
    while moment < local or moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def _one_mode(mode: str, *, units: int, incidents: int, table_incidents: int, seed: int, at, percentiles) -> dict:
    from command.bench.routing import _time

    rng = random.Random(f"{seed}:{mode}")
    profile = modes.profile_of(mode)
    points = points_on(profile, units + incidents, rng)
    # Snapped onto the mode's roads when they arrive, as unit fixes are: their snap slack is 0 m.
    fleet = [travel.Candidate(i, lon, lat, snap_slack_m=0.0) for i, (lon, lat) in enumerate(points[:units])]
    targets = points[units:]
    hot_path = lambda target: modes.fastest_to(target, fleet, k=3, mode=mode, at=at)  # noqa: E731
    hot_path(targets[0])  # once per process: the mode's bound read and each position's nearby roads found
    hot, picks = _time(hot_path, targets)
    table, full = _time(lambda target: modes.durations_to(target, [(c.lon, c.lat) for c in fleet], mode=mode, at=at),
                        targets[:table_incidents])
    factors = [modes.factor(mode, travel.congestion_factor(*target, at)) for target in targets]
    return {"profile": profile, "congestion_share": modes.congestion_share(mode),
            "congestion_factor_mean": round(float(np.mean(factors)), 3),
            "fastest_3_ms": percentiles(hot), "full_table_ms": percentiles(table),
            "speedup_vs_full_table_p99": round(float(np.percentile(table, 99) / np.percentile(hot, 99)), 1),
            "exactness": exactness(picks[:table_incidents], full)}


def points_on(profile: str, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """Random points of the served area moved onto the profile's own network."""
    area = spatial_index().served
    min_lon, min_lat, max_lon, max_lat = area.bounds
    points = []
    while len(points) < count:
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if area.contains(Point(lon, lat)):
            try:
                points.append(travel.snap(lon, lat, profile)[:2])
            except travel.OffNetwork:
                continue
    return points


def exactness(picks, full_tables) -> dict:
    """The pruned top 3 must be the full table's: the same ETAs, in order (units on a walkway cut off from
    the target have no leg in the table and are never picked)."""
    mismatches = 0
    for pick, legs in zip(picks, full_tables):
        best = sorted(leg.duration_s for leg in legs if leg is not None)[:len(pick)]
        mismatches += [round(leg.duration_s, 6) for _, leg in pick] != [round(d, 6) for d in best]
    return {"incidents_compared": len(full_tables), "top3_mismatches": mismatches}
