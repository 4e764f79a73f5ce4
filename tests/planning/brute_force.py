"""Optima by enumeration, written without the solver's code, for instances small enough to try
every plan: the reference the solver's answers are held to. seconds[point, site], inf unreachable."""
import itertools
import math

import numpy as np


def _subsets(sites: int, size: int, fixed):
    for chosen in itertools.combinations(range(sites), size):
        if set(np.flatnonzero(fixed)) <= set(chosen):
            yield chosen


def _assignments(options: list, weights, capacity):
    """Every way to give each point one of its options within the sites' capacities."""
    for choice in itertools.product(*options):
        load = {}
        for point, site in enumerate(choice):
            if site is not None:
                load[site] = load.get(site, 0) + weights[point]
        if all(load[s] <= capacity[s] for s in load):
            yield choice


def pmedian_cost(seconds, weights, chosen, capacity=None) -> float:
    """The least weighted time from the chosen sites; inf if a point some site reaches is left out."""
    served = np.isfinite(seconds).any(axis=1)
    options = [[s for s in chosen if math.isfinite(seconds[i, s])] if served[i] else [None]
               for i in range(len(seconds))]
    if capacity is None:
        return sum(weights[i] * min(seconds[i, s] for s in options[i]) if options[i] else math.inf
                   for i in range(len(seconds)) if served[i])
    return min((sum(weights[i] * seconds[i, s] for i, s in enumerate(choice) if s is not None)
                for choice in _assignments(options, weights, capacity)), default=math.inf)


def pmedian(seconds, weights, p, fixed, capacity=None) -> float:
    return min(pmedian_cost(seconds, weights, chosen, capacity) for chosen in _subsets(seconds.shape[1], p, fixed))


def mclp_value(cover, weights, chosen, capacity=None) -> float:
    """The most weight the chosen sites cover (each covered point served by one, with capacities)."""
    if capacity is None:
        return sum(weights[i] for i in range(len(cover)) if any(cover[i, s] for s in chosen))
    options = [[None] + [s for s in chosen if cover[i, s]] for i in range(len(cover))]
    return max(sum(weights[i] for i, s in enumerate(choice) if s is not None)
               for choice in _assignments(options, weights, capacity))


def mclp(cover, weights, p, fixed, capacity=None) -> float:
    return max(mclp_value(cover, weights, chosen, capacity) for chosen in _subsets(cover.shape[1], p, fixed))


def lscp_feasible(cover, weights, chosen, capacity=None) -> bool:
    coverable = cover.any(axis=1)
    options = [[s for s in chosen if cover[i, s]] if coverable[i] else [None] for i in range(len(cover))]
    if capacity is None:
        return all(options)
    return next(_assignments(options, weights, capacity), None) is not None


def lscp(cover, weights, fixed, capacity=None) -> int | None:
    """The fewest sites that cover every coverable point; None if no set does."""
    for size in range(cover.shape[1] + 1):
        if any(lscp_feasible(cover, weights, chosen, capacity) for chosen in _subsets(cover.shape[1], size, fixed)):
            return size
    return None


def mexclp_value(cover, weights, units, busy) -> float:
    times = [sum(units[s] for s in range(cover.shape[1]) if cover[i, s]) for i in range(len(cover))]
    return sum(w * (1 - busy ** k) for w, k in zip(weights, times))


def mexclp(cover, weights, p, busy, fixed, room) -> float:
    """The most expected coverage of p units, site s holding 1 if fixed else 0 up to room[s] units."""
    ranges = [range(1 if fixed[s] else 0, room[s] + 1) for s in range(cover.shape[1])]
    return max(mexclp_value(cover, weights, units, busy) for units in itertools.product(*ranges) if sum(units) == p)
