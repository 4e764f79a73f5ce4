"""What the covering models (MCLP, LSCP, MEXCLP) share: each point's own limit, the pairs within
it, and the points no site reaches within it (reported, and left out of the programme)."""
import numpy as np

from .core import Plan, Problem, only_if_open, within_capacity
from .instance import Instance
from .programme import Programme


class Covering(Problem):
    """What the covering models share: each point's limit and the pairs within it."""

    def __init__(self, instance: Instance, *, within: float | None):
        super().__init__(instance)
        self.limits = instance.limits(within)
        self.cover_point, self.cover_site = instance.covering(self.limits)
        coverable = np.zeros(len(instance.demand), dtype=bool)
        coverable[self.cover_point] = True
        self.out_of_reach = ~coverable

    def cover(self) -> np.ndarray:
        """cover[point, site]: the site reaches the point within its limit."""
        matrix = np.zeros((len(self.instance.demand), len(self.instance.sites)), dtype=bool)
        matrix[self.cover_point, self.cover_site] = True
        return matrix

    def covered_by(self, plan: Plan) -> np.ndarray:
        if plan.assignment is not None:
            return plan.assignment >= 0
        return (self.cover() & (plan.units > 0)[None, :]).any(axis=1)

    def point_rows(self, programme: Programme, *terms, lower=-np.inf, upper=np.inf) -> None:
        """One row per coverable point: the sum over terms (points, columns, value) of value times
        the columns of that point, within [lower, upper]."""
        coverable = ~self.out_of_reach
        row = np.cumsum(coverable) - 1
        programme.constraints(np.concatenate([row[points] for points, _, _ in terms]),
                              np.concatenate([columns for _, columns, _ in terms]),
                              np.concatenate([np.full(len(columns), value, dtype=float) for _, columns, value in terms]),
                              count=int(coverable.sum()), lower=lower, upper=upper)

    def assignment_columns(self, programme: Programme, y: np.ndarray) -> np.ndarray:
        """Binary x on the covering pairs: served only by an open site, within its capacity."""
        x = programme.variables(np.zeros(len(self.cover_point)), integer=True)
        only_if_open(programme, x, y[self.cover_site])
        within_capacity(programme, self.instance, x, self.cover_point, self.cover_site, y)
        return x
