"""Key-site posts against the 1-minute target: how much of each key site the posts held by the
patrol plans can reach within 60 s, and how many posts it would take to reach 95 % of it.

A key site's calls fall anywhere within 90 % of its radius, on a road (`calls`); a crew reaches a
call within the target only from a post a parked crew's turnout plus its drive away. This asks
the question without any crew being busy elsewhere: the best the posts can do, so the headless
run's 60 s figure can be read against it and a supervisor can see what more posts would buy.

- **Reach of the held posts**: the share of the site's call points (drawn as `calls` draws them)
  within target of some post a crew holds all shift (a key-site beat, `world.SimUnit.beat`), and
  of the run's own key-site calls.
- **Posts needed**: the fewest posts among candidate road points of the site (the held posts and
  points drawn in its circle) that put `SHARE` of its call points within target, solved exactly
  as an integer programme (scipy's HiGHS). Travel is free-flow: congestion would only raise it.
"""
import math
import random

import numpy as np
from django.conf import settings
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from command.simulation.calls import point_inside
from grid import geometry, travel
from grid.selectors import active_road_network
from grid.geometry import distance_m
from grid.travel import OffNetwork

SHARE = 0.95
SAMPLES = 100      # call points per site
CANDIDATES = 60    # road points per site where a post could stand, besides the held ones


def key_site_posts(world, calls, *, seed: int) -> dict:
    rng = random.Random(seed)
    target, turnout = settings.RESPONSE_TARGET_KEY_SITE_S, settings.TURNOUT_PARKED_S
    drive_s = target - turnout
    held = sorted({post for unit in world.units for post in unit.beat})
    samples, spots = {}, list(held)
    for _pk, code, lon, lat, radius in world.key_sites:
        samples[code] = [_road_point(rng, geometry.circle(lon, lat, radius * 0.9)) for _ in range(SAMPLES)]
        spots += [_on_road(_road_point(rng, geometry.circle(lon, lat, radius))) for _ in range(CANDIDATES)]
    spots = list(dict.fromkeys(spots))
    reach = {code: _reach_matrix(spots, points, drive_s) for code, points in samples.items()}
    # SHARE of a site's call points, or all that a car can reach in time from anywhere (a pedestrian
    # street's middle may be out of every car's reach: `reach_possible` says how much)
    wanted = {code: min(math.ceil(SHARE * SAMPLES), int(m.any(axis=0).sum())) for code, m in reach.items()}
    sites = {code: _site(reach[code], wanted[code], [n for n, p in enumerate(spots) if p in held
                                                     and distance_m(p[0], p[1], lon, lat) <= radius])
             for _pk, code, lon, lat, radius in world.key_sites}
    at_sites = [c for c in calls if c.key_site_id is not None]
    return {"target_s": target, "turnout_s": turnout, "share": SHARE, "samples_per_site": SAMPLES,
            "candidates_per_site": CANDIDATES, "sites": sites, "posts_held": len(held),
            # one set of posts for every site at once: a post near two sites serves both
            "posts_needed": _fewest_posts(list(reach.values()), list(wanted.values())),
            "calls": len(at_sites),
            "calls_reachable_from_held_posts": sum(_reachable(c, held, drive_s) for c in at_sites),
            "patrol_crews_on_duty_at_noon": _crews_at_noon(world)}


def _site(reach: np.ndarray, wanted: int, held: list) -> dict:
    return {"posts_held": len(held), "reach_of_held_posts": _share(reach[held]), "reach_possible": _share(reach),
            "posts_needed": _fewest_posts([reach], [wanted])}


def _crews_at_noon(world) -> int:
    noon = (world.start.replace(hour=12, minute=0, second=0) - world.start).total_seconds()
    return sum(1 for u in world.units if not u.parked and u.on_from <= noon < u.on_until)


def _share(reach: np.ndarray) -> float:
    """The share of the samples some row reaches."""
    return round(float(reach.any(axis=0).mean()), 4) if reach.size else 0.0


def _road_point(rng: random.Random, polygon, tries: int = 1000) -> tuple:
    """A point inside `polygon` within the snapping limit of a road, as a call's address would be."""
    for _ in range(tries):
        point = point_inside(rng, polygon)
        try:
            travel.snap(*point)
        except OffNetwork:
            continue
        return point
    raise ValueError(f"no road within the snapping limit in {tries} points drawn around {polygon.centroid.coords[0]}")


def _on_road(point) -> tuple:
    lon, lat = travel.snap(*point)[:2]
    return round(lon, 6), round(lat, 6)


def _reach_matrix(spots: list, samples: list, drive_s: float) -> np.ndarray:
    """[spot, sample]: a car leaving the spot is at the sample within `drive_s`. Spots farther than
    the fastest road could take it in that time are not asked (one OSRM table per spot otherwise)."""
    reach = np.zeros((len(spots), len(samples)), dtype=bool)
    centre = np.mean(samples, axis=0)
    spread = max(distance_m(*centre, *p) for p in samples)
    network = active_road_network()
    limit = spread + drive_s * (network.max_speed_kmh / 3.6 if network else math.inf)
    for n, spot in enumerate(spots):
        if distance_m(*spot, *centre) <= limit:
            reach[n] = [leg is not None and leg.duration_s <= drive_s
                        for leg in travel.durations_from(spot, samples, profile="car")]
    return reach


def _fewest_posts(reaches: list, wanted: list) -> int:
    """The fewest spots that reach at least `wanted[g]` samples of each group g (reaches: one
    [spot, sample] matrix a group, over the same spots; each wanted reachable). Binary x (spots)
    and y (samples reached): minimise sum x; y_j <= sum_i a_ij x_i; each group's sum y >= wanted."""
    reach = np.hstack(reaches)
    spots, samples = reach.shape
    used = reach.any(axis=1)  # a spot that reaches nothing is never worth a post
    reach = reach[used]
    spots = len(reach)
    groups = np.zeros((len(reaches), samples))
    first = 0
    for n, group in enumerate(reaches):
        groups[n, first:first + group.shape[1]] = 1
        first += group.shape[1]
    cost = np.concatenate([np.ones(spots), np.zeros(samples)])
    cover = sparse.hstack([sparse.csr_matrix(-reach.T.astype(float)), sparse.identity(samples)])  # y - Ax <= 0
    enough = sparse.hstack([sparse.csr_matrix((len(reaches), spots)), sparse.csr_matrix(groups)])
    result = milp(cost, integrality=np.ones(spots + samples), bounds=Bounds(0, 1),
                  constraints=[LinearConstraint(cover, -np.inf, 0), LinearConstraint(enough, np.array(wanted), np.inf)])
    if not result.success:
        raise RuntimeError(f"the post count could not be solved: {result.message}")
    return int(round(result.fun))


def _reachable(call, posts: list, drive_s: float) -> bool:
    if not posts:
        return False
    legs = travel.durations_to((call.lon, call.lat), posts, profile="car")
    return any(leg is not None and leg.duration_s <= drive_s for leg in legs)
