"""Set covering (LSCP, Toregas et al.): the fewest sites that reach every point within its limit.

    min  sum_j y_j
    s.t. sum_{j in N_i} y_j >= 1    every point some site reaches within its limit
         y_j = 1 where fixed

A point no site reaches within its limit cannot be covered by any plan: it is reported in
`out_of_reach` and the rest are covered. With capacities each point is assigned to one open site
within its limit (x_ij binary, sum_j x_ij = 1) and a site serves at most its capacity."""
import numpy as np

from .core import Evaluation, Plan, read_assignment, read_units
from .covering import Covering
from .instance import Instance
from .programme import Programme


class SetCovering(Covering):
    model = "lscp"
    maximise = False

    def __init__(self, instance: Instance, *, within: float | None = None):
        super().__init__(instance, within=within)

    def build(self) -> Programme:
        inst = self.instance
        programme = Programme()
        self.y = programme.variables(np.ones(len(inst.sites)), lower=inst.fixed.astype(float), integer=True)
        if inst.capacitated:
            self.x = self.assignment_columns(programme, self.y)
            self.point_rows(programme, (self.cover_point, self.x, 1.0), lower=1.0, upper=1.0)
        else:
            self.point_rows(programme, (self.cover_point, self.y[self.cover_site], 1.0), lower=1.0)
        return programme

    def decode(self, x: np.ndarray) -> Plan:
        inst = self.instance
        assignment = (read_assignment(x, self.x, self.cover_point, self.cover_site, len(inst.demand))
                      if inst.capacitated else None)
        return Plan(units=read_units(x, self.y), assignment=assignment)

    def evaluate(self, plan: Plan) -> Evaluation:
        return Evaluation(objective=float((plan.units > 0).sum()), assignment=plan.assignment,
                          covered=self.covered_by(plan))

    def greedy(self) -> Plan | None:
        """The fixed sites, then each time the site that covers the most points still uncovered."""
        if self.instance.capacitated:
            return None
        cover = self.cover()
        opened = self.instance.fixed.copy()
        while (uncovered := ~self.out_of_reach & ~(cover & opened[None, :]).any(axis=1)).any():
            opened[int(np.where(opened, -1, cover[uncovered].sum(axis=0)).argmax())] = True
        return Plan(units=opened.astype(np.int64))

    def trivial_bound(self) -> float:
        """The fixed sites, and one more if they leave a coverable point uncovered."""
        fixed = self.instance.fixed
        left = ~self.out_of_reach & ~(self.cover() & fixed[None, :]).any(axis=1)
        return float(fixed.sum() + left.any())
