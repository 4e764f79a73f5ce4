"""Maximal covering (MCLP, Church and ReVelle): open p sites so that the most demand weight is
reached within its own limit (60, 180 or 300 s in the city; a point's `within`, else the default).

    max  sum_i w_i z_i
    s.t. z_i <= sum_{j in N_i} y_j      N_i: the sites within the point's limit
         sum_j y_j = p,  y_j = 1 where fixed

With capacities a covered point is assigned to one open site within its limit (x_ij binary,
sum_j x_ij = z_i) and a site serves at most its capacity of demand weight."""
import numpy as np

from .core import Evaluation, Plan, check_count, exactly, open_sites, read_assignment, read_units
from .covering import Covering
from .instance import Instance
from .programme import Programme


class MaximalCovering(Covering):
    model = "mclp"
    maximise = True

    def __init__(self, instance: Instance, *, p: int, within: float | None = None):
        super().__init__(instance, within=within)
        check_count(instance, p, most=len(instance.sites))
        self.p = p

    def build(self) -> Programme:
        inst, coverable = self.instance, ~self.out_of_reach
        programme = Programme(maximise=True)
        self.y = open_sites(programme, inst)
        self.z = programme.variables(inst.weights[coverable], integer=inst.capacitated)
        points = np.flatnonzero(coverable)
        if inst.capacitated:  # sum_j x_ij = z_i
            self.x = self.assignment_columns(programme, self.y)
            self.point_rows(programme, (self.cover_point, self.x, 1.0), (points, self.z, -1.0), lower=0.0, upper=0.0)
        else:  # z_i <= sum_j y_j
            self.point_rows(programme, (points, self.z, 1.0), (self.cover_point, self.y[self.cover_site], -1.0), upper=0.0)
        exactly(programme, self.y, self.p)
        return programme

    def decode(self, x: np.ndarray) -> Plan:
        inst = self.instance
        assignment = (read_assignment(x, self.x, self.cover_point, self.cover_site, len(inst.demand))
                      if inst.capacitated else None)
        return Plan(units=read_units(x, self.y), assignment=assignment)

    def evaluate(self, plan: Plan) -> Evaluation:
        covered = self.covered_by(plan)
        return Evaluation(objective=float(self.instance.weights[covered].sum()), assignment=plan.assignment,
                          covered=covered)

    def greedy(self) -> Plan | None:
        """The fixed sites, then each time the site that covers the most weight not yet covered."""
        if self.instance.capacitated:
            return None
        cover, weights = self.cover(), self.instance.weights
        opened = self.instance.fixed.copy()
        while opened.sum() < self.p:
            covered = (cover & opened[None, :]).any(axis=1)
            gain = np.where(opened, -1.0, weights[~covered] @ cover[~covered])
            opened[int(gain.argmax())] = True
        return Plan(units=opened.astype(np.int64))

    def trivial_bound(self) -> float:
        return float(self.instance.weights[~self.out_of_reach].sum())
