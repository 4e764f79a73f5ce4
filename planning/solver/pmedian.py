"""p-median: open p sites so that the demand-weighted travel time of every point to the site
serving it is least (Hakimi; ReVelle and Swain's formulation).

    min  sum_ij w_i t_ij x_ij
    s.t. sum_j x_ij = 1        each point that some site reaches
         x_ij <= y_j           served only by an open site
         sum_j y_j = p,  y_j = 1 where fixed
         sum_i w_i x_ij <= c_j y_j   where site j has a capacity c_j

Only reachable pairs get a column. Without capacities x may be fractional (an optimal plan serves
each point from its nearest open site anyway); with them a point is served by one site (x binary),
the classic capacitated p-median. A point no site reaches is reported out of reach and left out."""
import numpy as np

from .core import (Evaluation, Plan, Problem, check_count, exactly, once_each, only_if_open, open_sites,
                   read_assignment, read_units, within_capacity)
from .instance import Instance
from .programme import Programme


class PMedian(Problem):
    model = "pmedian"
    maximise = False

    def __init__(self, instance: Instance, *, p: int):
        super().__init__(instance)
        check_count(instance, p, most=len(instance.sites))
        self.p = p
        reached = np.zeros(len(instance.demand), dtype=bool)
        reached[instance.point] = True
        self.out_of_reach = ~reached

    def build(self) -> Programme:
        inst = self.instance
        programme = Programme()
        self.y = open_sites(programme, inst)
        self.x = programme.variables(inst.weights[inst.point] * inst.seconds, integer=inst.capacitated)
        once_each(programme, self.x, inst.point, ~self.out_of_reach, lower=1.0, upper=1.0)
        only_if_open(programme, self.x, self.y[inst.site])
        exactly(programme, self.y, self.p)
        if inst.capacitated:
            within_capacity(programme, inst, self.x, inst.point, inst.site, self.y)
        return programme

    def decode(self, x: np.ndarray) -> Plan:
        inst = self.instance
        assignment = read_assignment(x, self.x, inst.point, inst.site, len(inst.demand)) if inst.capacitated else None
        return Plan(units=read_units(x, self.y), assignment=assignment)

    def evaluate(self, plan: Plan) -> Evaluation:
        seconds = self.instance.dense()
        assignment = plan.assignment if plan.assignment is not None else nearest(seconds, plan.units > 0)
        served = assignment >= 0
        cost = seconds[np.flatnonzero(served), assignment[served]]
        return Evaluation(objective=float(self.instance.weights[served] @ cost), assignment=assignment)

    def greedy(self) -> Plan | None:
        """Open the fixed sites, then one site at a time the one that reaches the most points still
        unreached, then lowers the weighted time most (Kuehn and Hamburger's add heuristic)."""
        if self.instance.capacitated:
            return None
        seconds, weights = self.instance.dense(), self.instance.weights
        opened = self.instance.fixed.copy()
        best = _best_times(seconds, opened)
        while opened.sum() < self.p:
            trial = np.minimum(best[:, None], seconds)
            unreached = np.isinf(trial).sum(axis=0)
            cost = weights @ np.where(np.isinf(trial), 0.0, trial)
            choice = next(j for j in np.lexsort((cost, unreached)) if not opened[j])
            opened[choice] = True
            best = trial[:, choice]
        if np.isinf(best[~self.out_of_reach]).any():
            return None
        return Plan(units=opened.astype(np.int64))

    def trivial_bound(self) -> float:
        """Every point served by its nearest site, open or not."""
        seconds = self.instance.dense()[~self.out_of_reach]
        return float(self.instance.weights[~self.out_of_reach] @ seconds.min(axis=1)) if len(seconds) else 0.0


def nearest(seconds: np.ndarray, opened: np.ndarray) -> np.ndarray:
    """Per point, the nearest open site that reaches it (the first of equals), -1 if none."""
    if not opened.any():
        return np.full(len(seconds), -1)
    masked = np.where(opened[None, :], seconds, np.inf)
    choice = masked.argmin(axis=1)
    return np.where(np.isfinite(masked[np.arange(len(seconds)), choice]), choice, -1)


def _best_times(seconds: np.ndarray, opened: np.ndarray) -> np.ndarray:
    return seconds[:, opened].min(axis=1) if opened.any() else np.full(len(seconds), np.inf)
