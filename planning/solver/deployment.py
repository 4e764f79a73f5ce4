"""Deployment (布警) and move-up (动态补位): maximum expected coverage with choices that come in
groups and budgets, and presence that may be a share of the time.

MEXCLP (`mexclp.py`) places p interchangeable units. A city's band is not like that: each mobile
platform stands at exactly one of its own stands (a group), each platform has so many crews for
its posts and routes (a budget), and a crew patrolling a route is near any one stretch of it only
part of the time (a share). Live move-up is the same shape: each idle unit stays or goes to one
candidate (a group per unit) and at most m units move (a budget). So:

    max  sum_i sum_k w_i (1 - q) q^(k-1) z_ik  -  sum_j c_j y_j
    s.t. sum_k z_ik <= sum_{j in N_i} a_ij y_j      a_ij: the share of time a unit at j reaches i
         0 <= z_ik <= 1,  k = 1..K_i                 K_i: at most `levels`
         sum_{j in g} y_j = 1                        every group g
         L_b <= sum_{j in b} y_j <= U_b              every budget b
         y_j integer in [1 if fixed else 0, units the site holds]

n_i = sum_j a_ij y_j is the expected number of units within reach of point i; the objective counts
1 - q^n at whole n and is linear between (concave, so the z stay continuous and the LP is exact).
With a share of 1 everywhere and no groups or budgets but one of p units, it is MEXCLP; with q = 0
it is maximal covering with shares. `levels` caps the units counted per point (the evaluation
caps the same way, so the reported objective is the programme's own). Costs (c_j >= 0) take a
unit's move off the objective: a move must buy more coverage than it costs."""
import math

import numpy as np

from .core import Evaluation, Plan, read_units
from .covering import Covering
from .instance import Instance
from .programme import Programme


