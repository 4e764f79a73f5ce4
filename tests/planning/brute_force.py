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


def expected_value(presence, weights, busy, levels=None) -> float:
    """Each point's 1 - q^n at whole n, straight between, counting at most `levels` units."""
    total = 0.0
    for n, w in zip(presence, weights):
        top = math.ceil(n) if levels is None else min(levels, math.ceil(n))
        total += w * sum((1 - busy) * busy ** (k - 1) * min(1.0, max(0.0, n - (k - 1))) for k in range(1, top + 1))
    return total


def deployment(share, weights, busy, *, room, fixed, groups=(), budgets=(), cost=None, levels=None):
    """share[point, site] (0 where out of reach); groups: lists of sites, exactly one each; budgets:
    (sites, least, most). The best value and every plan that gives it."""
    cost = [0.0] * share.shape[1] if cost is None else cost
    best, plans = -math.inf, []
    for units in itertools.product(*[range(1 if fixed[s] else 0, room[s] + 1) for s in range(share.shape[1])]):
        if any(sum(units[s] for s in g) != 1 for g in groups):
            continue
        if any(not least <= sum(units[s] for s in sites) <= most for sites, least, most in budgets):
            continue
        presence = [sum(share[i, s] * units[s] for s in range(share.shape[1])) for i in range(share.shape[0])]
        value = expected_value(presence, weights, busy, levels) - sum(c * u for c, u in zip(cost, units))
        if value > best + 1e-9:
            best, plans = value, [units]
        elif abs(value - best) <= 1e-9:
            plans.append(units)
    return best, plans


def fewest_to_goal(share, weights, classes, goals, base, room) -> int | None:
    """The fewest units (each site up to its room) whose reach, beside `base`, meets every goal."""
    sites = share.shape[1]
    for total in range(sum(room) + 1):
        for units in itertools.product(*[range(r + 1) for r in room]):
            if sum(units) != total:
                continue
            presence = [min(1.0, base[i] + sum(share[i, s] * units[s] for s in range(sites))) for i in range(len(base))]
            if all(_share_of(presence, weights, classes, name) >= goal - 1e-9 for name, goal in goals.items()):
                return total
    return None


def _share_of(presence, weights, classes, name) -> float:
    inside = [i for i in range(len(weights)) if name == "overall" or classes[i] == name]
    return sum(weights[i] * presence[i] for i in inside) / sum(weights[i] for i in inside)
