"""Move-up (动态补位): which idle units should move where so that the free units together reach the
most of the band's demand within target, while others are on jobs. MEXCLP over the live positions
(`solver.Deployment`): each free unit is a group (stay where it is, or go to one destination), at
most MOVEUP_MAX_MOVES go, and each move costs MOVEUP_MIN_GAIN of the band's demand plus a little
for every second of its drive, so nobody is sent across town for a crumb.

The core (`choose`) works on plain arrays, so the live task and the simulator ask the same question:
the live task with the units' positions from the AVL store (`live`), the simulator with its crews'."""
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from planning.solver import DemandPoint, Deployment, Instance, Site, run

DESTINATIONS = 12        # destinations weighed: those that would add the most, each alone
SENDERS = 3              # units weighed for each: those whose leaving costs least, drive included
DRIVE_COST = 1e-4        # objective per second of drive, in shares of the demand: a tie-breaker
LEVELS = 3
TIME_LIMIT_S = 1.5


@dataclass(frozen=True)
class Free:
    """A free unit: its key, where it is, and whether each cell is within its target from there
    (road time plus its turnout), and its drive to each destination."""

    key: object
    lon: float
    lat: float
    reach: np.ndarray
    drive_s: np.ndarray


@dataclass(frozen=True)
class Destination:
    lon: float
    lat: float
    label: str
    reach: np.ndarray   # cells within target of a crew parked here


@dataclass
class Moves:
    before: float                                  # expected share of the demand within target now
    after: float                                   # and with the moves
    moves: list = field(default_factory=list)      # [(free, destination, drive_s, gain)]
    status: str = "optimal"
    by_class_before: dict = field(default_factory=dict)
    uncovered: float = 0.0                         # share of the demand no free unit reaches


def choose(*, weights: np.ndarray, targets: np.ndarray, free: list[Free], destinations: list[Destination],
           busy: float, max_moves: int | None = None, min_gain: float | None = None,
           max_drive_s: float | None = None) -> Moves:
    """The moves restoring the most expected coverage; weights are the cells' demand."""
    max_moves = settings.MOVEUP_MAX_MOVES if max_moves is None else max_moves
    min_gain = settings.MOVEUP_MIN_GAIN if min_gain is None else min_gain
    max_drive_s = settings.MOVEUP_MAX_DRIVE_S if max_drive_s is None else max_drive_s
    total = float(weights.sum())
    if not free or total <= 0:
        return Moves(before=0.0, after=0.0, uncovered=1.0 if total > 0 else 0.0)
    free = [f if f.reach.dtype == float else Free(f.key, f.lon, f.lat, f.reach.astype(float), f.drive_s) for f in free]
    destinations = [d if d.reach.dtype == float else Destination(d.lon, d.lat, d.label, d.reach.astype(float))
                    for d in destinations]
    now = np.sum([f.reach for f in free], axis=0)
    worth = _Worth(weights, busy)
    before = worth.of(now)
    shortlist = _shortlist(worth, now, destinations, free, max_drive_s)
    if not shortlist:
        return _moves(before, before, [], total, targets, weights, worth, now)
    senders = _senders(worth, now, free, shortlist, max_drive_s, total)
    problem = _problem(weights, free, destinations, senders, busy, total * min_gain, max_moves)
    result = run(problem, time_limit=TIME_LIMIT_S)
    chosen = _chosen(result, free)
    after_presence = now + sum((destinations[d].reach - free[f].reach for f, d, *_ in chosen), np.zeros(len(weights)))
    gains = [(f, d, drive, worth.of(now + destinations[d].reach - free[f].reach) - before) for f, d, drive in chosen]
    moves = _moves(before, worth.of(after_presence), gains, total, targets, weights, worth, now)
    moves.status = result.status
    return moves


class _Worth:
    """Expected covered demand of a presence vector: 1 - q^n per cell, counting at most LEVELS."""

    def __init__(self, weights: np.ndarray, busy: float):
        self.weights, self.busy = weights, busy

    def of(self, presence: np.ndarray) -> float:
        n = np.minimum(presence, LEVELS)
        return float(self.weights @ (1 - self.busy ** n))


def _shortlist(worth: _Worth, now: np.ndarray, destinations: list[Destination], free: list[Free],
               max_drive_s: float) -> list[int]:
    """The destinations that alone would add the most, and that some free unit reaches in time."""
    base = worth.of(now)
    gains = [(worth.of(now + d.reach) - base, n) for n, d in enumerate(destinations)]
    reachable = {n for f in free for n in np.flatnonzero(f.drive_s <= max_drive_s)}
    ranked = sorted((g for g in gains if g[1] in reachable and g[0] > 1e-9), reverse=True)
    return [n for _, n in ranked[:DESTINATIONS]]


def _senders(worth: _Worth, now: np.ndarray, free: list[Free], shortlist: list[int], max_drive_s: float,
             total: float) -> dict:
    """{unit: destinations it may be sent to}: for each destination, the SENDERS units in time whose
    leaving loses the least coverage, the drive's cost included."""
    base = worth.of(now)
    loss = [base - worth.of(now - unit.reach) for unit in free]
    senders = {}
    for d in shortlist:
        able = [f for f, unit in enumerate(free) if unit.drive_s[d] <= max_drive_s]
        able.sort(key=lambda f: (loss[f] + DRIVE_COST * total * float(free[f].drive_s[d]), f))
        for f in able[:SENDERS]:
            senders.setdefault(f, []).append(d)
    return senders


def _problem(weights, free, destinations, senders, busy, move_cost, max_moves) -> Deployment:
    points = [DemandPoint(f"c{i}", weight=float(w), within=1.0) for i, w in enumerate(weights)]
    sites, groups, costs, moving, reach = [], {}, {}, [], []
    for f, unit in enumerate(free):
        stay = f"stay:{f}"
        sites.append(Site(stay))
        groups[stay] = f"unit:{f}"
        reach.append(unit.reach)
        for d in senders.get(f, ()):
            go = f"go:{f}:{d}"
            sites.append(Site(go))
            groups[go], costs[go] = f"unit:{f}", move_cost + DRIVE_COST * float(weights.sum()) * float(unit.drive_s[d])
            moving.append(go)
            reach.append(destinations[d].reach)
    site, point = np.nonzero(np.array(reach) > 0)
    instance = Instance(points, sites, point, site, np.zeros(len(point)))
    return Deployment(instance, busy=busy, groups=groups, budgets={"moves": (tuple(moving), 0, max_moves)},
                      cost=costs, levels=LEVELS)


def _chosen(result, free) -> list[tuple]:
    found = []
    for site in result.sites:
        if site.startswith("go:"):
            _, f, d = site.split(":")
            found.append((int(f), int(d), float(free[int(f)].drive_s[int(d)])))
    return found


def _moves(before, after, gains, total, targets, weights, worth, now) -> Moves:
    by_class = {}
    for target in sorted(set(targets.tolist())):
        mask = targets == target
        part = float(weights[mask].sum())
        by_class[str(int(target))] = round(_Worth(weights[mask], worth.busy).of(now[mask]) / part, 4) if part else None
    uncovered = float(weights[now <= 0].sum()) / total
    return Moves(before=before / total, after=after / total, by_class_before=by_class, uncovered=uncovered,
                 moves=[(free, dest, drive, gain / total) for free, dest, drive, gain in gains])


__all__ = ["Destination", "Free", "Moves", "choose"]
