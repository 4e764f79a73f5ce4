"""Instances for the solver's tests: small random ones (integer times and weights, so objectives
compare exactly) and the builder the hand-made ones share."""
import numpy as np

from planning.solver import DemandPoint, Instance, Site

LIMITS = (30, 60, 90)


def random_case(seed: int, *, points: int = 7, sites: int = 5, missing: float = 0.2):
    """seconds[point, site] (integers 0-120, a share `missing` unreachable), weights 1-9 and each
    point's own limit."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 121, size=(points, sites)).astype(float)
    seconds[rng.random((points, sites)) < missing] = np.inf
    return seconds, rng.integers(1, 10, size=points).astype(float), rng.choice(LIMITS, size=points).astype(float)


def instance(seconds, weights, limits=None, *, fixed=(), capacity=None) -> Instance:
    """Points p0.., sites s0..; `fixed`: site numbers; `capacity`: one per site (None: no limit)."""
    points, places = np.shape(seconds)
    limits = [None] * points if limits is None else limits
    capacity = [None] * places if capacity is None else capacity
    demand = [DemandPoint(f"p{i}", weight=float(w), within=None if t is None else float(t))
              for i, (w, t) in enumerate(zip(weights, limits))]
    sites = [Site(f"s{j}", fixed=j in fixed, capacity=capacity[j]) for j in range(places)]
    return Instance.from_matrix(demand, sites, seconds)


def site_numbers(result) -> list[int]:
    return [int(ident[1:]) for ident in result.sites]