class Deployment(Covering):
    model = "deployment"
    maximise = True
    counts_units = True

    def __init__(self, instance: Instance, *, busy: float = 0.0, within: float | None = None, groups=None,
                 budgets=None, share=None, cost=None, levels: int | None = None):
        """groups: {site id: group name}; budgets: {name: (site ids, least, most)}; share:
        [(site id, point id, presence)] (pairs not listed: 1), the units one unit at the site puts
        within reach of the point: a share of its time, or more than one (a stand where a reserve
        waits with the truck); cost: {site id: objective per unit}."""
        super().__init__(instance, within=within)
        if not 0 <= busy < 1:
            raise ValueError(f"the busy fraction must be at least 0 and less than 1, not {busy!r}")
        self.busy, self.levels = busy, levels
        self.room = np.array([1 if s.capacity is None else int(s.capacity) for s in instance.sites], dtype=np.int64)
        index = {s.id: j for j, s in enumerate(instance.sites)}
        self.groups = _groups(groups or {}, index)
        self.budgets = _budgets(budgets or {}, index)
        self.cost = _costs(cost or {}, index, len(instance.sites))
        self.cover_share = _shares(instance, share or (), index, self.cover_point, self.cover_site)
        self.most = self._most_levels()
        self._check_feasible()

    def _most_levels(self) -> np.ndarray:
        """Per point, the most units that could be counted there."""
        reach = np.zeros(len(self.instance.demand))
        np.add.at(reach, self.cover_point, self.cover_share * self.room[self.cover_site])
        most = np.ceil(reach - 1e-9).astype(np.int64)
        return most if self.levels is None else np.minimum(most, self.levels)

    def _check_feasible(self) -> None:
        fixed = self.instance.fixed
        for name, sites in self.groups.items():
            if fixed[sites].sum() > 1:
                raise ValueError(f"group {name!r}: more than one of its sites is fixed")
        for name, (sites, least, most) in self.budgets.items():
            if fixed[sites].sum() > most:
                raise ValueError(f"budget {name!r}: {int(fixed[sites].sum())} of its sites are fixed, more than {most}")
            if self.room[sites].sum() < least:
                raise ValueError(f"budget {name!r}: its sites hold {int(self.room[sites].sum())} units, fewer than {least}")

    # --- the programme -----------------------------------------------------------------------

    def build(self) -> Programme:
        inst, programme = self.instance, Programme(maximise=True)
        self.y = programme.variables(-self.cost, lower=inst.fixed.astype(float), upper=self.room.astype(float),
                                     integer=True)
        point = np.repeat(np.arange(len(self.most)), self.most)
        k = np.concatenate([np.arange(1, n + 1) for n in self.most]) if len(point) else np.zeros(0)
        z = programme.variables(inst.weights[point] * self.worth(k), integer=False)
        self.point_rows(programme, (point, z, 1.0), (self.cover_point, self.y[self.cover_site], -self.cover_share),
                        upper=0.0)
        for sites in self.groups.values():
            programme.constraints(np.zeros(len(sites)), self.y[sites], 1.0, count=1, lower=1.0, upper=1.0)
        for sites, least, most in self.budgets.values():
            programme.constraints(np.zeros(len(sites)), self.y[sites], 1.0, count=1, lower=least, upper=most)
        return programme

    def point_rows(self, programme: Programme, *terms, lower=-np.inf, upper=np.inf) -> None:
        """As Covering's, with a value per entry (the shares) allowed."""
        coverable = ~self.out_of_reach
        row = np.cumsum(coverable) - 1
        programme.constraints(np.concatenate([row[points] for points, _, _ in terms]),
                              np.concatenate([columns for _, columns, _ in terms]),
                              np.concatenate([np.broadcast_to(np.asarray(value, dtype=float), columns.shape)
                                              for _, columns, value in terms]),
                              count=int(coverable.sum()), lower=lower, upper=upper)

    def worth(self, k) -> np.ndarray:
        """What the k-th unit within reach adds to a point of weight 1."""
        return (1 - self.busy) * self.busy ** (np.asarray(k, dtype=float) - 1)

    def decode(self, x: np.ndarray) -> Plan:
        return Plan(units=read_units(x, self.y))

    # --- plans without the solver ------------------------------------------------------------

    def presence(self, units: np.ndarray) -> np.ndarray:
        """n_i: the expected number of units within reach of each point."""
        found = np.zeros(len(self.instance.demand))
        np.add.at(found, self.cover_point, self.cover_share * units[self.cover_site])
        return found

    def expected(self, presence: np.ndarray, most: np.ndarray | None = None) -> np.ndarray:
        """Each point's share covered (times its weight: its expected coverage), levels capped at
        `most` (the points' own caps unless given, for a subset of points)."""
        most = self.most if most is None else most
        levels = int(most.max()) if len(most) else 0
        k = np.arange(1, levels + 1)
        counted = np.clip(presence[:, None] - (k[None, :] - 1), 0.0, 1.0)
        counted = np.where(k[None, :] <= most[:, None], counted, 0.0)
        return counted @ self.worth(k) if levels else np.zeros(len(presence))

    def evaluate(self, plan: Plan) -> Evaluation:
        presence = self.presence(plan.units)
        value = self.instance.weights @ self.expected(presence) - self.cost @ plan.units
        return Evaluation(objective=float(value), covered=presence > 1e-9)

    def greedy(self) -> Plan | None:
        """The fixed sites; then, one unit at a time, the one that adds the most, first to the groups
        still empty, then to the budgets under their least, then while anything adds at all."""
        units = self.instance.fixed.astype(np.int64)
        gain = _Gains(self)
        while True:
            allowed = self._allowed(units)
            if not allowed.any():
                break
            needed = self._needed(units, allowed) & allowed
            pool = needed if needed.any() else allowed
            scores = np.where(pool, gain.of(units), -np.inf)
            best = int(scores.argmax())
            if not needed.any() and scores[best] <= 1e-12:
                break
            units[best] += 1
        return Plan(units=units) if self._feasible(units) else None

    def _allowed(self, units: np.ndarray) -> np.ndarray:
        allowed = units < self.room
        for sites in self.groups.values():
            if units[sites].sum() >= 1:
                allowed[sites] = False
        for sites, _least, most in self.budgets.values():
            if units[sites].sum() >= most:
                allowed[sites] = False
        return allowed

    def _needed(self, units: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """The sites the plan must take next: an empty group's, else those of the budget under its
        least with the fewest sites left to take (the most constrained first: a zone's few posts before
        a platform's many)."""
        needed = np.zeros(len(units), dtype=bool)
        for sites in self.groups.values():
            if units[sites].sum() == 0:
                needed[sites] = True
        if needed.any():
            return needed
        short = [sites[allowed[sites]] for sites, least, _most in self.budgets.values() if units[sites].sum() < least]
        short = [sites for sites in short if len(sites)]
        if short:
            needed[min(short, key=len)] = True
        return needed

    def _feasible(self, units: np.ndarray) -> bool:
        return (all(units[s].sum() == 1 for s in self.groups.values())
                and all(least <= units[s].sum() <= most for s, least, most in self.budgets.values()))

    def trivial_bound(self) -> float:
        """Every point with as many units as could reach it; no cost paid."""
        reach = np.zeros(len(self.instance.demand))
        np.add.at(reach, self.cover_point, self.cover_share * self.room[self.cover_site])
        return float(self.instance.weights @ self.expected(reach))


class _Gains:
    """What one more unit at each site would add, from a dense presence matrix (points x sites)."""

    def __init__(self, problem: Deployment):
        self.problem = problem
        self.matrix = np.zeros((len(problem.instance.demand), len(problem.instance.sites)))
        self.matrix[problem.cover_point, problem.cover_site] = problem.cover_share

    def of(self, units: np.ndarray) -> np.ndarray:
        problem, weights = self.problem, self.problem.instance.weights
        presence = problem.presence(units)
        now = problem.expected(presence)
        gains = np.empty(self.matrix.shape[1])
        for j in range(self.matrix.shape[1]):
            touched = np.flatnonzero(self.matrix[:, j])
            after = problem.expected(presence[touched] + self.matrix[touched, j], problem.most[touched])
            gains[j] = weights[touched] @ (after - now[touched])
        return gains - problem.cost


def _groups(groups: dict, index: dict) -> dict:
    found = {}
    for site, name in groups.items():
        if site not in index:
            raise ValueError(f"group {name!r} names site {site!r}, which is not in the instance")
        found.setdefault(name, []).append(index[site])
    return {name: np.array(sites, dtype=np.int64) for name, sites in found.items()}


def _budgets(budgets: dict, index: dict) -> dict:
    found = {}
    for name, (sites, least, most) in budgets.items():
        unknown = [s for s in sites if s not in index]
        if unknown:
            raise ValueError(f"budget {name!r} names site {unknown[0]!r}, which is not in the instance")
        if not (0 <= least <= most) or math.isinf(most):
            raise ValueError(f"budget {name!r}: needs 0 <= least <= most, finite (not {least}, {most})")
        found[name] = (np.array([index[s] for s in sites], dtype=np.int64), least, most)
    return found


def _costs(cost: dict, index: dict, count: int) -> np.ndarray:
    found = np.zeros(count)
    for site, value in cost.items():
        if site not in index:
            raise ValueError(f"a cost names site {site!r}, which is not in the instance")
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"site {site!r}: the cost must be a number of at least 0, not {value}")
        found[index[site]] = value
    return found


def _shares(instance: Instance, share, index: dict, cover_point, cover_site) -> np.ndarray:
    """The share of each covering pair, 1 where none is given."""
    points = {d.id: i for i, d in enumerate(instance.demand)}
    sites = len(instance.sites)
    given = {}
    for site, point, fraction in share:
        if site not in index or point not in points:
            raise ValueError(f"a share names {site!r} to {point!r}, not a site and a point of the instance")
        if not (math.isfinite(fraction) and fraction >= 0):
            raise ValueError(f"the share of {site!r} to {point!r} must be a number of at least 0, not {fraction}")
        given[points[point] * sites + index[site]] = fraction
    keys = cover_point * sites + cover_site
    return np.array([given.get(int(key), 1.0) for key in keys], dtype=np.float64)
